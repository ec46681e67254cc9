"""The analyst's keys of the main screen: the change report, row filters and sorting, what the
diffs ignore, and alignment corrections (pair, unpair, split) kept in the overrides file.

``MainScreen`` inherits these: the keys and what they mark; the corrections themselves are
``ViewerSession.correct`` (the core's overrides API, saved where the overrides were read, else
in ``policydiff-overrides.toml`` beside the first document; they apply to later runs too).
"""

from __future__ import annotations

from policydiff.diff import DiffOptions
from policydiff_tui import sanitize
from policydiff_tui.pairs import ROW_FILTERS
from policydiff_tui.screens.main_export import ExportKeys
from policydiff_tui.screens.pair_view import one_line
from policydiff_tui.session import CorrectionRefused, Place


class ChangeKeys(ExportKeys):
    """Change report, filters, sorting, ignores, pair / unpair / split."""

    marked: tuple[str, str] | None = None
    """``(side, section id)`` marked with ``=`` for a pair or split."""

    def action_change_report(self) -> None:
        """Change report of the pair: targets, new / dropped / renamed formulations."""
        from policydiff_tui.screens.changes import ChangeReportScreen

        if self.session is None or not self.left:
            return
        screen = ChangeReportScreen(self.session, self.left, self.right, self.doc_texts())
        self.app.push_screen(screen, self._place_chosen)

    def _place_chosen(self, place: Place | None) -> None:
        if place is not None:
            self.goto_offset(place.side, place.offset)

    def action_cycle_filter(self) -> None:
        """Rows shown: all, changed only, unmatched only."""
        self.row_filter = ROW_FILTERS[(ROW_FILTERS.index(self.row_filter) + 1) % 3]
        self.notify(f"rows: {self.row_filter}", timeout=2)
        if self.session is not None and self.all_rows:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_sort_by_change(self) -> None:
        """Order rows by amount of change (most first), or back to reading order."""
        self.sort_by_change = not self.sort_by_change
        self.notify("most changed first" if self.sort_by_change else "reading order",
                    timeout=2)
        if self.session is not None and self.all_rows:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_ignore(self) -> None:
        """What the diffs ignore (punctuation, width, masks, whitespace)."""
        from policydiff_tui.screens.ignore import IgnoreScreen

        if self.session is not None:
            self.app.push_screen(IgnoreScreen(self.session.diff_options), self._ignores_chosen)

    def _ignores_chosen(self, options: DiffOptions | None) -> None:
        if options is None or self.session is None or options == self.session.diff_options:
            return
        self.set_diff_options(options)

    def set_diff_options(self, options: DiffOptions) -> None:
        """Diff the rows with ``options`` from now on (the row on show is diffed again)."""
        assert self.session is not None
        self.session.diff_options = options
        self.shown_diff_key = None
        if self.all_rows:
            self._apply_filter(keep=self.current.key if self.current else None)

    # ------------------------------------------------------------------ corrections

    def action_mark_pair(self) -> None:
        """Pair: mark this row's section, then press = on a row of the other side."""
        row = self.current
        if row is None or self.session is None:
            return
        if self.marked is None:
            side, sec = ("left", row.left) if row.left is not None else ("right", row.right)
            assert sec is not None
            self.marked = (side, sec.id)
            self.notify(f"{sec.id} marked: = on a section of the other document pairs it, "
                        "+ adds it to a split", timeout=4)
            return
        side, marked_id = self.marked
        other = row.right if side == "left" else row.left
        if other is None:
            self.notify("choose a row with a section of the other document", timeout=3)
            return
        self.marked = None
        left_id, right_id = (marked_id, other.id) if side == "left" else (other.id, marked_id)
        self._correct("pair", left_id, [right_id])

    def action_unpair(self) -> None:
        """Unpair this row's two sections (the aligner will not pair them again)."""
        row = self.current
        if row is None or row.left is None or row.right is None:
            self.notify("not a matched pair", timeout=2)
            return
        self._correct("unpair", row.left.id, [row.right.id])

    def action_add_to_split(self) -> None:
        """Split: the marked left section also became this row's right section."""
        row = self.current
        if self.marked is None or self.marked[0] != "left" or row is None or row.right is None:
            self.notify("mark a left section with = first, then + on a right one", timeout=3)
            return
        assert self.session is not None
        left_id = self.marked[1]
        partners = [r.right.id for r in self.all_rows
                    if r.left is not None and r.left.id == left_id and r.right is not None]
        self.marked = None
        self._correct("split", left_id, [*dict.fromkeys([*partners, row.right.id])])

    def _correct(self, action: str, left_id: str, right_ids: list[str]) -> None:
        """Record the decision for the documents on show (``ViewerSession.correct``: saved,
        re-aligned), then show the new rows."""
        assert self.session is not None
        try:
            saved = self.session.correct(action, self.left, self.right, left_id, right_ids)
        except CorrectionRefused as exc:
            self.notify(str(exc), timeout=4)
            return
        except Exception as exc:
            self.notify(sanitize.safe_str(one_line(exc)), title="Not saved", severity="error",
                        markup=False)
            return
        self.notify(sanitize.safe_str(f"{action}: {left_id} – {', '.join(right_ids)}; "
                                      f"saved in {saved}"), timeout=5, markup=False)
        self.set_pair(self.left, self.right, keep=self.current.key if self.current else None)
