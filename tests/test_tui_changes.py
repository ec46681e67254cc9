"""The analyst's keys (issue 15, item 10): the change report panel (x), row filters (v) and
sorting by amount of change (z), ignore toggles (i), and alignment corrections (= pair,
- unpair, + split) kept in the overrides file.

National 2025 (corpus) line 47: "今年发展的主要预期目标是：国内生产总值增长5%左右；…", the
same target as 2024's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Checkbox, OptionList
from tui_helpers import FIRST_TWO, SIZE, open_change_report, select_urban_renewal, settle

from policydiff_tui.app import make_app
from policydiff_tui.pairs import change_amount
from policydiff_tui.screens.ignore import IgnoreScreen
from policydiff_tui.session import Place


async def test_the_change_report_jumps_to_a_target(corpus_dir: Path) -> None:
    paths = [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"]
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, timeout=60)
        screen = await open_change_report(pilot)
        report = screen.report
        assert report is not None
        # each formulation carries its span (changes.model.Entry.span), where the panel jumps:
        # the text there is the formulation, in the new (d2) or the old (d1) report
        session = app.main.session
        assert session is not None
        old_text, new_text = session.document("d1").text, session.document("d2").text
        assert report.new_formulations and report.dropped_formulations
        for entry in report.new_formulations:
            assert new_text[entry.span[0]:entry.span[1]] == entry.text
        for entry in report.dropped_formulations:
            assert old_text[entry.span[0]:entry.span[1]] == entry.text
        first_new = len(report.indicators) + 2  # the targets' heading and lines, then this one
        assert screen.places[first_new] == Place("right", report.new_formulations[0].span[0])
        options = screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(k).prompt)
                   for k in range(options.option_count)]
        assert prompts[0].startswith("Targets (")
        target = "国内生产总值增长: 5%左右 → 5%左右"
        gdp = next(k for k, p in enumerate(prompts) if p.startswith(target))
        assert "national-2025.txt:47" in prompts[gdp]
        assert any(p.startswith("New formulations (") for p in prompts)
        assert any(p.startswith("Dropped formulations (") for p in prompts)
        # 2024's plan "全面实施跨境服务贸易负面清单" (its opening-up part) is in 2025's review
        # of 2024 (grep): the one move across sections, listed last
        (move,) = screen.moves
        assert move.text == "全面实施跨境服务贸易负面清单。"
        assert prompts[-2].startswith("Moves across sections (1)")
        assert prompts[-1].startswith("全面实施跨境服务贸易负面清单。")
        place = screen.places[gdp]
        assert place is not None and place.side == "right"
        options.highlighted = gdp
        await pilot.press("enter")
        await settle(app, pilot, timeout=60)
        main = app.main
        row = main.current
        assert row is not None and row.right is not None
        assert row.right.own_span[0] <= place.offset < row.right.own_span[1]
        assert main.session is not None
        doc = main.session.document("d2")
        assert doc.text[place.offset : place.offset + 4] == "5%左右"


async def test_row_filters_and_sorting() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        total = len(main.all_rows)
        await pilot.press("v")
        await settle(app, pilot)
        assert main.row_filter == "changed"
        assert all(r.kind != "match" or (r.score or 0) < 1.0 for r in main.rows)
        await pilot.press("v")
        await settle(app, pilot)
        assert main.row_filter == "unmatched"
        kinds = {r.kind for r in main.rows}
        assert kinds <= {"only-left", "only-right"} and main.rows
        assert "unmatched" in str(main.section_list.border_title)
        await pilot.press("v")
        await settle(app, pilot)
        assert main.row_filter == "all" and len(main.rows) == total
        await pilot.press("z")
        await settle(app, pilot)
        amounts = [change_amount(r) for r in main.rows]
        assert main.sort_by_change and amounts == sorted(amounts, reverse=True)
        assert main.current is main.rows[0] or main.current in main.rows
        await pilot.press("z")
        await settle(app, pilot)
        assert not main.sort_by_change and main.rows == main.all_rows


async def test_ignore_toggles_rediff_the_row() -> None:
    app = make_app(FIRST_TWO)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        row = main.current
        assert row is not None and main.session is not None
        assert not main.session.diff_options.ignore_punctuation
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IgnoreScreen)
        screen.query_one("#ignore_punctuation", Checkbox).value = True
        await pilot.press("enter")
        await settle(app, pilot)
        options = main.session.diff_options
        assert options.ignore_punctuation and not options.ignore_width
        current = main.current
        assert current is not None and current.key == row.key
        # the diff on screen is the one made with the new options
        diff = main.session.comparison.cached_span_diff(
            "d1", "d2", current.left_span, current.right_span, options)
        assert diff is not None and main.side_by_side.diff is diff


async def test_unpair_then_pair_again_through_the_overrides_file(
    tmp_path: Path, seed_files
) -> None:
    inputs = [tmp_path / "a.txt", tmp_path / "b.txt"]
    shutil.copy(seed_files["000"], inputs[0])
    shutil.copy(seed_files["001"], inputs[1])
    app = make_app(inputs)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        main = app.main
        # the row of d1's 一是推进城市更新 (with seeds 000/001 alone matched to d2's
        # 城市建管扩容提质: test_tui_correct)
        await select_urban_renewal(app, pilot)
        row = main.current
        assert row is not None and row.left is not None and row.right is not None
        left_id, right_id = row.left.id, row.right.id
        await pilot.press("minus")
        await settle(app, pilot)
        saved = tmp_path / "policydiff-overrides.toml"
        text = saved.read_text("utf-8")
        assert "[[unpair]]" in text and "推进城市更新" in text
        keys = {r.key for r in main.all_rows}
        assert f"{left_id}|{right_id}" not in keys
        # pair them again: = on the left section's row, = on the right section's row
        left_row = next(k for k, r in enumerate(main.rows)
                        if r.left is not None and r.left.id == left_id)
        main.section_list.select_index(left_row)
        await settle(app, pilot)
        await pilot.press("equals_sign")
        await pilot.pause()
        assert main.marked == ("left", left_id)
        right_row = next(k for k, r in enumerate(main.rows)
                         if r.right is not None and r.right.id == right_id)
        main.section_list.select_index(right_row)
        await settle(app, pilot)
        await pilot.press("equals_sign")
        await settle(app, pilot)
        assert main.marked is None
        assert "[[pair]]" in saved.read_text("utf-8")
        assert f"{left_id}|{right_id}" in {r.key for r in main.all_rows}
        alignment = main.session.comparison.alignment("d1", "d2")
        (match,) = [m for m in alignment.matches if (m.a, m.b) == (left_id, right_id)]
        assert match.source == "manual"


async def test_the_change_report_quotes_a_hong_kong_pair_as_written(hk_pair: list[Path]) -> None:
    # neither Hong Kong address writes 发, 这 or 会 (grep -c: 0): every formulation the panel
    # quotes from them must not either, though the core's report is in Simplified
    app = make_app(hk_pair)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, timeout=60)
        screen = await open_change_report(pilot, timeout=180)
        options = screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(k).prompt)
                   for k in range(options.option_count)]
        start = next(k for k, p in enumerate(prompts) if p.startswith("New formulations ("))
        end = next(k for k, p in enumerate(prompts) if p.startswith("Renamed ("))
        quoted = [p for k, p in enumerate(prompts[start + 1 : end], start + 1)
                  if screen.places[k] is not None]
        assert quoted
        assert not any(c in p for p in quoted for c in "发这会")
        assert any(c in p for p in quoted for c in "發這會")
