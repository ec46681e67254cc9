"""A ``TextDiff`` as terminal text: side by side, or inline.

No Rich or Textual here: terminal colour is plain ANSI SGR, written by this module, and only
when asked for (``color=True``). The layout (rows, widths, wrapping) is
``policydiff.render.rows``; every piece of document text is shown through ``rows.shown``, so an
escape sequence in a report shows as ``␛[2J`` and is never obeyed.

Escape first, style after: the text is made safe character by character, then the SGR codes
are put around it. The coloured output is therefore terminal-safe as it is, and its printer
must not escape it again (that turned the styles themselves into ``␛[31;9m``; the CLI writes
it with ``console.Console.out(styled=True)``).

Rules:
- Side by side, each side takes half of the width (at least 10 columns) and the rows of
  ``rows.side_by_side_rows`` are wrapped to it; the shorter side of a row is padded with blank
  lines. The column border is `` │ ``; trailing spaces are removed.
- Without colour, changes are bracketed: ``[-删除-]`` and ``{+插入+}``; inside a replaced word
  that was refined, only the changed characters are bracketed (新型城[-镇-]化); moved text is
  ``[~…~]`` where it was and ``{~…~}`` where it went. The brackets take columns like text.
- With colour: deleted text red and struck through, inserted green, the changed characters of
  a refined word on a red or green background, moved text magenta (old place) and cyan (new).
  Each styled piece is closed with a reset, so no style leaks into the next cell or line.
- Unchanged text under ignore options (see ``diff``): side by side each side shows its own
  text; the inline view shows the new (``b``) text.
- A coarse diff (the fallback for oversized or repetitive input) starts with a one-line note.
"""

from __future__ import annotations

from collections.abc import Sequence

from policydiff.diff import EQUAL as EQUAL_TAG
from policydiff.diff import REPLACE as REPLACE_TAG
from policydiff.diff import TextDiff
from policydiff.render.rows import (
    COARSE_NOTE,
    DELETE,
    INSERT,
    REPLACE_CHANGED,
    Run,
    base_style,
    overlay_moves,
    shown,
    side_by_side_rows,
    style_name,
    text_width,
    wrap,
)

Seg = tuple[str, str]
"""A run of text and its style name ("" for unchanged text)."""

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
"""SGR parameters per style (``rows.STYLES``), and for the coarse note."""

MARKERS = {
    "del": ("[-", "-]"),
    "del+": ("[-", "-]"),
    "ins": ("{+", "+}"),
    "ins+": ("{+", "+}"),
    "mdel": ("[~", "~]"),
    "mins": ("{~", "~}"),
}
"""Brackets used without colour; styles not listed (``del~``, ``ins~``) are shown plain."""


def column_width(width: int) -> int:
    """Columns of each side for a terminal ``width`` (below 23 counts as 23)."""
    return max(10, (max(width, 23) - len(SEPARATOR)) // 2)


def _units(segs: Sequence[Seg], color: bool) -> tuple[list[str], list[str]]:
    """Display units (``rows.wrap``) of segments and the style of each; without colour the
    changed segments are bracketed. Adjacent segments of one style are merged first, so that
    a change is bracketed once."""
    merged: list[list[str]] = []
    for text, style in segs:
        if merged and merged[-1][1] == style:
            merged[-1][0] += text
        else:
            merged.append([text, style])
    units: list[str] = []
    styles: list[str] = []
    for text, style in merged:
        bracket = not color and base_style(style) in MARKERS
        opening, closing = MARKERS[base_style(style)] if bracket else ("", "")
        units.extend(opening)
        styles.extend("" for _ in opening)
        units.extend(shown(c) for c in text)
        styles.extend(style for _ in text)
        units.extend(closing)
        styles.extend("" for _ in closing)
    return units, styles


def _lines(segs: Sequence[Seg], color: bool, width: int) -> list[tuple[str, int]]:
    """The painted lines of some segments wrapped to ``width``, each with its width."""
    units, styles = _units(segs, color)
    out: list[tuple[str, int]] = []
    for first, end in wrap(units, width):
        parts: list[str] = []
        k = first
        while k < end:
            style = styles[k]
            j = k
            while j < end and styles[j] == style:
                j += 1
            text = "".join(units[k:j])
            parts.append(f"\x1b[{SGR[base_style(style)]}m{text}{RESET}" if color and style
                         else text)
            k = j
        out.append(("".join(parts), sum(text_width(u) for u in units[first:end])))
    return out


def _note(diff: TextDiff, color: bool) -> list[str]:
    if not diff.coarse:
        return []
    return [f"\x1b[{SGR['note']}m{COARSE_NOTE}{RESET}" if color else COARSE_NOTE]


def _cell_segments(text: str, runs: Sequence[Run], side: str) -> list[Seg]:
    return [(text[r.start : r.end], style_name(r, side)) for r in runs]


def render_side_by_side(
    diff: TextDiff, *, color: bool, width: int, sync_sentences: bool = True
) -> str:
    """Old text on the left, new on the right, each soft-wrapped to half of ``width``.

    Returns the lines joined by ``\\n`` (no trailing newline). ``width`` below 23 is treated as
    23 (two 10-column sides and the border).
    """
    column = column_width(width)
    lines = _note(diff, color)
    for row in side_by_side_rows(diff, sentences=sync_sentences):
        left = _lines(_cell_segments(diff.a, row.left, "a"), color, column) if row.left else []
        right = _lines(_cell_segments(diff.b, row.right, "b"), color, column) if row.right else []
        for index in range(max(len(left), len(right))):
            ltext, lwidth = left[index] if index < len(left) else ("", 0)
            rtext = right[index][0] if index < len(right) else ""
            lines.append((ltext + " " * (column - lwidth) + SEPARATOR + rtext).rstrip())
    return "\n".join(lines)


def _inline_segments(diff: TextDiff) -> list[Seg]:
    a_moved = [(n, m.a_span) for n, m in enumerate(diff.moves)]
    b_moved = [(n, m.b_span) for n, m in enumerate(diff.moves)]

    def pieces(side: str, lo: int, hi: int, role: str) -> list[Seg]:
        text, spans = (diff.a, a_moved) if side == "a" else (diff.b, b_moved)
        runs = overlay_moves([Run(lo, hi, role)], spans)
        return [(text[r.start : r.end], style_name(r, side)) for r in runs]

    segs: list[Seg] = []
    for op in diff.opcodes:
        if op.tag == EQUAL_TAG:
            segs.append((diff.b[op.b_start : op.b_end], ""))
            continue
        refined = diff.refinement(op) if op.tag == REPLACE_TAG else (op,)
        if refined == (op,):
            segs.extend(pieces("a", op.a_start, op.a_end, DELETE))
            segs.extend(pieces("b", op.b_start, op.b_end, INSERT))
            continue
        for sub in refined:
            if sub.tag == EQUAL_TAG:
                segs.append((diff.b[sub.b_start : sub.b_end], ""))
            else:
                segs.extend(pieces("a", sub.a_start, sub.a_end, REPLACE_CHANGED))
                segs.extend(pieces("b", sub.b_start, sub.b_end, REPLACE_CHANGED))
    return [(text, style) for text, style in segs if text]


def render_inline(diff: TextDiff, *, color: bool, width: int) -> str:
    """One merged text: unchanged text once, each deletion followed by its insertion.

    Soft-wrapped to ``width`` columns (at least 10); lines joined by ``\\n``.
    """
    lines = _note(diff, color)
    lines.extend(text.rstrip() for text, _w in _lines(_inline_segments(diff), color,
                                                       max(10, width)))
    return "\n".join(lines)
