"""Which document titles the viewer shows beside the labels (issue 15, item 6): one rule,
``labels.informative_title``, for the pair switcher, the theme matrix and the header. A title is
shown only when it says more than the label: not when the document has no title line, when the
title holds the label, or when several documents share it (the national reports' 政府工作报告).

First lines of the corpus files (head -1): national-2023.txt and national-2024.txt
"政府工作报告", national-2025.txt "各位代表：" (no title line), prov-2026-anhui.txt's title
"2026年安徽省政府工作报告" (label 安徽).
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SIZE, settle

from policydiff.comparison import compare
from policydiff.labels import informative_title
from policydiff_tui.app import make_app
from policydiff_tui.screens.pair_switcher import PairSwitcherScreen


def test_a_title_is_shown_only_when_it_says_more_than_the_label(corpus_dir: Path) -> None:
    names = ["national-2024.txt", "national-2025.txt", "prov-2026-anhui.txt"]
    docs = compare([corpus_dir / n for n in names]).documents
    n2024, n2025, anhui = docs
    assert anhui.label == "安徽" and anhui.title == "2026年安徽省政府工作报告"
    # 2024's title is its own among these three: it says what 全国 (national-2024) does not
    assert informative_title(n2024, docs) == "政府工作报告"
    assert informative_title(n2025, docs) == ""  # no title line: its title is the file name
    assert informative_title(anhui, docs) == ""  # the title holds the label
    # shared with 2023, 政府工作报告 tells neither apart
    both = compare([corpus_dir / "national-2023.txt", corpus_dir / "national-2024.txt"]).documents
    assert [informative_title(d, both) for d in both] == ["", ""]
    assert informative_title(both[0]) == "政府工作报告"  # alone, it is informative


async def test_the_pair_switcher_leaves_shared_titles_out(corpus_dir: Path) -> None:
    paths = [corpus_dir / n for n in ("national-2023.txt", "national-2024.txt",
                                      "prov-2026-anhui.txt")]
    app = make_app(paths)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, timeout=60)
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PairSwitcherScreen)
        session = app.main.session
        assert session is not None
        d1, d2, d3 = session.comparison.documents
        assert screen._title(d1, d2) == []  # 政府工作报告 twice: the labels 2023, 2024 say it
        assert screen._title(d1, d3) == []  # and 2026年安徽省政府工作报告 holds 安徽
        # the header says the file, not a title the two documents share
        header = app.main.header
        assert "政府工作报告" not in str(header._doc(d1, 100))
        assert "national-2023.txt" in str(header._doc(d1, 100))
