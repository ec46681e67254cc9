"""The phrases the current section pair shares, longest first.

Each entry shows the phrase, its kind (“ ” slogan, ≡ formulaic, · distinctive) and how often it
occurs on each side. Highlighting an entry posts ``PhraseChosen``; the screen then marks it in
both panes and scrolls to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from policydiff.phrases import PairPhrase
from policydiff_tui import sanitize
from policydiff_tui.messages import PhraseChosen

KIND_MARKS = {"slogan": "“", "formulaic": "≡", "distinctive": "·"}


class PhrasePanel(OptionList):
    """Shared phrases of the pair on show (toggled with ``f``)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"phrase-panel--kind", "phrase-panel--count"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.phrases: tuple[PairPhrase, ...] = ()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _restyle(self, _theme: object = None) -> None:
        """Rebuild the prompts with the new theme's colours (they are baked into them)."""
        for index, phrase in enumerate(self.phrases):
            self.replace_option_prompt_at_index(index, self._prompt(phrase))

    def _prompt(self, phrase: PairPhrase) -> Content:
        kind_style = self.get_visual_style("phrase-panel--kind", partial=True)
        count_style = self.get_visual_style("phrase-panel--count", partial=True)
        return sanitize.join(
            [
                (KIND_MARKS.get(phrase.kind, "·"), kind_style),
                " ",
                sanitize.line(phrase.text),
                (f"  {len(phrase.spans_a)}⇄{len(phrase.spans_b)}", count_style),
            ]
        )

    def set_phrases(self, phrases: Sequence[PairPhrase], *, note: str = "") -> None:
        """List ``phrases``; with none, show ``note`` (app text) as a disabled entry."""
        self.phrases = tuple(phrases)
        options = [Option(self._prompt(p)) for p in self.phrases]
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
