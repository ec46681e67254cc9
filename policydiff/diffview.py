"""Render a ``TextDiff`` for people: inline or side by side on a terminal, or as an HTML page.

No Rich or Textual here: terminal colour is plain ANSI SGR, written by this module, and only
when asked for (``color=True``). Every piece of document text goes through
``policydiff.textsafe.visible`` before it is laid out, so an escape sequence in a report shows
as ``␛[2J`` and is never obeyed.

Rules:
- Widths are display columns: East Asian wide and fullwidth characters take two, combining
  and zero-width characters none, everything else one (ambiguous-width characters count as
  one, as in most terminals outside CJK locales). A tab is shown as four spaces.
- Side by side, each side is soft-wrapped to its column; rows re-align at every paragraph
  break and (by default) every sentence end that both sides share in an unchanged run, and
  the shorter side is padded with blank rows. A shared paragraph break shows as one blank
  row. A wide character never straddles the border.
- Without colour, changes are bracketed: ``[-删除-]`` and ``{+插入+}``; inside a replaced word
  that was refined, only the changed characters are bracketed (新型城[-镇-]化); moved text is
  ``[~…~]`` where it was and ``{~…~}`` where it went.
- With colour: deleted text red and struck through, inserted green, the changed characters of
  a refined word on a red or green background, moved text magenta (old place) and cyan (new).
  Each styled piece is closed with a reset, so no style leaks into the next cell or line.
- Unchanged text under ignore options (see ``diff``): side by side each side shows its own
  text; the inline view shows the new (``b``) text.
- A coarse diff (the fallback for oversized or repetitive input) starts with a one-line note.
"""

from __future__ import annotations

import html
import itertools
import unicodedata
from collections.abc import Sequence

from policydiff.diff import EQUAL, REPLACE, Move, TextDiff, find_moves

Seg = tuple[str, str]
"""A run of text and its style name ("" for unchanged text)."""

TAB = "    "
SEPARATOR = " │ "
RESET = "\x1b[0m"

SGR = {
    "del": "31;9",
    "del~": "31",
    "del+": "1;97;41",
    "ins": "32",
    "ins~": "32",
    "ins+": "1;30;42",
    "mdel": "35;9",
    "mins": "36",
    "note": "2",
}
"""SGR parameters per style: ``del``/``ins`` a whole deleted/inserted run, ``~`` the unchanged
characters inside a refined replaced word, ``+`` its changed characters, ``mdel``/``mins``
moved text at its old and new place."""

MARKERS = {
    "del": ("[-", "-]"),
    "del+": ("[-", "-]"),
    "ins": ("{+", "+}"),
    "ins+": ("{+", "+}"),
    "mdel": ("[~", "~]"),
    "mins": ("{~", "~}"),
}
"""Brackets used without colour; styles not listed (``del~``, ``ins~``) are shown plain."""

COARSE_NOTE = "（粗略比较：文本过长或重复过多，未逐词比较）"
SENTENCE_SYNC = frozenset("。！？；!?;")


def char_width(char: str) -> int:
    """Display columns of one character (see the module rules)."""
    if char == "\t":
        return len(TAB)
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Display columns of a string."""
    return sum(char_width(c) for c in text)


def _visible(text: str) -> str:
    from policydiff.textsafe import visible

    return visible(text)


# ---------------------------------------------------------------------------------------------
# Styled ranges of each side


Range = tuple[int, int, str]


def _side_ranges(diff: TextDiff, side: str) -> list[Range]:
    """``(start, end, style)`` ranges tiling one side's text."""
    ranges: list[Range] = []
    kind = "del" if side == "a" else "ins"
    for op in diff.opcodes:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if lo == hi:
            continue
        if op.tag == EQUAL:
            ranges.append((lo, hi, ""))
        elif op.tag == REPLACE and diff.refinement(op) != (op,):
            for sub in diff.refinement(op):
                s_lo, s_hi = (sub.a_start, sub.a_end) if side == "a" else (sub.b_start, sub.b_end)
                if s_hi > s_lo:
                    ranges.append((s_lo, s_hi, kind + ("~" if sub.tag == EQUAL else "+")))
        else:
            ranges.append((lo, hi, kind))
    return ranges


def _overlay_moves(
    ranges: list[Range], spans: Sequence[tuple[int, tuple[int, int]]], style: str
) -> list[Range]:
    """Restyle the changed parts of ``ranges`` that fall inside a moved span.

    ``spans`` are ``(move number, span)``; the style becomes ``mdel#3`` (``style#number``) so
    that a renderer can say where that piece went.
    """
    if not spans:
        return ranges
    cuts = sorted({p for _number, span in spans for p in span})
    out: list[Range] = []
    for lo, hi, current in ranges:
        points = [lo, *(p for p in cuts if lo < p < hi), hi]
        for start, end in itertools.pairwise(points):
            new = current
            if current:
                for number, (s, e) in spans:
                    if s <= start and end <= e:
                        new = f"{style}#{number}"
                        break
            out.append((start, end, new))
    return out


def _ranges(
    diff: TextDiff, moves: Sequence[Move], pair: int | None
) -> tuple[list[Range], list[Range]]:
    a_moved = [(n, m.a_span) for n, m in enumerate(moves) if pair is None or m.a_pair == pair]
    b_moved = [(n, m.b_span) for n, m in enumerate(moves) if pair is None or m.b_pair == pair]
    left = _overlay_moves(_side_ranges(diff, "a"), a_moved, "mdel")
    right = _overlay_moves(_side_ranges(diff, "b"), b_moved, "mins")
    return left, right


def _base(style: str) -> str:
    """The style name without a move number (``mdel#3`` → ``mdel``)."""
    return style.partition("#")[0]


def _sync_points(diff: TextDiff, sentences: bool) -> list[tuple[int, int]]:
    """Positions (in a, in b) after which both sides start a fresh row."""
    points: list[tuple[int, int]] = []
    for op in diff.opcodes:
        if op.tag != EQUAL:
            continue
        a_text = diff.a[op.a_start:op.a_end]
        b_text = diff.b[op.b_start:op.b_end]
        breaks = set("\n") | (SENTENCE_SYNC if sentences else set())
        a_ends = [op.a_start + i for i, c in enumerate(a_text) if c in breaks]
        b_ends = [op.b_start + i for i, c in enumerate(b_text) if c in breaks]
        if len(a_ends) != len(b_ends):
            continue
        for i, j in zip(a_ends, b_ends, strict=True):
            if diff.a[i] == "\n" and diff.b[j] == "\n":
                # The paragraph break is a block of its own: one blank row between paragraphs.
                if not points or points[-1] != (i, j):
                    points.append((i, j))
            points.append((i + 1, j + 1))
    return points


def _cut(ranges: list[Range], text: str, cuts: list[int]) -> list[list[Seg]]:
    """Split styled ranges at the given positions into consecutive blocks of segments."""
    blocks: list[list[Seg]] = [[]]
    bounds = [*cuts, len(text) + 1]
    index = 0
    for lo, hi, style in ranges:
        start = lo
        while start < hi:
            while bounds[index] <= start:
                blocks.append([])
                index += 1
            end = min(hi, bounds[index])
            blocks[-1].append((text[start:end], style))
            start = end
    while len(blocks) < len(cuts) + 1:
        blocks.append([])
    return blocks


def _blocks(
    diff: TextDiff, moves: Sequence[Move], pair: int | None, sentences: bool
) -> list[tuple[list[Seg], list[Seg]]]:
    left, right = _ranges(diff, moves, pair)
    points = [p for p in _sync_points(diff, sentences) if p != (len(diff.a), len(diff.b))]
    a_blocks = _cut(left, diff.a, [p[0] for p in points])
    b_blocks = _cut(right, diff.b, [p[1] for p in points])
    return [(a, b) for a, b in zip(a_blocks, b_blocks, strict=True) if a or b]


# ---------------------------------------------------------------------------------------------
# Terminal layout


def _display_segments(segs: Sequence[Seg], color: bool) -> list[Seg]:
    """Make segments safe to show and, without colour, bracket the changed ones.

    Adjacent segments of one style are merged first, so that a change is bracketed once.
    """
    merged: list[list[str]] = []
    for text, style in segs:
        if merged and merged[-1][1] == style:
            merged[-1][0] += text
        else:
            merged.append([text, style])
    out: list[Seg] = []
    for text, style in merged:
        shown = _visible(text).replace("\t", TAB)
        if color or _base(style) not in MARKERS:
            out.append((shown, style))
        else:
            opening, closing = MARKERS[_base(style)]
            out.extend([(opening, ""), (shown, style), (closing, "")])
    return out


def _wrap(segs: Sequence[Seg], width: int) -> list[list[Seg]]:
    """Soft-wrap segments into rows of at most ``width`` columns; ``\\n`` ends a row."""
    rows: list[list[Seg]] = [[]]
    used = 0
    for text, style in segs:
        for char in text:
            if char == "\n":
                rows.append([])
                used = 0
                continue
            w = char_width(char)
            if used + w > width and used > 0:
                rows.append([])
                used = 0
            row = rows[-1]
            if row and row[-1][1] == style:
                row[-1] = (row[-1][0] + char, style)
            else:
                row.append((char, style))
            used += w
    if len(rows) > 1 and not rows[-1]:
        rows.pop()
    return rows


def _paint(row: Sequence[Seg], color: bool) -> str:
    parts: list[str] = []
    for text, style in row:
        if color and style:
            parts.append(f"\x1b[{SGR[_base(style)]}m{text}{RESET}")
        else:
            parts.append(text)
    return "".join(parts)


def _row_width(row: Sequence[Seg]) -> int:
    return sum(text_width(text) for text, _style in row)


def _note(diff: TextDiff, color: bool) -> list[str]:
    if not diff.coarse:
        return []
    return [f"\x1b[{SGR['note']}m{COARSE_NOTE}{RESET}" if color else COARSE_NOTE]


def render_side_by_side(
    diff: TextDiff, *, color: bool, width: int, sync_sentences: bool = True
) -> str:
    """Old text on the left, new on the right, each soft-wrapped to half of ``width``.

    Returns the rows joined by ``\\n`` (no trailing newline). ``width`` below 23 is treated as
    23 (two 10-column sides and the border).
    """
    column = max(10, (max(width, 23) - len(SEPARATOR)) // 2)
    lines = _note(diff, color)
    for left, right in _blocks(diff, diff.moves, None, sync_sentences):
        left_rows = _wrap(_display_segments(left, color), column)
        right_rows = _wrap(_display_segments(right, color), column)
        for index in range(max(len(left_rows), len(right_rows))):
            lrow = left_rows[index] if index < len(left_rows) else []
            rrow = right_rows[index] if index < len(right_rows) else []
            pad = " " * (column - _row_width(lrow))
            lines.append((_paint(lrow, color) + pad + SEPARATOR + _paint(rrow, color)).rstrip())
    return "\n".join(lines)


def _inline_segments(diff: TextDiff) -> list[Seg]:
    a_moved = [(n, m.a_span) for n, m in enumerate(diff.moves)]
    b_moved = [(n, m.b_span) for n, m in enumerate(diff.moves)]

    def pieces(side: str, lo: int, hi: int, style: str) -> list[Seg]:
        text, spans = (diff.a, a_moved) if side == "a" else (diff.b, b_moved)
        ranges = _overlay_moves([(lo, hi, style)], spans, "mdel" if side == "a" else "mins")
        return [(text[s:e], st) for s, e, st in ranges]

    segs: list[Seg] = []
    for op in diff.opcodes:
        if op.tag == EQUAL:
            segs.append((diff.b[op.b_start:op.b_end], ""))
            continue
        refined = diff.refinement(op) if op.tag == REPLACE else (op,)
        if refined == (op,):
            segs.extend(pieces("a", op.a_start, op.a_end, "del"))
            segs.extend(pieces("b", op.b_start, op.b_end, "ins"))
            continue
        for sub in refined:
            if sub.tag == EQUAL:
                segs.append((diff.b[sub.b_start:sub.b_end], ""))
            else:
                segs.extend(pieces("a", sub.a_start, sub.a_end, "del+"))
                segs.extend(pieces("b", sub.b_start, sub.b_end, "ins+"))
    return [(text, style) for text, style in segs if text]


def render_inline(diff: TextDiff, *, color: bool, width: int) -> str:
    """One merged text: unchanged text once, each deletion followed by its insertion.

    Soft-wrapped to ``width`` columns (at least 10); rows joined by ``\\n``.
    """
    lines = _note(diff, color)
    rows = _wrap(_display_segments(_inline_segments(diff), color), max(10, width))
    lines.extend(_paint(row, color).rstrip() for row in rows)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# HTML

HTML_TAGS = {
    "del": ('<del>', "</del>"),
    "del~": ('<span class="ctx-del">', "</span>"),
    "del+": ('<del class="strong">', "</del>"),
    "ins": ("<ins>", "</ins>"),
    "ins~": ('<span class="ctx-ins">', "</span>"),
    "ins+": ('<ins class="strong">', "</ins>"),
    "mdel": ('<del class="moved"{title}>', "</del>"),
    "mins": ('<ins class="moved"{title}>', "</ins>"),
}

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em;
       line-height: 1.7; color: #1a1a1a; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
.meta, .legend { color: #555; font-size: 0.9em; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff th { text-align: left; background: #f2f2f2; padding: 0.3em 0.6em; }
table.diff td { vertical-align: top; padding: 0.2em 0.6em; border-top: 1px solid #eee;
                white-space: pre-wrap; overflow-wrap: anywhere; width: 50%; }
table.diff td + td { border-left: 1px solid #ccc; }
del { color: #b31d28; background: #ffeef0; }
ins { color: #22863a; background: #e6ffed; text-decoration: none; }
del.strong { background: #fdb8c0; color: #86181d; font-weight: bold; }
ins.strong { background: #acf2bd; color: #144620; font-weight: bold; }
.ctx-del { color: #b31d28; } .ctx-ins { color: #22863a; }
del.moved { color: #6f42c1; background: #f5f0ff; }
ins.moved { color: #0366d6; background: #eef6ff; text-decoration: none; }
"""


def _escape(text: str) -> str:
    return html.escape(_visible(text), quote=True)


def _html_cell(segs: Sequence[Seg], titles: dict[str, str]) -> str:
    parts: list[str] = []
    for text, style in segs:
        if not style:
            parts.append(_escape(text))
            continue
        opening, closing = HTML_TAGS[_base(style)]
        title = titles.get(style, "")
        parts.append(opening.format(title=f' title="{_escape(title)}"' if title else ""))
        parts.append(_escape(text))
        parts.append(closing)
    return "".join(parts)


def render_html(
    pairs: Sequence[tuple[str, TextDiff]],
    *,
    title: str,
    a_label: str = "旧",
    b_label: str = "新",
) -> str:
    """A standalone HTML page: one side-by-side table per section pair, with its heading.

    ``pairs`` are ``(heading, diff)``. Inline CSS, no script, no external resource; every
    document string (headings and labels included) is made visible and HTML-escaped. Moved text
    is found across all the pairs (``find_moves``) and marked where it left and where it
    arrived, with a tooltip naming the other section.
    """
    diffs = [diff for _heading, diff in pairs]
    moves = find_moves(diffs)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_escape(title)}</h1>",
        '<p class="legend"><del>删除</del> <ins>插入</ins> '
        '<del class="strong">改动的字</del> <ins class="strong">改动的字</ins> '
        '<del class="moved">移出</del> <ins class="moved">移入</ins></p>',
    ]
    for index, (heading, diff) in enumerate(pairs):
        out.append(f'<section id="pair-{index + 1}">')
        out.append(f"<h2>{_escape(heading)}</h2>")
        meta = f"相似度 {diff.similarity:.0%}"
        if diff.coarse:
            meta += " · " + COARSE_NOTE
        out.append(f'<p class="meta">{_escape(meta)}</p>')
        out.append('<table class="diff">')
        out.append(f"<thead><tr><th>{_escape(a_label)}</th><th>{_escape(b_label)}</th></tr></thead>")
        out.append("<tbody>")
        titles: dict[str, str] = {}
        for number, move in enumerate(moves):
            if move.a_pair == index:
                titles[f"mdel#{number}"] = f"移至：{pairs[move.b_pair][0]}"
            if move.b_pair == index:
                titles[f"mins#{number}"] = f"移自：{pairs[move.a_pair][0]}"
        for left, right in _blocks(diff, moves, index, True):
            out.append(
                f"<tr><td>{_html_cell(left, titles)}</td><td>{_html_cell(right, titles)}</td></tr>"
            )
        out.append("</tbody></table></section>")
    out.extend(["</body>", "</html>", ""])
    return "\n".join(out)
