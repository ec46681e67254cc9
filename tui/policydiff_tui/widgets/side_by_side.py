"""The two diff panes side by side, kept in step.

``SideBySideDiff`` shows the current diff as ``policydiff.render.rows`` lays it out, the same
rows, cells and line breaks as ``policydiff diff`` on a terminal and the HTML page: it wraps
both sides to their panes' widths (``build_layout``: filler lines where one side of a row is
shorter), re-wraps on resize, links the panes' vertical scrolling, and moves between changes.

Rules:
- Both panes always hold the same number of lines (at least one), so scrolling one scrolls the
  other to the same row.
- The colours of a run follow its role (``diff_layers``): a replaced run is ``changed``, the
  differing characters of a refined one also ``deleted``/``inserted``, pure deletions and
  insertions ``deleted``/``inserted``, changed text that moved ``moved``.
- Re-wrapping (resize, another form of the texts) keeps the text at the top of the view at the
  top (the line holding it, not the start of its paragraph).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from policydiff.diff import EQUAL, TextDiff
from policydiff.render import rows
from policydiff_tui.widgets.diff_pane import DiffPane, PaneLine, RoleSpan
from policydiff_tui.widgets.inline import InlineLayout, build_inline_layout, inline_layers

CLASSES = {
    "a": {rows.DELETE: ("deleted",), rows.REPLACE: ("changed",),
          rows.REPLACE_SAME: ("changed",), rows.REPLACE_CHANGED: ("changed", "deleted"),
          rows.MOVED: ("moved",)},
    "b": {rows.INSERT: ("inserted",), rows.REPLACE: ("changed",),
          rows.REPLACE_SAME: ("changed",), rows.REPLACE_CHANGED: ("changed", "inserted"),
          rows.MOVED: ("moved",)},
}
"""The highlight roles (``DiffPane`` component classes) of each layout role, per side, drawn
in this order."""


@dataclass(frozen=True)
class Layout:
    """Both panes' lines (always the same number) and where each change starts."""

    left: tuple[PaneLine, ...]
    right: tuple[PaneLine, ...]
    rows: tuple[rows.Row, ...]
    changes: tuple[int, ...]
    """Line index where each change (a run of changed lines) begins, ascending."""

    def line_of(self, side: str, offset: int) -> int:
        """The line showing character ``offset`` of ``side`` (``left``/``right``)."""
        starts, index_of = _text_lines(self.left if side == "left" else self.right)
        return _line_index(starts, index_of, offset)


def diff_layers(layout_rows: Sequence[rows.Row]) -> tuple[list[RoleSpan], list[RoleSpan]]:
    """The highlight spans of each side (see the module rules)."""
    left = [(r.start, r.end, role) for row in layout_rows for r in row.left
            for role in CLASSES["a"].get(r.role, ())]
    right = [(r.start, r.end, role) for row in layout_rows for r in row.right
             for role in CLASSES["b"].get(r.role, ())]
    return left, right


def build_layout(
    diff: TextDiff, left_width: int, right_width: int,
    layout_rows: Sequence[rows.Row] | None = None,
    texts: tuple[str, str] | None = None,
) -> Layout:
    """Wrap every row of ``diff`` to the pane widths and pad the sides to equal height;
    ``texts`` are the texts shown (default ``diff.a``, ``diff.b``; the same offsets)."""
    layout_rows = list(layout_rows if layout_rows is not None else rows.side_by_side_rows(diff))
    a_text, b_text = texts if texts is not None else (diff.a, diff.b)
    left: list[PaneLine] = []
    right: list[PaneLine] = []
    for index, row in enumerate(layout_rows):
        a_lines = rows.cell_lines(a_text, row.left_span, left_width)
        b_lines = rows.cell_lines(b_text, row.right_span, right_width)
        for k in range(max(len(a_lines), len(b_lines), 1)):
            left.append(PaneLine(a_lines[k] if k < len(a_lines) else None, index, k == 0))
            right.append(PaneLine(b_lines[k] if k < len(b_lines) else None, index, k == 0))
    if not left:
        left.append(PaneLine(None, 0, True))
        right.append(PaneLine(None, 0, True))
    changes = _change_lines(diff, left, right)
    return Layout(tuple(left), tuple(right), tuple(layout_rows), changes)


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


class SideBySideDiff(Horizontal):
    """Two ``DiffPane``s, left and right, showing one section pair."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff: TextDiff | None = None
        self.layout_rows: list[rows.Row] = []
        self.current_layout: Layout | InlineLayout | None = None
        self.roles: tuple[list[RoleSpan], list[RoleSpan]] = ([], [])
        self.overlays: tuple[list[RoleSpan], list[RoleSpan]] = ([], [])
        self.change_index: int | None = None
        self.inline = False
        """One pane: each changed row's old lines, then its new ones (``widgets.inline``)."""
        self.texts: tuple[str, str] = ("", "")
        """The texts shown (the diff's own, or as written: same offsets)."""
        self._widths = (0, 0)
        self._laid_inline = False

    def compose(self) -> ComposeResult:
        yield DiffPane("left", id="left-pane")
        yield DiffPane("right", id="right-pane")

    def on_mount(self) -> None:
        left, right = self.panes
        left.partner, right.partner = right, left

    @property
    def panes(self) -> tuple[DiffPane, DiffPane]:
        return self.query_one("#left-pane", DiffPane), self.query_one("#right-pane", DiffPane)

    def set_titles(
        self, left: Content, right: Content, left_sub: Content, right_sub: Content
    ) -> None:
        """Border titles of the panes (already sanitized content)."""
        a, b = self.panes
        a.border_title, b.border_title = left, right
        a.border_subtitle, b.border_subtitle = left_sub, right_sub

    def show_diff(
        self, diff: TextDiff | None, *, note: str = "", texts: tuple[str, str] | None = None
    ) -> None:
        """Show ``diff`` (left text = ``diff.a``), or nothing with a ``note`` when ``None``;
        ``texts`` are what each side shows in place of ``diff.a``/``diff.b`` (the same
        offsets: the text as written)."""
        self.diff = diff
        self.texts = texts if texts is not None else (diff.a, diff.b) if diff else ("", "")
        self.layout_rows = rows.side_by_side_rows(diff) if diff is not None else []
        self.roles = diff_layers(self.layout_rows)
        self.overlays = ([], [])
        self.change_index = None
        self._relayout(keep_row=False, note=note)

    def set_overlays(self, left: Sequence[RoleSpan], right: Sequence[RoleSpan]) -> None:
        """Highlights drawn over the diff colours (shared phrases, search hits)."""
        self.overlays = (list(left), list(right))
        a, b = self.panes
        if self.inline and isinstance(self.current_layout, InlineLayout):
            a.set_layers(self._inline_layers())
            return
        a.set_layers(self.roles[0] + self.overlays[0])
        b.set_layers(self.roles[1] + self.overlays[1])

    def _inline_layers(self) -> list[RoleSpan]:
        return inline_layers(self.roles[0] + self.overlays[0], self.roles[1] + self.overlays[1],
                             len(self.texts[0]))

    def set_texts(self, texts: tuple[str, str]) -> None:
        """Show other forms of the same texts (as written / normalized), keeping the place."""
        if self.diff is not None and texts != self.texts:
            self.texts = texts
            self._relayout(keep_row=True)

    def set_inline(self, inline: bool) -> None:
        """Show the inline layout (one pane) or side by side, keeping the place."""
        if inline == self.inline:
            return
        self.inline = inline
        self.panes[1].display = not inline
        # Lay out at once for the width the pane will have, so that the first frame already
        # shows the new layout (one frame instead of two); ``_rewrap_if_needed`` corrects a
        # wrong guess (a scroll bar that came or went).
        if self.diff is not None:
            self._relayout(keep_row=True, widths=self._widths_for(self.size.width, inline))
        self.call_after_refresh(self._rewrap_if_needed)

    def lay_out_for(self, width: int) -> None:
        """Lay out now for the ``width`` (columns) this widget is about to have, before the
        frame that gives it that width (a panel beside it comes or goes): the first frame then
        shows the new layout, not the old one clipped or padded until the resize arrives;
        ``_rewrap_if_needed`` corrects a wrong guess."""
        if self.diff is None or width <= 0:
            return
        widths = self._widths_for(width, self.inline)
        if widths != self._widths:
            self._relayout(keep_row=True, widths=widths)

    def diff_width(self, body: Widget, left: Widget, right: Widget) -> int:
        """The width this widget will have in ``body`` between the panels ``left`` and
        ``right`` once Textual lays them out as their ``display`` now says (a hidden panel
        counts 0)."""
        # Mirrors Textual 8's horizontal layout (layouts/horizontal.py with
        # layout.resolve_box_models): a panel's width from its style (a percentage of the
        # container, then min-width and max-width, as Fractions), this widget the 1fr left
        # over, and every box's edges at the running sum of the widths floored to whole columns.
        viewport = self.app.size
        widths = [box_width(p, body.size, viewport) if p.display else Fraction(0)
                  for p in (left, right)]
        start = widths[0]
        return int(start + body.size.width - sum(widths)) - int(start)

    def _widths_for(self, width: int, inline: bool) -> tuple[int, int]:
        """The panes' text widths when this widget is ``width`` columns wide: inline, the left
        pane takes it all (the right one keeps its last width); side by side the panes share it
        as Textual splits two ``1fr`` columns (the left one gets the lower half)."""
        a, b = self.panes
        chrome_a = a.outer_size.width - a.text_width  # borders, scroll bar, gutter
        if inline:
            return max(4, width - chrome_a), self._widths[1]
        # after inline the right pane's sizes are stale: the left one's chrome stands for both
        chrome_b = chrome_a if self._laid_inline else b.outer_size.width - b.text_width
        half = width // 2
        return max(4, half - chrome_a), max(4, width - half - chrome_b)

    def on_resize(self) -> None:
        self._rewrap_if_needed()
        self.call_after_refresh(self._rewrap_if_needed)

    def _rewrap_if_needed(self) -> None:
        a, b = self.panes
        # inline, the right pane is hidden: its width does not count
        shown = (a.text_width, None if self.inline else b.text_width, self.inline)
        laid = (self._widths[0], None if self._laid_inline else self._widths[1],
                self._laid_inline)
        if shown != laid and self.diff is not None:
            self._relayout(keep_row=True)

    def top_offset(self) -> tuple[str, int] | None:
        """The side and text offset of the first text on the top line of the view."""
        layout = self.current_layout
        if layout is None or not layout.left:
            return None
        a, _b = self.panes
        top = min(int(a.scroll_y), len(layout.left) - 1)
        if isinstance(layout, InlineLayout):
            line = next((ln for ln in layout.left[top:] if ln.span is not None), None)
            return layout.side_of(line) if line is not None else None
        for side, lines in (("left", layout.left), ("right", layout.right)):
            for line in lines[top:]:
                if line.span is not None:
                    return side, line.span[0]
        return None

    def _relayout(
        self, *, keep_row: bool, note: str = "", widths: tuple[int, int] | None = None
    ) -> None:
        a, b = self.panes
        keep = self.top_offset() if keep_row else None
        self._widths = widths if widths is not None else (a.text_width, b.text_width)
        self._laid_inline = self.inline
        if self.diff is None:
            self.current_layout = None
            a.show("", (), (), note=note)
            b.show("", (), (), note=note)
            return
        missing = "no counterpart on this side"
        if self.inline:
            layout = build_inline_layout(self.diff, self._widths[0], self.layout_rows,
                                         self.texts)
            self.current_layout = layout
            a.split = layout.shift
            a.show("".join(self.texts), layout.left, self._inline_layers(), note=missing)
            b.show("", (), (), note="")
        else:
            self.current_layout = build_layout(
                self.diff, *self._widths, self.layout_rows, self.texts
            )
            a.split = None
            a.show(self.texts[0], self.current_layout.left, self.roles[0] + self.overlays[0],
                   note=missing)
            b.show(self.texts[1], self.current_layout.right,
                   self.roles[1] + self.overlays[1], note=missing)
        if keep is not None:
            # The line holding the text that was at the top stays at the top (re-wrapping
            # moves it: it is not the start of its paragraph).
            self.scroll_to_line(self.current_layout.line_of(*keep), center=False)
        else:
            a.scroll_to(y=0, animate=False, immediate=True)
        self._mark_change()

    def scroll_to_line(self, line: int, *, center: bool = True) -> None:
        """Bring ``line`` into view (a third from the top when ``center``)."""
        a, _b = self.panes
        y = max(0, line - a.scrollable_content_region.height // 3) if center else line
        a.scroll_to(y=y, animate=False, immediate=True)

    def scroll_to_offset(self, side: str, offset: int) -> None:
        """Bring character ``offset`` of ``side`` (``left``/``right``) into view."""
        if self.current_layout is not None:
            self.scroll_to_line(self.current_layout.line_of(side, offset))

    def scroll_to_offsets(self, left: int, right: int) -> None:
        """Bring character ``left`` of the left text and ``right`` of the right text into view
        together when they fit on one screen, else the left one."""
        if self.current_layout is None:
            return
        a, _b = self.panes
        height = a.scrollable_content_region.height
        top = self.current_layout.line_of("left", left)
        other = self.current_layout.line_of("right", right)
        low, high = min(top, other), max(top, other)
        if high - low < height:
            a.scroll_to(y=max(0, low - (height - (high - low)) // 3), animate=False,
                        immediate=True)
        else:
            self.scroll_to_line(top)

    def current_hunk(self) -> rows.Row | None:
        """The layout row of the current change (``n``/``p``), else the one at the top of the
        view: what ``c`` copies."""
        layout = self.current_layout
        if layout is None or not layout.rows:
            return None
        if self.change_index is not None:
            line = layout.changes[self.change_index]
        else:
            line = min(int(self.panes[0].scroll_y), len(layout.left) - 1)
        return layout.rows[layout.left[line].row]

    def move_change(self, step: int) -> bool:
        """Go to the next (``step=1``) or previous (``-1``) change; ``False`` at either end."""
        if self.current_layout is None or not self.current_layout.changes:
            return False
        changes = self.current_layout.changes
        if self.change_index is None:
            a, _b = self.panes
            top = int(a.scroll_y)
            if step > 0:
                candidates = [k for k, line in enumerate(changes) if line >= top]
                target = candidates[0] if candidates else None
            else:
                candidates = [k for k, line in enumerate(changes) if line < top]
                target = candidates[-1] if candidates else None
        else:
            target = self.change_index + step
            if not 0 <= target < len(changes):
                target = None
        if target is None:
            return False
        self.change_index = target
        self._mark_change()
        self.scroll_to_line(changes[target])
        return True

    def first_or_last_change(self, last: bool) -> None:
        """Put the change cursor on the first (or last) change of the pair."""
        if self.current_layout is not None and self.current_layout.changes:
            self.change_index = len(self.current_layout.changes) - 1 if last else 0
            self._mark_change()
            self.scroll_to_line(self.current_layout.changes[self.change_index])

    def _mark_change(self) -> None:
        line = None
        if self.current_layout is not None and self.change_index is not None and not (
            0 <= self.change_index < len(self.current_layout.changes)
        ):
            # another layout (inline / side by side, a new width) has other changes: the
            # cursor moves to the first change at or after the top of the view
            top = int(self.panes[0].scroll_y)
            later = [k for k, ln in enumerate(self.current_layout.changes) if ln >= top]
            self.change_index = later[0] if later else None
        if self.change_index is not None and self.current_layout is not None:
            line = self.current_layout.changes[self.change_index]
        for pane in self.panes:
            pane.set_cursor(line)


def box_width(widget: Widget, container: Size, viewport: Size) -> Fraction:
    """The width Textual gives ``widget`` (border box, no margin) in ``container``: its
    ``width`` (a percentage, cells), then ``min-width`` and ``max-width``."""
    styles = widget.styles
    width = (styles.width.resolve(container, viewport) if styles.width is not None
             else Fraction(container.width))
    if styles.min_width is not None:
        width = max(width, styles.min_width.resolve(container, viewport))
    if styles.max_width is not None:
        width = min(width, styles.max_width.resolve(container, viewport))
    return width
