"""The main screen: section pairs on the left, the two texts side by side, shared phrases.

``MainScreen`` is the keys of ``PairViewScreen`` (``policydiff_tui.screens.pair_view``, which
holds the view state and shows it): moving between rows and changes, swapping the sides, and the
dialogs (search, theme filter, theme matrix, document pairs, export, help), whose answers
change the view state. Heavy work (the export) runs in thread workers, through the session.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Footer

from policydiff_tui.keys import binding_rows
from policydiff_tui.pairs import PairRow, changed
from policydiff_tui.screens.main_changes import ChangeKeys

LIST_MIN_WIDTH = 100
"""Below this many columns the section list hides by itself (``l`` brings it back)."""


class MainScreen(ChangeKeys):
    """Section pairs, side-by-side diff, phrase panel, and the keys that move through them."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The footer shows the keys in this order and cuts what does not fit: essentials first.
        Binding("question_mark", "help", "Help"),
        Binding("n", "next_change", "Next change"),
        Binding("p", "previous_change", "Prev change"),
        Binding("slash", "search", "Search"),
        Binding("period", "next_hit", "Next hit", show=False),
        Binding("comma", "previous_hit", "Previous hit", show=False),
        Binding("d", "choose_pair", "Documents"),
        Binding("l", "toggle_list", "List"),
        Binding("u", "toggle_inline", "Inline"),
        Binding("o", "toggle_script", "As written"),
        Binding("f", "toggle_phrases", "Phrases"),
        Binding("e", "export", "Export"),
        Binding("c", "copy_hunk", "Copy"),
        Binding("C", "copy_section", "Copy section", show=False),
        Binding("x", "change_report", "Changes"),
        Binding("v", "cycle_filter", "Filter rows"),
        Binding("z", "sort_by_change", "Sort"),
        Binding("i", "ignore", "Ignore"),
        Binding("equals_sign", "mark_pair", "Pair", show=False),
        Binding("minus", "unpair", "Unpair", show=False),
        Binding("plus", "add_to_split", "Split", show=False),
        Binding("m", "theme_matrix", "Matrix"),
        Binding("t", "theme_filter", "Policy theme"),
        Binding("s", "swap", "Swap"),
        Binding("j", "next_pair", "Next pair", show=False),
        Binding("k", "previous_pair", "Previous pair", show=False),
        Binding("left_square_bracket", "cycle_pair(-1)", "Previous document pair",
                show=False),
        Binding("right_square_bracket", "cycle_pair(1)", "Next document pair",
                show=False),
    ]

    list_shown: bool | None = None
    """The reader's choice for the section list (``None``: shown from ``LIST_MIN_WIDTH``
    columns on, hidden below)."""

    # ------------------------------------------------------------------ small screens

    def on_resize(self) -> None:
        self._fit_width()

    def _fit_width(self) -> None:
        width = self.size.width
        shown = self.list_shown if self.list_shown is not None else width >= LIST_MIN_WIDTH
        if self.section_list.display != shown:
            self.section_list.display = shown
        if not shown and self.section_list.has_focus:
            self.query_one("#left-pane").focus()
        footer = self.query_one(Footer)
        footer.compact = width < 120
        footer.show_command_palette = width >= 100

    def action_toggle_list(self) -> None:
        """Hide or show the section list (hidden by itself below 100 columns)."""
        self.list_shown = not self.section_list.display
        self._fit_width()
        self.side_by_side.lay_out_for(self._diff_width())

    def _diff_width(self) -> int:
        """The diff's width once the panels beside it are laid out (``diff_width``)."""
        return self.side_by_side.diff_width(self.query_one("#body"), self.section_list,
                                            self.phrase_panel)

    def action_toggle_inline(self) -> None:
        """Inline layout (one pane: old lines, then new ones) or side by side."""
        self.side_by_side.set_inline(not self.side_by_side.inline)
        if self.side_by_side.inline and self.query_one("#right-pane").has_focus:
            self.query_one("#left-pane").focus()

    # ------------------------------------------------------------------ moving

    def action_next_pair(self) -> None:
        """Move to the next section pair."""
        self.section_list.move(1)

    def action_previous_pair(self) -> None:
        """Move to the previous section pair."""
        self.section_list.move(-1)

    def action_next_change(self) -> None:
        """Go to the next change; past the last one, to the next pair that changed."""
        if self.side_by_side.move_change(1):
            return
        self._jump_to_changed_row(1)

    def action_previous_change(self) -> None:
        """Go to the previous change; before the first one, to the previous changed pair."""
        if self.side_by_side.move_change(-1):
            return
        self._jump_to_changed_row(-1)

    def _jump_to_changed_row(self, step: int) -> None:
        if self.current is None or self.current.key not in self._row_index:
            return
        index = self._row_index[self.current.key] + step
        while 0 <= index < len(self.rows):
            row = self.rows[index]
            if changed(row):
                self._after_diff = "last" if step < 0 else "first"
                self.section_list.select_index(index)
                return
            index += step
        self.notify("no more changes", timeout=2)

    def action_page_panes(self, step: int) -> None:
        """Scroll both panes a page down (``step`` 1) or up (-1)."""
        left = self.side_by_side.panes[0]
        if step > 0:
            left.scroll_page_down(animate=False)
        else:
            left.scroll_page_up(animate=False)

    def action_swap(self) -> None:
        """Swap the left and right documents (the same alignment, mirrored)."""
        if self.session is None or not self.left:
            return
        keep = None
        if self.current is not None:
            a, _, b = self.current.key.partition("|")
            keep = f"{b}|{a}"
        self.set_pair(self.right, self.left, keep=keep)

    def action_toggle_phrases(self) -> None:
        """Show or hide the shared-phrase panel (phrases are underlined while it shows)."""
        self.phrase_panel.display = not self.phrase_panel.display
        self.side_by_side.lay_out_for(self._diff_width())
        if self.phrase_panel.display:
            # focus after the first frame: a focus change restyles the screen (~0.2 s), and
            # the panel and the re-wrapped panes should not wait for it
            self.call_after_refresh(self.phrase_panel.focus)
        elif self.phrase_panel.has_focus:
            self.query_one("#left-pane").focus()
        self.phrase_index = None
        self._redraw_overlays()

    def action_toggle_script(self) -> None:
        """Show the text as written (Traditional stays Traditional), or normalized as compared."""
        if self.session is None or not self.left:
            return
        self.original = not self.original
        self.notify("text as written" if self.original
                    else "normalized text (as compared: Simplified, half-width)", timeout=3)
        self._apply_filter(keep=self.current.key if self.current else None)

    def action_cycle_pair(self, step: int) -> None:
        """Go to the next (or previous) document pair of the comparison."""
        if self.session is None or len(self.session.comparison.pairs) < 2:
            return
        pairs = self.session.comparison.pairs
        current = (self.left, self.right)
        if current in pairs:
            index = pairs.index(current)
        elif (self.right, self.left) in pairs:
            index = pairs.index((self.right, self.left))
        else:
            index = 0
        self.set_pair(*pairs[(index + step) % len(pairs)])

    # ------------------------------------------------------------------ themes and pairs

    def action_theme_filter(self) -> None:
        """Show only the section pairs about one policy theme."""
        from policydiff_tui.screens.theme_filter import ThemeFilterScreen

        if self.session is None:
            return
        counts: dict[str, int] = {}
        for row in self.all_rows:
            for theme in {*row.themes, *_tops(row)}:
                counts[theme] = counts.get(theme, 0) + 1
        self.app.push_screen(
            ThemeFilterScreen(self.session.comparison.themes, counts, self.theme_filter),
            self._theme_chosen,
        )

    def _theme_chosen(self, theme: str | None) -> None:
        if theme is None:
            return
        self.set_theme_filter(theme or None)

    def set_theme_filter(self, theme: str | None) -> None:
        """Filter the section list by ``theme`` (``None``: all themes)."""
        self.theme_filter = theme
        if self.session is not None and self.all_rows:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_theme_matrix(self) -> None:
        """Themes × documents: pick a cell to compare."""
        from policydiff_tui.screens.theme_matrix import ThemeMatrixScreen

        if self.session is None:
            return
        self.app.push_screen(
            ThemeMatrixScreen(self.session.comparison, self.left, self.right),
            self._matrix_chosen,
        )

    def _matrix_chosen(self, result: tuple[str | None, str, str] | None) -> None:
        if result is None:
            return
        theme, left, right = result
        self.theme_filter = theme
        if (left, right) != (self.left, self.right):
            self.set_pair(left, right)
        else:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_choose_pair(self) -> None:
        """Choose which two documents to compare."""
        from policydiff_tui.screens.pair_switcher import PairSwitcherScreen

        if self.session is None:
            return
        self.app.push_screen(
            PairSwitcherScreen(self.session, (self.left, self.right)), self._pair_chosen
        )

    def _pair_chosen(self, pair: tuple[str, str] | None) -> None:
        if pair is not None and pair != (self.left, self.right):
            self.set_pair(*pair)

    # ------------------------------------------------------------------ help

    def action_help(self) -> None:
        """Keys and colours."""
        from policydiff_tui.screens.help import HelpScreen

        left, right = self.side_by_side.panes
        styles = (left.role_styles(), right.role_styles())
        self.app.push_screen(HelpScreen(binding_rows(type(self)), styles))


def _tops(row: PairRow) -> list[str]:
    return [sec.themes[0].id for sec in (row.left, row.right) if sec is not None and sec.themes]
