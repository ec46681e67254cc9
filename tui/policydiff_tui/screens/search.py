"""Search the current pair (or every loaded document); choosing a hit jumps to it.

Hits are found by ``policydiff_tui.search.find_hits`` (plain text, never a pattern; the text as
written and the normalized text; at most ``MAX_HITS``, shared fairly between the documents),
listed in document order with a little context. The line above the list says how many there
are, per document, and warns when not all are listed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, OptionList
from textual.widgets.option_list import Option

from policydiff_tui import sanitize
from policydiff_tui.search import MAX_HITS, Form, Hits, find_hits

CONTEXT = 14

TextOf = Callable[[str, bool], str]
"""``(document id, as written?) -> text``: one form of a document's text (same offsets)."""


@dataclass(frozen=True)
class SearchChoice:
    """What the search dialog was closed with: the query (``forms``: as typed and normalized),
    its hits, the hit chosen (``index``; -1 for none) and whether every document was searched."""

    query: str
    forms: tuple[str, ...]
    hits: Hits
    index: int
    everywhere: bool


class SearchScreen(ModalScreen[SearchChoice | None]):
    """Type to search; Enter or a click on a hit jumps there; Ctrl+T searches every loaded
    document (or only the pair); Escape closes.

    Dismisses with a ``SearchChoice``: ``index`` is the hit chosen, or -1 when closed with
    Escape (the query becomes the current search without moving; an empty query clears the
    search and its marks).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "focus_hits", "Hits", show=False),
        Binding("ctrl+t", "toggle_everywhere", "All documents"),
    ]

    def __init__(
        self,
        pair: Sequence[str],
        documents: Sequence[tuple[str, str]],
        text_of: TextOf,
        forms_of: Callable[[str], tuple[str, ...]],
        searched: Callable[[str], Sequence[Form]],
        *,
        query: str = "",
        everywhere: bool = False,
        original: bool = True,
    ) -> None:
        """``pair``: the ids of the documents on show; ``documents``: ``(id, tag)`` of every
        loaded document; ``forms_of`` gives the forms of a query to look for (as typed and
        normalized: ``ViewerSession.search_forms``); ``searched`` the forms of a document's
        text a search looks in (``ViewerSession.search_texts``)."""
        super().__init__(id="search")
        self.pair = list(pair)
        self.documents = list(documents)
        self.text_of = text_of
        self.forms_of = forms_of
        self.searched = searched
        self.query_text = query
        self.everywhere = everywhere
        self.original = original
        self.result = Hits((), 0, {})
        self.forms: tuple[str, ...] = ()

    @property
    def hits(self) -> list[tuple[str, int]]:
        """``(doc id, offset)`` of every hit listed."""
        return [(doc, start) for doc, start, _end in self.result.hits]

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="dialog"):
            yield Label(sanitize.line(
                "Search (Enter: jump, ↓: list, Ctrl+T: all documents, Esc: close; "
                "Esc on an empty query clears the marks)"
            ))
            yield Input(value=self.query_text, placeholder="text to find", id="search-input")
            yield Checkbox(f"all {len(self.documents)} documents", self.everywhere,
                           id="search-everywhere")
            yield Label(sanitize.line(""), id="search-count")
            yield OptionList(id="search-hits", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._refresh_hits(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh_hits(event.value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.everywhere = event.value
        self._refresh_hits(self.query_one(Input).value)

    def action_toggle_everywhere(self) -> None:
        """Search every loaded document, or only the pair on show."""
        self.query_one(Checkbox).toggle()

    def _scope(self) -> list[str]:
        ids = [doc_id for doc_id, _tag in self.documents]
        return ids if self.everywhere else [d for d in ids if d in self.pair]

    def _refresh_hits(self, query: str) -> None:
        self.forms = self.forms_of(query)
        self.result = find_hits({d: self.searched(d) for d in self._scope()}, self.forms)
        tags = dict(self.documents)
        options = []
        for doc_id, start, end in self.result.hits:
            text = self.text_of(doc_id, self.original)
            lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
            snippet = sanitize.styled(text[lo:hi], [(start - lo, end - lo, "reverse")],
                                      one_line=True)
            tag = sanitize.truncate(sanitize.line(tags.get(doc_id, doc_id)), 10, pad=True)
            options.append(Option(sanitize.join([tag, " ", snippet])))
        hits = self.query_one(OptionList)
        hits.set_options(options)
        count = self.summary() if query else ""
        style = "bold" if self.result.capped else ""
        self.query_one("#search-count", Label).update(sanitize.line(count, style))

    def summary(self) -> str:
        """``300 of 1234 hits (d1 880, d2 354): refine the query`` / ``12 hits (d1 5, d2 7)``."""
        result = self.result
        counts = ", ".join(f"{d} {n}" for d, n in result.per_document.items() if n)
        shown = len(result.hits)
        if result.capped:
            return f"{shown} of {result.total} hits ({counts}); only {MAX_HITS} listed"
        return f"{shown} hit{'s' if shown != 1 else ''}" + (f" ({counts})" if counts else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.result.hits:
            self._choose(0)

    def action_close(self) -> None:
        query = self.query_one(Input).value
        self.dismiss(SearchChoice(query, self.forms, self.result, -1, self.everywhere))

    def action_focus_hits(self) -> None:
        hits = self.query_one(OptionList)
        if self.result.hits:
            hits.focus()
            hits.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        query = self.query_one(Input).value
        self.dismiss(SearchChoice(query, self.forms, self.result, index, self.everywhere))
