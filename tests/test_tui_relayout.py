"""``u``, ``f`` and ``l`` lay the text out once, for the width the pane is about to have (issue
15 speed): the layout made when the key is handled is the one on screen after the next frame.
``u``: inline (the left pane takes the right one's place) and back side by side, at 80x24 and
120x36. Before, the first frame showed the old layout in the new pane and a second layout
followed it.

``f`` (the phrase panel, 20 % of the width, 28 to 48 columns) and ``l`` (the section list, 26 %,
36 to 60) predict the width the panes get from the panels' styles, at 120x36, 137x40 (the
panel's 20 % is 27.4 columns: a fractional split) and 200x50.

Seeds 000 and 001 (tui_helpers.FIRST_TWO): the first section pair has lines wide enough to fill the
inline pane (its widest line is longer than a side-by-side pane is wide).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import pytest
from rich.cells import cell_len
from textual.widgets import Footer
from tui_helpers import FIRST_TWO, SIZE, SMALL, settle

from policydiff import align
from policydiff_tui.app import make_app
from policydiff_tui.widgets.diff_pane import PaneLine
from policydiff_tui.widgets.inline import InlineLayout


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def widest(text: str, lines: Sequence[PaneLine]) -> int:
    """Cells of the widest of ``lines`` of ``text``."""
    return max((cell_len(text[ln.span[0]:ln.span[1]]) for ln in lines if ln.span is not None),
               default=0)


@pytest.mark.parametrize("size", [SIZE, SMALL], ids=size_id)
async def test_u_lays_out_once(size: tuple[int, int]) -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        main = app.main
        sbs = main.side_by_side
        left, right = sbs.panes
        side_width = left.text_width
        main.action_toggle_inline()  # handled, not yet drawn
        inline = sbs.current_layout
        assert isinstance(inline, InlineLayout)
        await settle(app, pilot)
        assert sbs.current_layout is inline  # no second layout after the frame
        assert left.text_width > side_width and not right.display
        # wrapped for the inline pane: wider lines than a side-by-side pane could hold
        assert side_width < widest("".join(sbs.texts), inline.left) <= left.text_width
        main.action_toggle_inline()
        back = sbs.current_layout
        assert back is not None and not isinstance(back, InlineLayout)
        await settle(app, pilot)
        assert sbs.current_layout is back
        assert left.text_width == side_width and right.display
        assert app.main.query_one(Footer).query("FooterKey").first().description == "Help"


@pytest.mark.parametrize("size", [SIZE, (137, 40), (200, 50)], ids=size_id)
async def test_f_and_l_lay_out_once(size: tuple[int, int]) -> None:
    """Each of ``f``, ``f``, ``l``, ``f``, ``l``, ``f`` lays out when the key is handled, for
    the widths the panes have after the frame: no second layout follows."""
    app = make_app(FIRST_TWO)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        main = app.main
        sbs = main.side_by_side
        left, right = sbs.panes
        seen = [left.text_width]
        for action in ("phrases", "phrases", "list", "phrases", "list", "phrases"):
            before = sbs.current_layout
            getattr(main, f"action_toggle_{action}")()
            made = sbs.current_layout
            assert made is not before  # laid out at once, in the key's handler
            await settle(app, pilot)
            assert sbs.current_layout is made  # the frame's widths were the predicted ones
            assert sbs._widths == (left.text_width, right.text_width)
            seen.append(left.text_width)
        # the panels took and gave back width: narrower with the phrase panel, wider without
        # the list, back to the start at the end (the list and panel are as they began)
        assert seen[1] < seen[0] == seen[2] < seen[3]
        assert main.section_list.display and not main.phrase_panel.display
        assert seen[-1] == seen[0]


async def test_a_second_start_reads_the_one_pair_from_the_result_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """First screen with a warm cache (issue 15 speed): two documents are one pair, aligned
    through the result cache (``Comparison.alignments``), so a second start does not align."""
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "cache"))
    shown = []
    for _start in range(2):
        app = make_app(FIRST_TWO)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert not app.error, app.error  # no worker (prefetching too) aligned again
            assert app.main.all_rows
            shown.append([row.key for row in app.main.all_rows])
        # the second start must not align: the aligner fails if it is asked to
        monkeypatch.setattr(align, "align_features", refuse)
    assert shown[0] == shown[1]


async def test_a_second_start_with_three_documents_reads_the_result_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three documents are three pairs: the first start aligns the pair it shows, the pair
    switcher's similarities align the other two, and the result cache is written once all three
    are in memory; a second start (``Comparison.alignment`` reads the cache) does not align."""
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "cache"))
    three = [*FIRST_TWO, FIRST_TWO[0].parent / "002_18ae15f2ea8019a0.txt"]
    shown = []
    for start in range(2):
        app = make_app(three)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            assert not app.error, app.error  # no worker (prefetching too) aligned again
            assert app.main.all_rows
            shown.append([row.key for row in app.main.all_rows])
            if start == 0:
                session = app.main.session
                assert session is not None and len(session.comparison.pairs) == 3
                for pair in session.comparison.pairs:  # what the pair switcher (p) does
                    session.similarity(*pair)
        monkeypatch.setattr(align, "align_features", refuse)
    assert shown[0] == shown[1]


def refuse(*_args: object, **_kwargs: object) -> NoReturn:
    raise AssertionError("aligned again: the result cache was not used")


async def test_f_and_l_lay_out_once_inline_at_120x36() -> None:
    """Inline (``u``), the one pane takes all the width the panels leave."""
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        sbs = main.side_by_side
        left, _right = sbs.panes
        main.action_toggle_inline()
        await settle(app, pilot)
        for action in ("list", "phrases", "list", "phrases"):
            before = sbs.current_layout
            getattr(main, f"action_toggle_{action}")()
            made = sbs.current_layout
            assert isinstance(made, InlineLayout) and made is not before
            await settle(app, pilot)
            assert sbs.current_layout is made
            assert sbs._widths[0] == left.text_width
