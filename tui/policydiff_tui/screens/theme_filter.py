"""Choose a theme to filter the section list by (or all themes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from policydiff.themes import Theme
from policydiff_tui import sanitize

ALL = "*all*"


class ThemeFilterScreen(ModalScreen[str | None]):
    """Dismisses with a theme id, ``""`` for all themes, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(
        self, themes: Sequence[Theme], counts: Mapping[str, int], current: str | None
    ) -> None:
        super().__init__(id="theme-filter")
        self.themes = [t for t in themes if counts.get(t.id)]
        self.counts = counts
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line("Show the section pairs about one theme"))
            options = [Option(sanitize.line(f"All themes ({len(self.themes)} in use)"), id=ALL)]
            for theme in self.themes:
                options.append(
                    Option(
                        sanitize.join(
                            [
                                sanitize.truncate(sanitize.line(theme.name), 20, pad=True),
                                " ",
                                sanitize.truncate(sanitize.line(theme.name_en), 50, pad=True),
                                f" {self.counts.get(theme.id, 0):>3}",
                            ]
                        ),
                        id=theme.id,
                    )
                )
            yield OptionList(*options, id="theme-options", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [ALL, *(t.id for t in self.themes)]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss("" if event.option.id == ALL else event.option.id)
