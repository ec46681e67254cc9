"""The viewer's search (issue 15, item 8), its start-up header and palette names (item 9), and
the refusal of a pipe on standard output.

Counts are read from the seeds with grep: seed 000 (d1) holds 141 "，" (grep -o '，' | wc -l)
and seed 001 (d2) 703 "," (ASCII commas, which the normalizer folds to "，"); its first part
reads "一、攻堅克難,2022年經濟社會發展取得新成效" (Traditional characters).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import Checkbox, Input, Label
from tui_helpers import FIRST_TWO, SIZE, settle

from policydiff_tui.app import make_app
from policydiff_tui.screens.search import SearchScreen
from policydiff_tui.search import fair_shares, find_hits, find_in

ROOT = Path(__file__).resolve().parent.parent


def test_fair_shares_give_what_one_document_leaves_to_the_others() -> None:
    assert fair_shares([1000, 1000], 300) == [150, 150]
    assert fair_shares([1000, 0], 300) == [300, 0]
    assert fair_shares([0, 1000], 300) == [0, 300]
    assert fair_shares([141, 703], 300) == [141, 159]
    assert fair_shares([5, 7], 300) == [5, 7]
    assert fair_shares([100, 100, 100, 100], 300) == [75, 75, 75, 75]


def test_find_in_looks_in_both_forms_and_both_queries() -> None:
    # the text as written (議員) and normalized (议员) have the same offsets
    written, normal = "各位議員，議員們", "各位议员，议员们"
    assert find_in([written, normal], ["议员"]) == [(2, 4), (5, 7)]
    assert find_in([written, normal], ["議員"]) == [(2, 4), (5, 7)]
    assert find_in([written], ["ab"]) == []
    assert find_in(["ABab"], ["ab"]) == [(0, 2), (2, 4)]


def test_find_hits_caps_fairly_and_says_so() -> None:
    commas = ("，" * 1000,) * 2  # a text and its folded form
    hits = find_hits({"d1": [commas], "d2": [commas]}, ["，"])
    assert hits.capped and hits.total == 2000
    assert [d for d, *_ in hits.hits].count("d1") == 150
    assert [d for d, *_ in hits.hits].count("d2") == 150


async def test_search_counts_shares_and_steps_through_hits() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "，"
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        docs = [doc for doc, _ in search.hits]
        # 141 in d1 (all of them) and the rest of the 300 from d2's 703
        assert docs.count("d1") == 141 and docs.count("d2") == 159
        assert search.result.total == 844 and search.result.capped
        assert search.summary() == "300 of 844 hits (d1 141, d2 703); only 300 listed"
        # and it is on the dialog, above the hits
        assert str(search.query_one("#search-count", Label).content) == search.summary()
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.main
        assert main.hit_index == 0 and main.search_query == "，"
        assert main.header.search_label == "“，” 1/300+"
        # the cap is said out loud
        assert any("844 hits" in n.message for n in app._notifications)
        # next / previous hit keys
        await pilot.press("period")
        await settle(app, pilot)
        assert main.hit_index == 1 and main.header.search_label == "“，” 2/300+"
        await pilot.press("comma", "comma")
        await settle(app, pilot)
        assert main.hit_index == 299  # wraps round to the last hit, in d2
        assert main.search_hits.hits[299][0] == "d2"


def test_find_hits_searches_the_folded_form_it_is_given() -> None:
    text = "Made in China 2025：GDP增长5%" + "发展" * 1000
    # "Made in China 2025：" is 19 characters: GDP is at 19-22
    assert find_hits({"d1": ((text, text.casefold()),)}, ["gdp"]).hits == (("d1", 19, 22),)
    # it does not fold the text itself (on every key typed): given the text unfolded as its
    # folded form, the lower-case query finds nothing
    assert find_hits({"d1": ((text, text),)}, ["gdp"]).total == 0
    # the slices a pane marks are folded each time
    assert find_in([text[:40]], ["gdp"]) == [(19, 22)]


async def test_the_session_folds_each_document_once() -> None:
    """The folded texts live in the session (beside the shown texts), made once per document:
    every key typed in the search dialog gets the same strings back."""
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        session = app.main.session
        assert session is not None
        (written, written_folded), (normal, normal_folded) = session.search_texts("d2")
        assert written == session.text("d2", original=True) and normal == session.text("d2")
        assert written_folded == written.casefold() and normal_folded == normal.casefold()
        again = session.search_texts("d2")
        assert again[0][1] is written_folded and again[1][1] is normal_folded
        # seed 001 writes 攻堅克難 four times, with pinyin the normalizer strips (grep -o
        # '攻堅(jiān)克難' | wc -l: 4); the text as written holds it without the pinyin
        assert find_hits({"d2": again}, ["攻堅克難"]).total == 4


async def test_the_session_gives_both_forms_of_a_query() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        session = app.main.session
        assert session is not None
        # d2 (seed 001) is Traditional: "一、攻堅克難,2022年經濟社會發展取得新成效"; a query
        # typed as written is also looked for as the comparison normalized it
        assert session.search_forms("攻堅克難", "d2") == ("攻堅克難", "攻坚克难")
        assert session.search_forms("攻坚克难", "d2") == ("攻坚克难",)
        assert session.search_forms("經濟社會發展", "d2") == ("經濟社會發展", "经济社会发展")
        assert session.search_forms("", "d2") == ()


async def test_search_finds_the_traditional_text_with_a_simplified_query() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"攻坚克难")  # typed in Simplified; d2 writes 攻堅克難
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert "d2" in [doc for doc, _ in search.hits]
        await pilot.press("enter")
        await settle(app, pilot)
        main = app.main
        doc_id, start, end = main.search_hits.hits[0]
        assert main.session is not None
        assert main.session.text(doc_id, original=True)[start:end] in ("攻堅克難", "攻坚克难")
        # the marks do not hide the diff colours: search is its own layer, drawn on top,
        # and the diff roles are still there under it
        left, right = main.side_by_side.overlays
        assert any(role == "search" for *_span, role in left + right)


async def test_search_across_every_loaded_document_switches_the_pair() -> None:
    # 乡村振兴 is in seed 000 (d1) four times and in seeds 002-004 too (grep -o); searching
    # every document lists hits of documents that are not on show, and choosing one compares
    # it with the left one
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"乡村振兴")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        assert {doc for doc, _ in search.hits} <= {"d1", "d2"}
        assert [doc for doc, _ in search.hits].count("d1") == 4
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert search.query_one(Checkbox).value is True
        others = [k for k, (doc, _) in enumerate(search.hits) if doc not in ("d1", "d2")]
        assert others, "no hit outside the pair"
        search._choose(others[0])
        await settle(app, pilot)
        main = app.main
        doc = main.search_hits.hits[others[0]][0]
        assert (main.left, main.right) == ("d1", doc)
        assert main.current is not None and main.current.right is not None
        start, end = main.current.right.own_span
        assert start <= main.search_hits.hits[others[0]][1] < end


async def test_header_does_not_show_zero_counts_before_the_alignment() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        seen = []
        while not app.main.ready:
            seen.append(app.main.header.render().plain)
            await pilot.pause(0.01)
        assert not any("0 matched" in line for line in seen)
        await settle(app, pilot)
        assert "matched" in app.main.header.render().plain


async def test_palette_names_policy_themes_apart_from_colour_themes() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.main)]
        assert "Policy theme" in titles
        assert titles.count("Theme") == 1  # Textual's colour themes only


async def test_page_down_scrolls_both_panes_from_the_list_too() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(app, pilot)
        main = app.main
        long_row = max(range(len(main.rows)), key=lambda k: main.rows[k].left_span[1]
                       - main.rows[k].left_span[0])
        main.section_list.select_index(long_row)
        await settle(app, pilot)
        main.section_list.focus()
        await pilot.press("pagedown")
        await pilot.pause()
        left, right = main.side_by_side.panes
        assert left.scroll_y > 0 and right.scroll_y == left.scroll_y
        assert main.section_list.highlighted == long_row  # the list did not move
        await pilot.press("pageup")
        await pilot.pause()
        assert left.scroll_y == 0


async def test_escape_with_text_keeps_the_query_without_moving() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = app.main.current
        await pilot.press("slash")
        await pilot.pause()
        app.screen.query_one(Input).value = "城中村"
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.search_query == "城中村" and app.main.current is before
        assert app.main.hit_index is None


def test_a_pipe_on_standard_output_is_refused_in_one_line() -> None:
    seeds = [str(p) for p in FIRST_TWO]
    done = subprocess.run(
        [sys.executable, "-m", "policydiff", "view", *seeds],
        capture_output=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and lines[0].startswith("policydiff:")


async def test_toggling_the_phrase_panel_keeps_the_text_at_the_top() -> None:
    # item 7: the panes re-wrap at once to their new width, and the line at the top is the
    # one holding the text that was there (not the start of its paragraph)
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        long_row = max(range(len(main.rows)), key=lambda k: main.rows[k].left_span[1]
                       - main.rows[k].left_span[0])
        main.section_list.select_index(long_row)
        await settle(app, pilot)
        sbs = main.side_by_side
        left, _right = sbs.panes
        left.scroll_to(y=7, animate=False, immediate=True)
        await pilot.pause()
        before = sbs.top_offset()
        assert before is not None
        width = left.text_width
        for _ in range(2):
            await pilot.press("f")
            await pilot.pause()
            assert left.text_width != width or not main.phrase_panel.display
            layout = sbs.current_layout
            assert layout is not None
            assert int(left.scroll_y) == layout.line_of(*before)
            # every line fits the pane: nothing is clipped
            assert all(
                line.span is None or sum(2 if ord(c) > 0x2E80 else 1
                                         for c in sbs.texts[0][line.span[0]:line.span[1]])
                <= left.text_width
                for line in layout.left
            )
