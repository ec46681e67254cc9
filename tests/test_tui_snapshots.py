"""SVG snapshots of the viewer's screens on the seeds, at a fixed terminal size (120x36).

The snapshots were generated with ``--snapshot-update`` after looking at them; regenerate them
the same way when the core's output (normalization, segmentation, alignment, phrases)
changes on purpose, and look at the new ones before committing.
"""

from __future__ import annotations

import time

from policydiff_tui.app import make_app

SIZE = (120, 36)


async def _settle(pilot) -> None:
    app = pilot.app
    deadline = time.monotonic() + 30
    await pilot.pause()
    while time.monotonic() < deadline and not (app.main.ready or app.error):
        await pilot.pause(0.02)
    await pilot.pause()


async def _at_row(pilot) -> None:
    await _settle(pilot)
    rows = pilot.app.main.rows
    index = next(
        k for k, r in enumerate(rows) if r.left is not None and r.left.heading == "推进城市更新"
    )
    pilot.app.main.section_list.select_index(index)
    await _settle(pilot)


def test_main_screen(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_at_row)


def test_phrase_panel(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _at_row(pilot)
        await pilot.press("f", "down")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_theme_matrix(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("m")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare) -> None:
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
