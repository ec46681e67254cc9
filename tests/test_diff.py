"""Word-level diffs: hand-written expectations, real report paragraphs, and the invariants.

Expected values below were worked out by reading the texts (and, for difflib's tie-breaking,
by following its longest-match-first rule by hand), not copied from the tool's output.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.diff import (
    EQUAL,
    DiffOptions,
    Opcode,
    TextDiff,
    apply_opcodes,
    comparison_tokens,
    diff_texts,
    find_moves,
    fold_width,
)
from policydiff.render.html import render_html
from policydiff.render.rows import COARSE_NOTE, text_width
from policydiff.render.terminal import render_inline, render_side_by_side

ROOT = Path(__file__).resolve().parent.parent


def changes(diff: TextDiff) -> list[tuple[str, str, str]]:
    """(tag, a text, b text) of every run that is not equal."""
    return [
        (op.tag, diff.a[op.a_start:op.a_end], diff.b[op.b_start:op.b_end])
        for op in diff.opcodes
        if op.tag != EQUAL
    ]


def assert_well_formed(diff: TextDiff) -> None:
    """Opcodes tile both texts, are never empty, and two equal runs never touch."""
    a_pos = b_pos = 0
    a_tok = b_tok = 0
    previous = ""
    for op in diff.opcodes:
        assert (op.a_start, op.b_start) == (a_pos, b_pos)
        assert (op.a_tok_start, op.b_tok_start) == (a_tok, b_tok)
        assert op.a_end > op.a_start or op.b_end > op.b_start
        assert not (op.tag == EQUAL and previous == EQUAL)
        if op.tag == "delete":
            assert op.b_end == op.b_start
        if op.tag == "insert":
            assert op.a_end == op.a_start
        if op.tag == "replace":
            assert op.a_end > op.a_start and op.b_end > op.b_start
            inner = diff.refinement(op)
            assert (inner[0].a_start, inner[0].b_start) == (op.a_start, op.b_start)
            assert (inner[-1].a_end, inner[-1].b_end) == (op.a_end, op.b_end)
            for left, right in itertools.pairwise(inner):
                assert (left.a_end, left.b_end) == (right.a_start, right.b_start)
        a_pos, b_pos, a_tok, b_tok = op.a_end, op.b_end, op.a_tok_end, op.b_tok_end
        previous = op.tag
    assert (a_pos, b_pos) == (len(diff.a), len(diff.b))
    assert (a_tok, b_tok) == (len(diff.a_tokens), len(diff.b_tokens))
    assert 0.0 <= diff.similarity <= 1.0


# --- hand-written examples -----------------------------------------------------------------


def test_word_change_is_one_replace_not_scattered_characters() -> None:
    diff = diff_texts("推进城市建设", "推进城镇化建设")
    assert [op.as_tuple() for op in diff.opcodes] == [
        ("equal", 0, 2, 0, 2),
        ("replace", 2, 4, 2, 5),
        ("equal", 4, 6, 5, 7),
    ]
    # 城市 / 城镇化 share one character of five: too little to refine.
    assert [op.as_tuple() for op in diff.refined] == [("replace", 2, 4, 2, 5)]


def test_growth_target_change_is_one_figure() -> None:
    # A changed figure is one replacement, the percent sign with it (issue 13: "a changed
    # figure is one replacement"; this test expected the digit alone before); 左右 stays.
    diff = diff_texts("国内生产总值增长5%左右", "国内生产总值增长6%左右")
    assert changes(diff) == [("replace", "5%", "6%")]
    assert diff.opcodes[1].as_tuple() == ("replace", 8, 10, 8, 10)
    assert diff.similarity == pytest.approx(20 / 24)


def test_replaced_word_is_refined_to_the_changed_character() -> None:
    diff = diff_texts("加快推进新型城镇化", "加快推进新型城市化")
    assert changes(diff) == [("replace", "新型城镇化", "新型城市化")]
    assert [op.as_tuple() for op in diff.refined] == [
        ("equal", 4, 7, 4, 7),
        ("replace", 7, 8, 7, 8),
        ("equal", 8, 9, 8, 9),
    ]


def test_swapped_sentences_are_reported_as_moved() -> None:
    first, second = "我们要大力发展数字经济。", "同时推进乡村全面振兴工作。"
    diff = diff_texts(first + second, second + first)
    # difflib keeps the longer sentence (13 characters) in place; the shorter one moved.
    assert len(diff.moves) == 1
    move = diff.moves[0]
    assert (move.a_pair, move.a_span, move.b_pair, move.b_span) == (0, (0, 12), 0, (13, 25))
    assert move.text == first
    assert move.similarity == 1.0


def test_moves_across_section_pairs() -> None:
    sentence = "全面落实中央八项规定精神，坚决纠治形式主义。"
    one = diff_texts("加强政府自身建设。" + sentence, "加强政府自身建设。")
    two = diff_texts("深化改革开放。", "深化改革开放。" + sentence.replace("坚决", "持续"))
    moves = find_moves([one, two])
    assert len(moves) == 1
    move = moves[0]
    assert (move.a_pair, move.a_span) == (0, (9, 9 + len(sentence)))
    assert (move.b_pair, move.b_span) == (1, (7, 7 + len(sentence)))
    assert 0.9 <= move.similarity < 1.0
    # Neither diff alone has a move.
    assert one.moves == () and two.moves == ()


def test_in_place_rewrite_is_not_a_move() -> None:
    diff = diff_texts("坚持以经济建设为中心不动摇。", "坚持以经济建设为中心不放松。")
    assert diff.moves == ()


def test_a_replaced_run_sharing_no_character_stays_one_replacement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 加强生态保护 and 扩大国内需求 have no character in common: no refinement can be alike,
    # so the character matcher is not even run (refine_units is its first step)
    from policydiff import diff

    def never(text: str) -> list[tuple[int, int]]:
        raise AssertionError(f"refined {text}")

    monkeypatch.setattr(diff, "refine_units", never)
    assert [op.as_tuple() for op in diff_texts("加强生态保护", "扩大国内需求").opcodes] == [
        ("replace", 0, 6, 0, 6)]
    # 推进城市更新 / 推动城市更新: 5 of 6 characters shared, so it is refined
    with pytest.raises(AssertionError, match="refined"):
        diff_texts("要推进城市更新。", "要推动城市更新。")


@pytest.mark.parametrize("windows_from", [4096, 0])  # one cdist; length windows
def test_move_candidates_are_scored_only_within_reach_of_the_cutoff(
    windows_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policydiff import diff
    from policydiff.diff import _similar_pairs

    monkeypatch.setattr(diff, "MOVE_WINDOWS_FROM", windows_from)
    # 11 characters against the same 11 and a full stop: ratio 200 x 11 / 23 = 95.65 (a move);
    # against 19 characters holding them: at most 200 x 11 / 30 = 73 (never scored, none)
    piece = "加快建设现代化产业体系"
    pairs = _similar_pairs([piece], [f"{piece}。", f"{piece}和推进高质量发展"])
    assert [(round(score, 2), x, y) for score, x, y in pairs] == [(95.65, 0, 0)]
    assert _similar_pairs([piece], []) == [] and _similar_pairs([], [piece]) == []


def test_ignore_punctuation_compares_without_hiding_the_text() -> None:
    a, b = "坚持稳中求进，以进促稳", "坚持稳中求进,以进促稳"
    assert changes(diff_texts(a, b)) == [("replace", "，", ",")]
    diff = diff_texts(a, b, options=DiffOptions(ignore_punctuation=True))
    assert [op.as_tuple() for op in diff.opcodes] == [("equal", 0, 11, 0, 11)]
    assert diff.a == a and diff.b == b
    assert not diff.changed


def test_ignore_punctuation_keeps_percent_and_decimal_point() -> None:
    options = DiffOptions(ignore_punctuation=True)
    # % is no punctuation: the figure 5% became 5 (one figure, one replacement: issue 13;
    # this expected a deleted "%" before figures were single tokens).
    assert changes(diff_texts("增长5%", "增长5", options=options)) == [("replace", "5%", "5")]
    assert diff_texts("涨幅5.5%", "涨幅55%", options=options).changed


def test_ignored_punctuation_joins_the_equal_run_next_to_a_change() -> None:
    options = DiffOptions(ignore_punctuation=True)
    diff = diff_texts("发展经济，改善民生", "发展经济保障民生", options=options)
    assert [op.as_tuple() for op in diff.opcodes] == [
        ("equal", 0, 5, 0, 4),
        ("replace", 5, 7, 4, 6),
        ("equal", 7, 9, 6, 8),
    ]


def test_ignore_width_folds_quotes_and_full_width_forms() -> None:
    options = DiffOptions(ignore_width=True)
    assert not diff_texts("“两新”政策", '"两新"政策', options=options).changed
    assert not diff_texts("「放管服」改革", "“放管服”改革", options=options).changed
    assert not diff_texts("２０２５年ＧＤＰ", "2025年GDP", options=options).changed
    assert diff_texts("“两新”政策", '"两新"政策').changed
    assert fold_width("，（５）") == ",(5)"


def test_ignore_masks_treats_every_mask_run_as_equal() -> None:
    options = DiffOptions(ignore_masks=True)
    assert not diff_texts("xx省＊＊市", "××省*市", options=options).changed
    assert diff_texts("xx省＊＊市", "××省*市").changed
    # A mask is not equal to a real value.
    assert diff_texts("增长＊＊%", "增长5%", options=options).changed


def test_ignore_whitespace() -> None:
    options = DiffOptions(ignore_whitespace=True)
    assert not diff_texts("推动 高质量发展\n", "推动高质量\u3000发展", options=options).changed
    assert diff_texts("推动 高质量发展", "推动高质量发展").changed


def test_repetitive_input_finishes_fast_and_is_coarse() -> None:
    a, b = "第一条。" * 1000, "第二条。" * 1000
    started = time.perf_counter()
    diff = diff_texts(a, b)
    elapsed = time.perf_counter() - started
    assert diff.coarse
    assert elapsed < 5.0  # difflib alone takes about 16 s on these tokens
    assert diff.apply() == b
    assert_well_formed(diff)


def test_size_budget_switches_to_the_fallback() -> None:
    a = "推动高质量发展，建设现代化产业体系。" * 20
    b = a.replace("建设", "加快建设")
    exact = diff_texts(a, b)
    coarse = diff_texts(a, b, options=DiffOptions(max_tokens=10))
    assert not exact.coarse and coarse.coarse
    assert coarse.apply() == b == exact.apply()
    assert_well_formed(coarse)


def test_work_budget_is_what_decides_not_the_clock() -> None:
    a, b = "第一条。" * 100, "第二条。" * 100
    # 200 tokens a side, every other one a matching 。: about 7e5 units of work, within the
    # default budget of 1e7, far above a budget of 1e3.
    assert not diff_texts(a, b).coarse
    tight = DiffOptions(max_work=1_000, max_seconds=1e9)
    assert all(diff_texts(a, b, options=tight).coarse for _ in range(3))


def test_empty_and_one_sided_texts() -> None:
    assert diff_texts("", "").opcodes == ()
    assert diff_texts("", "").similarity == 1.0
    assert [op.as_tuple() for op in diff_texts("", "新增").opcodes] == [("insert", 0, 0, 0, 2)]
    assert [op.as_tuple() for op in diff_texts("删除", "").opcodes] == [("delete", 0, 2, 0, 0)]
    only_punct = diff_texts("，", ",", options=DiffOptions(ignore_punctuation=True))
    assert [op.as_tuple() for op in only_punct.opcodes] == [("equal", 0, 1, 0, 1)]


# --- real report paragraphs (2024 and 2025 national reports, public official documents) ---

TARGETS_2024 = (
    "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上，"
    "城镇调查失业率5.5%左右；居民消费价格涨幅3%左右；居民收入增长和经济增长同步；"
    "国际收支保持基本平衡；粮食产量1.3万亿斤以上；单位国内生产总值能耗降低2.5%左右，"
    "生态环境质量持续改善。"
)
TARGETS_2025 = (
    "今年发展主要预期目标是：国内生产总值增长5%左右；城镇调查失业率5.5%左右，"
    "城镇新增就业1200万人以上；居民消费价格涨幅2%左右；居民收入增长和经济增长同步；"
    "国际收支保持基本平衡；粮食产量1.4万亿斤左右；单位国内生产总值能耗降低3%左右，"
    "生态环境质量持续改善。"
)

HEADING_2024 = (
    "（八）推动城乡融合和区域协调发展，大力优化经济布局。深入实施区域协调发展战略、区域重大战略、"
    "主体功能区战略，把推进新型城镇化和乡村全面振兴有机结合起来，加快构建优势互补、高质量发展的"
    "区域经济格局。"
)
HEADING_2025 = (
    "（八）推进新型城镇化和区域协调发展，进一步优化发展空间格局。完善实施区域协调发展战略机制，"
    "坚持以人为本提高城镇化质量水平，构建优势互补的区域经济布局和国土空间体系。"
)


def test_real_targets_paragraph() -> None:
    diff = diff_texts(TARGETS_2024, TARGETS_2025)
    assert_well_formed(diff)
    assert diff.apply() == TARGETS_2025
    # Read by hand: CPI target 3% → 2%, grain 1.3万亿斤以上 → 1.4万亿斤左右, energy 2.5% → 3%.
    # Each figure is one replacement (issue 13), not digit by digit (3 → 2, 3 → 4, 2.5 → 3
    # before); the grain figure and its qualifier both changed, so they are one change.
    found = changes(diff)
    for expected in [
        ("replace", "3%", "2%"),
        ("replace", "1.3万亿斤以上", "1.4万亿斤左右"),
        ("replace", "2.5%", "3%"),
    ]:
        assert expected in found
    # The two employment clauses swapped places; difflib keeps the first one (城镇新增就业…,
    # earliest of two equally long matches) and the unemployment-rate clause moves.
    assert len(diff.moves) == 1
    move = diff.moves[0]
    assert move.text == "城镇调查失业率5.5%左右"
    assert move.a_span == (40, 53) and move.b_span == (25, 38)
    # Everything else that changed is that moved clause (with its comma).
    others = [c for c in found if c[1] not in ("3%", "1.3万亿斤以上", "2.5%")]
    assert sorted(others) == [("delete", "，城镇调查失业率5.5%左右", ""),
                              ("insert", "", "城镇调查失业率5.5%左右，")]


# The fiscal paragraph of the 2024 and 2025 national reports (the lines as written).
FISCAL_2024 = (
    "今年赤字率拟按3%安排，赤字规模4.06万亿元，比上年年初预算增加1800亿元。"
    "拟安排地方政府专项债券3.9万亿元、比上年增加1000亿元。"
)
FISCAL_2025 = (
    "今年赤字率拟按4%左右安排、比上年提高1个百分点，赤字规模5.66万亿元、比上年增加1.6万亿元。"
    "拟安排地方政府专项债券4.4万亿元、比上年增加5000亿元。"
)


def _cuts_a_figure(text: str, start: int, end: int) -> bool:
    def inside(pos: int) -> bool:
        return 0 < pos < len(text) and text[pos - 1].isdigit() and (
            text[pos].isdigit() or text[pos] in ".%"
        )

    return start < end and (inside(start) or inside(end))


def test_a_changed_figure_is_one_replacement() -> None:
    # 专项债券3.9万亿元 → 4.4万亿元 and 比上年增加1000亿元 → 5000亿元 (read in the two reports):
    # each figure is one replacement, not [-3-]{+4+}.[-9-]{+4+}万亿元 or [-1-]{+5+}000亿元.
    diff = diff_texts(FISCAL_2024, FISCAL_2025)
    assert_well_formed(diff)
    assert diff.apply() == FISCAL_2025
    found = changes(diff)
    assert ("replace", "3.9万亿元", "4.4万亿元") in found
    assert ("replace", "1000亿元", "5000亿元") in found
    # No changed run, token-level or refined, starts or ends inside a figure.
    for op in (*diff.opcodes, *diff.refined):
        if op.tag != EQUAL:
            assert not _cuts_a_figure(diff.a, op.a_start, op.a_end), op
            assert not _cuts_a_figure(diff.b, op.b_start, op.b_end), op


def test_figures_and_dates_are_single_tokens() -> None:
    # 2025: 坚决贯彻落实9月26日中央政治局会议…; a date, a percentage, a figure with its
    # magnitude and unit, a number of percentage points are each one token of the diff.
    text = "落实9月26日会议，提高1个百分点，增长5.5%左右，达134.9万亿元"
    _spans, keys = comparison_tokens(text, DiffOptions())
    assert {"9月26日", "1个百分点", "5.5%", "134.9万亿元"} <= set(keys)
    assert "左右" in keys  # the qualifier stays a word: 5%左右 → 5%以上 shows it changed
    # An ASCII comma groups thousands (Hong Kong: 1,500); a full-width one separates items.
    _spans, keys = comparison_tokens("约1,500个单位，分别为8，200万人", DiffOptions())
    assert "1,500个" in keys and "8" in keys and "200万人" in keys
    diff = diff_texts("坚决贯彻落实9月26日中央政治局会议", "坚决贯彻落实12月11日中央政治局会议")
    assert changes(diff) == [("replace", "9月26日", "12月11日")]


def test_a_tiny_anchor_between_two_changes_is_absorbed() -> None:
    # 2024 第三，注重精准施策、示范引领，推进更高水平的乡村振兴 (seed 000) against 2022's
    # （六）狠抓融合发展，在推进乡村振兴上实现新突破 (seed 002): the shared 推进 (two characters)
    # sits between two larger changes and is folded into one change; 乡村振兴 (four) stays.
    a = "第三，注重精准施策、示范引领，推进更高水平的乡村振兴。"
    b = "（六）狠抓融合发展，在推进乡村振兴上实现新突破。"
    diff = diff_texts(a, b)
    equal = [a[op.a_start : op.a_end] for op in diff.opcodes if op.tag == EQUAL]
    assert equal == ["乡村振兴", "。"]
    # A full stop is structure, never absorbed, however short: the rows break there.
    short = diff_texts("加快发展。深化改革", "全面推进。扩大开放")
    assert [op.tag for op in short.opcodes] == ["replace", "equal", "replace"]


def _covered(diff: TextDiff, side: str, word: str, *, equal: bool) -> bool:
    text = diff.a if side == "a" else diff.b
    start = text.index(word)
    end = start + len(word)
    for op in diff.opcodes:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if lo <= start and end <= hi:
            return (op.tag == EQUAL) == equal
    return False


def test_real_heading_paragraph_changed_and_kept_words() -> None:
    diff = diff_texts(HEADING_2024, HEADING_2025)
    assert_well_formed(diff)
    for word in ["城乡融合", "大力", "经济布局", "区域重大战略", "主体功能区战略", "乡村全面振兴",
                 "高质量发展"]:
        assert _covered(diff, "a", word, equal=False), word
    for word in ["进一步", "发展空间格局", "完善", "机制", "以人为本", "国土空间体系"]:
        assert _covered(diff, "b", word, equal=False), word
    for word in ["（八）", "和区域协调发展，", "实施区域协调发展战略", "构建优势互补"]:
        assert _covered(diff, "a", word, equal=True), word
        assert _covered(diff, "b", word, equal=True), word


# --- properties ------------------------------------------------------------------------------

ALPHABET = "发展经济城市镇化乡村振兴推进建设，。；、,.“”\"「」 \n\u3000０5%％xX×＊*甲乙"
texts = st.text(alphabet=ALPHABET, max_size=40)
options = st.builds(
    DiffOptions,
    ignore_punctuation=st.booleans(),
    ignore_width=st.booleans(),
    ignore_masks=st.booleans(),
    ignore_whitespace=st.booleans(),
)


@st.composite
def related_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A text and an edited copy of it (so that there is something to match)."""
    a = draw(texts)
    b = a
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(b)))
        end = draw(st.integers(start, len(b)))
        b = b[:start] + draw(st.text(alphabet=ALPHABET, max_size=6)) + b[end:]
    return a, b


@settings(max_examples=100, deadline=None)
@given(pair=related_pairs() | st.tuples(texts, texts))
def test_opcodes_rebuild_b(pair: tuple[str, str]) -> None:
    a, b = pair
    diff = diff_texts(a, b)
    assert_well_formed(diff)
    assert diff.apply() == b
    assert apply_opcodes(diff.opcodes, a, b) == b
    for op in diff.refined:
        if op.tag == EQUAL:
            assert a[op.a_start:op.a_end] == b[op.b_start:op.b_end]
    for op in diff.opcodes:
        if op.tag == EQUAL:
            assert a[op.a_start:op.a_end] == b[op.b_start:op.b_end]


def _kept_keys(diff: TextDiff, side: str, op: Opcode) -> list[str]:
    text, spans = (diff.a, diff.a_spans) if side == "a" else (diff.b, diff.b_spans)
    token_spans, keys = comparison_tokens(text, diff.options)
    assert token_spans == list(spans)
    lo, hi = (op.a_tok_start, op.a_tok_end) if side == "a" else (op.b_tok_start, op.b_tok_end)
    return [k for k in keys[lo:hi] if k is not None]


@settings(max_examples=100, deadline=None)
@given(pair=related_pairs() | st.tuples(texts, texts), opts=options)
def test_equal_under_options_means_equal_keys(pair: tuple[str, str], opts: DiffOptions) -> None:
    a, b = pair
    diff = diff_texts(a, b, options=opts)
    assert_well_formed(diff)
    # Shown text is always the original.
    assert "".join(diff.a_tokens) == a and "".join(diff.b_tokens) == b
    for op in diff.opcodes:
        if op.tag == EQUAL:
            assert _kept_keys(diff, "a", op) == _kept_keys(diff, "b", op)
    # Changed runs taken from b plus equal runs taken from b rebuild b; from a, they rebuild
    # b exactly when nothing is ignored.
    if not opts.ignores_anything:
        assert diff.apply() == b
    # Ignoring things never makes two texts less similar than comparing them exactly.
    assert diff.changed <= diff_texts(a, b).changed


# --- rendering (policydiff.render) -----------------------------------------------------------

SGR_RE = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    """Rendered text with our own SGR codes removed."""
    return SGR_RE.sub("", text)


def test_side_by_side_counts_cjk_as_two_columns() -> None:
    diff = diff_texts("一二三四五六七八九十", "一二三四五六七八九十")
    # width 23 → two columns of 10: five CJK characters per row.
    assert render_side_by_side(diff, color=False, width=23).split("\n") == [
        "一二三四五 │ 一二三四五",
        "六七八九十 │ 六七八九十",
    ]


def test_wide_character_never_straddles_the_border() -> None:
    diff = diff_texts("a一二三四五", "a一二三四五")
    rows = render_side_by_side(diff, color=False, width=23).split("\n")
    assert rows == ["a一二三四  │ a一二三四", "五         │ 五"]


def test_side_by_side_pads_the_shorter_side_and_keeps_the_border_aligned() -> None:
    a = "加强政府自身建设。坚持依法行政，提高政府效能，全面落实中央八项规定精神。"
    b = "加强政府自身建设。"
    out = render_side_by_side(diff_texts(a, b), color=True, width=40)
    rows = [plain(row) for row in out.split("\n")]
    assert len(rows) > 2
    border = {text_width(row.split("│")[0]) for row in rows}
    assert border == {(40 - 3) // 2 + 1}
    assert all(text_width(row) <= 40 for row in rows)
    assert rows[0].startswith("加强政府自身建设。")
    assert all(row.rstrip().endswith("│") for row in rows[1:])  # right side padded with blanks


def test_markers_without_color() -> None:
    word = render_side_by_side(diff_texts("推进城市建设", "推进城镇化建设"), color=False, width=60)
    # Column (60 - 3) // 2 = 28; the left cell is 16 columns wide, so 12 columns of padding.
    assert word == "推进[-城市-]建设" + " " * 12 + " │ 推进{+城镇化+}建设"
    refined_diff = diff_texts("加快推进新型城镇化", "加快推进新型城市化")
    refined = render_inline(refined_diff, color=False, width=60)
    assert refined == "加快推进新型城[-镇-]{+市+}化"
    inline = render_inline(diff_texts("推进城市建设", "推进城镇化建设"), color=False, width=60)
    assert inline == "推进[-城市-]{+城镇化+}建设"


def test_moved_sentence_is_marked_in_both_places() -> None:
    first, second = "我们要大力发展数字经济。", "同时推进乡村全面振兴工作。"
    out = render_side_by_side(diff_texts(first + second, second + first), color=False, width=200)
    assert f"[~{first}~]" in out
    # On the new side the full stop after the moved sentence is in an unchanged run (difflib
    # matched the last 。), so only the words are marked as moved there.
    assert "{~我们要大力发展数字经济~}" in out


def test_document_text_cannot_drive_the_terminal() -> None:
    a = "安全\r危险\x1b]0;title\x07，\x9b2J清屏"
    b = "安全\x1b[2J文本"
    for render in (render_inline, render_side_by_side):
        out = render(diff_texts(a, b), color=True, width=60)
        assert "\x1b" not in plain(out)
        assert "\r" not in out and "\x07" not in out and "\x9b" not in out
        assert "␛" in out and "␍" in out
        no_color = render(diff_texts(a, b), color=False, width=60)
        assert "\x1b" not in no_color


def test_color_styles_are_closed_on_every_row() -> None:
    a = "推动城乡融合和区域协调发展，大力优化经济布局。" * 3
    b = "推进新型城镇化和区域协调发展，进一步优化发展空间格局。" * 3
    for row in render_side_by_side(diff_texts(a, b), color=True, width=50).split("\n"):
        codes = SGR_RE.findall(row)
        # Every style is opened and then reset before the next one and before the row ends.
        assert all(code != "\x1b[0m" for code in codes[0::2])
        assert all(code == "\x1b[0m" for code in codes[1::2])
        assert len(codes) % 2 == 0


def test_coarse_diff_says_so() -> None:
    diff = diff_texts("第一条。" * 50, "第二条。" * 50, options=DiffOptions(max_tokens=5))
    assert render_inline(diff, color=False, width=60).startswith(COARSE_NOTE)


def test_html_page_is_standalone_and_escaped() -> None:
    sentence = "全面落实中央八项规定精神，坚决纠治形式主义。"
    kept = "加强政府自身建设。"
    one = diff_texts(kept + sentence + "<script>alert(1)</script>", kept)
    two = diff_texts("深化改革开放。", "深化改革开放。" + sentence)
    page = render_html([("十、政府建设 <i>", one), ("二、改革", two)], title="2024 & 2025")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "src=" not in page
    links = re.findall(r'href="([^"]*)"', page)  # the contents: links within the page only
    assert links == ["#row-1", "#row-2", "#contents", "#contents"]  # the rows link back up
    assert 'id="row-1"' in page and 'id="row-2"' in page and 'id="contents"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<h1>2024 &amp; 2025</h1>" in page and "十、政府建设 &lt;i&gt;" in page
    assert 'title="moved to: 二、改革"' in page
    assert 'title="moved from: 十、政府建设 &lt;i&gt;"' in page

    class Balance(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag not in ("meta", "br"):
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack.pop() == tag

    checker = Balance()
    checker.feed(page)
    assert checker.stack == []


def test_html_replaces_control_characters() -> None:
    page = render_html([("一", diff_texts("文本\x00\x1b[31m", "文本"))], title="t")
    assert "\x00" not in page and "\x1b" not in page
    assert "␀" in page and "␛" in page


def test_core_modules_import_no_ui_and_no_jieba() -> None:
    code = (
        "import sys, policydiff.diff, policydiff.render.terminal, policydiff.render.html, "
        "policydiff.tokenize\n"
        "bad = [m for m in ('jieba', 'rjieba', 'rich', 'textual') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


# --- the diff JSON (policydiff.formats.diff) --------------------------------------------------


def export_diff(paths: list[Path], out: Path, section: str | None = None) -> dict[str, Any]:
    """Write the diff@1 export of two documents as `policydiff diff --format json` does."""
    from policydiff.comparison import compare
    from policydiff.formats.diff import diff_json, selected_diffs
    from policydiff.formats.jsontext import dumps

    comparison = compare(paths)
    selected = selected_diffs(comparison, "d1", "d2", section)
    data = diff_json(comparison, selected, comparison.alignment("d1", "d2"), section)
    out.write_text(dumps(data), encoding="utf-8")
    return data


def check_export(data: dict[str, Any], path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from policydiff.formats.diff import diff_schema, load_diff

    jsonschema.validate(data, diff_schema())
    assert load_diff(path) == data
    assert data["schema"] == "policydiff/diff@1"
    assert data["pairs"]


def test_seed_diff_export_is_valid_and_reads_back(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    out = tmp_path / "diff.json"
    data = export_diff([seed_files["000"], seed_files["002"]], out)
    check_export(data, out)
    # seed 000 has sections that 002 has not, and the other way round
    assert data["unmatched_a"] or data["unmatched_b"]
    one = export_diff([seed_files["000"], seed_files["002"]], tmp_path / "one.json", "d1/3.1")
    assert [(p["a"], p["b"]) for p in one["pairs"]] == [("d1/3.1", "d2/3.6.1")]
    assert one["unmatched_a"] == one["unmatched_b"] == []
    check_export(one, tmp_path / "one.json")


@pytest.mark.corpus
def test_national_diff_export_is_valid_and_reads_back(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "diff.json"
    data = export_diff([corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"], out)
    check_export(data, out)
    assert any(pair["moves"] for pair in data["pairs"])


def _damaged(data: dict[str, Any], how: str) -> dict[str, Any]:
    import copy

    bad = copy.deepcopy(data)
    pair = next(p for p in bad["pairs"] if len(p["opcodes"]) > 1)
    if how == "schema":
        bad["schema"] = "policydiff/diff@2"
    elif how == "gap":
        pair["opcodes"][1][1] += 1
    elif how == "short":
        pair["opcodes"].pop()
    elif how == "tag":
        pair["opcodes"][0][0] = "moved"
    elif how == "score":
        pair["score"] = 1.5
    elif how == "span":
        pair["span_a"] = [pair["span_a"][1], pair["span_a"][0] - 1]
    elif how == "move":
        pair["moves"] = [{"a": [0, 10**9], "b": [0, 1], "text": "x"}]
    elif how == "documents":
        bad["documents"].append(dict(bad["documents"][0]))
    elif how == "section":
        pair["b"] = pair["a"]
    elif how == "unmatched":
        bad["unmatched_a"] = ["d2/1"]
    elif how == "missing":
        del pair["opcodes"]
    return bad


DAMAGE = ("schema", "gap", "short", "tag", "score", "span", "move", "documents", "section",
          "unmatched", "missing")


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_diff_export_is_refused_in_one_line(
    tmp_path: Path, seed_files: dict[str, Path], how: str
) -> None:
    import json

    from policydiff.errors import ExportError
    from policydiff.formats.diff import load_diff

    data = export_diff([seed_files["000"], seed_files["002"]], tmp_path / "diff.json")
    path = tmp_path / f"{how}.json"
    path.write_text(json.dumps(_damaged(data, how), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        load_diff(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message


def test_the_schema_refuses_what_it_can_see(tmp_path: Path, seed_files: dict[str, Path]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from policydiff.formats.diff import diff_schema

    data = export_diff([seed_files["000"], seed_files["002"]], tmp_path / "diff.json")
    for how in ("schema", "tag", "score", "documents", "missing"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(_damaged(data, how), diff_schema())


def test_a_diff_export_of_a_changed_input_or_not_json_is_refused(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    import shutil

    from policydiff.errors import ExportError
    from policydiff.formats.diff import load_diff

    copies = []
    for key in ("000", "002"):
        copies.append(tmp_path / seed_files[key].name)
        shutil.copy(seed_files[key], copies[-1])
    path = tmp_path / "diff.json"
    export_diff(copies, path)
    assert load_diff(path)["pairs"]
    copies[1].write_text(copies[1].read_text(encoding="utf-8") + "新增一句。", encoding="utf-8")
    with pytest.raises(ExportError, match="has changed since the export"):
        load_diff(path)
    assert load_diff(path, check_inputs=False)["pairs"]
    for text in ("{", "[]", '{"schema": "policydiff/diff@1", "schema": "x"}', "NaN"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ExportError):
            load_diff(path)
