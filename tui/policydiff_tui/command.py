"""``policydiff view``: the viewer as a command of the CLI.

The CLI finds ``VIEW`` through the entry-point group ``policydiff.commands`` (the core never
imports the viewer, and the viewer never imports the CLI). The CLI adds the options every
comparing command has (``--encoding``, ``--no-cache``, ``--themes``, ``--ref``,
``--threshold``) and turns them into the ``Config`` that ``run`` gets; ``add_arguments`` adds
only the viewer's own.

Rules:
- Files that cannot be opened are refused on stderr, in one line with exit code 2, before the
  screen is taken over; so is an alignment export that no longer matches its inputs.
- Standard output must be a terminal: ``policydiff view a b | head`` is refused the same way
  (a full-screen app written into a pipe is escape codes nobody reads).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI loads this module to build its parser: nothing heavy at import
    from policydiff.config import Config

EXIT_OK = 0
EXIT_TROUBLE = 2

NOT_A_TERMINAL = (
    "view needs a terminal on standard output, not a pipe or a file "
    "(use 'policydiff diff' for text)"
)


class ViewCommand:
    """The ``view`` command (see the module docstring)."""

    help = "open the side-by-side viewer (default: the bundled seeds)"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The viewer's own arguments: the documents, or an export to reopen."""
        parser.add_argument("files", nargs="*", metavar="FILE", help="documents (default: seeds)")
        parser.add_argument("--from", dest="from_json", metavar="JSON",
                            help="reopen an alignment export (its inputs must be unchanged)")
        parser.add_argument("--palette", choices=("auto", "16", "256", "truecolor"),
                            default=None,
                            help="colours the terminal shows (default: what it says; "
                                 "also POLICYDIFF_PALETTE)")

    def run(self, args: argparse.Namespace, config: Config) -> int:
        """Check the arguments, run the viewer in the terminal; the exit code."""
        from policydiff.decode import read_text
        from policydiff.errors import PolicyDiffError
        from policydiff.textsafe import visible
        from policydiff_tui.app import make_app
        from policydiff_tui.session import inputs_of_export

        files = list(args.files or [])
        from_json = args.from_json
        if from_json and files:
            return _fail("give either files or --from, not both")
        try:
            if from_json:
                inputs_of_export(from_json)
            elif len(files) == 1:
                return _fail("view needs at least two documents (or none, for the seeds)")
            else:
                # Decode every input now, so that a binary, undecodable or missing file is
                # refused with the same one-line message as the other commands.
                for name in files:
                    read_text(name, encoding=config.encoding)
        except PolicyDiffError as exc:
            return _fail(visible(str(exc)))
        if not _stdout_is_terminal():
            return _fail(NOT_A_TERMINAL)
        app = make_app(
            files, config=config, from_json=from_json, ref=getattr(args, "ref", None),
            labels=getattr(args, "label", None) or (), palette=args.palette,
        )
        app.run()
        if app.error:
            return _fail(visible(app.error))
        return EXIT_OK


VIEW = ViewCommand()
"""The object the ``policydiff.commands`` entry point names."""


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def _fail(message: str) -> int:
    print(f"policydiff: {message}", file=sys.stderr)
    return EXIT_TROUBLE

