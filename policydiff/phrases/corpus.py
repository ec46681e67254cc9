"""The corpus index of the phrase finder: the documents joined into one integer array with its
generalized suffix array and LCP (pydivsufsort), the barriers no phrase crosses, the maximal
repeats, and the occurrences of a given string."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from policydiff.chars import HAN_RANGES, IDEOGRAPHIC_ZERO, PHRASE_BARRIERS
from policydiff.phrases.rules import MAX_OCCURRENCES, MAX_PHRASE_CHARS, codes_in


class Corpus:
    """The documents joined into one integer array, with its suffix array and LCP.

    Each document is followed by a unique separator (above every code point), so no common
    prefix runs from one document into the next. ``lcp[k]`` is the common prefix of the
    suffixes ``sa[k]`` and ``sa[k+1]``, clipped at the first barrier (newline, mask,
    separator), so that every repeat it reports stays inside one paragraph.
    """

    def __init__(self, texts: Sequence[str], bounds: Sequence[np.ndarray]) -> None:
        from pydivsufsort import divsufsort, kasai

        self.texts = texts
        self.starts = np.zeros(len(texts) + 1, dtype=np.int64)
        parts = []
        for i, text in enumerate(texts):
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
            parts.append(codes)
            parts.append(np.array([0x110000 + i], dtype=np.int32))
            self.starts[i + 1] = self.starts[i] + len(text) + 1
        arr = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        self.arr = arr
        n = len(arr)
        self.n = n
        barrier = arr >= 0x110000
        for char in PHRASE_BARRIERS:
            barrier |= arr == ord(char)
        han = codes_in(arr, HAN_RANGES) | (arr == ord(IDEOGRAPHIC_ZERO))
        self.han_prefix = np.concatenate(([0], np.cumsum(han)))
        # a run of 4+ identical symbols (a ruled line, "…………") is a barrier too; digits
        # and letters are not symbols (10000亿元)
        if n:
            change = np.flatnonzero(np.diff(arr)) + 1
            run_starts = np.concatenate(([0], change))
            run_lengths = np.diff(np.concatenate((run_starts, [n])))
            first = arr[run_starts]
            word_char = (
                han[run_starts]
                | ((first >= 0x30) & (first <= 0x39))
                | ((first >= 0x41) & (first <= 0x5A))
                | ((first >= 0x61) & (first <= 0x7A))
                | ((first >= 0xFF10) & (first <= 0xFF19))
            )
            long_runs = (run_lengths >= 4) & ~word_char
            barrier |= np.repeat(long_runs, run_lengths)
        self.barrier = barrier
        # distance from each position to the next barrier (every document ends with one)
        idx = np.where(barrier, np.arange(n), n)
        next_barrier = np.minimum.accumulate(idx[::-1])[::-1]
        self.bdist = next_barrier - np.arange(n)
        self.doc_of = np.repeat(np.arange(len(texts)), np.diff(self.starts))
        isb = np.zeros(n + 1, dtype=bool)
        for i, b in enumerate(bounds):
            isb[self.starts[i] : self.starts[i] + len(b)] = b
        self.isb = isb
        if n:
            sa = np.asarray(divsufsort(arr), dtype=np.int64)
            lcp = np.asarray(kasai(arr, sa), dtype=np.int64)
            self.sa = sa
            self.lcp = np.minimum(np.minimum(lcp, self.bdist[sa]), MAX_PHRASE_CHARS)
            self.rank = np.empty(n, dtype=np.int64)
            self.rank[sa] = np.arange(n)
        else:
            self.sa = self.lcp = self.rank = np.zeros(0, dtype=np.int64)
        self._sa_list: list[int] | None = None
        self._lcp_list: list[int] | None = None
        self._rank_list: list[int] | None = None

    def lists(self) -> tuple[list[int], list[int], list[int]]:
        if self._sa_list is None:
            self._sa_list = self.sa.tolist()
            self._lcp_list = self.lcp.tolist()
            self._rank_list = self.rank.tolist()
        assert self._lcp_list is not None and self._rank_list is not None
        return self._sa_list, self._lcp_list, self._rank_list

    def nearest_boundaries(self) -> tuple[list[int], list[int]]:
        """For every global position 0..n: the nearest word boundary at or after it, and at
        or before it."""
        where = np.flatnonzero(self.isb)
        idx = np.arange(self.n + 1)
        if not len(where):
            return idx.tolist(), idx.tolist()
        after = where[np.minimum(np.searchsorted(where, idx, side="left"), len(where) - 1)]
        before = where[np.maximum(np.searchsorted(where, idx, side="right") - 1, 0)]
        return after.tolist(), before.tolist()

    def maximal_repeats(self, min_len: int, min_docs: int) -> list[tuple[int, int, int]]:
        """``(length, lb, rb)`` of every maximal repeat of at least ``min_len`` characters
        found in at least ``min_docs`` documents; its occurrences are ``sa[lb..rb]``.

        Standard bottom-up traversal of the LCP intervals (Abouelhoda et al. 2004), run only
        inside stretches where the LCP reaches ``min_len``; each interval carries the bit set
        of its documents and whether its occurrences are preceded by different characters
        (left-maximality: a start of paragraph counts as different).
        """
        n = self.n
        if n < 2:
            return []
        lcp = self.lcp
        high = lcp[:-1] >= min_len
        if not high.any():
            return []
        # runs of k where lcp[k] >= min_len: suffixes k..end_k form a group
        edges = np.diff(np.concatenate(([0], high.astype(np.int8), [0])))
        run_starts = np.flatnonzero(edges == 1)
        run_ends = np.flatnonzero(edges == -1)
        sa = self.sa
        prev_pos = sa - 1
        left = np.where(prev_pos >= 0, self.arr[np.maximum(prev_pos, 0)], -1).astype(np.int64)
        at_barrier = (prev_pos < 0) | self.barrier[np.maximum(prev_pos, 0)]
        diverse = -2
        left[at_barrier] = diverse
        doc_bits = [1 << d for d in self.doc_of[sa].tolist()]
        left_l = left.tolist()
        lcp_l = lcp.tolist()
        out: list[tuple[int, int, int]] = []
        for rs, re_ in zip(run_starts.tolist(), run_ends.tolist(), strict=True):
            # suffix indices rs..re_ (inclusive), lcp between consecutive: lcp[rs..re_-1]
            stack: list[list[int]] = [[0, rs, 0, -3]]
            for i in range(rs + 1, re_ + 2):
                h = lcp_l[i - 1] if i <= re_ else 0
                leaf_bits = doc_bits[i - 1]
                leaf_left = left_l[i - 1]
                top = stack[-1]
                if h > top[0]:
                    stack.append([h, i - 1, leaf_bits, leaf_left])
                    continue
                top[2] |= leaf_bits
                top[3] = leaf_left if top[3] == -3 or top[3] == leaf_left else diverse
                while h < stack[-1][0]:
                    node = stack.pop()
                    if (
                        node[3] == diverse
                        and i - node[1] <= MAX_OCCURRENCES
                        and node[2].bit_count() >= min_docs
                    ):
                        out.append((node[0], node[1], i - 1))
                    below = stack[-1]
                    if h > below[0]:
                        stack.append([h, node[1], node[2], node[3]])
                    else:
                        below[2] |= node[2]
                        below[3] = node[3] if below[3] == -3 or below[3] == node[3] else diverse
        return out

    def interval(self, pos: int, length: int, limit: int = MAX_OCCURRENCES + 1) -> list[int]:
        """Global positions where the ``length`` characters at ``pos`` occur: all of them, or
        ``limit`` of them when there are more (so that callers can tell "too many")."""
        sa, lcp, rank = self.lists()
        r = rank[pos]
        lo = hi = r
        last = self.n - 1
        while hi - lo + 1 < limit:
            if lo > 0 and lcp[lo - 1] >= length:
                lo -= 1
            elif hi < last and lcp[hi] >= length:
                hi += 1
            else:
                break
        return sa[lo : hi + 1]
