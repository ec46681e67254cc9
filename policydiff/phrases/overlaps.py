"""Pairwise overlap of the documents of a phrase set: Jaccard of their phrase sets and the
share of each document's Han characters covered by the phrases it shares with the other."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from policydiff.phrases.model import Overlap, PhraseSet, bulk_allocation
from policydiff.phrases.rules import han_flags


def overlap_matrix(
    phrase_set: PhraseSet, pairs: Iterable[tuple[str, str]] | None = None
) -> list[Overlap]:
    """How much each pair of documents shares (see ``Overlap``): every pair ``(a, b)`` with
    ``a`` before ``b`` in document order; with ``pairs``, only those pairs (each written with
    its earlier document as ``a``, in document order; same figures as for all pairs), so that
    the work grows with the pairs asked for, not with the square of the documents
    (``_chosen_pairs``).

    Only phrases of ``phrase_set`` count, so with ``min_docs > 2`` phrases that only two
    documents share are not seen.

    How: the phrases each pair shares are counted for all pairs at once (every two documents
    of each phrase); the coverage of document ``a`` by ``b`` is the union of the occurrences
    in ``a`` of phrases that ``b`` also has, swept once per document over all its partners
    (intervals sorted by partner, then start). Work ~ occurrences × documents per phrase, not
    pairs × document length (100 documents: 26 s before, under 2 s now; same figures).
    """
    ids = phrase_set.doc_ids
    n_docs = len(ids)
    position = {doc: i for i, doc in enumerate(ids)}
    occ = _occurrence_table(phrase_set, position)
    if pairs is not None:
        return _chosen_pairs(phrase_set, occ, position, pairs)
    # (phrase, doc), by phrase then doc; return_counts: numpy 2.4's plain unique imports numpy.ma
    entries = np.unique(occ[:, 1] * n_docs + occ[:, 0], return_counts=True)[0]
    ent_phrase, ent_doc = entries // n_docs, entries % n_docs
    first = np.searchsorted(ent_phrase, np.arange(len(phrase_set.phrases) + 1))
    per_phrase = np.diff(first)
    shared = _shared_counts(ent_phrase, ent_doc, first, per_phrase, n_docs)
    sizes = np.bincount(ent_doc, minlength=n_docs)
    covered = np.zeros((n_docs, n_docs), dtype=np.int64)
    totals = []
    by_doc = np.argsort(occ[:, 0], kind="stable")
    starts = np.searchsorted(occ[by_doc, 0], np.arange(n_docs + 1))
    for d, text in enumerate(phrase_set.texts):
        han = np.concatenate(([0], np.cumsum(han_flags(text), dtype=np.int64)))
        totals.append(int(han[-1]))
        rows = occ[by_doc[starts[d] : starts[d + 1]]]
        covered[d] = _covered(rows, ent_doc, first, per_phrase, han, n_docs)
    out = []
    for i in range(n_docs):
        for j in range(i + 1, n_docs):
            both = int(shared[i, j])
            union = int(sizes[i]) + int(sizes[j]) - both
            out.append(
                Overlap(
                    a=ids[i],
                    b=ids[j],
                    jaccard=both / union if union else 0.0,
                    coverage_a=int(covered[i, j]) / totals[i] if totals[i] else 0.0,
                    coverage_b=int(covered[j, i]) / totals[j] if totals[j] else 0.0,
                    shared=both,
                )
            )
    return out


def _occurrence_table(phrase_set: PhraseSet, position: dict[str, int]) -> np.ndarray:
    """Rows ``(doc, phrase, start, end)`` of every occurrence."""
    with bulk_allocation():  # no collector passes over the millions of occurrences
        docs = [position[o.doc] for p in phrase_set.phrases for o in p.occurrences]
        spans = [o.span for p in phrase_set.phrases for o in p.occurrences]
    counts = [len(p.occurrences) for p in phrase_set.phrases]
    table = np.empty((len(docs), 4), dtype=np.int64)
    table[:, 0] = docs
    table[:, 1] = np.repeat(np.arange(len(counts)), counts)
    table[:, 2:] = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return table


def _expand(
    groups: np.ndarray, first: np.ndarray, per_phrase: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For each item of phrase ``groups[t]``: ``(t, index of one entry of that phrase)`` for
    every entry (document) of the phrase."""
    counts = per_phrase[groups]
    owner = np.repeat(np.arange(len(groups)), counts)
    offset = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, first[groups][owner] + offset


def _shared_counts(
    ent_phrase: np.ndarray, ent_doc: np.ndarray, first: np.ndarray, per_phrase: np.ndarray,
    n_docs: int,
) -> np.ndarray:  # fmt: skip
    """``shared[i, j]``: how many phrases documents ``i`` and ``j`` both have."""
    shared = np.zeros(n_docs * n_docs, dtype=np.int64)
    step = max(1, (1 << 22) // max(1, int(per_phrase.max(initial=1))))
    for lo in range(0, len(ent_phrase), step):  # pieces: the pairs of a piece fit in memory
        owner, partner = _expand(ent_phrase[lo : lo + step], first, per_phrase)
        shared += np.bincount(ent_doc[lo + owner] * n_docs + ent_doc[partner],
                              minlength=n_docs * n_docs)  # fmt: skip
    return shared.reshape(n_docs, n_docs)


def _covered(
    rows: np.ndarray, ent_doc: np.ndarray, first: np.ndarray, per_phrase: np.ndarray,
    han: np.ndarray, n_docs: int,
) -> np.ndarray:  # fmt: skip
    """For one document (its occurrence ``rows``, ``han`` its Han prefix counts): per other
    document, how many of its Han characters lie inside occurrences of phrases they share."""
    found = np.zeros(n_docs, dtype=np.int64)
    if not len(rows):
        return found
    owner, partner = _expand(rows[:, 1], first, per_phrase)
    other = ent_doc[partner]
    start, end = rows[owner, 2], rows[owner, 3]
    order = np.lexsort((start, other))
    other, start, end = other[order], start[order], end[order]
    width = len(han)  # intervals of partner j shifted by j * width: one sweep for all
    shifted_end = end + other * width
    reach = np.concatenate(([-1], np.maximum.accumulate(shifted_end)[:-1]))
    begin = np.maximum(start + other * width, reach) - other * width
    gain = np.where(begin < end, han[end] - han[np.minimum(begin, end)], 0)
    found += np.bincount(other, weights=gain, minlength=n_docs).astype(np.int64)
    return found


def _chosen_pairs(
    phrase_set: PhraseSet, occ: np.ndarray, position: dict[str, int],
    pairs: Iterable[tuple[str, str]],
) -> list[Overlap]:  # fmt: skip
    """``overlap_matrix`` of the given ``pairs`` only: per pair, the phrases both documents
    have (an intersection of their sorted phrase numbers) and the union of the occurrences in
    each of those phrases, swept in order of start; work ~ the two documents' occurrences."""
    ids = phrase_set.doc_ids
    chosen = sorted({tuple(sorted((position[a], position[b]))) for a, b in pairs if a != b})
    by_doc = np.lexsort((occ[:, 2], occ[:, 0]))  # by document, then start
    occ = occ[by_doc]
    starts = np.searchsorted(occ[:, 0], np.arange(len(ids) + 1))
    rows = [occ[starts[d] : starts[d + 1], 1:] for d in range(len(ids))]
    has = [np.unique(r[:, 0]) for r in rows]
    han = {}
    for d in {d for pair in chosen for d in pair}:
        han[d] = np.concatenate(([0], np.cumsum(han_flags(phrase_set.texts[d]), dtype=np.int64)))
    out = []
    for i, j in chosen:
        both = len(np.intersect1d(has[i], has[j], assume_unique=True))
        union = len(has[i]) + len(has[j]) - both
        cover = []
        for d, other in ((i, j), (j, i)):
            total = int(han[d][-1])
            inside = rows[d][np.isin(rows[d][:, 0], has[other], assume_unique=False)]
            cover.append(_union_han(inside[:, 1], inside[:, 2], han[d]) / total if total else 0.0)
        out.append(Overlap(ids[i], ids[j], both / union if union else 0.0, cover[0], cover[1],
                           both))  # fmt: skip
    return out


def _union_han(start: np.ndarray, end: np.ndarray, han: np.ndarray) -> int:
    """How many Han characters (``han``: prefix counts) lie in the union of the intervals
    ``[start, end)``, sorted by start."""
    if not len(start):
        return 0
    reach = np.concatenate(([-1], np.maximum.accumulate(end)[:-1]))
    begin = np.maximum(start, reach)
    return int(np.where(begin < end, han[end] - han[np.minimum(begin, end)], 0).sum())
