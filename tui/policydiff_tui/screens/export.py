"""Choose what to export, in which format, into which folder.

What: the section pair on screen, the document pair on screen (as HTML, Markdown or plain
text, through the core's renderers: ``ViewerSession.export_view``), or the report files
``policydiff compare`` writes (``EXPORT_NAMES``: alignment JSON and phrase report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet

from policydiff_tui import sanitize
from policydiff_tui.session import EXPORT_NAMES, VIEW_FORMATS

SCOPES = {
    "section": "this section pair",
    "pair": "this document pair (every changed section pair)",
    "report": "the report files (" + ", ".join(EXPORT_NAMES) + ")",
}
"""What can be exported (key -> label)."""


@dataclass(frozen=True)
class ExportChoice:
    """The folder, whether to overwrite, what (a key of ``SCOPES``) and the format (a key of
    ``VIEW_FORMATS``; unused for the report files)."""

    folder: Path
    force: bool
    scope: str
    fmt: str


class ExportScreen(ModalScreen[ExportChoice | None]):
    """Dismisses with an ``ExportChoice`` or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, folder: Path, *, section: str = "", scope: str = "section",
                 fmt: str = "html") -> None:
        """``section``: how the section pair on screen is named (empty: none on screen)."""
        super().__init__(id="export")
        self.folder = folder
        self.section = section
        self.scope = scope if section or scope != "section" else "pair"
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line("Export what?"))
            with RadioSet(id="export-scope"):
                for key, label in SCOPES.items():
                    text = f"{label}: {self.section}" if key == "section" and self.section \
                        else label
                    yield RadioButton(sanitize.line(text), value=key == self.scope, id=key,
                                      disabled=key == "section" and not self.section)
            with RadioSet(id="export-format"):
                for key, label in VIEW_FORMATS.items():
                    yield RadioButton(sanitize.line(f"{label} (.{key})"),
                                      value=key == self.fmt, id=f"fmt-{key}")
            yield Label(sanitize.line("Into folder (created if missing):"))
            yield Input(value=str(self.folder), id="export-folder")
            yield Checkbox("Overwrite existing files", id="export-force")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-ok")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        chosen = event.pressed.id or ""
        if event.radio_set.id == "export-scope":
            self.scope = chosen
        else:
            self.fmt = chosen.removeprefix("fmt-")

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
        force = self.query_one(Checkbox).value
        self.dismiss(ExportChoice(Path(text).expanduser(), force, self.scope, self.fmt))
