"""Where phrases are in the documents: the deepest section of each occurrence (``locate``) and
the phrases two aligned sections share, with their spans inside each (``pair_phrases``)."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

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
    All occurrences of a document are placed at once, one depth of its heading tree at a
    time (sections of one depth do not overlap: a binary search per depth; the deepest
    depth whose section contains the span wins), instead of walking the tree per occurrence.
    """
    roots = {doc.id: doc.root for doc in documents}
    with bulk_allocation():
        occurrences = [o for phrase in phrase_set.phrases for o in phrase.occurrences]
        docs = [o.doc for o in occurrences]
        spans = [o.span for o in occurrences]
        number = {doc: k for k, doc in enumerate(dict.fromkeys(docs))}
        doc_of = np.fromiter(map(number.__getitem__, docs), dtype=np.int64, count=len(docs))
        table = np.fromiter(chain.from_iterable(spans), dtype=np.int64, count=2 * len(spans))
        table = table.reshape(-1, 2)
        order = np.argsort(doc_of, kind="stable")  # each document's occurrences together
        cuts = np.searchsorted(doc_of[order], np.arange(len(number) + 1))
        ids: list[str | None] = [None]  # 0: not located (a document not given)
        where = np.zeros(len(docs), dtype=np.int64)
        for doc, k in number.items():
            if doc in roots:
                members = order[cuts[k] : cuts[k + 1]]
                found, names = _deepest_all(roots[doc], table[members])
                where[members] = found + len(ids)
                ids += names
        sections = [ids[i] for i in where.tolist()]
        located = [
            occ if section is None else Occurrence(doc, span, section)
            for occ, doc, span, section in zip(occurrences, docs, spans, sections, strict=True)
        ]
        ends = np.cumsum([len(phrase.occurrences) for phrase in phrase_set.phrases]).tolist()
        phrases = tuple(
            replace(phrase, occurrences=tuple(located[end - len(phrase.occurrences) : end]))
            for phrase, end in zip(phrase_set.phrases, ends, strict=True)
        )
    return replace(phrase_set, phrases=phrases)


def _deepest_all(root: Section, spans: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """``_deepest(root, span).id`` for every row of ``spans``: an index into the list of
    section ids returned with it."""
    best = np.zeros(len(spans), dtype=np.int64)  # index into ``ids``; 0: the root
    ids = [root.id]
    level = list(root.children)
    while level:
        starts = np.asarray([s.span[0] for s in level], dtype=np.int64)
        ends = np.asarray([s.span[1] for s in level], dtype=np.int64)
        k = np.searchsorted(starts, spans[:, 0], side="right") - 1
        safe = np.maximum(k, 0)
        inside = (k >= 0) & (starts[safe] <= spans[:, 0]) & (spans[:, 1] <= ends[safe])
        best = np.where(inside, len(ids) + safe, best)
        ids += [s.id for s in level]
        level = [child for s in level for child in s.children]
    return best, ids


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

