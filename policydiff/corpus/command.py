"""``policydiff corpus build|phrases|trace|spread|align``: corpus mode as a command of the CLI.

The CLI finds ``CORPUS`` through the entry-point group ``policydiff.commands`` and gives
``run`` the ``Config`` of the options. This module imports nothing heavy: when the corpus
extra (dask, distributed, pyarrow) is missing, every action says so in one line (exit 2).

- ``build FILES... | --manifest CSV -o STORE``: read documents into the store (new ones only);
- ``phrases STORE [--format md|json|csv] [-o FILE]``: the shared phrases, as
  ``policydiff phrases`` finds them;
- ``trace STORE PHRASE [--format md|json]``: first appearance, counts by year, level and
  region, the documents with sentence and source line;
- ``spread STORE [--format md|json]``: formulations spreading from the national level to the
  provinces;
- ``align STORE``: section alignment of the pairs that matter (``align.py``), into the store.

Every action takes ``--scheduler ADDRESS`` (a ``dask.distributed`` scheduler, e.g.
``tcp://host:8786``); without it the work runs on this machine.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policydiff.config import Config
    from policydiff.console import Console
    from policydiff.corpus.run import Runner

EXIT_OK = 0
EXIT_TROUBLE = 2


_CONSOLE_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("-q", "--quiet"), {"action": "store_true"}),
    (("--verbose",), {"action": "store_true"}),
    (("--no-pager",), {"dest": "pager", "action": "store_false"}),
    (("--color",), {"choices": ("auto", "always", "never")}),
)


class CorpusCommand:
    """The ``corpus`` command (see the module docstring)."""

    help = "corpus mode on Dask: build a Parquet store, phrases, trace, spread"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """The actions and their arguments."""
        actions = parser.add_subparsers(dest="corpus_action", metavar="ACTION", required=True)
        p = actions.add_parser("build", help="read documents into a corpus store (new ones only)")
        p.add_argument("files", nargs="*", metavar="FILE")
        p.add_argument("--manifest", metavar="CSV",
                       help="CSV with path,year,region,level (more columns allowed)")
        p.add_argument("-o", "--output", metavar="STORE", required=True, help="the store folder")
        p.add_argument("--encoding", metavar="NAME", default=argparse.SUPPRESS,
                       help="decode every input with this encoding")
        p.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                       help="neither read nor write the per-document cache")
        p.add_argument("--themes", metavar="FILE", default=argparse.SUPPRESS,
                       help="use this theme taxonomy (TOML)")
        p = actions.add_parser("phrases", help="shared phrases (as `policydiff phrases`)")
        p.add_argument("store", metavar="STORE")
        _output_options(p, ("md", "json", "csv"))
        p.add_argument("--min-chars", type=int, default=4,
                       help="shortest phrase, in Chinese characters")
        p = actions.add_parser("trace", help="where and since when a formulation appears")
        p.add_argument("store", metavar="STORE")
        p.add_argument("phrase", metavar="PHRASE")
        _output_options(p, ("md", "json"))
        p = actions.add_parser("spread", help="formulations spreading from national to provinces")
        p.add_argument("store", metavar="STORE")
        _output_options(p, ("md", "json"))
        p.add_argument("--min-chars", type=int, default=4,
                       help="shortest phrase, in Chinese characters")
        p.add_argument("--top", type=int, default=30, help="phrases listed (0: all)")
        p = actions.add_parser("align", help="align the pairs that matter (series, national, "
                               "nearest neighbour); rows into the store")
        p.add_argument("store", metavar="STORE")
        _output_options(p, ("md",))
        p.add_argument("--no-neighbours", action="store_true",
                       help="only series and national pairs")
        for action in actions.choices.values():
            action.add_argument("--scheduler", metavar="ADDRESS",
                                help="a dask.distributed scheduler (tcp://host:8786); "
                                     "default: this machine")
            # the CLI's console options, also after the action (the CLI puts them before it)
            for flags, extra in _CONSOLE_OPTIONS:
                action.add_argument(*flags, default=argparse.SUPPRESS, help=argparse.SUPPRESS,
                                    **extra)

    def run(self, args: argparse.Namespace, config: Config) -> int:
        """Run the action; the exit code."""
        from policydiff.corpus.run import dask_missing
        from policydiff.errors import PolicyDiffError

        missing = dask_missing()
        if missing:
            return _fail(missing)
        console = _console(args)
        try:
            return _ACTIONS[args.corpus_action](args, config, console)
        except PolicyDiffError as exc:
            from policydiff.textsafe import visible

            return _fail(visible(str(exc)))
        finally:
            console.close()


def _output_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument("--format", choices=formats, default=formats[0])
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")


def _console(args: argparse.Namespace) -> Console:
    from policydiff.console import Console

    return Console(color=getattr(args, "color", "auto"), pager=getattr(args, "pager", True),
                   quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False))


def _runner(args: argparse.Namespace, console: Console) -> Runner:
    from policydiff.corpus.run import Runner

    return Runner(args.scheduler, progress=console.progress())


def _emit(args: argparse.Namespace, console: Console, text: str) -> None:
    if args.output and args.output != "-":
        from policydiff.files import write_atomic

        console.wrote(write_atomic(args.output, text, force=args.force))
    else:
        console.out(text)


def _build(args: argparse.Namespace, config: Config, console: Console) -> int:
    from policydiff.corpus.build import build_store
    from policydiff.corpus.manifest import entries_of_files, read_manifest
    from policydiff.errors import InputError

    if bool(args.files) == bool(args.manifest):
        raise InputError("corpus build: give either FILES or --manifest CSV")
    entries = read_manifest(args.manifest) if args.manifest else entries_of_files(args.files)
    with _runner(args, console) as runner:
        result = build_store(entries, args.output, config, runner)
    for path, error in result.failed:
        console.note(f"{path}: not added: {error}")
    console.note(
        f"corpus {args.output}: {result.added} documents added, {result.skipped} already "
        f"there, {len(result.failed)} failed (recorded in the store)"
        + (f", {result.duplicates} duplicates" if result.duplicates else ""))
    return EXIT_OK


def _phrases(args: argparse.Namespace, config: Config, console: Console) -> int:
    from policydiff.corpus.phrases import find_phrases

    with _runner(args, console) as runner:
        result = find_phrases(args.store, runner, min_chars=args.min_chars)
    if result.coarse:  # as `policydiff phrases` says it
        more = f" (and {len(result.coarse) - 1} more)" if len(result.coarse) > 1 else ""
        console.note(f"the phrase list is coarse: {result.coarse[0]}{more}")
    _emit(args, console, _render_phrases(result, args.format))
    return EXIT_OK


def _render_phrases(result: Any, form: str) -> str:
    from policydiff.render.phrases import csv_cell, md_escape

    rows = [{  # the counts by path only for JSON (millions of pairs on a large corpus)
        "text": p.text, "kind": p.kind, "documents": len(p.documents),
        "occurrences": int(p.document_counts.sum()),
        **({"counts": {result.paths[d]: n for d, n in p.counts.items()}}
           if form == "json" else {}),
    } for p in result.phrases]
    if form == "json":
        from policydiff.formats.jsontext import dumps

        return dumps({"format": "policydiff-corpus-phrases@1", "min_chars": result.min_chars,
                      "documents": list(result.paths), "coarse": list(result.coarse),
                      "phrases": rows})
    if form == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["phrase", "kind", "documents", "occurrences"])
        for row in rows:
            writer.writerow([csv_cell(row["text"]), row["kind"], row["documents"],
                             row["occurrences"]])
        return buffer.getvalue()
    lines = [f"# Shared phrases of {len(result.paths)} documents", "",
             f"{len(rows)} phrases of at least {result.min_chars} characters in at least two "
             "documents.", "", "| phrase | kind | documents | occurrences |", "|---|---|---:|---:|"]
    lines += [f"| {md_escape(r['text'])} | {r['kind']} | {r['documents']} | {r['occurrences']} |"
              for r in rows[:100]]
    return "\n".join(lines) + "\n"


def _trace(args: argparse.Namespace, config: Config, console: Console) -> int:
    from policydiff.corpus.trace import render_markdown, trace

    with _runner(args, console) as runner:
        result = trace(args.store, args.phrase, config, runner)
    _emit(args, console, _json(result) if args.format == "json" else render_markdown(result))
    return EXIT_OK


def _spread(args: argparse.Namespace, config: Config, console: Console) -> int:
    from policydiff.corpus.phrases import find_phrases
    from policydiff.corpus.spread import render_markdown, spread

    with _runner(args, console) as runner:
        phrases = find_phrases(args.store, runner, min_chars=args.min_chars)
    result = spread(args.store, phrases, top=args.top)
    _emit(args, console, _json(result) if args.format == "json" else render_markdown(result))
    return EXIT_OK


def _align(args: argparse.Namespace, config: Config, console: Console) -> int:
    from policydiff.corpus.align import align_store, render_markdown

    with _runner(args, console) as runner:
        rows = align_store(args.store, config, runner, neighbours=not args.no_neighbours)
    _emit(args, console, render_markdown(rows))
    return EXIT_OK


def _json(value: Any) -> str:
    from policydiff.formats.jsontext import dumps

    return dumps(value)


_ACTIONS = {"build": _build, "phrases": _phrases, "trace": _trace, "spread": _spread,
            "align": _align}

CORPUS = CorpusCommand()
"""The object the ``policydiff.commands`` entry point names."""


def _fail(message: str) -> int:
    print(f"policydiff: {message}", file=sys.stderr)
    return EXIT_TROUBLE

