"""The one side-by-side layout (``policydiff.render.rows``) and its three consumers.

The terminal (``render.terminal``), the HTML page (``render.html``) and the viewer
(``policydiff_tui.widgets.side_by_side.build_layout``) must lay out the same diff identically:
the same row breaks, the same cells, and (terminal and viewer, at one column width) the same
lines. The expected rows and lines written out below were worked out by reading the texts:
seed 000's third part against seed 002's item （六）, and the 2024 and 2025 national reports'
paragraphs on bilateral and regional economic cooperation (深化多双边和区域经济合作).
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.comparison import compare
from policydiff.diff import TextDiff, diff_texts
from policydiff.render import rows
from policydiff.render.html import render_html
from policydiff.render.terminal import SEPARATOR, column_width, render_side_by_side
from policydiff_tui.widgets.side_by_side import build_layout, diff_layers

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SGR_RE = re.compile(r"\x1b\[[0-9;]*m")
WIDTH = 60
"""Terminal width of the agreement checks: two columns of 28."""


def section_diff(paths: list[Path], a: str, b: str) -> TextDiff:
    comparison = compare(paths)
    (found,) = [sd for sd in comparison.section_diffs("d1", "d2")
                if (sd.match.a, sd.match.b) == (a, b)]
    return found.diff


@pytest.fixture(scope="module")
def seed_diff() -> TextDiff:
    """Seed 000's d1/3 (第三，…乡村振兴) against seed 002's d2/3.6 (（六）狠抓融合发展…)."""
    seeds = ROOT / "seeds"
    return section_diff([seeds / "000_fa4a5ba1074ac6cc.txt", seeds / "002_18ae15f2ea8019a0.txt"],
                        "d1/3", "d2/3.6")


@pytest.fixture(scope="module")
def national_diff() -> TextDiff:
    """The 2024 and 2025 government work reports' 深化多双边和区域经济合作 paragraphs."""
    paths = [CORPUS / "national-2024.txt", CORPUS / "national-2025.txt"]
    if not all(p.exists() for p in paths):
        pytest.skip("the corpus (../shared/corpus) is absent")
    return section_diff(paths, "d1/3.5.3", "d2/3.5.3")


# --------------------------------------------------------------------------- the consumers


def cells(diff: TextDiff) -> list[tuple[str, str]]:
    """The layout's rows as (left text, right text)."""
    return [("".join(diff.a[r.start : r.end] for r in row.left),
             "".join(diff.b[r.start : r.end] for r in row.right))
            for row in rows.side_by_side_rows(diff)]


def html_cells(diff: TextDiff) -> list[tuple[str, str]]:
    """The table rows of the HTML page, as the text of their two cells."""
    page = render_html([("pair", diff)], title="t")
    found = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", page, re.DOTALL)

    def text(cell: str) -> str:
        return html.unescape(re.sub(r"<[^>]+>", "", cell))

    return [(text(left), text(right)) for left, right in found]


def terminal_lines(diff: TextDiff) -> list[tuple[str, str]]:
    """The screen lines of ``policydiff diff`` in colour (no brackets) as (left, right)."""
    out = SGR_RE.sub("", render_side_by_side(diff, color=True, width=WIDTH))
    found = []
    for line in out.split("\n"):
        left, sep, right = line.partition(SEPARATOR.rstrip())
        assert sep, line
        found.append((left.rstrip(), right[1:].rstrip()))
    return found


def viewer_lines(diff: TextDiff) -> list[tuple[str, str]]:
    """The lines of the viewer's two panes at the terminal's column width ("" for filler)."""
    column = column_width(WIDTH)
    layout = build_layout(diff, column, column)

    def text(source: str, span: tuple[int, int] | None) -> str:
        if span is None:
            return ""
        return "".join(rows.shown(c) for c in source[span[0] : span[1]]).rstrip()

    return [(text(diff.a, a.span), text(diff.b, b.span))
            for a, b in zip(layout.left, layout.right, strict=True)]


def assert_consumers_agree(diff: TextDiff) -> None:
    assert html_cells(diff) == cells(diff)
    assert terminal_lines(diff) == viewer_lines(diff)
    # Each row of the viewer shows its cell, line after line (the line ends are not shown).
    column = column_width(WIDTH)
    layout = build_layout(diff, column, column)
    for index, (left, right) in enumerate(cells(diff)):
        shown_left = "".join(diff.a[ln.span[0] : ln.span[1]] for ln in layout.left
                             if ln.row == index and ln.span is not None)
        shown_right = "".join(diff.b[ln.span[0] : ln.span[1]] for ln in layout.right
                              if ln.row == index and ln.span is not None)
        assert (shown_left, shown_right) == (left.replace("\n", ""), right.replace("\n", ""))


def test_the_consumers_agree_on_a_seed_pair(seed_diff: TextDiff) -> None:
    assert_consumers_agree(seed_diff)


@pytest.mark.corpus
def test_the_consumers_agree_on_a_national_pair(national_diff: TextDiff) -> None:
    assert_consumers_agree(national_diff)


@pytest.mark.corpus
def test_every_national_section_pair_is_laid_out_alike() -> None:
    paths = [CORPUS / "national-2024.txt", CORPUS / "national-2025.txt"]
    if not all(p.exists() for p in paths):
        pytest.skip("the corpus (../shared/corpus) is absent")
    for sd in compare(paths).section_diffs("d1", "d2"):
        assert html_cells(sd.diff) == cells(sd.diff)
        if not sd.diff.coarse:
            assert terminal_lines(sd.diff) == viewer_lines(sd.diff)


# --------------------------------------------------------------------------- rows by hand


def test_seed_rows_break_at_the_shared_full_stops(seed_diff: TextDiff) -> None:
    # Both texts have two sentences; the 。 ending each is unchanged, so each sentence is a row.
    # Seed 002's item ends with a line break that seed 000's part has not: a row of its own.
    assert cells(seed_diff) == [
        ("第三，注重精准施策、示范引领，推进更高水平的乡村振兴。",
         "（六）狠抓融合发展，在推进乡村振兴上实现新突破。"),
        ("坚持农业农村优先发展，深入实施乡村振兴战略，促进农业高质高效、乡村宜居宜业、"
         "农民富裕富足。",
         "要深入实施“乡村振兴”三年行动计划，创新城乡融合发展体制机制，促进农业高质高效、"
         "乡村宜居宜业、农民富裕富足，用＊—＊年的时间，使“三农”工作走在全市前列。"),
        ("", "\n"),
    ]
    first = rows.side_by_side_rows(seed_diff)[0]
    # The shared 推进 (two characters between two larger changes) is folded into the change
    # (issue 13: tiny anchors are absorbed; it was an equal run of its own before).
    assert [(seed_diff.a[r.start : r.end], r.role) for r in first.left] == [
        ("第三，注重精准施策、示范引领，推进更高水平的", "replace"), ("乡村振兴", "equal"),
        ("。", "equal")]
    assert [(seed_diff.b[r.start : r.end], r.role) for r in first.right][-2:] == [
        ("上实现新突破", "insert"), ("。", "equal")]


def test_seed_lines_count_wide_and_narrow_characters(seed_diff: TextDiff) -> None:
    lines = viewer_lines(seed_diff)
    # 28 columns hold 14 Chinese characters; the first row is 27 on the left, 24 on the right.
    # No line starts with a comma (rows.wrap's line-start rule): 领 goes down with it.
    assert lines[:2] == [("第三，注重精准施策、示范引", "（六）狠抓融合发展，在推进乡"),
                         ("领，推进更高水平的乡村振兴。", "村振兴上实现新突破。")]
    # The curly quotes are one column each, so 15 characters fill the 28 columns.
    assert lines[2][1] == "要深入实施“乡村振兴”三年行动"
    # The em dash is one column too: ＊ (two) no longer fits after it.
    assert lines[5][1] == "居宜业、农民富裕富足，用＊—"
    # Row two is 45 characters on the left (four lines), six lines on the right: the left is
    # padded; the right's final line break is a blank line of its own.
    assert [left for left, _right in lines[2:]] == [
        "坚持农业农村优先发展，深入实", "施乡村振兴战略，促进农业高质",
        "高效、乡村宜居宜业、农民富裕", "富足。", "", "", ""]
    assert lines[-2:] == [("", "全市前列。"), ("", "")]


def test_national_rows(national_diff: TextDiff) -> None:
    # The first sentence is the same; the second ends with an unchanged 。 (its inner 。 after
    # 投资协定 is inside a replaced run on one side only, so it cuts no row); the third is
    # rewritten; the paragraph break both share is a blank row of its own.
    got = cells(national_diff)
    assert got[0] == ("深化多双边和区域经济合作。", "深化多双边和区域经济合作。")
    assert got[1][0].startswith("推动落实已生效自贸协定") and got[1][0].endswith("伙伴关系协定》。")
    assert "投资协定。推进中国" in got[1][0]
    assert got[1][1].startswith("持续扩大面向全球的高标准自由贸易区网络，推动签署")
    assert got[2] == (
        "全面深入参与世贸组织改革，推动建设开放型世界经济，让更多合作共赢成果惠及各国人民。",
        "坚定维护以世界贸易组织为核心的多边贸易体制，扩大同各国利益的汇合点，促进共同发展。")
    assert got[3] == ("\n", "\n")
    assert len(got) == 4
    assert viewer_lines(national_diff)[-1] == ("", "")
    row = rows.side_by_side_rows(national_diff)[1]
    assert ("、", "replace") in [(national_diff.a[r.start : r.end], r.role) for r in row.left]
    assert ("进程", "insert") in [(national_diff.b[r.start : r.end], r.role) for r in row.right]


# --------------------------------------------------------------------------- rules


def lines_of(text: str, width: int) -> list[str]:
    return [text[s:e] for s, e in rows.cell_lines(text, (0, len(text)), width)]


def test_wrap_counts_two_columns_per_chinese_character() -> None:
    assert lines_of("一二三四五六七八九十甲", 10) == ["一二三四五", "六七八九十", "甲"]
    # "ab" (2 columns) and four Chinese characters (8) fill 10 columns
    assert lines_of("ab一二三四五", 10) == ["ab一二三四", "五"]
    # a wide character never straddles: 9 columns hold four Chinese characters
    assert lines_of("一二三四五", 9) == ["一二三四", "五"]
    # a line break ends a line and is on none; a trailing one adds no empty line
    assert lines_of("一二\n三\n", 10) == ["一二", "三"]
    assert rows.cell_lines("一二", (1, 1), 10) == []


def test_closing_punctuation_never_starts_a_line() -> None:
    # The rule of every consumer (rows.wrap): the character before the comma goes down with it.
    assert lines_of("一二三四，五六", 8) == ["一二三", "四，五六"]


def test_placeholders_and_tabs_are_measured_as_shown_and_never_split() -> None:
    assert rows.shown("\x9b") == "⟨U+009B⟩"
    assert rows.text_width(rows.shown("\x9b")) == 8
    assert rows.char_width("中") == 2 and rows.char_width("“") == 1
    assert rows.char_width("\u0301") == 0
    assert lines_of("甲\x9b", 6) == ["甲", "\x9b"]
    assert lines_of("ab\tc", 5) == ["ab", "\tc"]


def test_viewer_colours_follow_the_roles() -> None:
    # 新型城镇化 -> 新型城市化 is one replaced word, refined: the word is "changed" on both
    # sides and the one different character also "deleted" / "inserted".
    diff = diff_texts("加快推进新型城镇化", "加快推进新型城市化")
    left, right = diff_layers(rows.side_by_side_rows(diff))
    assert [(diff.a[s:e], role) for s, e, role in left] == [
        ("新型城", "changed"), ("镇", "changed"), ("镇", "deleted"), ("化", "changed")]
    assert ("市", "inserted") in [(diff.b[s:e], role) for s, e, role in right]
    # A sentence deleted whole is "deleted"; nothing is marked on the other side.
    diff = diff_texts("加强政府自身建设。坚持依法行政，提高政府效能。", "加强政府自身建设。")
    left, right = diff_layers(rows.side_by_side_rows(diff))
    assert [(diff.a[s:e], role) for s, e, role in left] == [
        ("坚持依法行政，提高政府效能。", "deleted")]
    assert right == []


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("甲乙丙。，\nab"), max_size=60),
    st.text(alphabet=st.sampled_from("甲乙丁。，\nab"), max_size=60),
    st.integers(min_value=2, max_value=30),
)
def test_rows_tile_both_texts_and_panes_have_equal_heights(a: str, b: str, width: int) -> None:
    diff = diff_texts(a, b)
    layout_rows = rows.side_by_side_rows(diff)
    spans = [(row.left_span, row.right_span) for row in layout_rows]
    if spans:
        assert spans[0][0][0] == 0 and spans[0][1][0] == 0
        assert spans[-1][0][1] == len(a) and spans[-1][1][1] == len(b)
    for (la, lb), (na, nb) in itertools.pairwise(spans):
        assert la[1] == na[0] and lb[1] == nb[0]
    for row in layout_rows:
        start, end = row.left_span
        assert "".join(a[r.start : r.end] for r in row.left) == a[start:end]
    column = column_width(2 * width + 3)
    layout = build_layout(diff, column, column)
    assert len(layout.left) == len(layout.right) >= 1
    shown = "".join(a[s:e] for ln in layout.left if ln.span for s, e in [ln.span])
    assert shown == a.replace("\n", "")
    terminal = SGR_RE.sub("", render_side_by_side(diff, color=True, width=2 * width + 3))
    assert len(terminal.split("\n")) == (len(layout.left) if layout_rows else 1)


def test_the_viewer_realigns_where_the_terminal_does() -> None:
    a = "第一段没有变化。\n第二段被改写了很多很多。\n第三段相同。"
    b = "第一段没有变化。\n第二段被完全重写，而且变得更长更长更长更长。\n第三段相同。"
    diff = diff_texts(a, b)
    layout = build_layout(diff, 12, 12)
    assert len(layout.left) == len(layout.right)
    # the third paragraph starts on the same line on both sides, after a blank line
    third = layout.line_of("left", a.index("第三"))
    assert third == layout.line_of("right", b.index("第三"))
    blank = layout.left[third - 1]
    assert blank.span is not None and blank.span[0] == blank.span[1]
    assert layout.changes == (layout.line_of("left", a.index("第二")),)


def test_fit_width_counts_display_columns() -> None:
    """A text table's cell: Han characters and the ideographic comma take two columns, so
    一、2023年工作回顾 (6 Han characters, 、 and 4 digits: 18 columns) is padded to 24 with 6
    spaces, and cut to 10 columns it keeps 一、2023 (4 + 4 = 8 columns; 年 would make 10 and
    leave no room for the ellipsis) plus … and one space."""
    assert rows.fit_width("一、2023年工作回顾", 24) == "一、2023年工作回顾" + " " * 6
    assert rows.fit_width("一、2023年工作回顾", 10) == "一、2023… "
    assert rows.text_width(rows.fit_width("d1/0 [preamble]", 40)) == 40
