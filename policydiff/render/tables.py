"""The command line's text tables: a document's heading tree, the alignment of each pair, the
summary of a comparison and the text report of a pair's diffs.

Plain strings, one per line; the CLI makes them safe for the terminal when it prints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policydiff.render.names import section_name

if TYPE_CHECKING:
    from policydiff.align import Alignment
    from policydiff.comparison import Comparison, SectionDiff
    from policydiff.model import Document

SIDE_BY_SIDE_MIN_WIDTH = 100
"""Narrower terminals get inline diffs."""


def section_rows(doc: Document, depth: int = 0) -> list[str]:
    """One line per section: indented id, marker and heading, size and themes."""
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


def alignment_table(comparison: Comparison) -> list[str]:
    """A readable table per pair: matches (labels, headings, themes, score), then leftovers."""
    rows = []
    for al in comparison.alignments():
        a, b = comparison.document(al.a), comparison.document(al.b)
        rows.append(f"== {a.tag}  ⇄  {b.tag}")
        for m in al.matches:
            sa, sb = a.section(m.a), b.section(m.b)
            mark = {"match": "", "split": " [split]", "merge": " [merge]"}[m.kind]
            theme = ",".join(m.themes) or "-"
            rows.append(
                f"  {m.score:.2f}  {section_name(sa):<34.34}  ⇄  {section_name(sb):<34.34}  "
                f"{theme}{mark}"
            )
        for side, ids, doc in (("only in", al.unmatched_a, a), ("only in", al.unmatched_b, b)):
            for sid in ids:
                rows.append(f"  ----  {side} {doc.tag}: {section_name(doc.section(sid))}")
    return rows


def compare_summary(comparison: Comparison) -> list[str]:
    """The documents, each pair's matched share and mean score, and the theme counts."""
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


def diff_report(
    comparison: Comparison,
    selected: list[SectionDiff],
    al: Alignment,
    *,
    width: int,
    color: bool,
    inline: bool = False,
    show_all: bool = False,
    unmatched: bool = True,
) -> str:
    """The text report of ``policydiff diff``: a header and a side-by-side (or inline) diff
    per changed pair (every pair with ``show_all``), then the unmatched sections."""
    from policydiff.render.terminal import render_inline, render_side_by_side

    doc_a, doc_b = comparison.document(al.a), comparison.document(al.b)
    rows = []
    for sd in selected:
        if not sd.diff.changed and not show_all:
            continue
        sa, sb = doc_a.section(sd.match.a), doc_b.section(sd.match.b)
        rows.append(
            f"== {section_name(sa)}  ⇄  {section_name(sb)}  (score {sd.match.score:.2f}, "
            f"same text {sd.diff.similarity:.0%}{', coarse' if sd.diff.coarse else ''})"
        )
        if width >= SIDE_BY_SIDE_MIN_WIDTH and not inline:
            rows.append(render_side_by_side(sd.diff, color=color, width=width))
        else:
            rows.append(render_inline(sd.diff, color=color, width=width))
    if unmatched:
        for ids, doc in ((al.unmatched_a, doc_a), (al.unmatched_b, doc_b)):
            for sid in ids:
                sec = doc.section(sid)
                size = sec.span[1] - sec.span[0]
                rows.append(f"-- only in {doc.tag}: {section_name(sec)} ({size}字)")
    if not rows:
        rows.append("no differences")
    return "\n".join(rows)
