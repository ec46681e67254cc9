"""The list of aligned section pairs (and unmatched sections) of the current document pair.

Each row takes two lines: the score and the left section's marker and heading, then the
row's theme and the right section's. Unmatched sections show a dash on the missing side, in
the ``section-list--only-left`` / ``--only-right`` colours. Moving the highlight posts
``SectionSelected``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.style import Style
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policydiff.model import Document, Section
from policydiff_tui import sanitize
from policydiff_tui.messages import SectionSelected
from policydiff_tui.pairs import PairRow, section_name

KIND_MARKS = {"match": " ", "split": "↘", "merge": "↙", "only-left": " ", "only-right": " "}
"""Mark after the score: a split (one left section, several right ones) or a merge."""

TAG_CELLS = 4


class SectionList(OptionList):
    """Aligned section pairs in reading order; the highlighted row is the pair on show.

    PgUp / PgDn scroll the panes (as they do in a pane), not the list: one key, one meaning.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "screen.page_panes(-1)", "Page up", show=False),
        Binding("pagedown", "screen.page_panes(1)", "Page down", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "section-list--score",
        "section-list--theme",
        "section-list--only-left",
        "section-list--only-right",
        "section-list--missing",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.rows: list[PairRow] = []
        self._docs: tuple[Document, Document] | None = None
        self._theme_names: Mapping[str, str] = {}
        self._texts: tuple[str, str] | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _restyle(self, _theme: object = None) -> None:
        """Rebuild the prompts with the new theme's colours (they are baked into them)."""
        for index, row in enumerate(self.rows):
            self.replace_option_prompt_at_index(index, self._prompt(row))

    def set_rows(
        self,
        rows: Sequence[PairRow],
        docs: tuple[Document, Document],
        theme_names: Mapping[str, str],
        *,
        keep: str | None = None,
        texts: tuple[str, str] | None = None,
    ) -> None:
        """Show ``rows``; highlight the row with key ``keep`` if it is there, else the first.
        ``texts``: the form of each document's text to take the names from (as written).

        Always posts ``SectionSelected`` for the row that ends up highlighted (``None`` when
        there are no rows), so the panes follow even when the index did not change.
        """
        self.rows = list(rows)
        self._docs = docs
        self._texts = texts
        self._theme_names = theme_names
        self.set_options(Option(self._prompt(row), id=row.key) for row in self.rows)
        index = next((k for k, row in enumerate(self.rows) if row.key == keep), 0)
        if self.rows:
            with self.prevent(OptionList.OptionHighlighted):
                self.highlighted = index
            self.post_message(SectionSelected(self.rows[index]))
        else:
            self.post_message(SectionSelected(None))

    @property
    def current(self) -> PairRow | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.rows):
            return None
        return self.rows[self.highlighted]

    def move(self, step: int) -> None:
        """Highlight the row ``step`` rows away, stopping at the ends."""
        if not self.rows:
            return
        current = self.highlighted if self.highlighted is not None else 0
        self.highlighted = max(0, min(len(self.rows) - 1, current + step))

    def select_index(self, index: int) -> None:
        """Highlight row ``index`` (and post ``SectionSelected`` even if it already was)."""
        if not 0 <= index < len(self.rows):
            return
        if self.highlighted == index:
            self.post_message(SectionSelected(self.rows[index]))
        else:
            self.highlighted = index
        self.scroll_to_highlight()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.rows):
            self.post_message(SectionSelected(self.rows[event.option_index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()

    def _style(self, name: str) -> Style:
        return self.get_visual_style(f"section-list--{name}", partial=True)

    def _side(
        self, doc: Document, sec: Section | None, only: str | None, text: str | None
    ) -> Content:
        if sec is None:
            return sanitize.line("—", self._style("missing"))
        indent = "  " * min(3, max(0, sec.level - 1))
        style = self._style(only) if only else ""
        name = section_name(doc, sec, text=text)
        return sanitize.join([indent, sanitize.line(name, style)])

    def _prompt(self, row: PairRow) -> Content:
        assert self._docs is not None
        left_doc, right_doc = self._docs
        texts = self._texts or (None, None)
        score = "  - " if row.score is None else f"{row.score:.2f}"
        mark = KIND_MARKS.get(row.kind, " ")
        only = row.kind if row.kind in ("only-left", "only-right") else None
        theme = self._theme_names.get(row.themes[0], row.themes[0]) if row.themes else ""
        tag = sanitize.truncate(
            sanitize.line(theme, self._style("theme")), TAG_CELLS, ellipsis=False, pad=True
        )
        return sanitize.join(
            [
                (score, self._style("score")),
                mark,
                " ",
                self._side(left_doc, row.left, only if only == "only-left" else None,
                           texts[0]),
                "\n",
                tag,
                "  ",
                self._side(right_doc, row.right, only if only == "only-right" else None,
                           texts[1]),
            ]
        )
