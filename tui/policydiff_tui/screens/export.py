"""Choose the folder for an export (alignment JSON and phrase report)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label

from policydiff_tui import sanitize
from policydiff_tui.session import EXPORT_NAMES


class ExportScreen(ModalScreen[tuple[Path, bool] | None]):
    """Dismisses with ``(folder, overwrite)`` or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, folder: Path) -> None:
        super().__init__(id="export")
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line("Export into folder (created if missing):"))
            yield Input(value=str(self.folder), id="export-folder")
            yield Label(sanitize.line("Writes " + ", ".join(EXPORT_NAMES) + "."), classes="dim")
            yield Checkbox("Overwrite existing files", id="export-force")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-ok":
            self._done()
        else:
            self.dismiss(None)

    def _done(self) -> None:
        text = self.query_one(Input).value.strip()
        if not text:
            self.notify("Give a folder", severity="warning")
            return
        self.dismiss((Path(text).expanduser(), self.query_one(Checkbox).value))
