"""The policydiff viewer: a Textual app over one ``Comparison``.

``make_app`` is the one factory: the ``policydiff view`` command, ``python -m tui.app`` and
every test build the app through it, so tests drive what users run. ``run`` is the command's
body: it checks the arguments, runs the app in the terminal and returns an exit code.

Rules:
- The app opens at once; reading the documents, aligning, diffing and phrase mining happen in
  thread workers, with a spinner saying which step runs.
- ``--from alignment.json`` reopens an export: the file is loaded strictly (schema, offsets, and
  the sha256 of every input, so a changed input is refused with a clear message), then the
  comparison is rebuilt from the inputs it names.
- Files that cannot be opened are reported on stderr before the screen is taken over.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from tui.messages import ExportWritten
from tui.screens.help import action_doc, key_name
from tui.screens.main import MainScreen

EXIT_OK = 0
EXIT_TROUBLE = 2


class PolicyDiffApp(App[int]):
    """The viewer. Build it with ``make_app``."""

    CSS_PATH = "app.tcss"
    TITLE = "policydiff"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "quit", "Quit", priority=False)]

    def __init__(
        self,
        paths: Sequence[str | Path],
        *,
        from_json: str | Path | None = None,
        encoding: str | None = None,
        themes_file: str | Path | None = None,
        ref: str | None = None,
        threshold: float | None = None,
        pair: tuple[str, str] | None = None,
        export_dir: str | Path = "policydiff-out",
    ) -> None:
        super().__init__()
        self.paths = [str(p) for p in paths]
        self.from_json = str(from_json) if from_json is not None else None
        self.encoding = encoding
        self.themes_file = themes_file
        self.ref = ref
        self.threshold = threshold
        self.initial_pair = pair
        self.export_dir = Path(export_dir)
        self.last_export: ExportWritten | None = None
        self.error = ""
        """Why the documents could not be opened (empty when they could)."""

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen()

    @property
    def main(self) -> MainScreen:
        """The main screen (wherever the screen stack is)."""
        return next(s for s in self.screen_stack if isinstance(s, MainScreen))

    def build_comparison(self) -> Any:
        """Read the inputs into a ``Comparison`` (runs in a worker thread)."""
        from policydiff.align import AlignOptions
        from policydiff.compare import compare

        paths: list[str] = self.paths
        ref = self.ref
        if self.from_json is not None:
            paths, json_ref = inputs_of_export(self.from_json)
            ref = ref or json_ref
        options = AlignOptions(threshold=self.threshold) if self.threshold is not None else None
        return compare(
            paths, encoding=self.encoding, themes_file=self.themes_file, ref=ref, options=options
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette lists every action of the main screen, then Textual's own."""
        main = next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None and screen is main:
            for binding in MainScreen.BINDINGS:
                assert isinstance(binding, Binding)
                yield SystemCommand(
                    binding.description,
                    f"{action_doc(MainScreen, binding.action)} (key: {key_name(binding.key)})",
                    _runner(main, binding.action),
                )
        yield from super().get_system_commands(screen)


def _runner(screen: Screen[Any], action: str) -> Any:
    async def run_action() -> None:
        await screen.run_action(action)

    return run_action


def inputs_of_export(path: str | Path) -> tuple[list[str], str | None]:
    """The input paths an alignment export names (checked: they must still hash the same),
    and the reference document when the export aligned every document against one."""
    from policydiff.export import load_alignment

    data = load_alignment(path)
    base = Path(path).resolve().parent
    paths = []
    for doc in data["documents"]:
        doc_path = Path(doc["path"])
        if not doc_path.is_absolute() and (base / doc_path).exists():
            doc_path = base / doc_path
        paths.append(str(doc_path))
    pairs = [(p["a"], p["b"]) for p in data["pairs"]]
    firsts = {a for a, _ in pairs}
    ref = None
    if len(paths) > 2 and len(firsts) == 1 and len(pairs) == len(paths) - 1:
        ref = next(iter(firsts))
    return paths, ref


def make_app(
    paths: Sequence[str | Path] | None = None,
    *,
    from_json: str | Path | None = None,
    encoding: str | None = None,
    themes_file: str | Path | None = None,
    ref: str | None = None,
    threshold: float | None = None,
    pair: tuple[str, str] | None = None,
    export_dir: str | Path = "policydiff-out",
) -> PolicyDiffApp:
    """The viewer for ``paths`` (the bundled seeds when empty), or for the inputs of an
    alignment export (``from_json``). ``pair`` picks the documents shown first (default: the
    comparison's first pair); ``export_dir`` is the folder the export dialog proposes."""
    if from_json is None and not paths:
        from policydiff.cli import _seed_paths

        paths = _seed_paths()
    return PolicyDiffApp(
        paths or [],
        from_json=from_json,
        encoding=encoding,
        themes_file=themes_file,
        ref=ref,
        threshold=threshold,
        pair=pair,
        export_dir=export_dir,
    )


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``policydiff view`` (and ``python -m tui.app``)."""
    parser.add_argument("files", nargs="*", metavar="FILE", help="documents (default: seeds)")
    parser.add_argument("--from", dest="from_json", metavar="JSON",
                        help="reopen an alignment export (its inputs must be unchanged)")
    parser.add_argument("--encoding", metavar="NAME", help="decode every input with this encoding")
    parser.add_argument("--themes", metavar="FILE", help="use this theme taxonomy (TOML)")
    parser.add_argument("--ref", metavar="DOC", help="align every document against this one")
    parser.add_argument("--threshold", type=float, default=None,
                        help="minimum score for a match (0..1)")


def run(args: argparse.Namespace) -> int:
    """Run the viewer for parsed ``view`` arguments; returns the exit code.

    Uses ``args.files``, ``args.from_json`` and, when present, ``args.encoding``,
    ``args.themes``, ``args.ref``, ``args.threshold``.
    """
    from policydiff.errors import PolicyDiffError
    from policydiff.textsafe import visible

    files = list(getattr(args, "files", None) or [])
    from_json = getattr(args, "from_json", None)
    if from_json and files:
        return _fail("give either files or --from, not both")
    threshold = getattr(args, "threshold", None)
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        return _fail(f"--threshold {threshold}: must be between 0 and 1")
    try:
        if from_json:
            inputs_of_export(from_json)
        else:
            if len(files) == 1:
                return _fail("view needs at least two documents (or none, for the seeds)")
            from policydiff.io import read_text

            # Decode every input now, so that a binary, undecodable or missing file is refused
            # with the same one-line message as the other commands, before the screen is taken.
            for name in files:
                read_text(name, encoding=getattr(args, "encoding", None))
    except PolicyDiffError as exc:
        return _fail(visible(str(exc)))
    app = make_app(
        files,
        from_json=from_json,
        encoding=getattr(args, "encoding", None),
        themes_file=getattr(args, "themes", None),
        ref=getattr(args, "ref", None),
        threshold=threshold,
    )
    app.run()
    if app.error:
        return _fail(visible(app.error))
    return EXIT_OK


def _fail(message: str) -> int:
    print(f"policydiff: {message}", file=sys.stderr)
    return EXIT_TROUBLE


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m tui.app [FILE ...] [--from JSON]``."""
    parser = argparse.ArgumentParser(prog="python -m tui.app", description="policydiff viewer")
    add_view_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
