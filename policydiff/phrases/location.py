"""Where phrases are in the documents: the deepest section of each occurrence (``locate``) and
the phrases two aligned sections share, with their spans inside each (``pair_phrases``)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from policydiff.phrases.model import (
    Occurrence,
    PairPhrase,
    PhraseSet,
    Span,
    bulk_allocation,
)

if TYPE_CHECKING:
    from policydiff.model import Document, Section


def _deepest(section: Section, span: Span) -> Section:
    """The deepest section under ``section`` whose span contains ``span``.

    Children are in document order and do not overlap, so the only candidate at each level is
    the last child starting at or before ``span``: a binary search (scanning every child made
    a document with thousands of top-level sections take minutes).
    """
    current = section
    while current.children:
        k = bisect_right(current.children, span[0], key=_span_start) - 1
        if k < 0:
            return current
        child = current.children[k]
        if not (child.span[0] <= span[0] and span[1] <= child.span[1]):
            return current
        current = child
    return current


def _span_start(section: Section) -> int:
    return section.span[0]


def locate(phrase_set: PhraseSet, documents: Iterable[Document]) -> PhraseSet:
    """A copy of ``phrase_set`` whose occurrences carry the id of the deepest section that
    contains them (the document root when a phrase straddles two sections).

    Documents are matched by id; occurrences in documents not given keep ``section=None``.
    """
    roots = {doc.id: doc.root for doc in documents}
    where: dict[tuple[str, Span], str] = {}

    def section_of(occ: Occurrence) -> Occurrence:
        if occ.doc not in roots:
            return occ
        key = (occ.doc, occ.span)
        if key not in where:
            where[key] = _deepest(roots[occ.doc], occ.span).id
        return Occurrence(occ.doc, occ.span, where[key])

    with bulk_allocation():
        phrases = tuple(
            replace(phrase, occurrences=tuple([section_of(occ) for occ in phrase.occurrences]))
            for phrase in phrase_set.phrases
        )
    return replace(phrase_set, phrases=phrases)


def pair_phrases(
    phrase_set: PhraseSet, doc_a: str, span_a: Span, doc_b: str, span_b: Span
) -> tuple[PairPhrase, ...]:
    """The phrases that the text ``span_a`` of ``doc_a`` and ``span_b`` of ``doc_b`` share,
    with their spans inside each (for highlighting two aligned sections).

    Longest first. Nested phrases are all returned (a viewer highlights their union); a phrase
    counts only where an occurrence lies wholly inside the span.
    """
    out = []
    for phrase in phrase_set.phrases:
        inside_a = tuple(s for s in phrase.spans(doc_a) if span_a[0] <= s[0] and s[1] <= span_a[1])
        if not inside_a:
            continue
        inside_b = tuple(s for s in phrase.spans(doc_b) if span_b[0] <= s[0] and s[1] <= span_b[1])
        if inside_b:
            out.append(PairPhrase(phrase.text, phrase.kind, inside_a, inside_b))
    out.sort(key=lambda p: (-len(p.text), p.spans_a[0]))
    return tuple(out)

