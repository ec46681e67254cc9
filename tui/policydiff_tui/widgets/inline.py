"""The inline (unified) layout: one pane, each changed row's old lines and then its new ones.

For narrow terminals: the rows are ``policydiff.render.rows``' own (the same rows as side by
side), each wrapped to the one pane's width with ``rows.cell_lines``. A row both sides share
unchanged is shown once (from the left text); any other row shows its left cell's lines, then
its right cell's.

The pane shows one text: the left text followed by the right text (``shift`` is where the
right one starts), so every offset of the right text is ``offset + shift`` there; its gutter
marks a line ``-`` or ``+`` by which text it shows.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from policydiff.diff import TextDiff
from policydiff.render import rows
from policydiff_tui.widgets.diff_pane import PaneLine, RoleSpan


@dataclass(frozen=True)
class InlineLayout:
    """The pane's lines (``left`` and ``right`` are the same lines), the rows, where each change
    begins, and where the right text starts in the pane's text (``shift``)."""

    left: tuple[PaneLine, ...]
    right: tuple[PaneLine, ...]
    rows: tuple[rows.Row, ...]
    changes: tuple[int, ...]
    shift: int

    def line_of(self, side: str, offset: int) -> int:
        """The line showing character ``offset`` of ``side``'s text (``left``/``right``)."""
        want_right = side == "right"
        starts, index_of = [], []
        for k, line in enumerate(self.left):
            if line.span is not None and (line.span[0] >= self.shift) == want_right:
                starts.append(line.span[0])
                index_of.append(k)
        if not index_of:
            return 0
        pos = offset + (self.shift if want_right else 0)
        return index_of[max(bisect.bisect_right(starts, pos) - 1, 0)]

    def side_of(self, line: PaneLine) -> tuple[str, int]:
        """Which text a line shows and its first offset there."""
        assert line.span is not None
        start = line.span[0]
        return ("right", start - self.shift) if start >= self.shift else ("left", start)


def _unchanged(row: rows.Row) -> bool:
    return all(r.role == rows.EQUAL for r in (*row.left, *row.right))


def build_inline_layout(
    diff: TextDiff, width: int, layout_rows: Sequence[rows.Row], texts: tuple[str, str]
) -> InlineLayout:
    """The inline lines of ``diff`` at ``width`` (see the module docstring)."""
    a_text, b_text = texts
    shift = len(a_text)
    lines: list[PaneLine] = []
    changes: list[int] = []
    for index, row in enumerate(layout_rows):
        a_lines = rows.cell_lines(a_text, row.left_span, width)
        if _unchanged(row):
            lines += [PaneLine(span, index, k == 0) for k, span in enumerate(a_lines)]
            continue
        changes.append(len(lines))
        b_lines = [(s + shift, e + shift) for s, e in rows.cell_lines(b_text, row.right_span,
                                                                      width)]
        spans = a_lines + b_lines
        lines += [PaneLine(span, index, k == 0) for k, span in enumerate(spans)]
    if not lines:
        lines.append(PaneLine(None, 0, True))
    merged: list[int] = []
    for line in changes:
        if merged and line - merged[-1] <= 1:
            continue
        merged.append(line)
    return InlineLayout(tuple(lines), tuple(lines), tuple(layout_rows), tuple(merged), shift)


def inline_layers(
    left: Sequence[RoleSpan], right: Sequence[RoleSpan], shift: int
) -> list[RoleSpan]:
    """The highlights of both texts on the pane's one text (the right text's changed tint in
    the right pane's colour: ``changed-right``)."""
    return [*left, *((s + shift, e + shift, RIGHT_ROLES.get(role, role))
                     for s, e, role in right)]


RIGHT_ROLES = {"changed": "changed-right"}
"""Roles whose colour differs by side, as the right text's lines of the inline layout use
them."""
