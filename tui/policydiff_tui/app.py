"""The policydiff viewer: a Textual app over one ``Comparison``.

``make_app`` is the one factory: the ``view`` command (``policydiff_tui.command``) and every
test build the app through it, so tests drive what users run.

Rules:
- The app opens at once; reading the documents, aligning, diffing and phrase mining happen in
  thread workers (``policydiff_tui.session`` does the work, ``policydiff_tui.screens`` show
  it), with a spinner saying which step runs.
- ``from_json`` reopens an export: the file is loaded strictly (schema, offsets, and the
  sha256 of every input, so a changed input is refused with a clear message), then the
  comparison is rebuilt from the inputs it names.
- The app keeps why the documents could not be shown (``error``) and the last export's
  result (``last_export``): the main screen's messages reach it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from policydiff.config import Config
from policydiff_tui.keys import binding_rows
from policydiff_tui.messages import ComparisonLoaded, ExportWritten
from policydiff_tui.palette import DEPTHS, depth_of
from policydiff_tui.screens.main import MainScreen
from policydiff_tui.session import ViewerSession, open_comparison

if TYPE_CHECKING:
    from policydiff.comparison import Progress


class PolicyDiffApp(App[int]):
    """The viewer. Build it with ``make_app`` (same arguments)."""

    CSS_PATH = ["app.tcss", "colours.tcss"]  # noqa: RUF012 (typed by Textual)
    TITLE = "policydiff"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", priority=False)]

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        config: Config | None = None,
        from_json: str | Path | None = None,
        ref: str | None = None,
        pair: tuple[str, str] | None = None,
        export_dir: str | Path = "policydiff-out",
        labels: Sequence[str] = (),
        palette: str | None = None,
    ) -> None:
        super().__init__()
        self.palette_choice = palette
        self.depth = "truecolor"
        """The palette depth in use (``policydiff_tui.palette``), set on mount."""
        self.paths = [str(p) for p in paths]
        self.labels = tuple(labels)
        self.config = config
        self.from_json = str(from_json) if from_json is not None else None
        self.ref = ref
        self.initial_pair = pair
        self.export_dir = Path(export_dir)
        self.last_export: ExportWritten | None = None
        self.error = ""
        """Why the documents could not be shown (empty when they could)."""

    def on_mount(self) -> None:
        self.set_depth(depth_of(self.console.color_system, self.palette_choice))

    def set_depth(self, depth: str) -> None:
        """Draw the diff colours for palette ``depth`` (``16``, ``256``, ``truecolor``)."""
        for name in DEPTHS:
            self.set_class(name == depth, f"-depth-{name}")
        self.depth = depth

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(self.open_session, pair=self.initial_pair, export_dir=self.export_dir)

    @property
    def main(self) -> MainScreen:
        """The main screen (wherever the screen stack is)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def open_session(self, progress: Progress) -> ViewerSession:
        """Read the inputs into a session (runs in a worker thread)."""
        comparison = open_comparison(
            self.paths, self.config, from_json=self.from_json, ref=self.ref, progress=progress,
            labels=self.labels,
        )
        return ViewerSession(comparison)

    def on_comparison_loaded(self, message: ComparisonLoaded) -> None:
        if message.error:
            self.error = message.error

    def on_export_written(self, message: ExportWritten) -> None:
        self.last_export = message

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette lists every action of the main screen, then Textual's own."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and screen is main:
            for row in binding_rows(MainScreen):
                yield SystemCommand(
                    row.description, f"{row.doc} (key: {row.key})", _runner(main, row.action)
                )
        yield from super().get_system_commands(screen)


def _runner(screen: Screen[Any], action: str) -> Any:
    async def run_action() -> None:
        await screen.run_action(action)

    return run_action


def make_app(
    paths: Sequence[str | Path] | None = None,
    *,
    config: Config | None = None,
    from_json: str | Path | None = None,
    ref: str | None = None,
    pair: tuple[str, str] | None = None,
    export_dir: str | Path = "policydiff-out",
    labels: Sequence[str] = (),
    palette: str | None = None,
) -> PolicyDiffApp:
    """The viewer for ``paths`` (the bundled seeds when empty), or for the inputs of an
    alignment export (``from_json``), read with ``config`` (``Config()`` when None); ``ref``
    aligns every document against that one. ``pair`` picks the documents shown first
    (default: the comparison's first pair); ``export_dir`` is the folder the export dialog
    proposes; ``palette`` forces a palette depth (``policydiff_tui.palette``)."""
    if from_json is None and not paths:
        from policydiff.seeds import seed_paths

        paths = seed_paths()
    return PolicyDiffApp(
        paths or [],
        config=config,
        from_json=from_json,
        ref=ref,
        pair=pair,
        export_dir=export_dir,
        labels=labels,
        palette=palette,
    )

