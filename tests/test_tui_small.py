"""Small screens and many documents (issue 15, items 5 and 6): the section list hides by
itself below 100 columns and with ``l``, the inline layout (``u``), a footer that keeps ``?``
first, the header's short figures; the pair switcher filters by typing; the theme matrix scrolls
over every document and sorts.

Seed labels (``policydiff.labels``): d1 "000", d2 "2023年曲靖市麒麟区政府工作报告—全文" (its title),
d3 "002", d4 "003", d5 the title of seed 004 (中共温州市鹿城区委关于制定…的建议).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Footer, Input, OptionList
from textual.widgets._footer import FooterKey
from tui_helpers import FIRST_TWO, SIZE, SMALL, pane_text, select_urban_renewal, settle

from policydiff_tui.app import make_app
from policydiff_tui.screens.pair_switcher import PairSwitcherScreen
from policydiff_tui.screens.theme_matrix import ThemeMatrixScreen


async def test_the_list_hides_by_itself_on_a_small_screen_and_l_brings_it_back() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        main = app.main
        assert not main.section_list.display
        left, right = main.side_by_side.panes
        assert left.text_width >= 30 and right.text_width >= 30
        await pilot.press("l")
        await settle(app, pilot)
        assert main.section_list.display
        await pilot.press("l")
        await settle(app, pilot)
        assert not main.section_list.display
        # j / k still move through the rows with the list hidden, and the header says where
        await pilot.press("j")
        await settle(app, pilot)
        assert main.current is main.rows[1]
        assert "row 2/" in main.header.render().plain


async def test_the_footer_keeps_help_first_and_the_header_its_position() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        footer = app.main.query_one(Footer)
        assert footer.compact and not footer.show_command_palette
        shown = list(footer.query(FooterKey))
        assert shown[0].description == "Help" and shown[0].key == "question_mark"
        # the essentials come next, in this order
        assert [k.description for k in shown[1:4]] == ["Next change", "Prev change", "Search"]
        header = app.main.header.render().plain
        assert "row 1/" in header and "unmatched" in header


async def test_the_list_shows_on_a_wide_screen_and_l_hides_it() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        assert main.section_list.display
        assert app.main.query_one(Footer).show_command_palette
        await pilot.press("l")
        await settle(app, pilot)
        assert not main.section_list.display


async def test_u_shows_one_pane_with_old_lines_then_new_ones() -> None:
    # d1's 一是推进城市更新 against d2's 加快实施城市更新 (see test_tui): a changed pair
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        main = app.main
        await select_urban_renewal(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        sbs = main.side_by_side
        assert sbs.inline and not sbs.panes[1].display
        left, _right = sbs.panes
        assert left.text_width >= 60  # the whole width, less borders and gutter
        text = pane_text(app, "left")
        marks = {line[:1] for line in text.splitlines()}
        assert "-" in marks and "+" in marks
        shown = "".join(sbs.texts)
        assert left.text == shown  # left text, then right text
        # the first line is the left text's first words: 一是推进城市更新
        first = next(ln.span for ln in left.lines if ln.span is not None)
        assert shown[first[0] : first[1]].startswith("一是推进城市更新")
        # next change works in the inline layout
        await pilot.press("n")
        await settle(app, pilot)
        assert sbs.change_index is not None
        await pilot.press("u")
        await settle(app, pilot)
        assert not sbs.inline and sbs.panes[1].display
        # side by side this row has more changes than inline (rows of one side only count
        # apart): the cursor on the last one, then u, must land on a change inline has
        layout = sbs.current_layout
        assert layout is not None
        while sbs.change_index is None or sbs.change_index < len(layout.changes) - 1:
            await pilot.press("n")
            await settle(app, pilot)
        await pilot.press("u")
        await settle(app, pilot)
        inline = sbs.current_layout
        assert sbs.inline and inline is not None and len(inline.changes) < len(layout.changes)
        assert sbs.change_index is None or 0 <= sbs.change_index < len(inline.changes)


async def test_the_pair_switcher_filters_by_typing() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await pilot.pause()
        switcher = app.screen
        assert isinstance(switcher, PairSwitcherScreen)
        assert len(switcher.shown) == 10
        # the prompts name documents by their tags
        first = str(switcher.query_one(OptionList).get_option_at_index(0).prompt)
        assert "d1 000" in first and "d2 2023年曲靖市麒麟区" in first
        await pilot.press(*"麒麟")
        await pilot.pause()
        # 麒麟 is only in d2's label: the four pairs with d2
        assert switcher.shown == [("d1", "d2"), ("d2", "d3"), ("d2", "d4"), ("d2", "d5")]
        switcher.query_one(Input).value = "麒麟 鹿城"
        await pilot.pause()
        assert switcher.shown == [("d2", "d5")]
        await pilot.press("enter")
        await settle(app, pilot)
        assert (app.main.left, app.main.right) == ("d2", "d5")


async def test_the_matrix_sorts_themes_and_documents() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ThemeMatrixScreen)
        order = [theme for theme, _ in screen.matrix]
        table = screen.query_one(DataTable)
        table.move_cursor(row=0, column=2)  # d2's column
        await pilot.press("s")
        await pilot.pause()
        counts = [len(cells.get("d2", [])) for _theme, cells in screen.matrix]
        assert counts == sorted(counts, reverse=True) and screen.sorted_by == ("themes", "d2")
        await pilot.press("s")
        await pilot.pause()
        assert [theme for theme, _ in screen.matrix] == order
        table.move_cursor(row=0, column=1)
        await pilot.press("c")
        await pilot.pause()
        theme = screen.matrix[0][0]
        cells = dict(screen.matrix)[theme]
        per_doc = [len(cells.get(d, [])) for d in screen.doc_ids]
        assert per_doc == sorted(per_doc, reverse=True)
        assert next(str(c.label) for c in table.columns.values()) == "theme"


async def test_the_matrix_reaches_all_31_provinces(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("prov-2026-*.txt"))
    assert len(paths) == 31
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, timeout=180)
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ThemeMatrixScreen)
        table = screen.query_one(DataTable)
        assert len(table.columns) == 32
        for _ in range(31):
            await pilot.press("right")
        await pilot.pause()
        assert table.cursor_coordinate.column == 31
        heads = [str(c.label) for c in table.columns.values()]
        # prov-2026-zhejiang.txt is the last file: 浙江, in the last column, in view
        assert heads[31].startswith("d31 浙江")
        assert table.scroll_x > 0
