"""What the viewer tests (tests/test_tui*.py) share: the terminal sizes, the two seeds most
tests open, waiting until the screen settles, a pane's text, selecting the row several tests
look at, and opening the change report.

Seeds 000 and 001 are d1 and d2 of ``FIRST_TWO``: seed 000 has seven parts 第一，…第七，, its
first part's item 一是推进城市更新 is the only place it mentions 城中村; seed 001 is the 麒麟区
report, written in Traditional characters.
"""

from __future__ import annotations

import time
from pathlib import Path

from policydiff_tui.screens.changes import ChangeReportScreen

ROOT = Path(__file__).resolve().parent.parent
SIZE = (120, 36)
"""The terminal most tests run in: wide enough for the section list beside the panes."""
SMALL = (80, 24)
"""A small terminal: the section list hides by itself below 100 columns."""
FIRST_TWO = [
    ROOT / "seeds" / "000_fa4a5ba1074ac6cc.txt",
    ROOT / "seeds" / "001_377fd206c21df32a.txt",
]
"""Seeds 000 and 001: what most tests need (d1 and d2), at a third of the loading time."""


async def settle(app, pilot, timeout: float = 30.0) -> None:
    """Wait until the current pair's diff is on screen and every worker (prefetching
    included) has finished, so that Pilot's own wait for an idle process is short."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while time.monotonic() < deadline:
        main = app.main
        if app.error or (main.ready and all(w.is_finished for w in app.workers)):
            await pilot.pause()
            return
        await pilot.pause(0.02)
    raise AssertionError("the viewer did not settle in time")


def pane_text(app, side: str) -> str:
    """What a pane shows, as rendered lines (gutter included), visible part only."""
    pane = app.main.query_one(f"#{side}-pane")
    height = pane.scrollable_content_region.height
    return "\n".join(pane.render_line(y).text for y in range(height))


async def select_urban_renewal(app, pilot) -> None:
    """Select the row of d1's 一是推进城市更新 (seed 000, line 2) and wait until it is shown."""
    main = app.main
    index = next(k for k, r in enumerate(main.rows)
                 if r.left is not None and r.left.heading == "推进城市更新")
    main.section_list.select_index(index)
    await settle(app, pilot)


async def open_change_report(pilot, timeout: float = 120.0) -> ChangeReportScreen:
    """Press ``x`` and wait until the change report panel has its report (made in a worker)."""
    await pilot.press("x")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ChangeReportScreen)
    deadline = time.monotonic() + timeout
    while screen.report is None and time.monotonic() < deadline:
        await pilot.pause(0.1)
    if screen.report is None:
        raise AssertionError("the change report did not come in time")
    await pilot.pause()
    return screen
