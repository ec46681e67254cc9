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
from typing import Any

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


def _add_compare_options(parser: argparse.ArgumentParser) -> None:
    _add_input_options(parser)
    parser.add_argument("--themes", metavar="FILE", help="use this theme taxonomy (TOML)")
    parser.add_argument(
        "--ref", metavar="DOC", help="align every document against this one (a path or d1, d2…)"
    )
    parser.add_argument(
        "--threshold", type=float, default=None, help="minimum score for a match (0..1)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policydiff", description=DESCRIPTION)
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

    p = sub.add_parser("align", help="align the sections of two or more documents")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", metavar="PATH", help="write the alignment JSON here ('-' = stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _add_compare_options(p)

    p = sub.add_parser("compare", help="align, diff and mine phrases; write the results")
    p.add_argument("files", nargs="*", metavar="FILE", help="documents (default: bundled seeds)")
    p.add_argument("-o", "--output", metavar="DIR", default="policydiff-out", help="output folder")
    p.add_argument("--force", action="store_true", help="overwrite existing output files")
    _add_compare_options(p)
    return parser


def _fail(message: str) -> int:
    print(f"policydiff: {message}", file=sys.stderr)
    return EXIT_TROUBLE


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

    doc = load_document(args.file, doc_id="d1", encoding=args.encoding)
    if args.json:
        text = json.dumps(document_json(doc), ensure_ascii=False, indent=2)
        sys.stdout.write(text + "\n")
        return EXIT_SAME
    _out(f"{doc.title}  [{doc.encoding}, {doc.script}, {len(doc.text)}字]")
    for warning in doc.warnings:
        print(f"warning: {warning}", file=sys.stderr)
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
        paths, encoding=args.encoding, themes_file=args.themes, ref=args.ref, options=options
    )
    for doc in comparison.documents:
        for warning in doc.warnings:
            print(f"policydiff: warning: {doc.path}: {warning}", file=sys.stderr)
    return comparison


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
    if args.json == "-":
        sys.stdout.write(dumps(alignment_json(comparison)))
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
            print(f"policydiff: wrote {path}", file=sys.stderr)
    return EXIT_DIFFERENT if _differs(comparison) else EXIT_SAME


def cmd_compare(args: argparse.Namespace) -> int:
    from policydiff.export import alignment_json, dumps
    from policydiff.io import write_atomic

    paths = args.files or _seed_paths()
    if len(paths) < 2:
        return _fail("compare needs at least two documents")
    comparison = _comparison(args, paths)
    out = Path(args.output)
    written = []
    outputs = {"alignment.json": lambda: dumps(alignment_json(comparison))}
    outputs.update(_extra_outputs(comparison))
    for name, render in outputs.items():
        written.append(
            write_atomic(out / name, render(), force=args.force, protect=_inputs(comparison))
        )
    _out("\n".join(compare_summary(comparison)))
    for path in written:
        print(f"policydiff: wrote {path}", file=sys.stderr)
    return EXIT_DIFFERENT if _differs(comparison) else EXIT_SAME


def _extra_outputs(comparison: Any) -> dict[str, Any]:
    """Outputs beyond the alignment that exist in this version (phrase report, HTML diff)."""
    return {}


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


if __name__ == "__main__":
    sys.exit(main())
