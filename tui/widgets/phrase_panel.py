"""The phrases the current section pair shares, longest first.

Each entry shows the phrase, its kind (“ ” slogan, ≡ formulaic, · distinctive) and how often it
occurs on each side. Highlighting an entry posts ``PhraseChosen``; the screen then marks it in
both panes and scrolls to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policydiff.phrases import PairPhrase
from tui import sanitize
from tui.messages import PhraseChosen

KIND_MARKS = {"slogan": "“", "formulaic": "≡", "distinctive": "·"}


class PhrasePanel(OptionList):
    """Shared phrases of the pair on show (toggled with ``f``)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"phrase-panel--kind", "phrase-panel--count"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.phrases: tuple[PairPhrase, ...] = ()

    def set_phrases(self, phrases: Sequence[PairPhrase], *, note: str = "") -> None:
        """List ``phrases``; with none, show ``note`` (app text) as a disabled entry."""
        self.phrases = tuple(phrases)
        kind_style = self.get_visual_style("phrase-panel--kind", partial=True)
        count_style = self.get_visual_style("phrase-panel--count", partial=True)
        options = [
            Option(
                sanitize.join(
                    [
                        (KIND_MARKS.get(p.kind, "·"), kind_style),
                        " ",
                        sanitize.line(p.text),
                        (f" {len(p.spans_a)}·{len(p.spans_b)}", count_style),
                    ]
                )
            )
            for p in self.phrases
        ]
        if not options and note:
            options = [Option(sanitize.line(note), disabled=True)]
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            self.highlighted = None
        self.border_title = sanitize.line(f"Shared phrases ({len(self.phrases)})")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.phrases):
            self.post_message(PhraseChosen(event.option_index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.phrases):
            self.post_message(PhraseChosen(event.option_index))
