"""The rows of the section list: aligned section pairs and unmatched sections, in reading order.

Plain data, no widgets: built from a ``Comparison`` for the pair of documents shown on the
left and on the right, which may be the alignment's own order or its mirror (``s`` swaps the
sides without re-aligning, so a swapped view shows the same matches). ``row_titles`` is the
text the panes' titles show for a row.

Rules:
- Every section of both documents appears in at least one row: a one-to-one match, the extra
  partner of a split or merge, or a row of its own marked ``only-left`` / ``only-right``.
- Rows follow the left document's order; a right-only section is placed after the row whose
  right section comes last before it in the right document, so it sits where it would be read.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content

from policydiff.comparison import diff_spans
from policydiff_tui import sanitize

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.matches import Alignment
    from policydiff.model import Document, Section

KINDS = ("match", "split", "merge", "only-left", "only-right")


Span = tuple[int, int]


@dataclass(frozen=True, eq=False)
class PairRow:
    """One row: ``left``/``right`` sections (one of them ``None`` for an unmatched section).

    ``kind`` is one of ``KINDS``; ``score`` is the match score (``None`` when unmatched);
    ``themes`` are the match's shared themes, or the sections' strongest themes;
    ``left_span``/``right_span`` the text each side shows (``shown_spans``; ``(0, 0)`` for a
    missing side). Rows compare by identity (``key`` names a row within one document pair).
    """

    key: str
    left: Section | None
    right: Section | None
    kind: str
    score: float | None
    themes: tuple[str, ...]
    left_span: Span = (0, 0)
    right_span: Span = (0, 0)

    @property
    def level(self) -> int:
        sec = self.left or self.right
        return sec.level if sec is not None else 1


def alignment_for(comparison: Comparison, left: str, right: str) -> tuple[Alignment, bool]:
    """The alignment to show ``left`` against ``right`` and whether it is mirrored.

    The comparison's own pair order is used when it has the pair either way round, so a swapped
    view reuses (and mirrors) the alignment already computed.
    """
    if (left, right) not in comparison.pairs and (right, left) in comparison.pairs:
        return comparison.alignment(right, left), True
    return comparison.alignment(left, right), False


def shown_spans(left: Section | None, right: Section | None) -> tuple[Span, Span]:
    """The text a row shows (and diffs) of each side.

    Matched sections follow ``policydiff.comparison.diff_spans``, the rule of
    ``Comparison.section_diffs``, so the viewer shows the diffs the exports hold. An unmatched
    section shows its own text.
    """
    if left is not None and right is not None:
        return diff_spans(left, right)
    return (
        left.own_span if left is not None else (0, 0),
        right.own_span if right is not None else (0, 0),
    )


def _row(
    key: str, left: Section | None, right: Section | None, kind: str, score: float | None,
    themes: tuple[str, ...],
) -> PairRow:
    left_span, right_span = shown_spans(left, right)
    return PairRow(key, left, right, kind, score, themes, left_span, right_span)


def _top_theme(sec: Section) -> tuple[str, ...]:
    return (sec.themes[0].id,) if sec.themes else ()


def build_rows(
    alignment: Alignment, left_doc: Document, right_doc: Document, *, mirrored: bool
) -> list[PairRow]:
    """The section-list rows for ``left_doc`` against ``right_doc`` (see module rules)."""
    left_order = {s.id: k for k, s in enumerate(left_doc.sections)}
    right_order = {s.id: k for k, s in enumerate(right_doc.sections)}
    left_secs = {s.id: s for s in left_doc.sections}
    right_secs = {s.id: s for s in right_doc.sections}
    flip = {"split": "merge", "merge": "split", "match": "match"}

    keyed: list[tuple[tuple[float, float, int], PairRow]] = []
    for n, m in enumerate(alignment.matches):
        a_id, b_id = (m.b, m.a) if mirrored else (m.a, m.b)
        kind = flip[m.kind] if mirrored else m.kind
        sa, sb = left_secs[a_id], right_secs[b_id]
        themes = tuple(m.themes) or tuple(dict.fromkeys(_top_theme(sa) + _top_theme(sb)))
        row = _row(f"{a_id}|{b_id}", sa, sb, kind, m.score, themes)
        keyed.append(((left_order[a_id], right_order[b_id], n), row))
    only_left = alignment.unmatched_b if mirrored else alignment.unmatched_a
    only_right = alignment.unmatched_a if mirrored else alignment.unmatched_b
    for sid in only_left:
        sec = left_secs[sid]
        row = _row(f"{sid}|", sec, None, "only-left", None, _top_theme(sec))
        keyed.append(((left_order[sid], -1.0, 0), row))
    # Right-only sections go after the row holding the nearest preceding right section.
    anchors = sorted((key[1], key[0]) for key, row in keyed if row.right is not None)
    anchor_right = [a[0] for a in anchors]
    for sid in only_right:
        sec = right_secs[sid]
        order = right_order[sid]
        k = bisect.bisect_left(anchor_right, order)
        left_pos = anchors[k - 1][1] if k else -1.0
        row = _row(f"|{sid}", None, sec, "only-right", None, _top_theme(sec))
        keyed.append(((left_pos + 0.5, order, 0), row))
    keyed.sort(key=lambda item: item[0])
    return [row for _, row in keyed]


def overall_similarity(
    alignment: Alignment, left_doc: Document, right_doc: Document
) -> float:
    """How much of the two documents is matched text, weighted by match score, in [0, 1].

    Each section's own text (which tiles its document) counts with the best score of the
    matches it takes part in, 0 when it is unmatched. Two empty documents are identical (1.0).
    """
    best: dict[str, float] = {}
    for m in alignment.matches:
        for key in (f"a:{m.a}", f"b:{m.b}"):
            best[key] = max(best.get(key, 0.0), m.score)
    a_side, b_side = (
        (left_doc, right_doc) if alignment.a == left_doc.id else (right_doc, left_doc)
    )
    total = weighted = 0.0
    for prefix, doc in (("a", a_side), ("b", b_side)):
        for sec in doc.sections:
            start, end = sec.own_span
            size = end - start
            total += size
            weighted += size * best.get(f"{prefix}:{sec.id}", 0.0)
    return weighted / total if total else 1.0


def filter_rows(rows: Sequence[PairRow], theme: str | None) -> list[PairRow]:
    """The rows about ``theme`` (all rows when ``theme`` is ``None``).

    A row is about a theme when the match lists it, or when it is the strongest theme of
    either of its sections.
    """
    if theme is None:
        return list(rows)
    out = []
    for row in rows:
        tops = {t for sec in (row.left, row.right) if sec is not None for t in _top_theme(sec)}
        if theme in row.themes or theme in tops:
            out.append(row)
    return out


ROW_FILTERS = ("all", "changed", "unmatched")
"""Which rows the section list keeps: all, the changed ones (an unmatched section, or a match
scoring below 1), or the unmatched ones."""


def changed(row: PairRow) -> bool:
    """A row with something to read: unmatched, a split or merge, or a match below 1.0."""
    return row.kind != "match" or row.score is None or row.score < 1.0


def keep_rows(rows: Sequence[PairRow], which: str) -> list[PairRow]:
    """The rows ``which`` (one of ``ROW_FILTERS``) keeps, in their order."""
    if which == "changed":
        return [row for row in rows if changed(row)]
    if which == "unmatched":
        return [row for row in rows if row.kind in ("only-left", "only-right")]
    return list(rows)


def change_amount(row: PairRow) -> float:
    """How much of a row changed, in characters: its text times one less its score (all of
    it for an unmatched section)."""
    size = (row.left_span[1] - row.left_span[0]) + (row.right_span[1] - row.right_span[0])
    return size * (1.0 - (row.score if row.score is not None else 0.0))


def by_change(rows: Sequence[PairRow]) -> list[PairRow]:
    """``rows``, the most changed first (``change_amount``; ties keep reading order)."""
    return sorted(rows, key=lambda row: -change_amount(row))


def row_for_offset(rows: Sequence[PairRow], side: str, offset: int) -> int | None:
    """Index of the first row whose ``side`` section's own text contains ``offset``, or
    ``None`` when no row shows it."""
    for index, row in enumerate(rows):
        sec = row.left if side == "left" else row.right
        if sec is not None:
            start, end = sec.own_span
            if start <= offset < end:
                return index
    return None


def section_name(
    doc: Document, sec: Section, *, limit: int = 40, text: str | None = None
) -> str:
    """What a reader calls a section: its marker and heading; for a section without a
    heading (preamble, closing, an unheaded paragraph) the start of its text. ``text`` is the
    form of ``doc.text`` to take it from (the text as written: same offsets)."""
    shown = doc.text if text is None else text
    name = f"{sec.label}{sec.heading}".strip()
    if name:
        at = doc.text.find(name, sec.span[0], sec.span[0] + len(name) + 8)
        return shown[at : at + len(name)] if at >= 0 else name
    snippet = shown[sec.span[0] : min(sec.span[1], sec.span[0] + limit)].split("\n")[0]
    return f"({sec.kind}) {snippet}" if sec.kind != "heading" else f"… {snippet}"


def row_titles(
    left_doc: Document, right_doc: Document, row: PairRow,
    texts: tuple[str, str] | None = None,
) -> tuple[Content, Content, Content, Content]:
    """The titles and subtitles of the two panes for ``row``: left title, right title, left
    subtitle, right subtitle (document, section id and name; score and kind; where the text
    is in its file, for citation). ``texts``: the forms of the two documents' text shown."""
    from policydiff_tui.script import citation

    def title(doc: Document, sec: Section | None, text: str | None) -> Content:
        if sec is None:
            return sanitize.line(f"{doc.tag} · (no counterpart)")
        return sanitize.join(
            [sanitize.line(f"{doc.tag} {sec.id.split('/', 1)[-1]} · "),
             sanitize.truncate(sanitize.line(section_name(doc, sec, text=text)), 40)]
        )

    if row.score is None:
        sub = "unmatched"
    else:
        sub = f"score {row.score:.2f}" + ("" if row.kind == "match" else f" · {row.kind}")

    def subtitle(doc: Document, sec: Section | None, shown: Span) -> Content:
        # Subsections left out of the text shown have rows of their own.
        below = len(sec.children) if sec is not None and shown[1] < sec.span[1] else 0
        where = f"{citation(doc, shown)} · " if sec is not None else ""
        return sanitize.line(where + sub + (f" · +{below} subsections" if below else ""))

    left_text, right_text = texts if texts is not None else (None, None)
    return (
        title(left_doc, row.left, left_text), title(right_doc, row.right, right_text),
        subtitle(left_doc, row.left, row.left_span),
        subtitle(right_doc, row.right, row.right_span),
    )
