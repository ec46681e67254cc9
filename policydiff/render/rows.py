"""The side-by-side layout of a diff: the one definition, shared by every consumer.

``policydiff.render.terminal`` draws it as text (with or without ANSI colour),
``policydiff.render.html`` as an HTML table, and the viewer
(``policydiff_tui.widgets.side_by_side``) with Textual. None of them decides where a row or a
line breaks: this module does. Plain data, no drawing, no Rich or Textual.

Rules:
- Widths are display columns (``char_width``): East Asian wide and fullwidth characters take
  two, combining and zero-width characters none, everything else one (ambiguous-width
  characters count as one, as in most terminals outside CJK locales). A character is measured
  as it is shown (``shown``): an unsafe character as its ``policydiff.textsafe`` placeholder,
  a tab as four spaces.
- Rows (``side_by_side_rows``): both texts are cut at every paragraph break and (by default)
  every sentence end (``chars.DIFF_SENTENCE_END``) that both sides share in an unchanged run;
  the breaks of a run are paired in order, and only when the run holds as many on each side.
  A shared paragraph break is a row of its own (one blank line between paragraphs). Rows
  tile both texts in order; a row empty on both sides is dropped.
- Cells: the runs of one side of a row, ``(start, end, role, move)`` tiling the row's span of
  that side's text. Roles: ``equal``; ``delete`` (left) and ``insert`` (right); ``replace``
  (a replaced run that was not refined); inside a refined replaced run, ``replace-same`` for
  the characters both sides share and ``replace-changed`` for the others; ``moved`` for
  changed text inside a moved span (``move`` is the index of that move).
- Lines (``wrap``): a cell is soft-wrapped to a width; a line ends before a unit that would
  overflow it (unless the line is still empty, so a wide character never straddles the
  border and a character wider than the column gets a line of its own) and at a ``\\n``
  (which is on no line). A trailing empty line is dropped; an empty cell has no lines. A unit
  is one character as shown: a placeholder or a tab is never split across lines.
- A line never ends inside a number (``3000``, ``1.3``, ``2,000``, with its 万 and 亿:
  ``126万亿``), a percentage (``5.5%``), a date (``2025年3月5日``, ``3月5日``, ``2025-03-05``) or
  a Latin word (``GDP``, ``PM2.5``, ``5G``), in half- or full-width characters (``UNBROKEN``):
  the line ends before it instead, unless it
  starts the line; a date longer than the line is cut between its parts (``2025年`` /
  ``3月5日``), any other run where the line is full.
- A line never starts with closing punctuation (``，。、；！？）》」”…``: ``chars.NO_LINE_START``):
  the character before it (or the whole number, date or word before it) goes to the next line
  with it, and never ends with opening punctuation (``（《「“``: ``chars.NO_LINE_END``), which
  goes down with what it opens; unless that would empty the line (a line of punctuation only is
  cut where it is full).
- Side by side, the shorter cell of a row is padded (blank on a terminal, filler in the
  viewer) so that every row starts on the same line on both sides.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from policydiff.chars import DIFF_SENTENCE_END, NO_LINE_END, NO_LINE_START
from policydiff.diff import EQUAL as EQUAL_TAG
from policydiff.diff import REPLACE as REPLACE_TAG
from policydiff.diff import Move, TextDiff
from policydiff.textsafe import visible

Span = tuple[int, int]

EQUAL = "equal"
DELETE = "delete"
INSERT = "insert"
REPLACE = "replace"
REPLACE_SAME = "replace-same"
REPLACE_CHANGED = "replace-changed"
MOVED = "moved"
ROLES = (EQUAL, DELETE, INSERT, REPLACE, REPLACE_SAME, REPLACE_CHANGED, MOVED)

TAB = "    "
"""How a tab is shown (and measured)."""

COARSE_NOTE = "（粗略比较：文本过长或重复过多，未逐词比较）"
"""The note a renderer puts before a coarse diff (the fallback for oversized input)."""

PARAGRAPH_BREAKS = frozenset("\n")


class Run(NamedTuple):
    """``start:end`` of one side's text in one role; ``move`` indexes the moves for ``moved``
    text (else -1)."""

    start: int
    end: int
    role: str
    move: int = -1


@dataclass(frozen=True)
class Row:
    """One aligned row: the span and runs of each side (``left`` from ``a``, ``right`` from
    ``b``); runs tile their span, a side with nothing in this row has an empty span."""

    left_span: Span
    right_span: Span
    left: tuple[Run, ...]
    right: tuple[Run, ...]


# --------------------------------------------------------------------------- widths


@lru_cache(maxsize=8192)
def char_width(char: str) -> int:
    """Display columns of one character as it is (see the module rules; a tab counts four)."""
    if char == "\t":
        return len(TAB)
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Display columns of a string."""
    return sum(char_width(c) for c in text)


def fit_width(text: str, width: int) -> str:
    """``text`` in exactly ``width`` display columns: cut (ending in ``…``) when wider, padded
    with spaces when narrower; the columns of a text table line up whatever the script."""
    if text_width(text) > width:
        kept, used = [], 0
        for char in text:
            w = char_width(char)
            if used + w > width - 1:
                break
            kept.append(char)
            used += w
        text = "".join(kept) + "…"
    return text + " " * (width - text_width(text))


def shown(char: str) -> str:
    """How one character of a document is shown: its placeholder when unsafe, four spaces for
    a tab, else itself."""
    return TAB if char == "\t" else visible(char)


# --------------------------------------------------------------------------- runs of each side


def side_runs(diff: TextDiff, side: str) -> list[Run]:
    """The runs tiling one side's text (``a`` or ``b``), before moves are marked."""
    runs: list[Run] = []
    changed = DELETE if side == "a" else INSERT
    for op in diff.opcodes:
        lo, hi = (op.a_start, op.a_end) if side == "a" else (op.b_start, op.b_end)
        if lo == hi:
            continue
        if op.tag == EQUAL_TAG:
            runs.append(Run(lo, hi, EQUAL))
        elif op.tag == REPLACE_TAG and diff.refinement(op) != (op,):
            for sub in diff.refinement(op):
                s_lo, s_hi = (sub.a_start, sub.a_end) if side == "a" else (sub.b_start, sub.b_end)
                if s_hi > s_lo:
                    role = REPLACE_SAME if sub.tag == EQUAL_TAG else REPLACE_CHANGED
                    runs.append(Run(s_lo, s_hi, role))
        else:
            runs.append(Run(lo, hi, REPLACE if op.tag == REPLACE_TAG else changed))
    return runs


def overlay_moves(runs: Sequence[Run], spans: Sequence[tuple[int, Span]]) -> list[Run]:
    """Mark the changed parts of ``runs`` that fall inside a moved span as ``moved``.

    ``spans`` are ``(move number, span)``; runs are cut at every span boundary inside them.
    """
    if not spans:
        return list(runs)
    cuts = sorted({p for _number, span in spans for p in span})
    out: list[Run] = []
    for run in runs:
        points = [run.start, *(p for p in cuts if run.start < p < run.end), run.end]
        for start, end in itertools.pairwise(points):
            role, move = run.role, run.move
            if role != EQUAL:
                for number, (s, e) in spans:
                    if s <= start and end <= e:
                        role, move = MOVED, number
                        break
            out.append(Run(start, end, role, move))
    return out


def _sync_points(diff: TextDiff, sentences: bool) -> list[tuple[int, int]]:
    """Positions (in a, in b) after which both sides start a fresh row."""
    breaks = DIFF_SENTENCE_END if sentences else PARAGRAPH_BREAKS
    points: list[tuple[int, int]] = []
    for op in diff.opcodes:
        if op.tag != EQUAL_TAG:
            continue
        a_text = diff.a[op.a_start : op.a_end]
        b_text = diff.b[op.b_start : op.b_end]
        a_ends = [op.a_start + i for i, c in enumerate(a_text) if c in breaks]
        b_ends = [op.b_start + i for i, c in enumerate(b_text) if c in breaks]
        if len(a_ends) != len(b_ends):
            continue
        for i, j in zip(a_ends, b_ends, strict=True):
            if diff.a[i] == "\n" and diff.b[j] == "\n":
                # The paragraph break is a row of its own: one blank line between paragraphs.
                if not points or points[-1] != (i, j):
                    points.append((i, j))
            points.append((i + 1, j + 1))
    return points


def _cut(runs: Sequence[Run], bounds: Sequence[int]) -> list[tuple[Run, ...]]:
    """Split runs tiling a text at ``bounds`` (0, the cuts, the text's length) into cells."""
    cells: list[list[Run]] = [[] for _ in range(len(bounds) - 1)]
    index = 0
    for run in runs:
        start = run.start
        while start < run.end:
            while bounds[index + 1] <= start:
                index += 1
            end = min(run.end, bounds[index + 1])
            cells[index].append(run._replace(start=start, end=end))
            start = end
    return [tuple(cell) for cell in cells]


def side_by_side_rows(
    diff: TextDiff,
    moves: Sequence[Move] | None = None,
    pair: int | None = None,
    *,
    sentences: bool = True,
) -> list[Row]:
    """The aligned rows of ``diff`` (see the module rules).

    ``moves`` default to the diff's own; with ``pair`` only the moves that leave (left) or
    arrive (right) in that pair of a ``find_moves`` list are marked. ``sentences=False`` cuts
    at paragraph breaks only.
    """
    moves = diff.moves if moves is None else moves
    a_moved = [(n, m.a_span) for n, m in enumerate(moves) if pair is None or m.a_pair == pair]
    b_moved = [(n, m.b_span) for n, m in enumerate(moves) if pair is None or m.b_pair == pair]
    left = overlay_moves(side_runs(diff, "a"), a_moved)
    right = overlay_moves(side_runs(diff, "b"), b_moved)
    points = [p for p in _sync_points(diff, sentences) if p != (len(diff.a), len(diff.b))]
    a_bounds = [0, *(p[0] for p in points), len(diff.a)]
    b_bounds = [0, *(p[1] for p in points), len(diff.b)]
    rows: list[Row] = []
    cells = zip(_cut(left, a_bounds), _cut(right, b_bounds), strict=True)
    for k, (a_cell, b_cell) in enumerate(cells):
        a_span, b_span = (a_bounds[k], a_bounds[k + 1]), (b_bounds[k], b_bounds[k + 1])
        if a_cell or b_cell:
            rows.append(Row(a_span, b_span, a_cell, b_cell))
    return rows


# --------------------------------------------------------------------------- lines


_DIGITS = "0-9０-９"
_ALNUM = "0-9A-Za-z０-９Ａ-Ｚａ-ｚ"
_NUMBER_OR_WORD = f"[{_ALNUM}]+(?:[.,:/\\-．，：／－][{_ALNUM}]+)*[%％‰]?"
_FIGURE = f"{_NUMBER_OR_WORD}(?:(?<=[{_DIGITS}])[万亿]+)?"
UNBROKEN = re.compile(
    f"[{_DIGITS}]+年[{_DIGITS}]+月(?:[{_DIGITS}]+日)?|[{_DIGITS}]+月[{_DIGITS}]+日"
    f"|{_FIGURE}"
)
"""What a line never ends inside: a date, or a number (with its 万 / 亿: ``126万亿``), percentage
or Latin word."""
UNBROKEN_PARTS = re.compile(f"[{_DIGITS}]+[年月日]|{_NUMBER_OR_WORD}")
"""Where a date too long for a line may end it: between its parts (``2025年`` ``3月5日``)."""


def run_starts(units: Sequence[str], pattern: re.Pattern[str] = UNBROKEN) -> list[int]:
    """For each unit, the first unit of the run of ``pattern`` it belongs to (itself when it
    belongs to none, or starts one); a unit of several characters ends any run."""
    text = "".join(u if len(u) == 1 else "\0" for u in units)
    starts = list(range(len(units)))
    for match in pattern.finditer(text):
        first, end = match.span()
        for k in range(first + 1, end):
            starts[k] = first
    return starts


def wrap(units: Sequence[str], width: int) -> list[Span]:
    """Soft-wrap display units into lines of at most ``width`` columns (see the module rules).

    A unit is the text one character is shown as (or one character of a marker a renderer
    adds); the unit ``\\n`` ends a line and belongs to none. Returns the lines as
    ``(first, end)`` index ranges into ``units``.
    """
    lines: list[Span] = []
    start = 0
    used = 0
    run_start = run_starts(units)
    part_start: list[int] | None = None
    for k, unit in enumerate(units):
        if unit == "\n":
            lines.append((start, k))
            start, used = k + 1, 0
            continue
        w = text_width(unit)
        if used + w > width and used > 0:
            cut = _line_break(units, run_start, start, k)
            if cut <= start:  # the run is longer than a line: cut between its parts
                part_start = part_start or run_starts(units, UNBROKEN_PARTS)
                cut = part_start[k] if part_start[k] > start else k
            lines.append((start, cut))
            start, used = cut, sum(text_width(u) for u in units[cut:k])
        used += w
    lines.append((start, len(units)))
    if len(lines) > 1 and lines[-1][0] == lines[-1][1]:
        lines.pop()
    return lines


def _line_break(units: Sequence[str], run_start: Sequence[int], start: int, k: int) -> int:
    """Where the line from ``start`` ends when unit ``k`` does not fit: before ``k``, or
    before the run ``k`` is in, or earlier so that the next line starts neither inside a run
    nor with closing punctuation and this one does not end with opening punctuation;
    ``start`` or less when no such place is on the line."""
    cut = k
    while cut > start:
        if units[cut] in NO_LINE_START:
            cut -= 1  # the character before the punctuation goes down with it
        elif run_start[cut] != cut:
            cut = run_start[cut]
        elif units[cut - 1] in NO_LINE_END:
            cut -= 1  # an opening quote or bracket goes down with what it opens
        else:
            return cut
    if run_start[k] > start:  # only punctuation before the break: the number rule alone
        return run_start[k]
    return cut


def cell_lines(text: str, span: Span, width: int) -> list[Span]:
    """The lines of one cell (``span`` of ``text``) wrapped to ``width``, as spans of
    ``text``; an empty cell has none."""
    start, end = span
    if start == end:
        return []
    return [(start + i, start + j) for i, j in wrap([shown(c) for c in text[start:end]], width)]


# --------------------------------------------------------------------------- style names

STYLES = {
    "a": {DELETE: "del", REPLACE: "del", REPLACE_SAME: "del~", REPLACE_CHANGED: "del+",
          MOVED: "mdel"},
    "b": {INSERT: "ins", REPLACE: "ins", REPLACE_SAME: "ins~", REPLACE_CHANGED: "ins+",
          MOVED: "mins"},
}
"""The style names the text and HTML renderers draw a run of each side with: ``del``/``ins``
a whole deleted/inserted (or replaced, unrefined) run, ``~`` the unchanged characters inside a
refined replaced word, ``+`` its changed characters, ``mdel``/``mins`` moved text at its old
and new place; unchanged text has no style (``""``)."""


def style_name(run: Run, side: str) -> str:
    """The style of ``run`` on ``side`` (``a``/``b``); moved text carries its move number
    (``mdel#3``), so that two moves side by side stay apart and a renderer can name where each
    went."""
    if run.role == EQUAL:
        return ""
    name = STYLES[side][run.role]
    return f"{name}#{run.move}" if run.role == MOVED else name


def base_style(style: str) -> str:
    """The style name without a move number (``mdel#3`` -> ``mdel``)."""
    return style.partition("#")[0]
