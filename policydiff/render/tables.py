"""The command line's text tables: a document's heading tree, the alignment of each pair, the
summary of a comparison and the text report of a pair's diffs.

Plain strings, one per line; the CLI makes them safe for the terminal when it prints them,
except the coloured diff report, which is safe as it comes (see ``diff_report``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from policydiff.render.names import section_name
from policydiff.render.rows import fit_width

if TYPE_CHECKING:
    from policydiff.comparison import Comparison, SectionDiff
    from policydiff.matches import Alignment
    from policydiff.model import Document

SIDE_BY_SIDE_MIN_WIDTH = 100
"""Narrower terminals get inline diffs."""


def section_rows(doc: Document, depth: int = 0) -> list[str]:
    """One line per section: indented id, marker and heading, size, the part's role (on the
    top-level parts: ``<review>``) and themes."""
    from policydiff.roles import section_roles

    roles = section_roles(doc)
    rows = []
    for sec in doc.sections:
        if depth and sec.level > depth:
            continue
        size = sec.span[1] - sec.span[0]
        name = sec.label + sec.heading if sec.kind == "heading" else f"[{sec.kind}]"
        themes = ",".join(t.id for t in sec.themes)
        suffix = f"  {{{themes}}}" if themes else ""
        role = f"  <{roles[sec.id]}>" if sec.level == 1 and sec.id in roles else ""
        rows.append(f"{'  ' * (sec.level - 1)}{sec.id}  {name}  ({size}字){role}{suffix}")
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
            if m.group:
                mark += f" [group {m.group}]"
            if m.source == "manual":
                mark += " [manual]"
            theme = ",".join(m.themes) or "-"
            left, right = fit_width(section_name(sa), 40), fit_width(section_name(sb), 40)
            rows.append(f"  {m.score:.2f}  {left}  ⇄  {right}  {theme}{mark}")
        for side, ids, doc in (("only in", al.unmatched_a, a), ("only in", al.unmatched_b, b)):
            for sid in ids:
                rows.append(f"  ----  {side} {doc.tag}: {section_name(doc.section(sid))}")
        rows.extend(_links(al, a, b))
    return rows


def _links(al: Alignment, a: Document, b: Document) -> list[str]:
    """The cross-role links (a plan reviewed in the later review) and the origins of new
    parts, after the parallel matches (``Alignment.reviewed_in``, ``Alignment.origins``)."""
    rows = []
    if al.reviewed_in:
        rows.append(f"  -- reviewed in {b.tag} (plan of {a.tag} ⇄ review of it):")
    for m in al.reviewed_in:
        sa, sb = a.section(m.a), b.section(m.b)
        rows.append(
            f"  {m.score:.2f}  {fit_width(section_name(sa), 40)}  →  {section_name(sb)}"
        )
    for part, parts in al.origins:
        names = "; ".join(section_name(a.section(p)) for p in parts)
        rows.append(f"  ++++  new in {b.tag}: {section_name(b.section(part))}  ← from {names}")
    return rows


SUMMARY_MAX_DOCUMENTS = 12
"""Up to this many documents the summary lists them; beyond, it counts them."""
SUMMARY_MAX_PAIRS = 10
"""Up to this many pairs the summary has a line per pair; beyond, a digest."""
SUMMARY_LEAST_SIMILAR = 3
"""Pairs named in the digest of many pairs."""


def _name(doc: Document) -> str:
    """How a document is named in the summary: its label, else its title."""
    return doc.name


def _matched_share(comparison: Comparison, al: Alignment) -> float:
    """Sections of both documents that are in a match, as a share of all their sections."""
    total = len(comparison.document(al.a).sections) + len(comparison.document(al.b).sections)
    unmatched = len(al.unmatched_a) + len(al.unmatched_b)
    return (total - unmatched) / total if total else 0.0


def _pair_line(comparison: Comparison, al: Alignment, *, pad: int, names: bool) -> str:
    a, b = comparison.document(al.a), comparison.document(al.b)
    one_to_one = [m for m in al.matches if m.kind == "match"]
    mean = sum(m.score for m in one_to_one) / len(one_to_one) if one_to_one else 0.0
    extra = sum(m.kind != "match" for m in al.matches)
    named = f"  {_name(a)} ⇄ {_name(b)}" if names else ""
    return (
        f"  {al.a + '⇄' + al.b:<{pad}}  {_matched_share(comparison, al):>4.0%} matched, "
        f"mean score {mean:.2f}  ({len(one_to_one)} of {len(a.sections)}/{len(b.sections)} "
        f"one-to-one, {extra} split/merge){named}"
    )


def compare_summary(
    comparison: Comparison, *, folder: str = "", files: Sequence[str] = ()
) -> list[str]:
    """The short table ``compare`` prints: the documents (up to ``SUMMARY_MAX_DOCUMENTS``,
    else their count), a line per pair (up to ``SUMMARY_MAX_PAIRS``, else the number of pairs,
    the mean matched share and the ``SUMMARY_LEAST_SIMILAR`` pairs of the lowest share), then
    where the results are: the index page of ``folder`` when ``files`` has one, else the
    folder and its files. The matched share of a pair: the sections of both documents that
    are in a match, of all their sections."""
    docs = comparison.documents
    listed = len(docs) <= SUMMARY_MAX_DOCUMENTS
    rows = [f"{len(docs)} documents" + (":" if listed else "")]
    if listed:
        pad = max(len(doc.id) for doc in docs)
        rows.extend(
            f"  {doc.id:<{pad}}  {_name(doc)}  ({len(doc.sections)} sections, {len(doc.text)}字)"
            for doc in docs
        )
    alignments = comparison.alignments()
    pad = max((len(al.a) + len(al.b) + 1 for al in alignments), default=0)
    if len(alignments) <= SUMMARY_MAX_PAIRS:
        rows.append(f"{len(alignments)} pair{'s' if len(alignments) != 1 else ''}:")
        rows.extend(_pair_line(comparison, al, pad=pad, names=not listed) for al in alignments)
    else:
        shares = {(al.a, al.b): _matched_share(comparison, al) for al in alignments}
        mean = sum(shares.values()) / len(shares)
        rows.append(f"{len(alignments)} pairs, {mean:.0%} of the sections matched on average; "
                    "least similar:")
        least = sorted(alignments, key=lambda al: (shares[al.a, al.b], al.a, al.b))
        rows.extend(
            _pair_line(comparison, al, pad=pad, names=True)
            for al in least[:SUMMARY_LEAST_SIMILAR]
        )
    where = folder.rstrip("/\\") or "."
    if "index.html" in files:
        rows.append(f"open {where}/index.html in a browser (every table, each pair's diff)")
    elif files:
        rows.append(f"results in {where}/: {file_list(files)}")
    return rows


def file_list(names: Sequence[str], shown: int = 4) -> str:
    """``a, b, c, d and 6 more``: the first ``shown`` names and how many others."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


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
    per changed pair (every pair with ``show_all``), then the unmatched sections.

    With ``color`` the report is terminal-safe as it is (the CLI writes it unescaped, for its
    colour codes): the diff renderers escape document text before they style it, and the
    headers (section names) are escaped here. Without colour nothing here is escaped (the CLI
    escapes plain text on a terminal; a pipe gets the text as it is).
    """
    from policydiff.render.terminal import render_inline, render_side_by_side
    from policydiff.textsafe import visible

    safe = visible if color else str

    from policydiff.citations import Citer, diff_where

    doc_a, doc_b = comparison.document(al.a), comparison.document(al.b)
    cite_a, cite_b = Citer(doc_a), Citer(doc_b)
    rows = []
    for sd in selected:
        if not sd.diff.changed and not show_all:
            continue
        sa, sb = doc_a.section(sd.match.a), doc_b.section(sd.match.b)
        opcodes = [op.as_tuple() for op in sd.diff.opcodes]
        rows.append(safe(
            f"== {section_name(sa)}  ⇄  {section_name(sb)}  (score {sd.match.score:.2f}, "
            f"same text {sd.diff.similarity:.0%}{', coarse' if sd.diff.coarse else ''})\n"
            f"   {diff_where(cite_a, cite_b, sd.span_a, sd.span_b, opcodes)}"
        ))
        if width >= SIDE_BY_SIDE_MIN_WIDTH and not inline:
            rows.append(render_side_by_side(sd.diff, color=color, width=width))
        else:
            rows.append(render_inline(sd.diff, color=color, width=width))
    if unmatched:
        for ids, doc in ((al.unmatched_a, doc_a), (al.unmatched_b, doc_b)):
            for sid in ids:
                sec = doc.section(sid)
                size = sec.span[1] - sec.span[0]
                rows.append(safe(f"-- only in {doc.tag}: {section_name(sec)} ({size}字)"))
    if not rows:
        rows.append("no differences")
    return "\n".join(rows)
