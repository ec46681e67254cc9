"""Keys and colours, generated from the bindings so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Label, Static

from policydiff_tui import sanitize
from policydiff_tui.keys import BindingRow

GENERAL_KEYS = (
    ("↑ ↓  j k", "previous / next section pair"),
    ("PgUp PgDn", "scroll both panes a page up / down (from the section list too)"),
    ("space", "in a pane: scroll both panes a page down"),
    ("Shift+↑ Shift+↓", "in a pane: scroll both panes a line"),
    ("Tab  Shift+Tab", "move between the list and the panes"),
    ("Ctrl+P", "command palette (every action)"),
    ("q", "quit"),
)

LEGEND = (
    ("deleted", "deleted: only in the left text"),
    ("inserted", "inserted: only in the right text"),
    ("changed", "changed: a replaced run, tinted (left, right); where it was compared "
                "character by character, the characters that differ are marked in the strong "
                "colours"),
    ("moved", "moved: a sentence found elsewhere on the other side (left, right)"),
    ("phrase", "shared phrase (phrase panel open)"),
    ("search", "search hit (its colour and weight; the diff colour under it stays; * in "
               "the gutter)"),
    ("placeholder", "control character shown as a placeholder (␛ ␀ ⟨U+009B⟩ …)"),
)
"""The legend: each role, and what it means. Its samples are drawn with the panes' own styles
(``DiffPane.role_styles``): the left pane's, then the right pane's where they differ."""

SAMPLE = "示例 sample"

NOTES = (
    "Similarity (header): the share of both documents' text that lies in matched sections, "
    "each section weighted by its match score.",
    "List marks: ↘ one left section split into several right ones, ↙ several merged into one; "
    "a dash marks the side with no counterpart.",
    "Gutter: - / + a line with changes, » moved text, ▶ the current change (n / p).",
)


class HelpScreen(ModalScreen[None]):
    """Every key of the main screen (``bindings``, from ``policydiff_tui.keys.binding_rows``)
    with what it does, the colour legend, and notes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close")
    ]

    def __init__(
        self,
        bindings: Sequence[BindingRow],
        styles: tuple[Mapping[str, Style], Mapping[str, Style]] | None = None,
    ) -> None:
        """``styles``: the role styles of the left and right pane (``DiffPane.role_styles``)."""
        super().__init__()
        self.key_rows = list(bindings)
        self.pane_styles = styles or ({}, {})

    def sample(self, role: str) -> Content:
        """The legend's sample of ``role``, drawn as the panes draw it."""
        left, right = self.pane_styles
        parts: list[Content | str] = [sanitize.line(SAMPLE, left.get(role, ""))]
        if role in right and right[role] != left.get(role):
            parts += [" ", sanitize.line(SAMPLE, right[role])]
        return sanitize.join(parts)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="help-box"):
            yield Label(sanitize.line("policydiff viewer: keys"), classes="title")
            rows = list(GENERAL_KEYS)
            for binding in self.key_rows:
                if binding.key in ("j", "k"):
                    continue
                what = binding.description if "(" in binding.action else binding.doc
                rows.append((binding.key, what))
            for key, what in rows:
                with Horizontal(classes="help-row"):
                    yield Label(sanitize.line(key), classes="key")
                    yield Static(sanitize.line(what), classes="what")
            yield Label(sanitize.line("Colours"), classes="title")
            for role, what in LEGEND:
                with Horizontal(classes="help-row"):
                    yield Label(self.sample(role), classes=f"legend legend-{role}")
                    yield Static(sanitize.line(what), classes="what")
            yield Label(sanitize.line("Notes"), classes="title")
            for note in NOTES:
                yield Static(sanitize.line(note))

