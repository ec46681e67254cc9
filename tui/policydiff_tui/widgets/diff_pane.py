"""One side of the side-by-side diff: a Line API widget that draws only the visible lines.

The pane does not decide where lines break: ``SideBySideDiff`` lays both panes out with
``policydiff.render.rows`` (the layout the terminal and HTML renderers use, so their rows stay
aligned) and hands each pane its lines. The pane turns a line into display content through
``policydiff_tui.sanitize`` with the highlight spans of its side (a tab shown as the four
spaces the layout measured), and caches the result until the layout, the highlights, the width
or the theme change.

Highlight colours are the component classes below, themed in ``colours.tcss`` per palette depth
and light/dark theme; nothing here names a colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from policydiff.render.rows import TAB
from policydiff_tui import sanitize

Span = tuple[int, int]
RoleSpan = tuple[int, int, str]
"""``(start, end, role)`` in one side's text; roles are the suffixes of the component classes
(``deleted``, ``inserted``, ``changed``, ``moved``, ``phrase``, ``phrase-current``, ``search``)."""


@dataclass(frozen=True)
class PaneLine:
    """One screen line of a pane: ``span`` of the side's text, or ``None`` for a filler line
    (padding that keeps rows aligned); ``row`` is the index of its aligned row."""

    span: Span | None
    row: int
    first: bool

ROLES = (
    "changed",
    "changed-right",
    "deleted",
    "inserted",
    "moved",
    "phrase",
    "phrase-current",
    "search",
    "placeholder",
    "filler",
    "note",
    "gutter-change",
    "gutter-moved",
    "gutter-search",
    "line-number",
    "cursor",
)
"""Highlight roles; each is the component class ``side-by-side--<role>``."""

GUTTER = 2
"""Cells left of the text: a change marker and a space."""

CHANGE_ROLES = frozenset({"changed", "changed-right", "deleted", "inserted"})


class DiffPane(ScrollView, can_focus=True):
    """The text of one document of the current section pair, with diff highlights.

    The vertical scrollbar is always shown: a scrollbar that comes and goes with the length of
    the pair would re-arrange the whole screen on every move down the list.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"side-by-side--{role}" for role in ROLES}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.previous_pair", "Previous pair", show=False),
        Binding("down", "screen.next_pair", "Next pair", show=False),
        Binding("shift+up", "scroll_up", "Scroll up", show=False),
        Binding("shift+down", "scroll_down", "Scroll down", show=False),
        Binding("space", "page_down", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    DiffPane {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    def __init__(self, side: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.side = side
        self.text = ""
        self.lines: tuple[PaneLine, ...] = ()
        self.highlights: list[RoleSpan] = []
        self.cursor_line: int | None = None
        self.partner: DiffPane | None = None
        self.split: int | None = None
        """In the inline layout: where the right text starts in ``text`` (its lines are
        marked ``+``, the left text's ``-``)."""
        self._cache: dict[int, Strip] = {}
        self._styles: dict[str, Style] | None = None
        self._cache_width = -1
        self._empty_note = ""

    def notify_style_update(self) -> None:
        # CSS changed (a new theme, focus): component styles must be looked up again.
        super().notify_style_update()
        self._styles = None
        self._cache.clear()

    @property
    def text_width(self) -> int:
        """Cells available for text on one line."""
        return max(4, self.scrollable_content_region.width - GUTTER)

    def show(
        self,
        text: str,
        lines: Sequence[PaneLine],
        layers: Sequence[RoleSpan],
        *,
        note: str = "",
    ) -> None:
        """Show ``lines`` of ``text`` with highlight ``layers`` (drawn in order, later on top).

        ``note`` is a one-line message (app text, not document text) shown at the top when
        ``text`` is empty.
        """
        self.text = text
        self.lines = tuple(lines)
        self.highlights = list(layers)
        self._empty_note = note
        self._cache.clear()
        size = Size(self.scrollable_content_region.width, len(self.lines))
        if size != self.virtual_size:
            # As Widget._size_updated does: a new virtual size needs a new layout only when a
            # scrollbar appears or disappears, which _scroll_update takes care of. Assigning
            # the reactive would re-arrange the whole screen on every pair.
            self.set_reactive(Widget.virtual_size, size)
            self._scroll_update(size)
        self.refresh()

    def set_layers(self, layers: Sequence[RoleSpan]) -> None:
        """Replace the highlight layers (phrases, search hits) without a new layout."""
        self.highlights = list(layers)
        self._cache.clear()
        self.refresh()

    def set_cursor(self, line: int | None) -> None:
        """Mark ``line`` as the current change in the gutter."""
        if line != self.cursor_line:
            self.cursor_line = line
            self._cache.clear()
            self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.partner is not None and self.partner.scroll_y != new_value:
            self.partner.scroll_y = new_value

    def role_styles(self) -> dict[str, Style]:
        """The style of every role (``ROLES``) in this pane, as drawn (the legend uses them)."""
        if self._styles is None:
            self._styles = {role: self._component_style(f"side-by-side--{role}") for role in ROLES}
        return self._styles

    def _component_style(self, name: str) -> Style:
        """The style a component class sets, as a layer over this pane's own style.

        Only what the class sets is in it, so layers combine (an underlined phrase keeps the
        diff colour under it). A translucent background (``$error 45%``) is blended over the
        pane's background here, once; ``get_visual_style(partial=True)`` would blend it with
        transparent black and drops ``reverse``.
        """
        styles = self.get_component_styles(name)
        base = self.visual_style
        background = None
        if styles.has_rule("background"):
            background = base.background + styles.background
        foreground = None
        if styles.has_rule("color"):
            foreground = (background or base.background) + styles.color
        text = styles.text_style if styles.has_rule("text_style") else None
        return Style(
            background=background,
            foreground=foreground,
            bold=text.bold if text else None,
            dim=text.dim if text else None,
            italic=text.italic if text else None,
            underline=text.underline if text else None,
            reverse=text.reverse if text else None,
            strike=text.strike if text else None,
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._cache_width:
            self._cache.clear()
            self._cache_width = width
        index = y + int(self.scroll_y)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._render_pane_line(index, width)
            self._cache[index] = strip
        return strip

    def _render_pane_line(self, index: int, width: int) -> Strip:
        base = self.visual_style
        rich_base = base.rich_style
        styles = self.role_styles()
        if index == 0 and not self.text and self._empty_note:
            content = sanitize.join(["  ", sanitize.line(self._empty_note, styles["note"])])
            return Strip(content.render_segments(base)).adjust_cell_length(width, rich_base)
        if index >= len(self.lines):
            return Strip.blank(width, rich_base)
        line = self.lines[index]
        if line.span is None:
            filler = sanitize.line("╱" * max(0, width - GUTTER), styles["filler"])
            content = sanitize.join(["  ", filler])
        else:
            start, end = line.span
            spans = [
                (max(s, start) - start, min(e, end) - start, styles[role])
                for s, e, role in self.highlights
                if s < end and e > start
            ]
            chunk, spans = _expand_tabs(self.text[start:end], spans)
            text = sanitize.styled(chunk, spans, placeholder=styles["placeholder"])
            roles = {role for s, e, role in self.highlights if s < end and e > start}
            content = sanitize.join([self._gutter(index, roles), text])
        return Strip(content.render_segments(base)).adjust_cell_length(width, rich_base)

    def _gutter(self, index: int, roles: set[str]) -> Content:
        """The change marker of line ``index``: the current change, a search hit, moved text,
        a change."""
        styles = self.role_styles()
        if index == self.cursor_line:
            return sanitize.join([("▶", styles["cursor"]), " "])
        if "search" in roles:
            return sanitize.join([("*", styles["gutter-search"]), " "])
        if "moved" in roles:
            return sanitize.join([("»", styles["gutter-moved"]), " "])
        if roles & CHANGE_ROLES:
            right = self.side == "right"
            span = self.lines[index].span if index < len(self.lines) else None
            if self.split is not None and span is not None:
                right = span[0] >= self.split
            mark = "+" if right else "-"
            return sanitize.join([(mark, styles["gutter-change"]), " "])
        return sanitize.join(["  "])


def _expand_tabs(
    text: str, spans: list[tuple[int, int, Style]]
) -> tuple[str, list[tuple[int, int, Style]]]:
    """``text`` with each tab shown as ``TAB`` (as wide as the layout counted it), and
    ``spans`` moved onto the same characters."""
    if "\t" not in text:
        return text, spans
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (len(TAB) if char == "\t" else 1))
    return text.replace("\t", TAB), [(offsets[s], offsets[e], st) for s, e, st in spans]
