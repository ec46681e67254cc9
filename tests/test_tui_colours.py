"""The viewer's diff colours stay apart at every palette depth, in light and dark themes, and
the legend is drawn with the panes' own styles (issue 15, item 1).

"Apart" is checked as the terminal will show it: each background (and foreground) is reduced
to the depth's palette with Rich's own downgrade (what Textual does on such a terminal), and
the roles that must differ must differ there.
"""

from __future__ import annotations

import pytest
from rich.color import Color as RichColor
from rich.color import ColorSystem
from textual.color import Color
from tui_helpers import FIRST_TWO, SIZE, settle

from policydiff_tui.app import make_app
from policydiff_tui.palette import depth_of
from policydiff_tui.screens.help import SAMPLE, HelpScreen

SYSTEMS = {"16": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT,
           "truecolor": ColorSystem.TRUECOLOR}


def _shown(color: Color | None, depth: str) -> object:
    if color is None:
        return None
    if color.ansi is not None:
        return ("ansi", color.ansi)
    rich = RichColor.from_rgb(color.r, color.g, color.b).downgrade(SYSTEMS[depth])
    return rich.number if rich.number is not None else rich.triplet


def test_depth_follows_the_terminal_unless_chosen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POLICYDIFF_PALETTE", raising=False)
    assert depth_of("truecolor") == "truecolor"
    assert depth_of("256") == "256"
    assert depth_of("standard") == "16"
    assert depth_of("windows") == "16"
    assert depth_of(None) == "16"
    assert depth_of("truecolor", "256") == "256"
    monkeypatch.setenv("POLICYDIFF_PALETTE", "16")
    assert depth_of("truecolor") == "16"


@pytest.mark.parametrize("depth", ["16", "256", "truecolor"])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_roles_stay_apart(depth: str, theme: str) -> None:
    app = make_app(FIRST_TWO, palette=depth)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = theme
        await settle(app, pilot)
        assert app.depth == depth and app.has_class(f"-depth-{depth}")
        left_pane, right_pane = app.main.side_by_side.panes
        left, right = left_pane.role_styles(), right_pane.role_styles()

        def look(styles: dict, role: str) -> tuple[object, object]:
            style = styles[role]
            return _shown(style.background, depth), _shown(style.foreground, depth)

        assert look(left, "changed") != look(left, "deleted")  # light tint vs strong
        assert look(right, "changed") != look(right, "inserted")
        assert look(right, "moved") != look(right, "inserted")
        assert look(left, "moved") != look(left, "deleted")
        assert look(left, "deleted") != look(right, "inserted")
        assert look(left, "changed") != look(right, "changed")
        # the inline layout draws the right text in the left pane with the right pane's tint
        assert look(left, "changed-right") == look(right, "changed")
        # a search hit sets no background: the diff colour under it stays
        assert left["search"].background is None and left["search"].foreground is not None
        if depth == "256":
            # colours of the xterm palette itself: nothing for the terminal to round
            for role in ("changed", "deleted", "moved"):
                color = left[role].background
                assert color is not None
                rich = RichColor.from_rgb(color.r, color.g, color.b)
                assert rich.downgrade(ColorSystem.EIGHT_BIT).get_truecolor() == rich.triplet


async def test_the_legend_is_drawn_with_the_panes_styles() -> None:
    app = make_app(FIRST_TWO, palette="256")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        left_pane, right_pane = app.main.side_by_side.panes
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        changed = help_screen.sample("changed")
        # two samples: the left pane's tint, then the right pane's
        assert changed.plain == f"{SAMPLE} {SAMPLE}"
        styles = [span.style for span in changed.spans]
        assert left_pane.role_styles()["changed"] in styles
        assert right_pane.role_styles()["changed"] in styles
        deleted = help_screen.sample("deleted")
        assert deleted.plain == SAMPLE
        assert [span.style for span in deleted.spans] == [left_pane.role_styles()["deleted"]]
