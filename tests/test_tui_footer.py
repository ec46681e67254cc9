"""The viewer's footer (``policydiff_tui.widgets.key_footer``, issue 15 speed): a focus change
that leaves the shown keys as they were (``f`` focuses the phrase panel, whose own bindings are
all hidden) keeps the footer's key widgets instead of building them again; when the shown keys
do change, the footer shows the new ones.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tui_helpers import FIRST_TWO, SIZE, settle

from policydiff_tui.app import make_app
from policydiff_tui.widgets.key_footer import KeyFooter


async def test_f_keeps_the_footer_keys_and_help_stays_first() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = app.main.query_one(KeyFooter)
        before = list(footer.query(FooterKey))
        assert before[0].key == "question_mark" and before[0].description == "Help"
        await pilot.press("f")
        await settle(app, pilot)
        assert app.main.phrase_panel.has_focus
        after = list(footer.query(FooterKey))
        assert [id(k) for k in after] == [id(k) for k in before]  # not rebuilt
        assert after[0].description == "Help"
        await pilot.press("f")
        await settle(app, pilot)
        assert not app.main.phrase_panel.has_focus
        assert footer.query(FooterKey).first().description == "Help"


class Toggling(App[None]):
    """One shown key (``a`` "Alpha") and one (``b`` "Beta") shown only while ``beta``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "alpha", "Alpha"),
        Binding("b", "beta", "Beta"),
    ]
    beta = False

    def compose(self) -> ComposeResult:
        yield Static("x")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.beta if action == "beta" else True

    def action_alpha(self) -> None:
        self.beta = not self.beta
        self.refresh_bindings()


async def test_the_footer_shows_new_keys_when_the_shown_keys_change() -> None:
    app = Toggling()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        descriptions = [k.description for k in app.query(FooterKey)]
        assert "Alpha" in descriptions and "Beta" not in descriptions
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        assert "Beta" in [k.description for k in app.query(FooterKey)]
        await pilot.press("a")
        await pilot.pause()
        await pilot.pause()
        assert "Beta" not in [k.description for k in app.query(FooterKey)]
