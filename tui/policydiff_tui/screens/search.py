"""Search both documents of the current pair; choosing a hit jumps to it.

Hits are found with a plain, case-insensitive substring search over each document's normalized
text (no regular expressions: a query is text, never a pattern), listed in document order with
the section they fall in and a little context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from policydiff.model import Document
from policydiff_tui import sanitize

MAX_HITS = 300
CONTEXT = 14


def find_hits(
    docs: Sequence[Document], query: str, *, limit: int = MAX_HITS
) -> list[tuple[str, int]]:
    """``(doc id, offset)`` of every occurrence of ``query`` in ``docs`` (case-insensitive
    where case-folding keeps offsets), at most ``limit`` in all."""
    hits: list[tuple[str, int]] = []
    if not query:
        return hits
    for doc in docs:
        text, needle = doc.text.casefold(), query.casefold()
        if len(text) != len(doc.text):
            text, needle = doc.text, query
        pos = text.find(needle)
        while pos != -1 and len(hits) < limit:
            hits.append((doc.id, pos))
            pos = text.find(needle, pos + max(1, len(needle)))
    return hits


class SearchScreen(ModalScreen[tuple[str, int, str] | None]):
    """Type to search; Enter or a click on a hit jumps there; Escape closes.

    Dismisses with ``(doc id, offset, query)`` for a chosen hit, ``("", -1, "")`` when closed
    with an empty query (the reader cleared the search: its marks go), or ``None``.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("down", "focus_hits", "Hits", show=False),
    ]

    def __init__(self, docs: Sequence[Document], query: str = "") -> None:
        super().__init__(id="search")
        self.docs = list(docs)
        self.query_text = query
        self.hits: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box", classes="dialog"):
            yield Label(sanitize.line(
                f"Search {' and '.join(d.id for d in self.docs)} "
                "(Enter: jump, ↓: list, Esc: close; Esc on an empty query clears the marks)"
            ))
            yield Input(value=self.query_text, placeholder="text to find", id="search-input")
            yield OptionList(id="search-hits", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self._refresh_hits(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refresh_hits(event.value)

    def _refresh_hits(self, query: str) -> None:
        self.hits = find_hits(self.docs, query)
        by_id = {d.id: d for d in self.docs}
        options = []
        for doc_id, offset in self.hits:
            text = by_id[doc_id].text
            start, end = max(0, offset - CONTEXT), min(len(text), offset + len(query) + CONTEXT)
            snippet = sanitize.styled(
                text[start:end],
                [(offset - start, offset - start + len(query), "reverse")],
                one_line=True,
            )
            options.append(Option(sanitize.join([f"{doc_id} ", snippet])))
        hits = self.query_one(OptionList)
        hits.set_options(options)
        count = len(self.hits)
        more = "+" if count >= MAX_HITS else ""
        hits.border_title = sanitize.line(f"{count}{more} hits" if query else "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.hits:
            self._choose(0)

    def action_close(self) -> None:
        self.dismiss(None if self.query_one(Input).value else ("", -1, ""))

    def action_focus_hits(self) -> None:
        hits = self.query_one(OptionList)
        if self.hits:
            hits.focus()
            hits.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        doc_id, offset = self.hits[index]
        self.dismiss((doc_id, offset, self.query_one(Input).value))
