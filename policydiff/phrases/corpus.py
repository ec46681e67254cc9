"""The corpus index of the phrase finder: the documents joined into one integer array with its
generalized suffix array and LCP (pydivsufsort), the barriers no phrase crosses (periodic runs
collapsed), the maximal repeats, and the occurrences of a given string.

Memory: a few numpy arrays of one to four bytes per character (no Python list of every
position): about 40 bytes per character at the peak of the suffix sort, 25 after it."""

from __future__ import annotations

import os
import sys
from array import array
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

OPENMP_SINGLE = os.environ.get("OMP_NUM_THREADS") == "1" and "pydivsufsort" not in sys.modules
"""Whether libdivsufsort will run without OpenMP threads (OpenMP reads the variable once, when
the library loads): read when this module is imported, before any suffix array, since every
suffix array is built by this module or by ``novelty``, which imports it. The CLI sets the
variable first; ``novelty`` forks workers only when this holds."""

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
        if self.periodic:
            _clip_at_runs(self.sa, self.lcp, self.periodic, n)
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
            traverse_intervals(
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


def traverse_intervals(
    runs: list[tuple[int, int]],
    base: int,
    lcp_l: list[int],
    left_l: list[int],
    docs: list[int],
    min_docs: int,
    out: array[int],
) -> None:
    """The bottom-up traversal of ``Corpus.maximal_repeats`` over ``runs`` (``(rs, re)``:
    suffixes ``rs..re`` share at least the shortest length); the lists hold the values of
    suffixes ``base…`` (LCP with the next suffix, the character before, -2 for a barrier or
    the start, the document number); the left-diverse intervals in ``min_docs`` documents
    with at most ``MAX_OCCURRENCES`` suffixes are appended to ``out`` as flat
    ``(length, lb, rb)`` triples. Also the traversal of one bucket of ``corpus phrases``."""
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
    return text_barrier_runs(text)[0]


def text_barrier_runs(text: str) -> tuple[np.ndarray, list[PeriodicRun]]:
    """``text_barriers`` and the periodic runs collapsed in ``text`` (local offsets)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    return barriers(codes, codes_in(codes, HAN_RANGES) | (codes == ord(IDEOGRAPHIC_ZERO)))


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


def _clip_at_runs(sa: np.ndarray, lcp: np.ndarray, runs: list[PeriodicRun], n: int) -> None:
    """Clip ``lcp[k]`` also at the collapsed part of a periodic run in front of the second
    suffix ``sa[k + 1]`` (the barrier clip looks at the first one only, which suffices for
    barrier characters: equal text has them at the same places; a collapsed run is a place,
    not a character), so that no occurrence found through the LCP runs into it."""
    collapsed = np.zeros(n, dtype=bool)
    for run in runs:
        collapsed[run.start + PERIODIC_KEEP * run.period : run.end] = True
    idx = np.where(collapsed, np.arange(n, dtype=sa.dtype), sa.dtype.type(n))
    distance = np.minimum.accumulate(idx[::-1])[::-1] - np.arange(n, dtype=sa.dtype)
    np.minimum(lcp[:-1], distance[sa[1:]], out=lcp[:-1])


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
    # the table of codes present stops below the separators (0x110000 + i, one per document:
    # a table up to them was 1.1 M entries, 4 ms, for any corpus); they rank after the rest
    seps = arr >= 0x110000
    codes = arr[~seps]
    present = np.zeros(int(codes.max(initial=0)) + 1, dtype=bool)
    present[codes] = True
    dense_of = np.cumsum(present, dtype=np.int64) - 1
    del present
    ranks = np.empty(n, dtype=np.int64)
    ranks[~seps] = dense_of[codes]
    ranks[seps] = dense_of[-1] + 1 + (arr[seps] - 0x110000)
    del dense_of, codes, seps
    width = np.uint16 if int(ranks.max()) < 2**16 else np.uint32
    dense = ranks.astype(width)
    del ranks
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

_BLOCK = 16
"""``periodic_runs`` checks aligned blocks of this many positions (a run long enough holds a
whole one)."""


def periodic_runs(arr: np.ndarray, barrier: np.ndarray) -> list[PeriodicRun]:
    """The maximal stretches of ``arr`` with a period of at most ``MAX_PERIOD`` characters,
    at least ``PERIODIC_MIN_REPEATS`` periods and ``PERIODIC_MIN_CHARS`` characters, whose
    unit contains no barrier (a unit with a newline or sentence end costs nothing: the
    barriers cut it), in order; a stretch is found with its smallest period.

    Why: such a stretch of L characters holds about L / period occurrences of each of its
    substrings, and the maximal repeats among them number about period × min(L, 500), each
    with all those occurrences: quadratic work and output (two documents of ``发展改革`` ×
    4,900 took 2.3 GB). Found with numpy in linear time, without a Python loop over
    candidates: for each period, the aligned blocks of ``_BLOCK`` positions whose characters
    all equal those one period on (only blocks whose first position does are checked), joined
    into stretches and extended by less than a block at each end.
    """
    n = len(arr)
    found: list[PeriodicRun] = []
    if n < PERIODIC_MIN_CHARS:
        return found
    in_run = np.zeros(n, dtype=bool)
    barriers_before = np.concatenate(([0], np.cumsum(barrier, dtype=np.int64)))
    lanes = np.arange(_BLOCK)
    for period in range(1, MAX_PERIOD + 1):
        m = n - period  # arr[k] == arr[k + period] is defined for k < m
        starts = np.arange(m // _BLOCK, dtype=np.int64) * _BLOCK
        cand = starts[arr[starts] == arr[starts + period]]
        cells = cand[:, None] + lanes
        blocks = cand[(arr[cells] == arr[cells + period]).all(axis=1)] // _BLOCK
        del cells
        if not len(blocks):
            continue
        breaks = np.flatnonzero(np.diff(blocks) != 1) + 1
        lo = blocks[np.concatenate(([0], breaks))] * _BLOCK
        hi = (blocks[np.concatenate((breaks - 1, [len(blocks) - 1]))] + 1) * _BLOCK
        lo -= _equal_run(arr, lo[:, None] - 1 - lanes, period, m)
        hi += _equal_run(arr, hi[:, None] + lanes, period, m)
        need = max(PERIODIC_MIN_CHARS, PERIODIC_MIN_REPEATS * period) - period
        unit_clear = barriers_before[lo + period] == barriers_before[lo]
        for start, end in zip(*(x[(hi - lo >= need) & unit_clear].tolist() for x in (lo, hi)),
                              strict=True):  # fmt: skip
            if not in_run[start : end + period].all():  # else found with a smaller period
                found.append(PeriodicRun(start, end + period, period))
                in_run[start : end + period] = True
    found.sort(key=lambda r: r.start)
    return found


def _equal_run(arr: np.ndarray, cells: np.ndarray, period: int, m: int) -> np.ndarray:
    """Per row of positions ``cells`` (shape ``(k, _BLOCK)``): how many of its first cells in
    a row have ``arr[c] == arr[c + period]`` (cells outside ``0..m-1`` do not)."""
    inside = (cells >= 0) & (cells < m)
    safe = np.where(inside, cells, 0)
    equal = inside & (arr[safe] == arr[safe + period])
    counts: np.ndarray = np.where(equal.all(axis=1), _BLOCK, np.argmin(equal, axis=1))
    return counts
