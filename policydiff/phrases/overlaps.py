"""Pairwise overlap of the documents of a phrase set: Jaccard of their phrase sets and the
share of each document's Han characters covered by the phrases it shares with the other."""

from __future__ import annotations

import numpy as np

from policydiff.phrases.model import Overlap, PhraseSet
from policydiff.phrases.rules import han_flags


class _OverlapIndex:
    """Per document: which phrases occur in it, their occurrence spans as arrays, and the
    Han-character flags of its text, so that every pair is a few numpy operations."""

    def __init__(self, phrase_set: PhraseSet) -> None:
        ids = phrase_set.doc_ids
        position = {doc: i for i, doc in enumerate(ids)}
        n_phr = len(phrase_set.phrases)
        self.member = np.zeros((len(ids), n_phr), dtype=bool)
        rows: list[list[tuple[int, int, int]]] = [[] for _ in ids]
        for k, phrase in enumerate(phrase_set.phrases):
            for occ in phrase.occurrences:
                d = position[occ.doc]
                self.member[d, k] = True
                rows[d].append((k, occ.span[0], occ.span[1]))
        self.occ = [np.asarray(r, dtype=np.int64).reshape(-1, 3) for r in rows]
        self.han = [han_flags(text) for text in phrase_set.texts]

    def coverage(self, d: int, other: int) -> float:
        total = int(self.han[d].sum())
        if not total:
            return 0.0
        occ = self.occ[d]
        occ = occ[self.member[other, occ[:, 0]]]
        depth = np.zeros(len(self.han[d]) + 1, dtype=np.int64)
        np.add.at(depth, occ[:, 1], 1)
        np.add.at(depth, occ[:, 2], -1)
        covered = np.cumsum(depth)[:-1] > 0
        return int((covered & self.han[d]).sum()) / total

    def overlap(self, ids: tuple[str, ...], i: int, j: int) -> Overlap:
        shared = int((self.member[i] & self.member[j]).sum())
        union = int((self.member[i] | self.member[j]).sum())
        return Overlap(
            a=ids[i],
            b=ids[j],
            jaccard=shared / union if union else 0.0,
            coverage_a=self.coverage(i, j),
            coverage_b=self.coverage(j, i),
            shared=shared,
        )


def overlap_matrix(phrase_set: PhraseSet) -> list[Overlap]:
    """How much each pair of documents shares (see ``Overlap``): every pair ``(a, b)`` with
    ``a`` before ``b`` in document order.

    Only phrases of ``phrase_set`` count, so with ``min_docs > 2`` phrases that only two
    documents share are not seen.
    """
    ids = phrase_set.doc_ids
    index = _OverlapIndex(phrase_set)
    return [index.overlap(ids, i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))]
