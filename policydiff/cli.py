"""The ``policydiff`` command line: a thin front end over the library.

Data goes to stdout, diagnostics to stderr. Exit codes follow diff: 0 no differences,
1 differences, 2 trouble. Every user-caused failure is one line (``policydiff: …``) and exit
code 2; a traceback only with ``--debug``. Slow imports (jieba, OpenCC, Textual) happen inside
the subcommand that needs them, so ``policydiff --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

EXIT_SAME = 0
EXIT_DIFFERENT = 1
EXIT_TROUBLE = 2

DESCRIPTION = (
    "Compare Chinese policy documents (government work reports, plan proposals, party "
    "reports) section by section."
)


def _seed_paths() -> list[str]:
    """The bundled seed reports, used when a command gets no files."""
    here = Path(__file__).resolve().parent.parent / "seeds"
    return [str(p) for p in sorted(here.glob("*.txt"))]


def _add_input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--encoding", metavar="NAME", help="decode every input with this encoding (e.g. gbk, big5)"
    )


def _add_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-cache", action="store_true",
        help="neither read nor write the per-document cache (also: POLICYDIFF_NO_CACHE=1)",
    )


def _cache(args: argparse.Namespace) -> bool | None:
    """``cache=`` for the library: False with --no-cache, else None (follow the environment)."""
    return False if getattr(args, "no_cache", False) else None


def _add_compare_options(parser: argparse.ArgumentParser) -> None:
    _add_input_options(parser)
    _add_cache_option(parser)
    parser.add_argument("--themes", metavar="FILE", help="use this theme taxonomy (TOML)")
    parser.add_argument(
        "--ref", metavar="DOC", help="align every document against this one (a path or d1, d2…)"
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="minimum score for a match (0..1)"
    )


class _Parser(argparse.ArgumentParser):
    """argparse with the house rule for errors: one line and exit code 2 (argparse prints the
    whole usage first, several lines for ``diff``); the usage stays one ``--help`` away."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_TROUBLE, f"{self.prog}: {_one_line(message)}; see `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policydiff", description=DESCRIPTION)
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version="policydiff 0.1.0")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("normalize", help="print the normalized text of a document")
    p.add_argument("file")
    p.add_argument("--explain", action="store_true", help="list what each step changed, and where")
    _add_input_options(p)

    p = sub.add_parser("sections", help="print the heading tree of a document")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the sections as JSON")
    p.add_argument("--depth", type=int, default=0, help="show only this many levels (0 = all)")
    _add_input_options(p)
    _add_cache_option(p)

    p = sub.add_parser("align", help="align the sections of two or more documents")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", metavar="PATH", help="write the alignment JSON here ('-' = stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _add_compare_options(p)

    p = sub.add_parser("diff", help="word-level diffs of the aligned sections of two documents")
    p.add_argument("files", nargs=2, metavar="FILE")
    p.add_argument("--section", metavar="ID", help="only the pair containing this section id")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--width", type=int, default=0, help="terminal width (default: detected)")
    p.add_argument("--inline", action="store_true", help="inline diff even on a wide terminal")
    p.add_argument("--all", action="store_true", help="also show pairs without differences")
    for flag, what in (
        ("punctuation", "punctuation"),
        ("width", "full/half width and quote style"),
        ("masks", "masked placeholders (*, xx, ○○)"),
        ("whitespace", "whitespace"),
    ):
        p.add_argument(f"--ignore-{flag}", action="store_true", help=f"ignore {what}")
    _add_compare_options(p)

    p = sub.add_parser("phrases", help="shared phrases and the phrase-overlap report")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", choices=("md", "json", "csv", "html"), default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument(
        "--min-chars", type=int, default=4, help="shortest phrase, in Chinese characters"
    )
    p.add_argument("--no-changes", action="store_true",
                   help="skip new/dropped phrases between consecutive documents")
    _add_compare_options(p)

    p = sub.add_parser("view", help="open the side-by-side viewer (default: the bundled seeds)")
    p.add_argument("files", nargs="*", metavar="FILE", help="documents (default: seeds)")
    p.add_argument("--from", dest="from_json", metavar="JSON",
                   help="reopen an alignment export (its inputs must be unchanged)")
    _add_compare_options(p)

    p = sub.add_parser("compare", help="align, diff and mine phrases; write the results")
    p.add_argument("files", nargs="*", metavar="FILE", help="documents (default: bundled seeds)")
    p.add_argument("-o", "--output", metavar="DIR", default="policydiff-out", help="output folder")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    _add_compare_options(p)
    return parser


def _fail(message: str) -> int:
    print(f"policydiff: {_one_line(message)}", file=sys.stderr)
    return EXIT_TROUBLE


def _warn(path: str, warning: str) -> None:
    print(f"policydiff: warning: {_one_line(path)}: {_one_line(warning)}", file=sys.stderr)


def _one_line(text: str) -> str:
    """Text fit for one line of stderr: file names and warnings quote document bytes, which
    must not drive the terminal (escapes become placeholders) nor break the line."""
    from policydiff.textsafe import visible

    return visible(text).replace("\n", "\u240a")


def _out(text: str) -> None:
    """Print document-derived text to stdout, made safe for a terminal."""
    from policydiff.textsafe import visible

    sys.stdout.write(visible(text) if sys.stdout.isatty() else text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")


def cmd_normalize(args: argparse.Namespace) -> int:
    from policydiff.io import read_text
    from policydiff.normalize import explain, normalize

    decoded = read_text(args.file, encoding=args.encoding)
    result = normalize(decoded.text)
    for warning in (*decoded.warnings, *result.warnings):
        _warn(args.file, warning)
    if args.explain:
        _out("\n".join(explain(result)))
    else:
        _out(result.text)
    return EXIT_SAME


def section_rows(doc: Any, depth: int = 0) -> list[str]:
    rows = []
    for sec in doc.sections:
        if depth and sec.level > depth:
            continue
        size = sec.span[1] - sec.span[0]
        name = sec.label + sec.heading if sec.kind == "heading" else f"[{sec.kind}]"
        themes = ",".join(t.id for t in sec.themes)
        suffix = f"  {{{themes}}}" if themes else ""
        rows.append(f"{'  ' * (sec.level - 1)}{sec.id}  {name}  ({size}字){suffix}")
    return rows


def cmd_sections(args: argparse.Namespace) -> int:
    from policydiff.document import load_document
    from policydiff.export import document_json

    doc = load_document(args.file, doc_id="d1", encoding=args.encoding, cache=_cache(args))
    if args.json:
        text = json.dumps(document_json(doc), ensure_ascii=False, indent=2)
        _out(text)
        return EXIT_SAME
    _out(f"{doc.title}  [{doc.encoding}, {doc.script}, {len(doc.text)}字]")
    for warning in doc.warnings:
        _warn(doc.path, warning)
    _out("\n".join(section_rows(doc, args.depth)))
    return EXIT_SAME


def _comparison(args: argparse.Namespace, paths: Sequence[str]) -> Any:
    from policydiff.align import AlignOptions
    from policydiff.compare import compare

    options = AlignOptions()
    if args.threshold is not None:
        if not 0.0 <= args.threshold <= 1.0:
            from policydiff.errors import PolicyDiffError

            raise PolicyDiffError(f"--threshold {args.threshold}: must be between 0 and 1")
        options = AlignOptions(threshold=args.threshold)
    comparison = compare(
        paths, encoding=args.encoding, themes_file=args.themes, ref=args.ref, options=options,
        cache=_cache(args), progress=_progress_bar(),
    )
    for doc in comparison.documents:
        for warning in doc.warnings:
            _warn(doc.path, warning)
    return comparison


def _progress_bar() -> Any:
    """A one-line progress bar on stderr for batch work, only when stderr is a terminal and
    the batch is long enough to be worth it (``compare.Progress``); None otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        if total < PROGRESS_MIN:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{stage:<9} [{bar}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\r" + " " * (width + 30) + "\r")
        sys.stderr.flush()

    return show


PROGRESS_MIN = 8  # documents or pairs: below this a batch is quick and gets no progress bar


def alignment_table(comparison: Any) -> list[str]:
    """A readable table per pair: matches (labels, headings, themes, score), then leftovers."""
    rows = []
    for al in comparison.alignments():
        a, b = comparison.document(al.a), comparison.document(al.b)
        rows.append(f"== {al.a} {a.title}  ⇄  {al.b} {b.title}")
        for m in al.matches:
            sa, sb = a.section(m.a), b.section(m.b)
            mark = {"match": "", "split": " [split]", "merge": " [merge]"}[m.kind]
            theme = ",".join(m.themes) or "-"
            rows.append(
                f"  {m.score:.2f}  {_name(sa):<34.34}  ⇄  {_name(sb):<34.34}  {theme}{mark}"
            )
        for side, ids, doc in (("only in", al.unmatched_a, a), ("only in", al.unmatched_b, b)):
            for sid in ids:
                rows.append(f"  ----  {side} {doc.id}: {_name(doc.section(sid))}")
    return rows


def _name(sec: Any) -> str:
    if sec.kind != "heading":
        return f"{sec.id} [{sec.kind}]"
    return f"{sec.id} {sec.label}{sec.heading}"


def _differs(comparison: Any) -> bool:
    """Whether any aligned pair of documents differs: in its text (a changed number leaves
    every match at score 1.0 once rounded), or in an imperfect alignment."""
    texts = {doc.id: doc.text for doc in comparison.documents}
    if any(texts[a] != texts[b] for a, b in comparison.pairs):
        return True
    return any(
        m.score < 1.0 or m.kind != "match" for al in comparison.alignments() for m in al.matches
    ) or any(al.unmatched_a or al.unmatched_b for al in comparison.alignments())


def _inputs(comparison: Any) -> list[str]:
    return [d.path for d in comparison.documents]


def cmd_align(args: argparse.Namespace) -> int:
    from policydiff.export import alignment_json, dumps

    if len(args.files) < 2:
        return _fail("align needs at least two documents")
    comparison = _comparison(args, args.files)
    comparison.alignments(progress=_progress_bar())
    if args.json == "-":
        _out(dumps(alignment_json(comparison)))
    else:
        _out("\n".join(alignment_table(comparison)))
        if args.json:
            from policydiff.io import write_atomic

            path = write_atomic(
                args.json,
                dumps(alignment_json(comparison)),
                force=args.force,
                protect=_inputs(comparison),
            )
            print(f"policydiff: wrote {_one_line(str(path))}", file=sys.stderr)
    return EXIT_DIFFERENT if _differs(comparison) else EXIT_SAME


def cmd_compare(args: argparse.Namespace) -> int:
    from policydiff.export import alignment_json, dumps
    from policydiff.io import write_atomic

    paths = args.files or _seed_paths()
    if len(paths) < 2:
        return _fail("compare needs at least two documents")
    comparison = _comparison(args, paths)
    comparison.alignments(progress=_progress_bar())
    out = Path(args.output)
    written = []
    outputs = {"alignment.json": lambda: dumps(alignment_json(comparison))}
    outputs.update(_extra_outputs(comparison))
    if not args.force:
        # All or nothing: refusing at the third file would leave a mix of old and new outputs.
        taken = [name for name in outputs if os.path.lexists(out / name)]
        if taken:
            from policydiff.errors import OutputError

            raise OutputError(
                f"{out}: already holds {', '.join(taken)}; pass --force to overwrite, or choose "
                "another folder with -o"
            )
    for name, render in outputs.items():
        written.append(
            write_atomic(out / name, render(), force=args.force, protect=_inputs(comparison))
        )
    _out("\n".join(compare_summary(comparison)))
    for path in written:
        print(f"policydiff: wrote {_one_line(str(path))}", file=sys.stderr)
    return EXIT_DIFFERENT if _differs(comparison) else EXIT_SAME


MAX_HTML_PAIRS = 10  # beyond this many pairs compare writes no HTML diffs (use `diff`)


def _extra_outputs(comparison: Any) -> dict[str, Any]:
    """The phrase report (JSON, Markdown) and a standalone HTML diff per pair."""
    from policydiff import report

    built: dict[str, Any] = {}

    def phrase_report() -> Any:
        if "report" not in built:
            built["report"] = report.build_report(
                comparison.phrases(),
                documents=comparison.documents,
                with_changes=len(comparison.documents) <= MAX_HTML_PAIRS,
                themes=dict(comparison.theme_matrix()),
            )
        return built["report"]

    outputs: dict[str, Any] = {
        "phrases.json": lambda: report.render_json(phrase_report()),
        "phrases.md": lambda: report.render_markdown(phrase_report()),
    }
    pairs = comparison.pairs
    if len(pairs) <= MAX_HTML_PAIRS:
        for a, b in pairs:
            outputs[f"diff-{a}-{b}.html"] = lambda a=a, b=b: diff_html(comparison, a, b)
    else:
        print(
            f"policydiff: {len(pairs)} pairs: no HTML diffs written "
            "(use `policydiff diff A B --format html`)",
            file=sys.stderr,
        )
    return outputs


def diff_html(
    comparison: Any, a: str, b: str, section: str | None = None, options: Any = None
) -> str:
    from policydiff.diffview import render_html

    doc_a, doc_b = comparison.document(a), comparison.document(b)
    pairs = [
        (f"{_name(doc_a.section(sd.match.a))} ⇄ {_name(doc_b.section(sd.match.b))}", sd.diff)
        for sd in _selected_diffs(comparison, a, b, section, options)
    ]
    return render_html(pairs, title=f"{doc_a.title} ⇄ {doc_b.title}", a_label=doc_a.title,
                       b_label=doc_b.title)


def _selected_diffs(
    comparison: Any, a: str, b: str, section: str | None, options: Any
) -> list[Any]:
    diffs = comparison.section_diffs(a, b, options)
    if section is None:
        return list(diffs)
    chosen = [sd for sd in diffs if section in (sd.match.a, sd.match.b)]
    if not chosen:
        from policydiff.errors import PolicyDiffError

        raise PolicyDiffError(
            f"--section {section}: no aligned pair has that section "
            "(see `policydiff align` for the ids)"
        )
    return chosen


def _diff_options(args: argparse.Namespace) -> Any:
    from policydiff.diff import DiffOptions

    return DiffOptions(
        ignore_punctuation=args.ignore_punctuation,
        ignore_width=args.ignore_width,
        ignore_masks=args.ignore_masks,
        ignore_whitespace=args.ignore_whitespace,
    )


def _use_color(stream: Any) -> bool:
    return bool(stream.isatty()) and "NO_COLOR" not in os.environ


def _write_or_print(args: argparse.Namespace, text: str, comparison: Any) -> None:
    if args.output and args.output != "-":
        from policydiff.io import write_atomic

        path = write_atomic(args.output, text, force=args.force, protect=_inputs(comparison))
        print(f"policydiff: wrote {_one_line(str(path))}", file=sys.stderr)
    else:
        _out(text)


def cmd_diff(args: argparse.Namespace) -> int:
    import shutil

    comparison = _comparison(args, args.files)
    options = _diff_options(args)
    selected = _selected_diffs(comparison, "d1", "d2", args.section, options)
    al = comparison.alignment("d1", "d2")
    differs = any(sd.diff.changed for sd in selected) or (
        args.section is None and bool(al.unmatched_a or al.unmatched_b)
    )
    if args.format == "html":
        _write_or_print(args, diff_html(comparison, "d1", "d2", args.section, options), comparison)
    elif args.format == "json":
        from policydiff.export import dumps

        _write_or_print(args, dumps(diff_json(comparison, selected, al, args.section)), comparison)
    else:
        from policydiff.diffview import render_inline, render_side_by_side

        to_file = bool(args.output and args.output != "-")
        color = not to_file and _use_color(sys.stdout)
        width = args.width or shutil.get_terminal_size((120, 40)).columns
        doc_a, doc_b = comparison.document("d1"), comparison.document("d2")
        rows = []
        for sd in selected:
            if not sd.diff.changed and not args.all:
                continue
            sa, sb = doc_a.section(sd.match.a), doc_b.section(sd.match.b)
            rows.append(
                f"== {_name(sa)}  ⇄  {_name(sb)}  (score {sd.match.score:.2f}, "
                f"same text {sd.diff.similarity:.0%}{', coarse' if sd.diff.coarse else ''})"
            )
            if width >= 100 and not args.inline:
                rows.append(render_side_by_side(sd.diff, color=color, width=width))
            else:
                rows.append(render_inline(sd.diff, color=color, width=width))
        if args.section is None:
            for ids, doc in ((al.unmatched_a, doc_a), (al.unmatched_b, doc_b)):
                for sid in ids:
                    sec = doc.section(sid)
                    size = sec.span[1] - sec.span[0]
                    rows.append(f"-- only in {doc.id}: {_name(sec)} ({size}字)")
        if not rows:
            rows.append("no differences")
        text = "\n".join(rows)
        if to_file:
            _write_or_print(args, text, comparison)
        else:
            _out(text)
    return EXIT_DIFFERENT if differs else EXIT_SAME


def diff_json(comparison: Any, selected: list[Any], al: Any, section: str | None) -> dict[str, Any]:
    """Plain data of the selected diffs; offsets are in each document's normalized text."""
    pairs = []
    for sd in selected:
        d = sd.diff
        a0, b0 = sd.span_a[0], sd.span_b[0]
        pairs.append(
            {
                "a": sd.match.a,
                "b": sd.match.b,
                "kind": sd.match.kind,
                "score": sd.match.score,
                "similarity": round(d.similarity, 4),
                "coarse": d.coarse,
                "span_a": list(sd.span_a),
                "span_b": list(sd.span_b),
                "opcodes": [
                    [op.tag, op.a_start + a0, op.a_end + a0, op.b_start + b0, op.b_end + b0]
                    for op in d.opcodes
                ],
                "moves": [
                    {"a": [m.a_span[0] + a0, m.a_span[1] + a0],
                     "b": [m.b_span[0] + b0, m.b_span[1] + b0], "text": m.text}
                    for m in d.moves
                ],
            }
        )
    return {
        "schema": "policydiff/diff@1",
        "documents": [
            {"id": d.id, "path": d.path, "sha256": d.sha256} for d in comparison.documents
        ],
        "pairs": pairs,
        "unmatched_a": [] if section else list(al.unmatched_a),
        "unmatched_b": [] if section else list(al.unmatched_b),
    }


def cmd_phrases(args: argparse.Namespace) -> int:
    from policydiff import report
    from policydiff.phrases import find_shared_phrases

    if args.min_chars < 2:
        from policydiff.errors import PolicyDiffError

        raise PolicyDiffError(f"--min-chars {args.min_chars}: must be at least 2")
    comparison = _comparison(args, args.files)
    phrase_set = find_shared_phrases(
        {d.id: d.text for d in comparison.documents}, min_chars=args.min_chars,
        word_spans=comparison.word_spans(),
    )
    built = report.build_report(
        phrase_set,
        documents=comparison.documents,
        with_changes=not args.no_changes,
        themes=dict(comparison.theme_matrix()),
    )
    to_file = bool(args.output and args.output != "-")
    if args.format == "json":
        text = report.render_json(built)
    elif args.format == "csv":
        text = report.render_csv(built)
    elif args.format == "html":
        text = report.render_html(built)
    else:
        text = report.render_markdown(built, for_terminal=not to_file and sys.stdout.isatty())
    _write_or_print(args, text, comparison)
    return EXIT_SAME


def cmd_view(args: argparse.Namespace) -> int:
    # The viewer is a separate package that depends on this one, never the reverse: it is
    # looked up by name only when the user asks for it, so the library runs without it.
    import importlib

    try:
        viewer = importlib.import_module("tui.app")
    except ImportError as exc:
        return _fail(f"the viewer is not installed ({exc}); reinstall policydiff")
    if args.no_cache:
        os.environ["POLICYDIFF_NO_CACHE"] = "1"  # the viewer loads through the library default
    return int(viewer.run(args))


def compare_summary(comparison: Any) -> list[str]:
    rows = [f"{len(comparison.documents)} documents:"]
    for doc in comparison.documents:
        rows.append(
            f"  {doc.id}  {doc.title}  ({len(doc.sections)} sections, {len(doc.text)}字, "
            f"{doc.script})"
        )
    rows.append("alignments (matched sections / sections, mean score):")
    for al in comparison.alignments():
        a, b = comparison.document(al.a), comparison.document(al.b)
        one_to_one = [m for m in al.matches if m.kind == "match"]
        mean = sum(m.score for m in one_to_one) / len(one_to_one) if one_to_one else 0.0
        rows.append(
            f"  {al.a}⇄{al.b}  {len(one_to_one)} matched of {len(a.sections)}/{len(b.sections)}, "
            f"mean {mean:.2f}, {sum(m.kind != 'match' for m in al.matches)} split/merge"
        )
    rows.append("themes (sections per document):")
    for theme, cells in comparison.theme_matrix():
        counts = " ".join(f"{d}:{len(ids)}" for d, ids in cells.items())
        rows.append(f"  {theme:<12} {counts}")
    return rows


COMMANDS = {
    "normalize": cmd_normalize,
    "sections": cmd_sections,
    "align": cmd_align,
    "diff": cmd_diff,
    "phrases": cmd_phrases,
    "view": cmd_view,
    "compare": cmd_compare,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_SAME
    from policydiff.errors import PolicyDiffError

    try:
        return COMMANDS[args.command](args)
    except PolicyDiffError as exc:
        if args.debug:
            raise
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
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
