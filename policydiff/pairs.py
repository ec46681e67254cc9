"""Which document pairs a comparison aligns: the one owner of the pair selection.

Aligning every pair costs N(N−1)/2 alignments: fine for a handful of reports, 4,950 for the
100 documents of the corpus and half a million for 1,000. Most of those pairs mean nothing
(a 1958 report against a 2026 province). So, from ``SMALL_SET + 1`` documents on, a
comparison aligns only the pairs that matter (``select_pairs``):

- ``consecutive``: neighbouring documents of a series, the same issuer in successive years
  (``find_series``: file names, else titles, equal once their numbers are ignored, with a year
  in them; or the inputs in the given order with ``series=True``, the ``--series`` option);
- ``neighbour``: each document with its ``NEIGHBOURS`` most similar documents by a cheap
  document-level similarity, the cosine of TF-IDF vectors of the documents' content words
  (hashed into ``SIMILARITY_DIM`` columns);

which grows linearly in the documents (at most N − 1 + N·k pairs). ``all_pairs`` (the
``--all-pairs`` option) forces the full set; ``ref`` (``--ref``) pairs every other document
with the reference, at any size, as before. Up to ``SMALL_SET`` documents every pair is
aligned, so small comparisons are exactly what they were.

Pair order: ``ref`` pairs in input order; otherwise pairs sorted by the input positions of
their documents; a pair ``(a, b)`` has ``a`` first in input order, except a consecutive pair,
whose ``a`` is the earlier document of its series (old to new).
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from policydiff.model import Document

SMALL_SET = 12
"""Up to this many documents, every pair is aligned (and the output is what it always was)."""

NEIGHBOURS = 3
"""How many most similar documents each document is paired with above ``SMALL_SET``."""

SIMILARITY_DIM = 1 << 12
"""Hashed columns of the document-level TF-IDF vectors."""

ALL, REF, CONSECUTIVE, NEIGHBOUR = "all", "ref", "consecutive", "neighbour"
REASONS = (ALL, REF, CONSECUTIVE, NEIGHBOUR)

_YEAR = re.compile(r"(?<![0-9])(?:1[89]|20)[0-9]{2}(?![0-9])")
_SERIES_NUMBER = re.compile(
    r"(?<![0-9０-９])(?:(?:1[89]|20)[0-9]{2}(?:[-./年][0-9]{1,2}(?:[-./月][0-9]{1,2}日?)?)?"
    r"|[0-9]+(?:st|nd|rd|th))(?![0-9０-９])")
"""The numbers that change from one report of a series to the next: a year or a date
(``2024-01-15``, ``2024年1月15日``), an ordinal (``18th`` congress). Other numbers name the
issuer (``district-3``) and stay."""


@dataclass(frozen=True)
class PairChoice:
    """A pair the comparison aligns, and why (``REASONS``; several when several rules chose
    it). ``similarity``: the document-level cosine, for neighbour pairs (else None)."""

    a: str
    b: str
    reasons: tuple[str, ...]
    similarity: float | None = None


@dataclass(frozen=True)
class PairSelection:
    """The pairs of a comparison. ``mode``: ``all`` (every pair), ``ref`` (every document
    against the reference) or ``selected`` (the rules above); ``series``: the series found
    (document ids, old to new)."""

    mode: str
    pairs: tuple[PairChoice, ...]
    series: tuple[tuple[str, ...], ...] = ()
    neighbours: int = 0


def series_key(doc: Document) -> tuple[str, int] | None:
    """(the series a document belongs to, its year), or None.

    The file name (without folder and extension) with its years and ordinals read as ``#``
    (``_SERIES_NUMBER``) is the series, when it holds a year (``national-2024`` →
    ``national-#``; ``cpc-congress-20th-2022`` → ``cpc-congress-#-#``; ``district-3-2021`` →
    ``district-3-#``, another issuer than ``district-4-2021``); else the title, likewise; the
    year is the first one in it.
    """
    for kind, text in (("name", PurePath(doc.path).stem), ("title", doc.title)):
        year = _YEAR.search(text)
        if year is not None:
            return f"{kind}:{_SERIES_NUMBER.sub('#', text)}", int(year.group())
    return None


def find_series(documents: Sequence[Document], *, series: bool = False) -> list[list[str]]:
    """The series among ``documents``: documents of one ``series_key`` with at least two
    different years (copies of one year's report are not a series), old to new (by year, then
    input order), in the order of their first document. ``series``: the inputs, in the given
    order, are one series."""
    if series:
        return [[d.id for d in documents]] if len(documents) >= 2 else []
    groups: dict[str, list[tuple[int, int, str]]] = {}
    for k, doc in enumerate(documents):
        key = series_key(doc)
        if key is not None:
            groups.setdefault(key[0], []).append((key[1], k, doc.id))
    found = [
        sorted(members) for members in groups.values() if len({y for y, _, _ in members}) >= 2
    ]
    found.sort(key=lambda members: min(k for _, k, _ in members))
    return [[doc_id for _, _, doc_id in members] for members in found]


def select_pairs(
    documents: Sequence[Document],
    words: Mapping[str, Sequence[str]] | None = None,
    *,
    ref: str | None = None,
    all_pairs: bool = False,
    series: bool = False,
    neighbours: int = NEIGHBOURS,
) -> PairSelection:
    """The pairs to align (see the module docstring). ``words``: each document's content
    words by id (needed only above ``SMALL_SET`` documents without ``ref``/``all_pairs``)."""
    ids = [d.id for d in documents]
    if ref is not None:
        return PairSelection(REF, tuple(PairChoice(ref, o, (REF,)) for o in ids if o != ref))
    chains = find_series(documents, series=series)
    if all_pairs or len(ids) <= SMALL_SET:
        every = tuple(PairChoice(a, b, (ALL,)) for k, a in enumerate(ids) for b in ids[k + 1 :])
        return PairSelection(ALL, every, tuple(tuple(c) for c in chains))
    if words is None:
        raise ValueError("select_pairs needs the documents' words to choose neighbours")
    import numpy as np  # here, not at the top: up to SMALL_SET documents need none

    position = {doc_id: k for k, doc_id in enumerate(ids)}
    reasons: dict[frozenset[str], tuple[tuple[str, str], list[str]]] = {}
    similarity: dict[frozenset[str], float] = {}

    def add(a: str, b: str, reason: str) -> None:
        if a == b:
            return
        key = frozenset((a, b))
        if key not in reasons:
            reasons[key] = ((a, b) if position[a] < position[b] else (b, a), [])
        if reason == CONSECUTIVE:
            reasons[key] = ((a, b), reasons[key][1])  # old to new
        if reason not in reasons[key][1]:
            reasons[key][1].append(reason)

    for chain in chains:
        for a, b in pairwise(chain):
            add(a, b, CONSECUTIVE)
    sims = document_similarity([words[i] for i in ids])
    for i, row in enumerate(sims):
        row = row.copy()
        row[i] = -np.inf
        # The k highest, ties to the earlier document (a stable sort of the negated row).
        for j in np.argsort(-row, kind="stable")[:neighbours].tolist():
            if math.isfinite(row[j]):
                add(ids[i], ids[j], NEIGHBOUR)
                similarity[frozenset((ids[i], ids[j]))] = round(float(row[j]), 4)
    chosen = sorted(reasons.items(), key=lambda item: sorted(position[d] for d in item[0]))
    order = {reason: k for k, reason in enumerate(REASONS)}
    pairs = tuple(
        PairChoice(a, b, tuple(sorted(why, key=order.__getitem__)), similarity.get(key))
        for key, ((a, b), why) in chosen
    )
    return PairSelection("selected", pairs, tuple(tuple(c) for c in chains), neighbours)


def document_similarity(words: Sequence[Sequence[str]]) -> np.ndarray:
    """(N, N) cosine similarity of the documents' TF-IDF vectors (sublinear term frequency,
    smoothed IDF over these documents, ``SIMILARITY_DIM`` hashed columns)."""
    import numpy as np

    counts = [Counter(w) for w in words]
    df: Counter[str] = Counter()
    for c in counts:
        df.update(c.keys())
    n = len(counts)
    idf = {w: math.log((n + 1) / (k + 1)) + 1.0 for w, k in df.items()}
    bucket = {w: zlib.crc32(w.encode("utf-8")) & (SIMILARITY_DIM - 1) for w in df}
    matrix = np.zeros((n, SIMILARITY_DIM), dtype=np.float64)
    for i, c in enumerate(counts):
        cols = np.fromiter((bucket[w] for w in c), dtype=np.int64, count=len(c))
        vals = np.fromiter(
            ((1.0 + math.log(k)) * idf[w] for w, k in c.items()), dtype=np.float64, count=len(c)
        )
        np.add.at(matrix[i], cols, vals)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1.0, norms)
    sims: np.ndarray = matrix @ matrix.T
    return sims
