"""Soft wrap never ends a line inside a number, a percentage, a date or a Latin word (issue 15,
item 3), and the terminal, the HTML page and the viewer still lay a diff out alike.

The sentences are the national reports' own: 2025's "超长期特别国债1.3万亿元、比上年增加3000亿元"
and "城镇调查失业率平均为5.1%", 2024's "粮食产量1.3万亿斤以上".
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path

import pytest
from test_layout import WIDTH, assert_consumers_agree, column_width

from policydiff.comparison import compare
from policydiff.diff import diff_texts
from policydiff.render import rows
from policydiff_tui.widgets.side_by_side import build_layout

NUMBERISH = set("0123456789.%０１２３４５６７８９％") | set(string.ascii_letters)


def lines(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in rows.cell_lines(text, (0, len(text)), width)]


def test_a_number_moves_to_the_next_line_whole() -> None:
    # 比上年增加 is five characters (10 columns); at 12 columns "30" would still fit
    assert lines("比上年增加3000亿元", 12) == ["比上年增加", "3000亿元"]
    # 超长期特别国债 is 14 columns; "1" would fit at 15
    assert lines("超长期特别国债1.3万亿元", 15) == ["超长期特别国债", "1.3万亿元"]


def test_a_percentage_stays_whole() -> None:
    # 调查失业率平均为 is 16 columns; "5." would fit at 18
    assert lines("调查失业率平均为5.1%", 18) == ["调查失业率平均为", "5.1%"]


def test_dates_and_latin_words_stay_whole() -> None:
    assert lines("会议于2025年3月5日召开", 16) == ["会议于", "2025年3月5日召开"]
    # a date longer than the line is cut between its parts, never inside a number
    assert lines("2025年3月5日召开", 10) == ["2025年3月", "5日召开"]
    assert lines("发展5G网络和GDP", 12) == ["发展5G网络和", "GDP"]
    assert lines("细颗粒物PM2.5浓度", 12) == ["细颗粒物", "PM2.5浓度"]
    # full-width digits (a Hong Kong report as written) too: ２０２５ is 8 columns
    assert lines("在２０２５", 8) == ["在", "２０２５"]


def test_a_run_longer_than_the_line_is_cut_where_it_is_full() -> None:
    assert lines("12345678901234", 10) == ["1234567890", "1234"]


def test_the_three_consumers_agree_on_numbers() -> None:
    a = "发行超长期特别国债1.3万亿元。城镇调查失业率平均为5.2%。"
    b = "拟发行超长期特别国债1.3万亿元、比上年增加3000亿元。城镇调查失业率平均为5.1%。"
    diff = diff_texts(a, b)
    assert_consumers_agree(diff)
    column = column_width(WIDTH)
    layout = build_layout(diff, column, column)
    _assert_no_line_ends_in_a_number(layout.right, diff.b)


def _assert_no_line_ends_in_a_number(pane_lines, text: str) -> None:
    spans = [ln.span for ln in pane_lines if ln.span is not None]
    for (s0, e0), (s1, e1) in itertools.pairwise(spans):
        if e0 == s1 and e0 > s0 and e1 > s1:  # one cell, wrapped
            assert not (text[e0 - 1] in NUMBERISH and text[s1] in NUMBERISH), (
                text[s0:e0], text[s1:e1])


@pytest.mark.corpus
def test_no_national_line_ends_inside_a_number(corpus_dir: Path) -> None:
    paths = [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"]
    column = column_width(WIDTH)
    for sd in compare(paths).section_diffs("d1", "d2"):
        layout = build_layout(sd.diff, column, column)
        _assert_no_line_ends_in_a_number(layout.left, sd.diff.a)
        _assert_no_line_ends_in_a_number(layout.right, sd.diff.b)
