"""Finding text in the documents: the hits of a query, shared fairly under a cap.

Plain data, no widgets: the search dialog lists ``find_hits``, the main screen steps through
them (next / previous hit) and marks them in the panes with ``find_in``.

Rules:
- A query is text, never a pattern: a plain substring search, case-insensitive where
  case-folding keeps offsets (else case-sensitive), occurrences not overlapping. A document's
  texts are case-folded once, by the session that keeps them (``ViewerSession.search_texts``),
  not on every key typed; the row slices the panes mark are folded each time.
- A document is searched in every form the viewer can show it (``texts``: the text as written
  and the normalized text, which have the same offsets), with the query as typed and in its
  normalized form: 议员 finds 議員 in a Hong Kong report, and 議員 finds it too.
- At most ``limit`` hits are listed, shared fairly between the documents: each document gets
  an equal part, and what one does not use goes to the others (searching "，" in two reports
  lists 150 of each, not 300 of the first). ``Hits.capped`` says that some were left out and
  ``total`` how many there are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MAX_HITS = 300
"""Hits listed by the search dialog (and stepped through with the hit keys)."""

MAX_MARKS = 2000
"""Hits marked in one pane (a one-character query can match thousands of times)."""

Hit = tuple[str, int, int]
"""``(document id, start, end)`` of one occurrence."""

Form = tuple[str, str]
"""A form of a text the viewer shows and that form case-folded (``str.casefold``)."""


@dataclass(frozen=True)
class Hits:
    """The hits listed (in document order, document by document) and how many there are."""

    hits: tuple[Hit, ...]
    total: int
    per_document: Mapping[str, int]
    """How many hits each document holds (all of them, not only those listed)."""

    @property
    def capped(self) -> bool:
        """True when some hits are not listed."""
        return len(self.hits) < self.total


def _spans(text: str, folded: str, query: str, limit: int | None) -> list[tuple[int, int]]:
    haystack, needle = folded, query.casefold()
    if len(haystack) != len(text) or len(needle) != len(query):
        haystack, needle = text, query
    out: list[tuple[int, int]] = []
    pos = haystack.find(needle)
    while pos != -1 and (limit is None or len(out) < limit):
        out.append((pos, pos + len(needle)))
        pos = haystack.find(needle, pos + len(needle))
    return out


def find_in(
    texts: Sequence[str], queries: Sequence[str], limit: int | None = None
) -> list[tuple[int, int]]:
    """The spans where any of ``queries`` occurs in any of ``texts`` (forms of one text with
    the same offsets), sorted, without overlaps; at most ``limit``."""
    return _find(tuple((text, text.casefold()) for text in dict.fromkeys(texts)), queries, limit)


def _find(
    forms: Sequence[Form], queries: Sequence[str], limit: int | None
) -> list[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    for query in dict.fromkeys(q for q in queries if q):
        for text, folded in dict.fromkeys(forms):
            found.update(_spans(text, folded, query, limit))
    out: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
        if limit is not None and len(out) >= limit:
            break
    return out


def fair_shares(counts: Sequence[int], limit: int) -> list[int]:
    """How many of each document's ``counts`` hits to list so that at most ``limit`` are listed
    and no document gets fewer than an equal part unless it has fewer hits."""
    shares = [0] * len(counts)
    left = limit
    order = sorted(range(len(counts)), key=lambda k: counts[k])
    for rank, k in enumerate(order):
        part = left // (len(order) - rank)
        shares[k] = min(counts[k], part)
        left -= shares[k]
    return shares


def find_hits(
    documents: Mapping[str, Sequence[Form]], queries: Sequence[str], *, limit: int = MAX_HITS
) -> Hits:
    """The hits of ``queries`` in ``documents`` (id -> the forms of its text, each with its
    folded form: ``ViewerSession.search_texts``), see the rules."""
    if not any(queries):
        return Hits((), 0, {})
    found = {doc_id: _find(forms, queries, None) for doc_id, forms in documents.items()}
    counts = [len(spans) for spans in found.values()]
    shares = fair_shares(counts, limit)
    hits: list[Hit] = []
    for (doc_id, spans), share in zip(found.items(), shares, strict=True):
        hits.extend((doc_id, start, end) for start, end in spans[:share])
    per_document = {doc_id: len(spans) for doc_id, spans in found.items()}
    return Hits(tuple(hits), sum(counts), per_document)
