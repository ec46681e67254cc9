"""The keys that take text out of the viewer: export (the section pair or document pair on
screen as HTML, Markdown or plain text, or the report files) and copy to the clipboard (the
current change, or the whole section pair, with its file:line references).

``MainScreen`` inherits these. Copying goes through Textual's ``copy_to_clipboard`` (OSC 52:
the terminal puts the text on the system clipboard; tmux needs ``set-clipboard on``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work

from policydiff.model import Document
from policydiff_tui import sanitize
from policydiff_tui.messages import ExportWritten
from policydiff_tui.pairs import PairRow
from policydiff_tui.screens.export import ExportChoice
from policydiff_tui.screens.main_search import SearchKeys
from policydiff_tui.screens.pair_view import one_line
from policydiff_tui.script import citation

Span = tuple[int, int]


def quote(doc: Document, text: str, span: Span) -> str:
    """A quotation of ``span`` of ``doc`` (``text``: the form shown, same offsets) under its
    reference: ``d1 2024  national-2024.txt:83`` then the text."""
    start, end = span
    if start == end:
        return f"{doc.tag}  (nothing on this side)"
    return f"{doc.tag}  {citation(doc, span)}\n{text[start:end].strip()}"


class ExportKeys(SearchKeys):
    """Export and copy."""

    last_copy = ""
    """The text the last copy put on the clipboard."""
    export_format = "html"
    export_scope = "section"

    def _section_on_screen(self) -> str:
        """The id of the section pair on screen (its left section), or "" for a row that is not
        an aligned pair (nothing a section export could show)."""
        row = self.current
        if row is None or row.left is None or row.right is None:
            return ""
        return row.left.id

    def action_export(self) -> None:
        """Export the section or document pair on screen (HTML, Markdown, text), or the reports.

        The reports are the alignment JSON and the phrase report ``compare`` writes."""
        from policydiff_tui.screens.export import ExportScreen

        if self.session is None:
            return
        screen = ExportScreen(self.export_dir, section=self._section_on_screen(),
                              scope=self.export_scope, fmt=self.export_format)
        self.app.push_screen(screen, self._export_chosen)

    def _export_chosen(self, choice: ExportChoice | None) -> None:
        if choice is None:
            return
        self.export_dir = choice.folder
        self.export_scope, self.export_format = choice.scope, choice.fmt
        if choice.scope == "report":
            self.export(choice.folder, force=choice.force)
        else:
            section = self._section_on_screen() if choice.scope == "section" else None
            self.export_view(choice.folder, choice.fmt, section, force=choice.force)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, folder: Path, *, force: bool = False) -> None:
        """Write the session's report files (``ViewerSession.export``) into ``folder``."""
        assert self.session is not None
        session = self.session
        self._write(lambda: session.export(folder, force=force))

    @work(thread=True, group="export", exit_on_error=False)
    def export_view(
        self, folder: Path, fmt: str, section: str | None, *, force: bool = False
    ) -> None:
        """Write the pair on screen (or its ``section`` pair) into ``folder`` in ``fmt``."""
        assert self.session is not None
        session, left, right = self.session, self.left, self.right
        self._write(lambda: session.export_view(folder, left, right, section, fmt, force=force))

    def _write(self, write: Callable[[], list[Path]]) -> None:
        """Run ``write`` (in the export worker) and post what it wrote, or why not."""
        label = "exporting"
        self._progress(label, True)
        try:
            self.post_message(ExportWritten(write()))
        except Exception as exc:
            self.post_message(ExportWritten([], error=one_line(exc)))
        finally:
            self._progress(label, False)

    def on_export_written(self, message: ExportWritten) -> None:
        """Say what was written. (The message then reaches the app, which keeps it.)"""
        if message.error:
            self.notify(sanitize.safe_str(message.error), title="Export failed",
                        severity="error", timeout=10, markup=False)
        else:
            paths = "\n".join(str(p) for p in message.paths)
            self.notify(sanitize.safe_str(paths), title="Export written", timeout=8, markup=False)

    # ------------------------------------------------------------------ copy

    def action_copy_hunk(self) -> None:
        """Copy the current change (n / p), or the sentence at the top, with file:line."""
        row = self.current
        hunk = self.side_by_side.current_hunk()
        if row is None or hunk is None or self.session is None:
            self.notify("nothing to copy", timeout=2)
            return
        self._copy(row, hunk.left_span, hunk.right_span)

    def action_copy_section(self) -> None:
        """Copy the whole section pair on screen, with file:line."""
        row = self.current
        if row is None or self.session is None:
            self.notify("nothing to copy", timeout=2)
            return
        self._copy(row, (0, row.left_span[1] - row.left_span[0]),
                   (0, row.right_span[1] - row.right_span[0]))

    def _copy(self, row: PairRow, left: Span, right: Span) -> None:
        """Copy spans of the row's two texts (relative to the row's spans)."""
        assert self.session is not None
        parts = []
        for doc_id, base, span in ((self.left, row.left_span[0], left),
                                   (self.right, row.right_span[0], right)):
            doc = self.session.document(doc_id)
            text = self.session.text(doc_id, original=self.original)
            parts.append(quote(doc, text, (base + span[0], base + span[1])))
        self.last_copy = "\n\n".join(parts)
        self.app.copy_to_clipboard(self.last_copy)
        lines = self.last_copy.count("\n") + 1
        self.notify(f"copied {lines} lines (with file:line)", title="Copy", timeout=3)
