"""The viewer shows each document in its own script, as written, and cites its file lines
(issue 15, items 2 and 10).

Seed 001 (d2 among the first two seeds) is written in Traditional characters with pinyin
after some of them; its line 7 reads
"一、攻堅(jiān)克難,2022年經(jīng)濟(jì)社會(huì)發(fā)展取得新成效".
The 2014 Hong Kong policy address (corpus) begins "主席、各位議員、各位市民：" on line 1 and never
writes 议员 (grep -c 议员: 0).
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import FIRST_TWO, SIZE, pane_text, settle

from policydiff.comparison import compare
from policydiff_tui.app import make_app
from policydiff_tui.script import citation, shown_text, source_lines


def test_shown_text_keeps_the_offsets_and_writes_the_source_characters() -> None:
    comparison = compare(FIRST_TWO)
    doc = comparison.document("d2")
    shown = shown_text(doc)
    assert len(shown) == len(doc.text)
    at = doc.text.index("一、攻坚克难")
    # the pinyin is gone (the normalizer strips it), the characters are as written, and the
    # ASCII comma of the file is shown, not the full-width one the comparison uses
    assert shown[at : at + 11] == "一、攻堅克難,2022"
    assert doc.text[at : at + 11] == "一、攻坚克难，2022"
    assert source_lines(doc, (at, at + 6)) == (7, 7)
    assert citation(doc, (at, at + 6)) == "001_377fd206c21df32a.txt:7"
    # a Simplified report keeps its characters; its half-width brackets and masks are shown
    # as the file writes them: "跃居全省县(市、区)第*名" (normalized: （市、区）第＊名)
    simplified = comparison.document("d1")
    shown = shown_text(simplified)
    assert "跃居全省县(市、区)第*名" in shown
    assert "跃居全省县（市、区）第＊名" in simplified.text
    han = [(a, b) for a, b in zip(shown, simplified.text, strict=True) if "一" <= b <= "鿿"]
    assert all(a == b for a, b in han)


def test_hong_kong_text_is_shown_as_written(hk_pair: list[Path]) -> None:
    doc = compare(hk_pair).document("d1")
    shown = shown_text(doc)
    assert doc.text.startswith("主席、各位议员、各位市民")
    assert shown.startswith("主席、各位議員、各位市民")
    assert "议员" not in shown
    assert source_lines(doc, (0, 5)) == (1, 1)


async def test_o_toggles_the_normalized_form_and_keeps_the_place() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        index = next(k for k, r in enumerate(main.rows)
                     if r.right is not None and r.right.heading.startswith("攻坚克难"))
        main.section_list.select_index(index)
        await settle(app, pilot)
        assert main.original is True
        assert "攻堅克難" in pane_text(app, "right")
        # the pane's subtitle says where the text is in its file
        _left, right = main.side_by_side.panes
        assert "001_377fd206c21df32a.txt:7" in str(right.border_subtitle)
        # the section list names it as written
        assert "攻堅克難" in str(main.section_list.get_option_at_index(index).prompt)
        await pilot.press("o")
        await settle(app, pilot)
        assert main.original is False
        text = pane_text(app, "right")
        assert "攻坚克难" in text and "攻堅克難" not in text
        assert main.current is main.rows[index]
        # search marks work in the normalized form too
        main.search_forms = ("攻堅克難",)
        main._redraw_overlays()
        _l, marks = main.side_by_side.overlays
        (mark,) = [(s, e) for s, e, role in marks if role == "search"]
        assert main.side_by_side.texts[1][mark[0] : mark[1]] == "攻坚克难"
        await pilot.press("o")
        await settle(app, pilot)
        assert main.original is True and "攻堅克難" in pane_text(app, "right")


async def test_hong_kong_pair_in_the_viewer(hk_pair: list[Path]) -> None:
    app = make_app(hk_pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, timeout=60)
        main = app.main
        main.section_list.select_index(0)
        await settle(app, pilot, timeout=60)
        shown = pane_text(app, "left")
        assert "議員" in shown and "议员" not in shown
