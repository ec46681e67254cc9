"""The ``policydiff`` command line: parse the options, build a ``Config``, run the core, render.

Data goes to stdout, diagnostics to stderr. Exit codes: ``diff`` follows diff(1) (0 no
differences, 1 differences, 2 trouble); every other command exits 0 when it did its job and 2
on trouble, and ``compare``/``align`` take ``--exit-code`` to exit 1 when the documents differ
(as ``git diff --exit-code`` does). Every user-caused failure is one line (``policydiff: …``)
and exit code 2; a traceback only with ``--debug``. Slow imports (jieba, OpenCC, Textual)
happen inside the subcommand that needs them, so ``policydiff --help`` stays fast.

Commands of other packages (the viewer's ``view``) plug in through the entry-point group
``policydiff.commands``: an object with ``help`` (one line), ``add_arguments(parser)`` and
``run(args, config) -> exit code``. The CLI gives every such command the comparison options
(``--encoding``, ``--no-cache``, ``--themes``, ``--ref``, ``--threshold``) and a ``Config``.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.config import Config
    from policydiff.console import Console
    from policydiff.outputs import Outputs
    from policydiff.overrides import Overrides

EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2

PLUGIN_GROUP = "policydiff.commands"
"""Entry-point group of commands that other packages add (``view``)."""

DESCRIPTION = (
    "Compare Chinese policy documents (government work reports, plan proposals, party "
    "reports) section by section."
)
EPILOG = (
    "exit codes: 0 done (diff: no differences), 1 diff found differences (compare and align "
    "too with --exit-code), 2 trouble (one line on stderr)"
)
EXIT_CODE_HELP = "exit with 1 when the documents differ (else 0 on success), like git diff"


# --------------------------------------------------------------------------- parsing


class _Parser(argparse.ArgumentParser):
    """argparse with the house rule for errors: one line and exit code 2 (argparse prints the
    whole usage first, several lines for ``diff``); the usage stays one ``--help`` away."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_TROUBLE, f"{self.prog}: {_one_line(message)}; see `{self.prog} --help`\n")


MAX_PHRASE_MIN = 100
"""Largest ``--min-chars``: longer shared passages are found anyway, as longer phrases."""

MAX_WIDTH = 1000
"""Widest text output (``--width``, ``COLUMNS``): wider gains nothing and costs memory."""


def _in_range(lo: int, hi: int, *, zero: str = "") -> Callable[[str], int]:
    """An argparse type: an integer in ``[lo, hi]`` (or 0 when ``zero`` says what 0 means)."""

    def parse(text: str) -> int:
        value = int(text)  # a ValueError: argparse says "invalid int value: 'x'"
        if not (lo <= value <= hi or (zero and value == 0)):
            also = f" (or 0: {zero})" if zero else ""
            raise argparse.ArgumentTypeError(f"{value} is not between {lo} and {hi}{also}")
        return value

    parse.__name__ = "int"
    return parse


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding", metavar="NAME", help="decode every input with this encoding (e.g. gbk, big5)"
    )


def _add_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache", action="store_true",
        help="neither read nor write the per-document cache (also: POLICYDIFF_NO_CACHE=1)",
    )


def add_compare_options(parser: argparse.ArgumentParser) -> None:
    """The options of every command that compares documents (plug-ins get them too)."""
    _add_input_options(parser)
    _add_cache_option(parser)
    parser.add_argument("--themes", metavar="FILE", help="use this theme taxonomy (TOML)")
    parser.add_argument(
        "--ref", metavar="DOC",
        help="align every document against this one (a path, d1, d2… or a label)",
    )
    parser.add_argument(
        "--label", metavar="NAME", action="append", default=[],
        help="name the next input in tables, JSON, CSV columns, pages and the viewer (repeat, "
        "in input order; default: derived from title and file name, e.g. 北京, 2025)",
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="minimum score for a match (0..1)"
    )
    parser.add_argument(
        "--all-pairs", action="store_true",
        help="align every pair of documents (by default, above 12 documents: consecutive "
        "documents of a series and each document's 3 most similar ones)",
    )
    parser.add_argument(
        "--series", action="store_true",
        help="the documents, in the given order, are one series (e.g. years of one issuer): "
        "pair them consecutively and report new/dropped phrases between them",
    )
    parser.add_argument(
        "--overrides", metavar="FILE",
        help="an analyst's pairs, unpairs and splits (TOML; default: "
        "policydiff-overrides.toml beside the first document, if there is one)",
    )


CSV_TABLES = (
    "phrases", "occurrences", "overlap", "changes", "themes", "alignment", "documents",
)
"""The tables ``phrases --format csv --table`` writes (``policydiff.records.TABLES``)."""


def _add_bom_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-bom", action="store_true",
        help="CSV without the UTF-8 byte-order mark (by default it has one, so that Excel "
        "reads UTF-8; never on a terminal)",
    )


def _add_output_options(parser: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    parser.add_argument("--format", choices=tuple(formats), default=formats[0])
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    parser.add_argument("--force", action="store_true", help="overwrite an existing output file")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policydiff", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"policydiff {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("normalize", help="print the normalized text of a document")
    p.add_argument("file")
    p.add_argument("--explain", action="store_true", help="list what each step changed, and where")
    _add_input_options(p)

    p = sub.add_parser("sections", help="print the heading tree of a document")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the sections as JSON")
    p.add_argument("--depth", type=_in_range(1, 50, zero="all levels"), default=0,
                   help="show only this many levels (0 = all)")
    _add_input_options(p)
    _add_cache_option(p)

    p = sub.add_parser("align", help="align the sections of two or more documents")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", metavar="PATH", help="write the alignment JSON here ('-' = stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--exit-code", action="store_true", help=EXIT_CODE_HELP)
    add_compare_options(p)

    p = sub.add_parser(
        "diff", help="word-level diffs of the aligned sections of two documents",
        epilog="exit codes: 0 no differences, 1 differences, 2 trouble",
    )
    p.add_argument("files", nargs=2, metavar="FILE")
    p.add_argument("--section", metavar="ID", help="only the pair containing this section id")
    _add_output_options(p, ("text", "json", "html"))
    p.add_argument("--width", type=_in_range(20, MAX_WIDTH, zero="detected"), default=0,
                   help="terminal width (default: detected)")
    p.add_argument("--inline", action="store_true", help="inline diff even on a wide terminal")
    p.add_argument("--all", action="store_true", help="also show pairs without differences")
    for flag, what in (
        ("punctuation", "punctuation"),
        ("width", "full/half width and quote style"),
        ("masks", "masked placeholders (*, xx, ○○)"),
        ("whitespace", "whitespace"),
    ):
        p.add_argument(f"--ignore-{flag}", action="store_true", help=f"ignore {what}")
    add_compare_options(p)

    p = sub.add_parser("phrases", help="shared phrases and the phrase-overlap report")
    p.add_argument("files", nargs="+", metavar="FILE")
    _add_output_options(p, ("md", "json", "csv", "html"))
    p.add_argument(
        "--min-chars", type=int, default=4, help="shortest phrase, in Chinese characters"
    )
    p.add_argument("--no-changes", action="store_true",
                   help="skip new/dropped phrases between consecutive documents")
    p.add_argument(
        "--table", metavar="NAME", default="phrases", choices=(*CSV_TABLES, "all"),
        help="with --format csv: which table (" + ", ".join(CSV_TABLES) + "; default phrases), "
        "or all: one NAME.csv each into the folder -o DIR",
    )
    _add_bom_option(p)
    add_compare_options(p)

    _add_changes_parser(sub)

    for name, plugin in _plugins().items():
        p = sub.add_parser(name, help=plugin.help)
        plugin.add_arguments(p)
        add_compare_options(p)

    p = sub.add_parser("compare", help="align, diff and mine phrases; write the results")
    p.add_argument("files", nargs="*", metavar="FILE", help="documents (default: bundled seeds)")
    p.add_argument("-o", "--output", metavar="DIR", default="policydiff-out", help="output folder")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    p.add_argument("--exit-code", action="store_true", help=EXIT_CODE_HELP)
    p.add_argument(
        "--pair-pages", choices=("auto", "all", "none"), default="auto",
        help="which pair pages diff-dA-dB.html to write beside index.html and phrases.html: "
        "auto (default) every pair up to 10 pairs, beyond that each document against --ref, "
        "else consecutive documents of each series (found by name, or with --series in "
        "input order, d1-d2, d2-d3, ...; none for peers); all: every aligned pair; none: no "
        "pair pages",
    )
    _add_bom_option(p)
    add_compare_options(p)
    for command in sub.choices.values():
        _add_console_options(command, top=False)
    _add_console_options(parser, top=True)
    return parser


def _add_changes_parser(sub: Any) -> None:
    """The ``changes`` command's options (the change report of ``policydiff.changes``)."""
    p = sub.add_parser(
        "changes", help="what changed from A to B: targets and indicators, new, dropped and "
        "renamed formulations, themes; each cited as file:line",
    )
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="the old and the new document (two; before or after --context)")
    from policydiff.changes.command import FORMATS

    _add_output_options(p, FORMATS)
    p.add_argument("--top", type=_in_range(1, 10_000), default=30,
                   help="formulations listed in each list (text, md, html; json has all)")
    p.add_argument(
        "--context", metavar="FILE", nargs="+", action="extend", default=[],
        help="other reports of the same kind (earlier years, other provinces): a formulation "
        "they already have is not new, and peers' distinctive ones are against them too "
        "(default: the other *.txt reports beside A and B); with --context first, the last "
        "two files are A and B",
    )
    p.add_argument("--no-context", action="store_true",
                   help="compare A and B alone, without the reports beside them")
    _add_bom_option(p)
    add_compare_options(p)


def _add_console_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """The options of every command about what reaches the terminal (``console.py``); they
    go before or after the command (``policydiff diff a b --color=always``)."""
    from policydiff.console import COLOR_CHOICES

    taken = parser._option_string_actions  # a plug-in may have its own (it keeps them)
    default = (lambda value: value) if top else (lambda value: argparse.SUPPRESS)
    options: list[tuple[tuple[str, ...], dict[str, Any]]] = [
        (("--color",), dict(choices=COLOR_CHOICES, default=default("auto"), help=(
            "colour: auto (the default: on a terminal, off with NO_COLOR, on with "
            "FORCE_COLOR), always, never"))),
        (("--no-pager",), dict(dest="pager", action="store_false", default=default(True),
                               help="never send long output through the pager ($PAGER, less)")),
        (("-q", "--quiet"), dict(action="store_true", default=default(False),
                                 help="no warnings, notes or 'wrote' lines (errors still)")),
        (("--verbose",), dict(action="store_true", default=default(False),
                              help="every warning on its own line (else one per document)")),
    ]
    for flags, kwargs in options:
        if not any(flag in taken for flag in flags):
            parser.add_argument(*flags, **kwargs)


def _version() -> str:
    from policydiff import __version__

    return __version__


class _BrokenPlugin:
    """A plug-in that is installed but cannot be loaded: its command says why, in one line."""

    def __init__(self, name: str, error: Exception) -> None:
        self.help = f"(unavailable: {name} could not be loaded)"
        self.error = f"{name} is installed but cannot be loaded ({error}); reinstall policydiff"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE")

    def run(self, args: argparse.Namespace, config: Config) -> int:
        return _fail(self.error)


@functools.cache
def _plugins() -> dict[str, Any]:
    """The commands other installed packages add, by name (built-in names cannot be taken)."""
    from importlib.metadata import entry_points

    found: dict[str, Any] = {}
    for point in sorted(entry_points(group=PLUGIN_GROUP), key=lambda p: p.name):
        if point.name in BUILTIN_COMMANDS or point.name in found:
            continue
        try:
            found[point.name] = point.load()
        except Exception as exc:  # a broken plug-in must not take the other commands down
            found[point.name] = _BrokenPlugin(point.name, exc)
    return found


def config_from_args(args: argparse.Namespace) -> Config:
    """The ``Config`` the options ask for (defaults for options the command does not have);
    an option out of its range raises ``PolicyDiffError``."""
    from policydiff.config import Config
    from policydiff.diff import DiffOptions
    from policydiff.errors import PolicyDiffError
    from policydiff.matches import AlignOptions

    threshold = getattr(args, "threshold", None)
    align = AlignOptions()
    if threshold is not None:
        if not 0.0 <= threshold <= 1.0:
            raise PolicyDiffError(f"--threshold {threshold}: must be between 0 and 1")
        align = AlignOptions(threshold=threshold)
    min_chars = getattr(args, "min_chars", 4)
    if min_chars < 2:
        raise PolicyDiffError(f"--min-chars {min_chars}: must be at least 2")
    if min_chars > MAX_PHRASE_MIN:
        raise PolicyDiffError(f"--min-chars {min_chars}: must be at most {MAX_PHRASE_MIN}")
    encoding = getattr(args, "encoding", None)
    if encoding is not None and not (0 < len(encoding) <= 40):
        raise PolicyDiffError("--encoding: a codec name such as gbk, big5 or utf-16-le")
    diff = DiffOptions(
        ignore_punctuation=getattr(args, "ignore_punctuation", False),
        ignore_width=getattr(args, "ignore_width", False),
        ignore_masks=getattr(args, "ignore_masks", False),
        ignore_whitespace=getattr(args, "ignore_whitespace", False),
    )
    return Config(
        encoding=getattr(args, "encoding", None),
        themes_file=getattr(args, "themes", None),
        align=align,
        diff=diff,
        cache=False if getattr(args, "no_cache", False) else None,
        min_phrase_chars=min_chars,
        all_pairs=getattr(args, "all_pairs", False),
        series=getattr(args, "series", False),
        overrides=_overrides(args),
    )


def _overrides(args: argparse.Namespace) -> Overrides | None:
    """The overrides ``--overrides`` names, else the file beside the documents, else None."""
    from policydiff import overrides

    path = getattr(args, "overrides", None)
    if path is None and hasattr(args, "overrides"):
        files = getattr(args, "files", None) or []
        path = overrides.beside(files)
    return overrides.load(path) if path is not None else None


# --------------------------------------------------------------------------- output


_CONSOLE: list[Console] = []
"""The console of the running command (``main`` starts it)."""


def _start_console(args: argparse.Namespace) -> Console:
    from policydiff.console import Console

    _CONSOLE[:] = [Console(
        color=getattr(args, "color", "auto"), pager=getattr(args, "pager", True),
        quiet=getattr(args, "quiet", False), verbose=getattr(args, "verbose", False),
    )]
    return _CONSOLE[0]


def _console() -> Console:
    return _CONSOLE[0] if _CONSOLE else _start_console(argparse.Namespace())


def _fail(message: str) -> int:
    _console().error(message)
    return EXIT_TROUBLE


def _warn(path: str, warnings: Sequence[str]) -> None:
    """The doubts about one document: one line (``--verbose``: each; ``--quiet``: none)."""
    _console().document_warnings(path, warnings)


def _note(message: str) -> None:
    _console().note(message)


def _wrote(path: object) -> None:
    _console().wrote(path)


def _one_line(text: str) -> str:
    """Text fit for one line of stderr: file names and warnings quote document bytes, which
    must not drive the terminal (escapes become placeholders) nor break the line."""
    from policydiff.textsafe import visible

    return visible(text).replace("\n", "\u240a")


def _out(text: str, *, styled: bool = False) -> None:
    """Print document-derived text to stdout, made safe for a terminal; ``styled`` text (with
    colour) was made safe by its renderer before the styles were added and is not escaped
    again. Long output goes through the pager (``console.py``)."""
    _console().out(text, styled=styled)


def _write_or_print(
    args: argparse.Namespace, text: str, comparison: Comparison, *, styled: bool = False
) -> None:
    if args.output and args.output != "-":
        from policydiff.files import write_atomic

        _wrote(write_atomic(args.output, text, force=args.force, protect=_inputs(comparison)))
    else:
        _out(text, styled=styled)


def _inputs(comparison: Comparison) -> list[str]:
    return [d.path for d in comparison.documents]


def _progress_bar() -> Callable[[str, int, int], None] | None:
    """The progress bar on stderr (``compare.Progress``) for runs over a second, only on a
    terminal, not under CI nor with ``--quiet`` (``console.py``); None otherwise."""
    return _console().progress()


# --------------------------------------------------------------------------- commands


def cmd_normalize(args: argparse.Namespace) -> int:
    from policydiff.decode import read_text
    from policydiff.normalize import explain, normalize

    decoded = read_text(args.file, encoding=args.encoding, streams=True)
    result = normalize(decoded.text)
    _warn(args.file, (*decoded.warnings, *result.warnings))
    _out("\n".join(explain(result)) if args.explain else result.text)
    return EXIT_SAME


def cmd_sections(args: argparse.Namespace) -> int:
    from policydiff.document import load_document
    from policydiff.formats.alignment import document_json
    from policydiff.render.tables import section_rows

    config = config_from_args(args)
    doc = load_document(args.file, doc_id="d1", encoding=config.encoding, cache=config.cache)
    if args.json:
        _out(json.dumps(document_json(doc), ensure_ascii=False, indent=2))
        return EXIT_SAME
    _out(f"{doc.title}  [{doc.encoding}, {doc.script}, {len(doc.text)}字]")
    _warn(doc.path, doc.warnings)
    _out("\n".join(section_rows(doc, args.depth)))
    return EXIT_SAME


MAX_DOCUMENTS = 1_000
"""The most documents one command compares (above 12 the pairs aligned grow linearly: 200 of
the seeds' size are 588 pairs, 18 s; 1,000 synthetic reports mine their phrases in about
3 GB). Beyond it, corpus mode (``policydiff corpus``) works from a store on Dask."""
MAX_ALL_PAIRS = 2_000
"""The most pairs ``--all-pairs`` may ask for (64 documents; 60 take 26 s)."""


def _check_document_count(args: argparse.Namespace, count: int) -> None:
    """Refuse more documents than ``MAX_DOCUMENTS`` and ``--all-pairs`` beyond
    ``MAX_ALL_PAIRS`` pairs, in one line each, before anything is read."""
    from policydiff.errors import PolicyDiffError

    if count > MAX_DOCUMENTS:
        raise PolicyDiffError(
            f"{count:,} documents: at most {MAX_DOCUMENTS:,} at once; compare smaller groups of "
            "them, or build a corpus store (policydiff corpus build --help)"
        )
    pairs = count * (count - 1) // 2
    if getattr(args, "all_pairs", False) and args.ref is None and pairs > MAX_ALL_PAIRS:
        raise PolicyDiffError(
            f"--all-pairs with {count} documents means {pairs:,} alignments, over the limit of "
            f"{MAX_ALL_PAIRS:,}; leave out --all-pairs (each document is then aligned with "
            "the documents of its series and its 3 most similar ones), or use --ref DOC"
        )


def _say_which_pairs(comparison: Comparison) -> None:
    """Above ``pairs.SMALL_SET`` documents not every pair is aligned: say how many are."""
    from policydiff.pairs import SMALL_SET

    count = len(comparison.documents)
    if count <= SMALL_SET or comparison.ref is not None or comparison.config.all_pairs:
        return
    _note(
        f"{count} documents: aligning {len(comparison.pairs)} of the {count * (count - 1) // 2} "
        "pairs (consecutive documents of a series and each document's 3 most similar); "
        "--all-pairs for every pair, --ref DOC for each against one"
    )


def _comparison(
    args: argparse.Namespace, paths: Sequence[str], *, aligns: bool = True,
    inputs: int | None = None,
) -> Comparison:
    """The comparison of ``paths``; ``aligns``: the command aligns pairs, so say how many
    (``phrases`` does not: choosing the pairs would cost it a second on 31 documents).
    ``inputs``: only the first so many are the user's inputs, the rest context whose doubts
    are said with ``--verbose`` only."""
    from policydiff.comparison import compare

    _check_document_count(args, len(paths))
    comparison = compare(
        paths, config_from_args(args), ref=args.ref, progress=_progress_bar(),
        labels=getattr(args, "label", None) or (),
    )
    shown = None if inputs is None or getattr(args, "verbose", False) else inputs
    for doc in comparison.documents[:shown]:
        _warn(doc.path, doc.warnings)
    if aligns:
        _say_which_pairs(comparison)
    # The documents, their tokens and every module live until the command ends: the cyclic
    # collector need not walk them again at each collection (nor touch the pages the pool's
    # forked workers share with this process).
    import gc

    gc.freeze()
    return comparison


def _differs(comparison: Comparison) -> bool:
    """Whether any aligned pair of documents differs: in its text (a changed number leaves
    every match at score 1.0 once rounded), or in an imperfect alignment."""
    texts = {doc.id: doc.text for doc in comparison.documents}
    if any(texts[a] != texts[b] for a, b in comparison.pairs):
        return True
    return any(
        m.score < 1.0 or m.kind != "match" for al in comparison.alignments() for m in al.matches
    ) or any(al.unmatched_a or al.unmatched_b for al in comparison.alignments())


def cmd_align(args: argparse.Namespace) -> int:
    from policydiff.formats.alignment import alignment_json
    from policydiff.formats.jsontext import dumps
    from policydiff.render.tables import alignment_table

    if len(args.files) < 2:
        return _fail("align needs at least two documents")
    comparison = _comparison(args, args.files)
    comparison.alignments(progress=_progress_bar())
    _warn_stale(comparison)
    if args.json == "-":
        _out(dumps(alignment_json(comparison)))
    else:
        _out("\n".join(alignment_table(comparison)))
        if args.json:
            from policydiff.files import write_atomic

            text = dumps(alignment_json(comparison))
            _wrote(write_atomic(args.json, text, force=args.force, protect=_inputs(comparison)))
    return _exit_code(args, comparison)


def _warn_stale(comparison: Comparison) -> None:
    """One warning line per override that no longer applies (``Alignment.stale``; not with
    ``--quiet``)."""
    path = comparison.config.overrides.path if comparison.config.overrides else None
    for al in comparison.alignments():
        for line in al.stale:
            _note(f"warning: {path or 'overrides'}: not applied: {line}")


def _exit_code(args: argparse.Namespace, comparison: Comparison) -> int:
    """0 on success; with ``--exit-code``, 1 when the documents differ."""
    if args.exit_code and _differs(comparison):
        return EXIT_DIFFERENT
    return EXIT_SAME


def cmd_compare(args: argparse.Namespace) -> int:
    from policydiff.outputs import comparison_outputs, write_outputs
    from policydiff.render.tables import compare_summary
    from policydiff.seeds import seed_paths

    paths = args.files or seed_paths()
    if len(paths) < 2:
        return _fail("compare needs at least two documents")
    comparison = _comparison(args, paths)
    comparison.alignments(progress=_progress_bar())
    _warn_stale(comparison)
    outputs = comparison_outputs(comparison, bom=not args.no_bom, pair_pages=args.pair_pages)
    for note in outputs.notes:
        _note(note)
    written = write_outputs(
        args.output, _showing_progress(outputs), force=args.force, protect=_inputs(comparison)
    )
    _out("\n".join(compare_summary(comparison, folder=args.output, files=list(outputs.files))))
    _console().wrote_files(args.output, written)
    return _exit_code(args, comparison)


def _showing_progress(outputs: Outputs) -> Outputs:
    """``outputs`` whose renderers move the progress bar (rendering the phrase report of 31
    documents takes seconds: mining, new/dropped phrases)."""
    import dataclasses

    bar = _progress_bar()
    if bar is None:
        return outputs
    total = len(outputs.files)

    def step(done: int, name: str, render: Callable[[], str]) -> Callable[[], str]:
        def run() -> str:
            bar(f"writing {name}", done, total)
            text = render()
            if done + 1 == total:
                bar("writing", total, total)
            return text

        return run

    files = {name: step(n, name, render) for n, (name, render) in enumerate(outputs.files.items())}
    return dataclasses.replace(outputs, files=files)


def cmd_diff(args: argparse.Namespace) -> int:
    import shutil

    from policydiff.formats.diff import selected_diffs

    comparison = _comparison(args, args.files)
    selected = selected_diffs(comparison, "d1", "d2", args.section, None)
    al = comparison.alignment("d1", "d2")
    differs = any(sd.diff.changed for sd in selected) or (
        args.section is None and bool(al.unmatched_a or al.unmatched_b)
    )
    color = False
    if args.format == "html":
        from policydiff.render.html import diff_html

        text = diff_html(comparison, "d1", "d2", args.section)
    elif args.format == "json":
        from policydiff.formats.diff import diff_json
        from policydiff.formats.jsontext import dumps

        text = dumps(diff_json(comparison, selected, al, args.section))
    else:
        from policydiff.render.tables import diff_report

        to_file = bool(args.output and args.output != "-")
        color = not to_file and _use_color()
        text = diff_report(
            comparison, selected, al,
            width=args.width or _detected_width(shutil.get_terminal_size((120, 40)).columns),
            color=color,
            inline=args.inline, show_all=args.all, unmatched=args.section is None,
        )
    _write_or_print(args, text, comparison, styled=color)
    return EXIT_DIFFERENT if differs else EXIT_SAME


def _detected_width(columns: int) -> int:
    """The terminal's width (or ``COLUMNS``), kept between 20 and ``MAX_WIDTH``."""
    return max(20, min(columns, MAX_WIDTH))


def _use_color() -> bool:
    """Whether stdout gets colour (``--color``, NO_COLOR, FORCE_COLOR: ``console.py``)."""
    return _console().color


def cmd_phrases(args: argparse.Namespace) -> int:
    from policydiff import report
    from policydiff.formats.phrases import render_json
    from policydiff.render.phrases import render_html, render_markdown

    if args.table != "phrases" and args.format != "csv":
        return _fail(f"--table {args.table}: only with --format csv")
    if args.table == "all" and (not args.output or args.output == "-"):
        return _fail("--table all writes one file per table: give the folder with -o DIR")
    comparison = _comparison(
        args, args.files, aligns=args.format == "csv" and args.table in ("alignment", "all")
    )
    built = report.build_report(
        comparison.phrases(),
        documents=comparison.documents,
        with_changes=not args.no_changes,
        series=comparison.change_series(),
        themes=dict(comparison.theme_matrix()),
        workers=comparison.batch_workers(),
    )
    coarse = built.phrase_set.coarse  # phrase mining reached its work bound
    if coarse:
        more = f" (and {len(coarse) - 1} more)" if len(coarse) > 1 else ""
        _warn("phrases", (f"the phrase list is coarse: {coarse[0]}{more}",))
    to_file = bool(args.output and args.output != "-")
    if args.format == "csv" and args.table == "all":
        return _write_all_tables(args, comparison, built)
    if args.format == "json":
        text = render_json(built)
    elif args.format == "csv":
        from policydiff.records import table
        from policydiff.render.phrases import table_csv

        bom = not args.no_bom and (to_file or not _console().terminal)
        text = table_csv(table(args.table, comparison, report=built), bom=bom)
    elif args.format == "html":
        text = render_html(built)
    else:
        text = render_markdown(built, for_terminal=not to_file and _console().terminal)
    _write_or_print(args, text, comparison)
    return EXIT_SAME


def _write_all_tables(args: argparse.Namespace, comparison: Comparison, built: Any) -> int:
    """``phrases --format csv --table all -o DIR``: every table as ``DIR/NAME.csv``, all or
    nothing (``outputs.write_outputs``)."""
    from policydiff.outputs import Outputs, write_outputs
    from policydiff.records import table
    from policydiff.render.phrases import table_csv

    bom = not args.no_bom

    def render(name: str) -> Callable[[], str]:
        return lambda: table_csv(table(name, comparison, report=built), bom=bom)

    files = {f"{name}.csv": render(name) for name in CSV_TABLES}
    written = write_outputs(
        args.output, Outputs(files), force=args.force, protect=_inputs(comparison)
    )
    _console().wrote_files(args.output, written)
    return EXIT_SAME


def cmd_changes(args: argparse.Namespace) -> int:
    from policydiff.changes import command
    from policydiff.changes.build import change_report, evidence_of

    files, context = command.split_files(args.files, args.context)
    if len(files) != 2:
        return _fail(f"changes needs two documents, the old and the new, not {len(files)}")
    args.files = files
    said: list[str] = []  # after the output: an error (-o exists, B missing) stays one line
    if not context and not args.no_context:
        from policydiff.changes.context import beside, describe

        found = beside(*files, encoding=getattr(args, "encoding", None))
        said = [*found.warnings, describe(found)] if found.paths else list(found.warnings)
        context = list(found.paths)
    comparison = _comparison(
        args, [*files, *command.context_files(files, context)], aligns=False, inputs=2
    )
    report = change_report(
        command.pair_comparison(comparison), "d1", "d2", context=comparison.documents[2:],
        evidence=evidence_of(comparison),
    )
    bom = not args.no_bom and (bool(args.output and args.output != "-")
                               or not _console().terminal)
    _write_or_print(args, command.report_text(report, args.format, top=args.top, bom=bom),
                    comparison)
    for line in said:
        _note(line)
    return EXIT_SAME


BUILTIN_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "normalize": cmd_normalize,
    "sections": cmd_sections,
    "align": cmd_align,
    "diff": cmd_diff,
    "phrases": cmd_phrases,
    "changes": cmd_changes,
    "compare": cmd_compare,
}


def _run(args: argparse.Namespace) -> int:
    command = BUILTIN_COMMANDS.get(args.command)
    if command is not None:
        return command(args)
    plugin = _plugins()[args.command]
    return int(plugin.run(args, config_from_args(args)))


def _run_and_show(args: argparse.Namespace) -> int:
    """Run the command, then show what it printed (the pager, the lines that waited)."""
    try:
        return _run(args)
    finally:
        _console().close()


def main(argv: Sequence[str] | None = None) -> int:
    # One BLAS thread: our matrix products are small (sections x sections) and batch work is
    # spread over processes; extra BLAS threads only busy-wait after each call (OpenBLAS spins
    # for about 0.1 s), taking a core from the work: on 2 cores an alignment took 3x longer.
    # Set before numpy is imported; a value set by the user wins.
    # OMP_NUM_THREADS: libdivsufsort (phrase mining) uses OpenMP, whose threads make a process
    # forked later hang (new/dropped phrases of a series run in forked workers).
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_SAME
    from policydiff.errors import PolicyDiffError

    _start_console(args)
    try:
        return _run_and_show(args)
    except PolicyDiffError as exc:
        if args.debug:
            raise
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        return EXIT_SAME
    except MemoryError:
        return _fail("out of memory: the documents are too large to compare at once; "
                     "compare fewer or smaller files")
    except Exception as exc:  # a bug: still one line and exit code 2, never a bare traceback
        if args.debug:
            raise
        return _fail(
            f"internal error ({type(exc).__name__}: {exc}); this is a bug: please report it "
            "with the command line (add --debug before the command for the traceback)"
        )


if __name__ == "__main__":
    sys.exit(main())
