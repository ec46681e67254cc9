"""Soft wrap never ends a line inside a number, a percentage, a date or a Latin word (issue 15,
item 3), never starts one with closing punctuation (，。、；”) nor ends one with opening
punctuation (“（), and the terminal, the HTML page and the viewer still lay a diff out alike.

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


def test_a_number_keeps_its_wan_and_yi() -> None:
    # national-2024.txt:28 "国内生产总值超过126万亿元，增长5.2%": 国内生产总值超过 is 16 columns,
    # 126万 22; at 22 the line used to end between 万 and 亿 (the "1. / 3万亿元")
    assert lines("国内生产总值超过126万亿元，增长5.2%", 22) == [
        "国内生产总值超过", "126万亿元，增长5.2%"]
    # national-2025 "比上年增加3000亿元": at 14 columns "3000亿" (6) no longer fits after 比上年增加
    assert lines("比上年增加3000亿元", 14) == ["比上年增加", "3000亿元"]
    # 万 after a Latin word is no number's: the line may end before it
    assert lines("发展GDP万亿", 7) == ["发展GDP", "万亿"]


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


def test_no_line_starts_with_closing_punctuation() -> None:
    # national-2025.txt:47 "城镇调查失业率5.5%左右，城镇新增就业…": 城镇调查失业率 is 14
    # columns, 5.5% four, 左右 four: 22 columns; at 22 the comma would start the next line,
    # so 右 goes down with it
    assert lines("城镇调查失业率5.5%左右，城镇新增就业", 22) == [
        "城镇调查失业率5.5%左", "右，城镇新增就业"]
    # national-2025.txt:12 "…城镇调查失业率平均为5.1%，居民消费价格上涨0.2%。": 为 ends at 20
    # columns, 5.1% at 24; at 24 the comma would start a line: 5.1% goes down whole with it
    assert lines("城镇调查失业率平均为5.1%，居民消费", 24) == [
        "城镇调查失业率平均为", "5.1%，居民消费"]
    # national-2025.txt:59 "…“组合拳”。": two closing marks in a row go down together, with
    # the character before them (“ and ” are one column, ambiguous width: “组合拳 is 7 columns,
    # at 7 the line would end before ”。); the next line, 拳”。下, is 7 columns again
    assert lines("“组合拳”。下一句", 7) == ["“组合", "拳”。下", "一句"]
    # 、 and ；(national-2025.txt:47 "国内生产总值增长5%左右；"): 国内生产总值增长 is 16
    # columns, 5% two, 左右 four, ； two: it fits at 24, not at 23
    assert lines("国内生产总值增长5%左右；城镇", 24) == ["国内生产总值增长5%左右；", "城镇"]
    assert lines("国内生产总值增长5%左右；城镇", 23) == ["国内生产总值增长5%左", "右；城镇"]
    assert lines("投资于人、好房子", 8) == ["投资于", "人、好房", "子"]
    # half-width closing punctuation after a Latin word: the word goes down whole (发展GDP is
    # 7 columns, the comma one more)
    assert lines("发展GDP,再说", 8) == ["发展GDP,", "再说"]
    assert lines("发展GDP,再说", 7) == ["发展", "GDP,再", "说"]


def test_no_line_ends_with_opening_punctuation() -> None:
    # national-2025.txt:12 "…取得新成果；“嫦娥六号”实现…": 取得新成果； is 12 columns, “ one; at
    # 14 the line would end with “ (嫦 does not fit): it goes down with 嫦娥六号 (“嫦娥六号”实现
    # is 1 + 8 + 1 + 4 = 14 columns)
    assert lines("取得新成果；“嫦娥六号”实现", 14) == ["取得新成果；", "“嫦娥六号”实现"]
    # national-2025.txt:12 细颗粒物（PM2.5）: PM2.5 does not fit after 细颗粒物（ (10 columns)
    # at 12, and （ goes down with the word it opens; （PM2.5）平 is 2 + 5 + 2 + 2 = 11 columns
    assert lines("细颗粒物（PM2.5）平均浓度", 12) == ["细颗粒物", "（PM2.5）平", "均浓度"]


def test_a_line_of_punctuation_only_is_cut_where_it_is_full() -> None:
    assert lines("。。。。。", 6) == ["。。。", "。。"]
    # a closing mark after a run as long as the line: the run is cut where it is full
    assert lines("1234567890，", 10) == ["1234567890", "，"]


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
