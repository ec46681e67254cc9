"""Choose the two documents to compare, among the pairs of the comparison.

Each pair shows its overall similarity once its alignment is known; alignments not yet
computed are computed here in a worker, one after another, and fill in as they finish.
Documents are named by their labels (``Document.tag``: ``d30 云南``) and titles. Typing filters
the list: a pair stays when every word typed is in the tag, title or file name of one of its
documents (``北京 上海`` keeps 北京 ⇄ 上海).
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from policydiff.labels import informative_title
from policydiff.model import Document
from policydiff_tui import sanitize
from policydiff_tui.session import ViewerSession


class PairSwitcherScreen(ModalScreen[tuple[str, str] | None]):
    """Dismisses with ``(left, right)`` document ids, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("down", "move(1)", "Down", show=False, priority=True),
        Binding("up", "move(-1)", "Up", show=False, priority=True),
    ]

    def __init__(self, session: ViewerSession, current: tuple[str, str]) -> None:
        super().__init__(id="pair-switcher")
        self.session = session
        self.current = current
        self.pairs = list(session.comparison.pairs)
        if current not in self.pairs and (current[1], current[0]) not in self.pairs:
            self.pairs.insert(0, current)
        self.similarities: dict[tuple[str, str], float] = {}
        self.shown: list[tuple[str, str]] = list(self.pairs)
        """The pairs listed (those the typed words keep)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line(
                "Compare which two documents? (type to filter, ↑↓: choose, Enter: open, "
                "Esc: close)"
            ))
            yield Input(placeholder="filter: labels, titles, file names", id="pair-filter")
            yield OptionList(id="pair-options", markup=False)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()
        self._measure()

    def _words(self, doc_id: str) -> str:
        doc = self.session.document(doc_id)
        return f"{doc.tag} {doc.title} {doc.file_stem}".casefold()

    def matches(self, pair: tuple[str, str], text: str) -> bool:
        """Whether every word of ``text`` is in the names of one of the pair's documents."""
        words = self._words(pair[0]) + " \n " + self._words(pair[1])
        return all(word in words for word in text.casefold().split())

    def _fill(self, text: str) -> None:
        self.shown = [pair for pair in self.pairs if self.matches(pair, text)]
        options = self.query_one(OptionList)
        options.set_options(
            Option(self._prompt(pair), id=f"{pair[0]}|{pair[1]}") for pair in self.shown
        )
        flipped = (self.current[1], self.current[0])
        index = next((k for k, p in enumerate(self.shown) if p in (self.current, flipped)), 0)
        options.highlighted = index if self.shown else None
        options.border_title = sanitize.line(f"{len(self.shown)} of {len(self.pairs)} pairs")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None and 0 <= options.highlighted < len(self.shown):
            self.dismiss(self.shown[options.highlighted])

    def action_move(self, step: int) -> None:
        """Move the highlight in the list (the typing stays in the filter)."""
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def _prompt(self, pair: tuple[str, str]) -> Content:
        a, b = (self.session.document(d) for d in pair)
        sim = self.similarities.get(pair)
        figure = f"{sim:4.0%}" if sim is not None else "  … "
        return sanitize.join(
            [
                figure,
                "  ",
                sanitize.truncate(sanitize.line(a.tag), 24),
                "  ⇄  ",
                sanitize.truncate(sanitize.line(b.tag), 24),
                *self._title(a, b),
            ]
        )

    def _title(self, a: Document, b: Document) -> list[Content | str]:
        """The titles, when the labels do not already say them (``labels.informative_title``:
        not ``2025`` of 政府工作报告, which several documents share)."""
        docs = self.session.comparison.documents
        titles = [title for d in (a, b) if (title := informative_title(d, docs))]
        if not titles:
            return []
        shown = titles[0] if len(set(titles)) == 1 else " / ".join(titles)
        return ["   ", sanitize.truncate(sanitize.line(shown), 40)]

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _measure(self) -> None:
        worker = get_current_worker()
        for pair in self.pairs:
            if worker.is_cancelled:
                return
            self.similarities[pair] = self.session.similarity(*pair)
            self.app.call_from_thread(self._update, pair)

    def _update(self, pair: tuple[str, str]) -> None:
        if not self.is_attached:  # closed while the worker ran
            return
        if pair in self.shown:
            options = self.query_one(OptionList)
            options.replace_option_prompt(f"{pair[0]}|{pair[1]}", self._prompt(pair))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        left, _, right = (event.option.id or "").partition("|")
        self.dismiss((left, right))
