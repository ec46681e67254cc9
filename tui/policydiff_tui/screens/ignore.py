"""What the row diffs ignore: the CLI's ``--ignore-punctuation``, ``--ignore-width``,
``--ignore-masks`` and ``--ignore-whitespace`` (``DiffOptions``), toggled in the viewer.

Ignoring changes only what is compared, never the text shown (``DiffOptions``' rule).
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label

from policydiff.diff import DiffOptions
from policydiff_tui import sanitize

IGNORES = {
    "ignore_punctuation": "punctuation (，vs , 。vs .)",
    "ignore_width": "full- and half-width forms (１ vs 1)",
    "ignore_masks": "masked figures (＊ ○○ ×× for redacted numbers and names)",
    "ignore_whitespace": "spaces and line breaks",
}
"""The switches of ``DiffOptions`` the dialog offers (field -> what it ignores)."""


class IgnoreScreen(ModalScreen[DiffOptions | None]):
    """Dismisses with the new ``DiffOptions`` (Enter / Apply), or ``None`` (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("enter", "apply", "Apply", priority=True),
    ]

    def __init__(self, options: DiffOptions) -> None:
        super().__init__(id="ignore")
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line("The diffs ignore (space: toggle, Enter: apply):"))
            for field, what in IGNORES.items():
                yield Checkbox(what, getattr(self.options, field), id=field)
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="ignore-ok")
                yield Button("Cancel", id="ignore-cancel")

    def on_mount(self) -> None:
        self.query_one(Checkbox).focus()

    def chosen(self) -> DiffOptions:
        """The options as the boxes say."""
        values = {field: self.query_one(f"#{field}", Checkbox).value for field in IGNORES}
        return dataclasses.replace(self.options, **values)

    def action_apply(self) -> None:
        """Use the ticked boxes."""
        self.dismiss(self.chosen())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.chosen() if event.button.id == "ignore-ok" else None)
