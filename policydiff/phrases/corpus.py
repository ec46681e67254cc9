"""The corpus index of the phrase finder: the documents joined into one integer array with its
generalized suffix array and LCP (pydivsufsort), the barriers no phrase crosses (periodic runs
collapsed), the maximal repeats, and the occurrences of a given string.

Memory: a few numpy arrays of one to four bytes per character (no Python list of every
position): about 40 bytes per character at the peak of the suffix sort, 25 after it."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from policydiff.chars import HAN_RANGES, IDEOGRAPHIC_ZERO, PHRASE_BARRIERS
from policydiff.phrases.rules import (
    MAX_OCCURRENCES,
    MAX_PERIOD,
    MAX_PHRASE_CHARS,
    PERIODIC_KEEP,
    PERIODIC_MIN_CHARS,
    PERIODIC_MIN_REPEATS,
    codes_in,
)

_CHUNK = 1 << 20
"""Suffixes handled at once by the traversal of ``maximal_repeats`` (bounds its lists)."""


@dataclass(frozen=True)
class PeriodicRun:
    """A stretch of one document that repeats a short unit (``发展改革发展改革…``): global
    ``[start, end)`` and the ``period``. Only its first ``PERIODIC_KEEP`` periods take part in
    phrases; the rest is a barrier."""

    start: int
    end: int
    period: int


class Corpus:
    """The documents joined into one integer array, with its suffix array and LCP.

    Each document is followed by a unique separator (above every code point), so no common
    prefix runs from one document into the next. ``lcp[k]`` is the common prefix of the
    suffixes ``sa[k]`` and ``sa[k+1]``, clipped at the first barrier (newline, mask,
    separator, collapsed periodic run), so that every repeat it reports stays inside one
    paragraph.
    """

    def __init__(self, texts: Sequence[str], bounds: Sequence[np.ndarray]) -> None:
        self.texts = texts
        self.starts = np.zeros(len(texts) + 1, dtype=np.int64)
        parts = []
        for i, text in enumerate(texts):
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
            parts.append(codes)
            parts.append(np.array([0x110000 + i], dtype=np.int32))
            self.starts[i + 1] = self.starts[i] + len(text) + 1
        arr = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        del parts
        self.arr = arr
        n = len(arr)
        self.n = n
        han = codes_in(arr, HAN_RANGES) | (arr == ord(IDEOGRAPHIC_ZERO))
        self.han_prefix = np.zeros(n + 1, dtype=np.int32 if n < 2**31 else np.int64)
        np.cumsum(han, out=self.han_prefix[1:])
        self.barrier, self.periodic = barriers(arr, han)
        del han
        barrier = self.barrier
        self.doc_of = np.repeat(np.arange(len(texts), dtype=np.int32), np.diff(self.starts))
        isb = np.zeros(n + 1, dtype=bool)
        for i, b in enumerate(bounds):
            isb[self.starts[i] : self.starts[i] + len(b)] = b
        self.isb = isb
        self.sa, self.lcp, self.rank = _suffix_array(arr, barrier)
        # plain indexing (a Python int per access, no copy) for the loops of the collector
        self.sa_view = self.sa.data
        self.isb_view = self.isb.data
        self.doc_view = self.doc_of.data
        self._lcp_view = self.lcp.data
        self._where: np.ndarray | None = None

    def boundary_after(self, positions: np.ndarray) -> np.ndarray:
        """For each global position: the nearest word boundary at or after it."""
        where = self._boundaries()
        if not len(where):
            return positions
        found: np.ndarray = where[
            np.minimum(np.searchsorted(where, positions, side="left"), len(where) - 1)
        ]
        return found

    def boundary_before(self, positions: np.ndarray) -> np.ndarray:
        """For each global position: the nearest word boundary at or before it."""
        where = self._boundaries()
        if not len(where):
            return positions
        found: np.ndarray = where[
            np.maximum(np.searchsorted(where, positions, side="right") - 1, 0)
        ]
        return found

    def _boundaries(self) -> np.ndarray:
        if self._where is None:
            self._where = np.flatnonzero(self.isb).astype(self.sa.dtype)
        return self._where

    def maximal_repeats(self, min_len: int, min_docs: int) -> np.ndarray:
        """``(length, lb, rb)`` rows of every maximal repeat of at least ``min_len``
        characters found in at least ``min_docs`` documents; its occurrences are
        ``sa[lb..rb]``.

        Standard bottom-up traversal of the LCP intervals (Abouelhoda et al. 2004), run only
        inside stretches where the LCP reaches ``min_len``, ``_CHUNK`` suffixes at a time;
        each interval carries the bit set of its documents and whether its occurrences are
        preceded by different characters (left-maximality: a start of paragraph counts as
        different).
        """
        out = array("q")
        if self.n < 2:
            return np.zeros((0, 3), dtype=np.int64)
        for lo, hi, runs in self._high_runs(min_len):
            sa = self.sa[lo : hi + 1].astype(np.int64)
            prev_pos = sa - 1
            left = np.where(prev_pos >= 0, self.arr[np.maximum(prev_pos, 0)], -1)
            at_barrier = (prev_pos < 0) | self.barrier[np.maximum(prev_pos, 0)]
            left = left.astype(np.int64)
            left[at_barrier] = _DIVERSE
            _traverse(
                runs, lo, self.lcp[lo : hi + 1].tolist(), left.tolist(),
                self.doc_of[sa].tolist(), min_docs, out,
            )  # fmt: skip
        return np.frombuffer(out, dtype=np.int64).reshape(-1, 3)

    def _high_runs(self, min_len: int) -> Iterator[tuple[int, int, list[tuple[int, int]]]]:
        """Groups of runs ``(rs, re)`` (suffixes ``rs..re`` share ``min_len`` characters), at
        most about ``_CHUNK`` suffixes per group, with the group's first and last suffix."""
        high = self.lcp[:-1] >= min_len
        edges = np.diff(np.concatenate(([0], high.view(np.int8), [0])))
        del high
        run_starts = np.flatnonzero(edges == 1)
        run_ends = np.flatnonzero(edges == -1)
        del edges
        group: list[tuple[int, int]] = []
        size = 0
        for rs, re_ in zip(run_starts.tolist(), run_ends.tolist(), strict=True):
            group.append((rs, re_))
            size += re_ - rs + 1
            if size >= _CHUNK:
                yield group[0][0], re_, group
                group, size = [], 0
        if group:
            yield group[0][0], group[-1][1], group

    def interval(self, pos: int, length: int, limit: int = MAX_OCCURRENCES + 1) -> list[int]:
        """Global positions where the ``length`` characters at ``pos`` occur: all of them, or
        ``limit`` of them when there are more (so that callers can tell "too many")."""
        lcp = self._lcp_view
        r = int(self.rank[pos])
        lo = hi = r
        last = self.n - 1
        while hi - lo + 1 < limit:
            if lo > 0 and lcp[lo - 1] >= length:
                lo -= 1
            elif hi < last and lcp[hi] >= length:
                hi += 1
            else:
                break
        return self.sa_view[lo : hi + 1].tolist()


_DIVERSE = -2
"""Left character of an interval whose occurrences are preceded by different characters."""


def _traverse(
    runs: list[tuple[int, int]],
    base: int,
    lcp_l: list[int],
    left_l: list[int],
    docs: list[int],
    min_docs: int,
    out: array[int],
) -> None:
    """The bottom-up traversal of ``Corpus.maximal_repeats`` over ``runs``; the lists hold
    the values of suffixes ``base…``; found repeats are appended to ``out`` (flat triples)."""
    diverse = _DIVERSE
    for rs, re_ in runs:
        # suffix indices rs..re_ (inclusive), lcp between consecutive: lcp[rs..re_-1]
        stack: list[list[int]] = [[0, rs, 0, -3]]
        for i in range(rs + 1, re_ + 2):
            h = lcp_l[i - 1 - base] if i <= re_ else 0
            leaf_bits = 1 << docs[i - 1 - base]
            leaf_left = left_l[i - 1 - base]
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
                    out.extend((node[0], node[1], i - 1))
                below = stack[-1]
                if h > below[0]:
                    stack.append([h, node[1], node[2], node[3]])
                else:
                    below[2] |= node[2]
                    below[3] = node[3] if below[3] == -3 or below[3] == node[3] else diverse


def text_barriers(text: str) -> np.ndarray:
    """``b[i]`` True where ``text[i]`` is a barrier no phrase crosses: the rule of
    ``barriers`` for one document, without building a suffix array."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    found, _ = barriers(codes, codes_in(codes, HAN_RANGES) | (codes == ord(IDEOGRAPHIC_ZERO)))
    return found


def barriers(arr: np.ndarray, han: np.ndarray) -> tuple[np.ndarray, list[PeriodicRun]]:
    """Where no phrase may run (``b[i]`` True), and the periodic runs collapsed: codes ``arr``
    (``han``: where they are Han characters). Barriers are document separators (codes from
    0x110000), ``PHRASE_BARRIERS``, runs of four or more identical symbols (a ruled line,
    "…………"; digits and letters are not symbols: 10000亿元) and every periodic run
    (``periodic_runs``) after its first ``PERIODIC_KEEP`` units."""
    barrier = _symbol_barriers(arr, han)
    runs = periodic_runs(arr, barrier)
    for run in runs:
        barrier[run.start + PERIODIC_KEEP * run.period : run.end] = True
    return barrier, runs


def _symbol_barriers(arr: np.ndarray, han: np.ndarray) -> np.ndarray:
    n = len(arr)
    barrier = arr >= 0x110000
    for char in PHRASE_BARRIERS:
        barrier |= arr == ord(char)
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
    return barrier


def _suffix_array(arr: np.ndarray, barrier: np.ndarray) -> tuple[np.ndarray, ...]:
    """``sa``, ``lcp`` (clipped at the next barrier and at ``MAX_PHRASE_CHARS``) and ``rank``
    of ``arr``, as int32 (int64 beyond 2**31 characters).

    The codes are replaced by their rank among the codes present (order kept, so the suffix
    array is the same): 16 bits suffice for fewer than 65,536 distinct characters and
    separators, which halves the string libdivsufsort sorts (it sorts bytes)."""
    from pydivsufsort import divsufsort, kasai

    n = len(arr)
    index = np.int32 if n < 2**31 else np.int64
    if not n:
        empty = np.zeros(0, dtype=index)
        return empty, empty, empty
    present = np.zeros(int(arr.max()) + 1, dtype=bool)
    present[arr] = True
    dense_of = np.cumsum(present, dtype=np.int64) - 1
    del present
    width = np.uint16 if dense_of[-1] < 2**16 else np.uint32
    dense = dense_of[arr].astype(width)
    del dense_of
    sa = np.asarray(divsufsort(dense), dtype=index)
    lcp = np.asarray(kasai(dense, sa), dtype=index)
    del dense
    # distance from each position to the next barrier (every document ends with one)
    idx = np.where(barrier, np.arange(n, dtype=index), index(n))
    next_barrier = np.minimum.accumulate(idx[::-1])[::-1]
    del idx
    bdist = next_barrier - np.arange(n, dtype=index)
    del next_barrier
    np.minimum(lcp, bdist[sa], out=lcp)
    del bdist
    np.minimum(lcp, MAX_PHRASE_CHARS, out=lcp)
    rank = np.empty(n, dtype=index)
    rank[sa] = np.arange(n, dtype=index)
    return sa, lcp, rank


# --------------------------------------------------------------------------- periodic runs

_SAMPLE = 16
"""Positions sampled by ``periodic_runs`` (a run long enough spans two samples)."""


def periodic_runs(arr: np.ndarray, barrier: np.ndarray) -> list[PeriodicRun]:
    """The maximal stretches of ``arr`` with a period of at most ``MAX_PERIOD`` characters,
    at least ``PERIODIC_MIN_REPEATS`` periods and ``PERIODIC_MIN_CHARS`` characters, whose
    unit contains no barrier (a unit with a newline or sentence end costs nothing: the
    barriers cut it), in order; a stretch is found with its smallest period.

    Why: such a stretch of L characters holds about L / period occurrences of each of its
    substrings, and the maximal repeats among them number about period × min(L, 500), each
    with all those occurrences: quadratic work and output (two documents of ``发展改革`` ×
    4,900 took 2.3 GB). Found in near-linear time: a stretch long enough has equal characters
    ``period`` apart at two consecutive sampled positions; only those candidates are checked.
    """
    n = len(arr)
    found: list[PeriodicRun] = []
    if n < PERIODIC_MIN_CHARS:
        return found
    samples = np.arange(0, n, _SAMPLE)
    for period in range(1, MAX_PERIOD + 1):
        need = max(PERIODIC_MIN_CHARS, PERIODIC_MIN_REPEATS * period) - period
        usable = samples[samples + period < n]
        same = arr[usable] == arr[usable + period]
        pairs = usable[:-1][same[:-1] & same[1:]]
        known = sorted((r.start, r.end) for r in found)
        known_starts = [start for start, _ in known]
        k = 0
        while k < len(pairs):
            pos = int(pairs[k])
            at = bisect_right(known_starts, pos) - 1
            if at >= 0 and known[at][1] > pos:  # inside a stretch of a smaller period
                k = int(np.searchsorted(pairs, known[at][1]))
                continue
            start, end = _periodic_extent(arr, pos, period)
            k = int(np.searchsorted(pairs, end - period))
            if end - start - period >= need and not barrier[start : start + period].any():
                found.append(PeriodicRun(start, end, period))
    found.sort(key=lambda r: r.start)
    return found


def _periodic_extent(arr: np.ndarray, pos: int, period: int) -> tuple[int, int]:
    """``[start, end)``: the maximal stretch around ``pos`` with ``arr[k] == arr[k + period]``
    for ``start <= k < end - period``."""
    n = len(arr)
    end = pos
    step = 64
    while end + period < n:
        window = arr[end : min(n - period, end + step)]
        diff = np.flatnonzero(window != arr[end + period : end + period + len(window)])
        if len(diff):
            end += int(diff[0])
            break
        end += len(window)
        step *= 4
    start = pos
    step = 64
    while start > 0:
        lo = max(0, start - step)
        window = arr[lo:start]
        diff = np.flatnonzero(window != arr[lo + period : start + period])
        if len(diff):
            start = lo + int(diff[-1]) + 1
            break
        start = lo
        step *= 4
    return start, end + period
