"""The search keys of the main screen: the search dialog, next / previous hit, going to an
offset of either document (or of another loaded document, which then becomes the right one).

``MainScreen`` inherits these; the view state they change (``search_query``, ``search_forms``,
``search_hits``, ``hit_index``) lives on ``PairViewScreen``.
"""

from __future__ import annotations

from policydiff_tui import sanitize
from policydiff_tui.pairs import row_for_offset
from policydiff_tui.screens.pair_view import PairViewScreen
from policydiff_tui.screens.search import SearchChoice
from policydiff_tui.search import Hits


class SearchKeys(PairViewScreen):
    """Search, hits, and going to a place in a document."""

    search_hits: Hits = Hits((), 0, {})
    hit_index: int | None = None
    search_everywhere = False
    _pending_goto: tuple[str, int] | None = None

    def action_search(self) -> None:
        """Search both documents (Ctrl+T in the dialog: every loaded document)."""
        from policydiff_tui.screens.search import SearchScreen

        if self.session is None or not self.left:
            return
        session, left = self.session, self.left
        docs = [(d.id, d.tag) for d in session.comparison.documents]
        screen = SearchScreen(
            (self.left, self.right), docs,
            lambda doc_id, original: session.text(doc_id, original=original),
            lambda query: session.search_forms(query, left), session.search_texts,
            query=self.search_query,
            everywhere=self.search_everywhere, original=self.original,
        )
        self.app.push_screen(screen, self._search_done)

    def _search_done(self, choice: SearchChoice | None) -> None:
        if choice is None:
            return
        self.search_query = choice.query
        self.search_forms = choice.forms if choice.query else ()
        self.search_hits = choice.hits if choice.query else Hits((), 0, {})
        self.search_everywhere = choice.everywhere
        self.hit_index = choice.index if choice.index >= 0 else None
        if choice.hits.capped:
            self.notify(
                f"{choice.hits.total} hits; only {len(choice.hits.hits)} are listed and "
                "stepped through, shared between the documents: refine the query",
                title="Search", severity="warning", timeout=6,
            )
        self._show_hit_position()
        if self.hit_index is None:
            self._redraw_overlays()
            return
        self._goto_hit(self.hit_index)

    def action_next_hit(self) -> None:
        """Go to the next search hit (in document order; the first after the last)."""
        self._step_hit(1)

    def action_previous_hit(self) -> None:
        """Go to the previous search hit."""
        self._step_hit(-1)

    def _step_hit(self, step: int) -> None:
        hits = self.search_hits.hits
        if not hits:
            self.notify("no search hits (/ to search)", timeout=2)
            return
        if self.hit_index is None:
            self.hit_index = 0 if step > 0 else len(hits) - 1
        else:
            self.hit_index = (self.hit_index + step) % len(hits)
        self._show_hit_position()
        self._goto_hit(self.hit_index)

    def _show_hit_position(self) -> None:
        hits = self.search_hits
        if not self.search_query or not hits.hits:
            self.header.search_label = ""
            return
        where = f"{self.hit_index + 1}/" if self.hit_index is not None else ""
        more = "+" if hits.capped else ""
        self.header.search_label = sanitize.safe_str(
            f"“{self.search_query}” {where}{len(hits.hits)}{more}"
        )

    def _goto_hit(self, index: int) -> None:
        doc_id, offset, _end = self.search_hits.hits[index]
        if doc_id == self.left:
            self.goto_offset("left", offset)
        elif doc_id == self.right:
            self.goto_offset("right", offset)
        elif self.session is not None:
            # another loaded document: compare it with the left one, then go there
            self._pending_goto = (doc_id, offset)
            self.set_pair(self.left, doc_id)

    def after_alignment(self) -> None:
        """Go where a hit in a newly shown document asked to go."""
        if self._pending_goto is None:
            return
        doc_id, offset = self._pending_goto
        self._pending_goto = None
        if doc_id in (self.left, self.right):
            self.goto_offset("left" if doc_id == self.left else "right", offset)

    def goto_offset(self, side: str, offset: int) -> None:
        """Show the row whose ``side`` section holds document offset ``offset`` and scroll to it
        (clearing the theme filter when it hides that row)."""
        index = row_for_offset(self.rows, side, offset)
        if index is None and self.theme_filter is not None:
            self.theme_filter = None
            self._apply_filter()
            index = row_for_offset(self.rows, side, offset)
        if index is None:
            return
        row = self.rows[index]
        relative = offset - (row.left_span if side == "left" else row.right_span)[0]
        self._pending_offset = (side, relative)
        if self.current is not None and row.key == self.current.key and (
            self.shown_diff_key == self._diff_key(row)
        ):
            self._pending_offset = None
            self._redraw_overlays()
            self.side_by_side.scroll_to_offset(side, relative)
        else:
            self.section_list.select_index(index)
