"""Side-by-side layout of one diff: paragraph rows that stay aligned when soft-wrapped.

Plain data, no widgets. A diff (``policydiff.diff.TextDiff``) of the left text against the
right text is cut into *rows* at the paragraph breaks the two sides share (a ``\\n`` inside an
``equal`` run); each row is wrapped to its pane's width and the shorter side is padded with
filler lines, so the two panes scroll line for line and a paragraph always starts on the same
screen row on both sides.

Rules:
- Rows tile both texts: row ``k`` holds ``left[a0:a1]`` and ``right[b0:b1]``; the first starts
  at 0, each starts where the previous ended, the last ends at the end of each text.
- A paragraph break inside a changed run is a hard break within its row (one side only).
- Wrapping counts terminal cells (a Chinese character is two), breaks anywhere (Chinese has no
  spaces) but does not start a line with closing punctuation (，。、；：？！…) when the
  previous character can move down with it, and never splits a wide character.
- An unsafe character takes the width of its visible placeholder (``policydiff.textsafe``).
- Empty texts give one empty row, so a pane never has zero lines.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

from policydiff.diff import DELETE, EQUAL, INSERT, REPLACE, TextDiff
from policydiff.textsafe import visible

Span = tuple[int, int]
RoleSpan = tuple[int, int, str]
"""``(start, end, role)`` in one side's text; roles are the suffixes of the component classes
(``deleted``, ``inserted``, ``changed``, ``moved``, ``phrase``, ``phrase-current``, ``search``)."""

NO_LINE_START = frozenset("，。、；：？！）》」』”’〕】…—,.;:?!)]%％")
"""Characters that should not begin a wrapped line (kinsoku)."""


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Cells taken by ``char`` once made visible (placeholders included)."""
    shown = visible(char)
    if shown != char:
        return cell_len(shown)
    if char == "\t":
        return 1
    return get_character_cell_size(char)


def wrap_offsets(text: str, width: int) -> list[Span]:
    """Lines of ``text`` (no ``\\n`` inside) as ``(start, end)`` spans at most ``width`` cells
    wide (a single character wider than ``width`` gets a line of its own)."""
    width = max(2, width)
    lines: list[Span] = []
    start = 0
    used = 0
    widths = [char_width(c) for c in text]
    k = 0
    n = len(text)
    while k < n:
        w = widths[k]
        if used + w > width and k > start:
            cut = k
            if text[k] in NO_LINE_START and k - 1 > start and widths[k - 1] + w <= width:
                cut = k - 1
            lines.append((start, cut))
            start = cut
            used = sum(widths[start:k])
            continue
        used += w
        k += 1
    lines.append((start, n))
    return lines


@dataclass(frozen=True)
class Row:
    """One aligned paragraph row: the left span, the right span, and whether it changed."""

    left: Span
    right: Span
    changed: bool


def aligned_rows(diff: TextDiff) -> list[Row]:
    """Cut the two texts at the paragraph breaks they share (see module rules)."""
    cuts: list[tuple[int, int]] = []
    for op in diff.opcodes:
        if op.tag != EQUAL or (op.a_end - op.a_start) != (op.b_end - op.b_start):
            continue
        chunk = diff.a[op.a_start : op.a_end]
        pos = chunk.find("\n")
        while pos != -1:
            cuts.append((op.a_start + pos + 1, op.b_start + pos + 1))
            pos = chunk.find("\n", pos + 1)
    end = (len(diff.a), len(diff.b))
    bounds = [(0, 0), *[c for c in cuts if c != end], end]
    changes = [
        (op.a_start, op.a_end, op.b_start, op.b_end) for op in diff.opcodes if op.tag != EQUAL
    ]
    rows: list[Row] = []
    for (a0, b0), (a1, b1) in itertools.pairwise(bounds):
        if a0 == a1 and b0 == b1 and rows:
            continue
        changed = any((s < a1 and e > a0) or (bs < b1 and be > b0) for s, e, bs, be in changes)
        rows.append(Row((a0, a1), (b0, b1), changed))
    return rows or [Row((0, 0), (0, 0), False)]


def diff_roles(diff: TextDiff) -> tuple[list[RoleSpan], list[RoleSpan]]:
    """The highlight spans of each side, lightest first (later spans are drawn on top).

    A ``replace`` run is ``changed`` on both sides; where it was refined character by character
    the characters that differ are ``deleted`` (left) or ``inserted`` (right) on top of it. Pure
    deletions and insertions are ``deleted`` / ``inserted``; moved sentences are ``moved``.
    """
    left: list[RoleSpan] = []
    right: list[RoleSpan] = []
    strong_left: list[RoleSpan] = []
    strong_right: list[RoleSpan] = []
    for op in diff.opcodes:
        if op.tag == DELETE:
            strong_left.append((op.a_start, op.a_end, "deleted"))
        elif op.tag == INSERT:
            strong_right.append((op.b_start, op.b_end, "inserted"))
        elif op.tag == REPLACE:
            left.append((op.a_start, op.a_end, "changed"))
            right.append((op.b_start, op.b_end, "changed"))
            parts = diff.refinement(op)
            if parts == (op,):
                continue
            for part in parts:
                if part.tag in (DELETE, REPLACE) and part.a_end > part.a_start:
                    strong_left.append((part.a_start, part.a_end, "deleted"))
                if part.tag in (INSERT, REPLACE) and part.b_end > part.b_start:
                    strong_right.append((part.b_start, part.b_end, "inserted"))
    moved_left = [(m.a_span[0], m.a_span[1], "moved") for m in diff.moves if m.a_pair == 0]
    moved_right = [(m.b_span[0], m.b_span[1], "moved") for m in diff.moves if m.b_pair == 0]
    return left + strong_left + moved_left, right + strong_right + moved_right


@dataclass(frozen=True)
class PaneLine:
    """One screen line of a pane: ``span`` of the side's text, or ``None`` for a filler line
    (padding that keeps rows aligned); ``row`` is the index of its aligned row."""

    span: Span | None
    row: int
    first: bool


@dataclass(frozen=True)
class Layout:
    """Both panes' lines (always the same number) and where each change starts."""

    left: tuple[PaneLine, ...]
    right: tuple[PaneLine, ...]
    rows: tuple[Row, ...]
    changes: tuple[int, ...]
    """Line index where each change (a run of changed lines) begins, ascending."""

    def line_of(self, side: str, offset: int) -> int:
        """The line showing character ``offset`` of ``side`` (``left``/``right``)."""
        starts, index_of = _text_lines(self.left if side == "left" else self.right)
        return _line_index(starts, index_of, offset)


def _side_lines(text: str, span: Span, width: int) -> list[Span]:
    """Wrapped lines of one side of a row (hard breaks at ``\\n``, which is not shown)."""
    start, end = span
    chunk = text[start:end]
    if chunk.endswith("\n"):
        chunk = chunk[:-1]
    lines: list[Span] = []
    offset = start
    for para in chunk.split("\n"):
        for s, e in wrap_offsets(para, width):
            lines.append((offset + s, offset + e))
        offset += len(para) + 1
    return lines


def build_layout(
    diff: TextDiff,
    left_width: int,
    right_width: int,
    rows: Sequence[Row] | None = None,
) -> Layout:
    """Wrap every row of ``diff`` to the pane widths and pad the sides to equal height."""
    rows = list(rows if rows is not None else aligned_rows(diff))
    left: list[PaneLine] = []
    right: list[PaneLine] = []
    for index, row in enumerate(rows):
        a_lines = _side_lines(diff.a, row.left, left_width)
        b_lines = _side_lines(diff.b, row.right, right_width)
        if row.left[0] == row.left[1]:
            a_lines = []
        if row.right[0] == row.right[1]:
            b_lines = []
        height = max(len(a_lines), len(b_lines), 1)
        for k in range(height):
            left.append(PaneLine(a_lines[k] if k < len(a_lines) else None, index, k == 0))
            right.append(PaneLine(b_lines[k] if k < len(b_lines) else None, index, k == 0))
    changes = _change_lines(diff, left, right)
    return Layout(tuple(left), tuple(right), tuple(rows), changes)


def _text_lines(lines: Sequence[PaneLine]) -> tuple[list[int], list[int]]:
    """Start offsets of the lines that show text, and their line indices."""
    starts, index_of = [], []
    for k, line in enumerate(lines):
        if line.span is not None:
            starts.append(line.span[0])
            index_of.append(k)
    return starts, index_of


def _line_index(starts: list[int], index_of: list[int], pos: int) -> int:
    k = bisect.bisect_right(starts, pos) - 1
    return index_of[max(k, 0)] if index_of else 0


def _change_lines(
    diff: TextDiff, left: Sequence[PaneLine], right: Sequence[PaneLine]
) -> tuple[int, ...]:
    """First line of each change; changes that start on neighbouring lines count as one."""
    a_starts, a_index = _text_lines(left)
    b_starts, b_index = _text_lines(right)
    found: set[int] = set()
    for op in diff.opcodes:
        if op.tag == EQUAL:
            continue
        if op.a_end > op.a_start:
            found.add(_line_index(a_starts, a_index, op.a_start))
        if op.b_end > op.b_start:
            found.add(_line_index(b_starts, b_index, op.b_start))
    merged: list[int] = []
    for line in sorted(found):
        if merged and line - merged[-1] <= 1:
            continue
        merged.append(line)
    return tuple(merged)
