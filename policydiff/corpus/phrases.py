"""``corpus phrases``: the shared phrases of ``policydiff.phrases``, found by partitioned tasks.

The in-memory miner (``phrases.find_shared_phrases``) builds one suffix array over every
document; at corpus scale that does not fit in one machine. Here the same phrases are found
in five stages, each a set of independent tasks (``run.Runner``):

1. **shingles** (per group of documents): the distinct hashes of every ``min_chars``-character
   window without a barrier (the barriers of ``phrases.corpus.Corpus``), and the quoted terms
   (``phrases.rules.quoted_spans``);
2. **counts** (per hash partition): how many documents hold each shingle; a shingle in at
   least ``min_docs`` documents is *shared*;
3. **starts** (per group of documents): every position whose window is shared, sent to the
   bucket of its window's hash, with the distance to the next barrier (at most
   ``MAX_PHRASE_CHARS``);
4. **repeats** (per bucket): the suffixes starting at the bucket's positions, sorted, with
   their common prefixes, give the LCP-interval tree of every window of the bucket; its
   maximal, left-diverse nodes in ``min_docs`` documents are exactly the maximal repeats of
   the whole corpus that start with such a window (every occurrence of a window is in its
   bucket); each is grouped and trimmed to word boundaries as the miner does
   (``phrases.trim.needs_trim``, ``trim``) into candidate phrase texts;
5. **occurrences** (per group of documents): every occurrence of every candidate and quoted
   term, word-aligned or not; the client then keeps what the miner keeps (aligned or quoted
   occurrences, at most ``MAX_OCCURRENCES``, in ``min_docs`` documents, the quoted-share rule
   of short slogans) and gives each phrase its kind (``phrases.mining._kind``).

Why equal: a phrase's occurrences, its left and right neighbours when they are equal in every
occurrence, and its first window are all shared (each window of a string in ``min_docs``
documents is in them too), so every node of the miner's suffix tree that can become a phrase
is a node of one bucket's tree with the same occurrences, and the trimming only looks inside
the repeat. Hash collisions only add positions to a bucket (whole windows, never part of
one), which adds nodes in fewer than ``min_docs`` documents: never phrases.

Memory: a bucket holds the suffixes (up to the next barrier: a sentence end, at most 500
characters) of its positions; with ``buckets`` partitions each task holds about
1/``buckets`` of them. The documents' texts are read by each worker from the store.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policydiff.corpus.store import Store

if TYPE_CHECKING:
    import numpy as np

    from policydiff.corpus.run import Runner

HASH_BASE = 1_000_003
HASH_MIX = 0x9E3779B97F4A7C15
DOCUMENTS_PER_TASK = 16
PARTITIONS = 16
"""Hash partitions of the shingle counts."""
COLUMNS = 5
"""Columns of a bucket's rows: document, position, end, left, after (``start_task``)."""
BUCKETS_PER_MILLION = 8
"""Buckets of stage 4 per million characters of the corpus (at least 4)."""


@dataclass(frozen=True)
class CorpusPhrase:
    """A shared phrase of the corpus: its text, kind, and occurrences per document index
    (store order), each a local offset in the document's normalized text."""

    text: str
    kind: str
    occurrences: dict[int, list[int]] = field(compare=False)

    @property
    def counts(self) -> dict[int, int]:
        return {d: len(spans) for d, spans in self.occurrences.items()}


@dataclass(frozen=True)
class PhraseResult:
    """The phrases of a store, in the miner's order, and the documents (store order)."""

    keys: tuple[str, ...]
    paths: tuple[str, ...]
    phrases: tuple[CorpusPhrase, ...]
    min_chars: int


# --------------------------------------------------------------------------- per document


def window_hashes(text: str, m: int, barrier: np.ndarray | None = None) -> np.ndarray:
    """The hashes of the ``m``-character windows of ``text`` that hold no barrier (in
    position order; ``phrases.corpus.Corpus`` decides what a barrier is)."""
    hashes, valid = _windows(text, m, _barriers(text) if barrier is None else barrier)
    found: np.ndarray = hashes[valid]
    return found


def _windows(text: str, m: int, barrier: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hash of the window at every position 0..len-m, and whether it holds no barrier."""
    import numpy as np

    n = len(text)
    if n < m:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = n - m + 1
    hashes = np.zeros(count, dtype=np.uint64)
    base = np.uint64(HASH_BASE)
    with np.errstate(over="ignore"):
        for k in range(m):
            hashes = hashes * base + codes[k : k + count]
        hashes = hashes * np.uint64(HASH_MIX)
    inside = np.concatenate(([0], np.cumsum(barrier, dtype=np.int64)))
    valid = (inside[m : m + count] - inside[:count]) == 0
    return hashes, valid


def _barriers(text: str) -> np.ndarray:
    """``b[i]`` True where ``text[i]`` is a barrier no phrase crosses (the miner's rule:
    ``phrases.corpus.barriers`` over the document and its separator)."""
    from policydiff.phrases.corpus import text_barriers

    return text_barriers(text)


def is_shared(hashes: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """``hashes`` that are in the sorted array ``shared``."""
    import numpy as np

    if not len(shared):
        return np.zeros(len(hashes), dtype=bool)
    at = np.minimum(np.searchsorted(shared, hashes), len(shared) - 1)
    found: np.ndarray = np.asarray(shared[at] == hashes)
    return found


class _Docs:
    """The documents of a store as a worker needs them, loaded once per process."""

    def __init__(self, store_path: str) -> None:
        store = Store.open(store_path)
        frame = store.documents(["path", "text", "token_lengths"])
        self.keys: list[str] = list(frame["key"])
        self.paths: list[str] = list(frame["path"])
        self.texts: list[str] = list(frame["text"])
        self._lengths: list[Any] = list(frame["token_lengths"])
        self._bounds: dict[int, np.ndarray] = {}
        self._barriers: dict[int, np.ndarray] = {}
        self._stored: dict[str, bytes] | None = None
        self._where: dict[int, list[int]] = {}
        self.store_path = store_path

    def bounds(self, d: int) -> np.ndarray:
        """Word boundaries of document ``d`` (``phrases.trim.boundary_array``)."""
        if d not in self._bounds:
            from itertools import accumulate

            from policydiff.phrases.trim import boundary_array

            ends = list(accumulate(int(n) for n in self._lengths[d]))
            spans = list(zip([0, *ends][:-1], ends, strict=True))
            self._bounds[d] = boundary_array(self.texts[d], spans)
        return self._bounds[d]

    def boundary_list(self, d: int) -> list[int]:
        """The word boundaries of document ``d``, as a sorted list of offsets."""
        if d not in self._where:
            self._where[d] = self.bounds(d).nonzero()[0].tolist()
        return self._where[d]

    def shingles(self, d: int, m: int) -> np.ndarray:
        """The distinct shingle hashes of document ``d``: stored by the build for the
        stored length, else computed."""
        import numpy as np

        from policydiff.corpus.store import SHINGLE_CHARS

        if m == SHINGLE_CHARS:
            if self._stored is None:
                frame = Store.open(self.store_path).read("shingles", ["key", "hashes"])
                self._stored = dict(zip(frame["key"], frame["hashes"], strict=True))
            data = self._stored.get(self.keys[d])
            if data is not None:
                return np.frombuffer(data, dtype="<u8").astype(np.uint64)
        return np.unique(window_hashes(self.texts[d], m, self.barrier(d)))

    def barrier(self, d: int) -> np.ndarray:
        if d not in self._barriers:
            self._barriers[d] = _barriers(self.texts[d])
        return self._barriers[d]


_LOADED: dict[str, _Docs] = {}


def _docs(store_path: str, stamp: str) -> _Docs:
    if stamp not in _LOADED:
        _LOADED.clear()
        _LOADED[stamp] = _Docs(store_path)
    return _LOADED[stamp]


# --------------------------------------------------------------------------- the stages


@dataclass(frozen=True)
class _Job:
    """What every task of one run needs to know."""

    store: str
    stamp: str
    min_chars: int
    min_docs: int
    partitions: int
    buckets: int


Quoted = dict[str, list[tuple[int, int]]]
"""Quoted terms: the (document, offset) of each quotation of each term."""


def shingle_task(args: tuple[_Job, list[int]]) -> tuple[list[tuple[Any, Any]], Quoted]:
    """Stage 1: per hash partition, the distinct shingles of these documents with the number
    of documents holding each; and the quoted terms with their (document, offset)."""
    import numpy as np

    from policydiff.phrases.rules import quoted_spans

    job, docs = args
    data = _docs(job.store, job.stamp)
    found = [data.shingles(d, job.min_chars) for d in docs]
    every = np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(every, return_counts=True)
    part = values % np.uint64(job.partitions)
    out = [(values[part == j], counts[part == j]) for j in range(job.partitions)]
    quoted: dict[str, list[tuple[int, int]]] = {}
    for d in docs:
        text = data.texts[d]
        for start, end in quoted_spans(text):
            quoted.setdefault(text[start:end], []).append((d, start))
    return out, quoted


def count_task(args: tuple[int, list[tuple[Any, Any]]]) -> np.ndarray:
    """Stage 2: the shingles of one partition held by at least ``min_docs`` documents."""
    import numpy as np

    min_docs, parts = args
    if not parts:
        return np.zeros(0, dtype=np.uint64)
    values = np.concatenate([v for v, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    unique, inverse = np.unique(values, return_inverse=True)
    total = np.bincount(inverse, weights=counts, minlength=len(unique))
    return unique[total >= min_docs]


def start_task(args: tuple[_Job, list[int], np.ndarray]) -> list[np.ndarray]:
    """Stage 3: per bucket, the rows (document, position, end, left, after) of the positions
    whose window is shared; ``end`` stops at the next barrier and at ``MAX_PHRASE_CHARS``,
    ``left`` is the code of the character before (-2: a barrier or the start), ``after`` the
    distance to the first word boundary at or after the position."""
    import numpy as np

    from policydiff.phrases.rules import MAX_PHRASE_CHARS

    job, docs, shared = args
    data = _docs(job.store, job.stamp)
    rows: list[list[np.ndarray]] = [[] for _ in range(job.buckets)]
    for d in docs:
        text = data.texts[d]
        barrier = data.barrier(d)
        hashes, valid = _windows(text, job.min_chars, barrier)
        keep = valid & is_shared(hashes, shared)
        pos = np.flatnonzero(keep)
        if not len(pos):
            continue
        n = len(text)
        idx = np.where(barrier, np.arange(n), n)
        next_barrier = np.minimum.accumulate(idx[::-1])[::-1]
        ends = np.minimum(next_barrier[pos], pos + MAX_PHRASE_CHARS)
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        before = np.maximum(pos - 1, 0)
        left = np.where((pos == 0) | barrier[before], -2, codes[before])
        where = np.flatnonzero(data.bounds(d))  # holds len(text): every position has one after
        after = where[np.searchsorted(where, pos)] - pos
        bucket = (hashes[pos] >> np.uint64(40)) % np.uint64(job.buckets)
        table = np.stack([np.full(len(pos), d), pos, ends, left, after], axis=1).astype(np.int32)
        for b in np.unique(bucket).tolist():
            rows[b].append(table[bucket == b])
    return [np.concatenate(r) if r else np.zeros((0, COLUMNS), dtype=np.int32) for r in rows]


def repeat_task(args: tuple[_Job, np.ndarray]) -> list[str]:
    """Stage 4: the candidate phrase texts of one bucket (see the module docstring)."""
    job, table = args
    if len(table) < 2:
        return []
    data = _docs(job.store, job.stamp)
    texts = data.texts
    keys = [texts[d][p:e] for d, p, e in table[:, :3].tolist()]
    order = sorted(range(len(keys)), key=keys.__getitem__)
    keys = [keys[i] for i in order]
    docs, positions, _, left, after = (table[order, k].tolist() for k in range(COLUMNS))
    lcp = [_common_prefix(keys[i], keys[i + 1]) for i in range(len(keys) - 1)] + [0]
    repeats = maximal_nodes(lcp, left, docs, job.min_chars, job.min_docs)
    return sorted(_candidates(repeats, keys, docs, positions, after, data, job.min_chars))


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def maximal_nodes(lcp: Sequence[int], left: Sequence[int], docs: Sequence[int],
                  min_len: int, min_docs: int) -> list[tuple[int, int, int]]:
    """``(length, lb, rb)`` of the left-diverse LCP intervals of at least ``min_len``
    characters over at least ``min_docs`` documents and at most ``MAX_OCCURRENCES`` suffixes,
    of sorted suffixes with ``lcp[k]`` between suffix ``k`` and ``k + 1`` and ``left[k]`` the
    character before suffix ``k`` (-2: a barrier or the start). The bottom-up traversal of
    ``phrases.corpus.Corpus.maximal_repeats``, over one bucket's suffixes."""
    from policydiff.phrases.rules import MAX_OCCURRENCES

    diverse = -2
    bits = [1 << d for d in docs]
    out: list[tuple[int, int, int]] = []
    k = 0
    n = len(lcp)
    while k < n - 1:
        if lcp[k] < min_len:
            k += 1
            continue
        rs = k
        while k < n - 1 and lcp[k] >= min_len:
            k += 1
        re_ = k  # suffixes rs..re_, lcp[rs..re_-1] >= min_len
        stack: list[list[int]] = [[0, rs, 0, -3]]
        for i in range(rs + 1, re_ + 2):
            h = lcp[i - 1] if i <= re_ else 0
            leaf_bits, leaf_left = bits[i - 1], left[i - 1]
            top = stack[-1]
            if h > top[0]:
                stack.append([h, i - 1, leaf_bits, leaf_left])
                continue
            top[2] |= leaf_bits
            top[3] = leaf_left if top[3] in (-3, leaf_left) else diverse
            while h < stack[-1][0]:
                node = stack.pop()
                if (node[3] == diverse and i - node[1] <= MAX_OCCURRENCES
                        and node[2].bit_count() >= min_docs):
                    out.append((node[0], node[1], i - 1))
                below = stack[-1]
                if h > below[0]:
                    stack.append([h, node[1], node[2], node[3]])
                else:
                    below[2] |= node[2]
                    below[3] = node[3] if below[3] in (-3, node[3]) else diverse
    return out


def _candidates(repeats: list[tuple[int, int, int]], keys: list[str], docs: list[int],
                positions: list[int], after: list[int], data: _Docs, m: int) -> set[str]:
    """The repeats grouped by where word boundaries fall and trimmed, as the miner does."""
    from policydiff.phrases.model import han_count
    from policydiff.phrases.trim import needs_trim, trim

    where: dict[int, list[int]] = {}
    found: set[str] = set()
    for length, lb, rb in repeats:
        repeat = keys[lb][:length]
        if han_count(repeat) < m:
            continue
        groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for k in range(lb, rb + 1):
            d, p = docs[k], positions[k]
            if d not in where:
                where[d] = data.boundary_list(d)
            w = where[d]
            before = w[max(bisect.bisect_right(w, p + length) - 1, 0)]
            groups.setdefault((after[k], before - p), []).append((d, p))
        for (start, end), members in groups.items():
            if end - start < m:
                continue
            if needs_trim(repeat, start, end):
                marks = [(data.bounds(d), p) for d, p in members]

                def ok(o: int, marks: list[tuple[Any, int]] = marks) -> bool:
                    return all(b[p + o] for b, p in marks)

                start, end = trim(repeat, start, end, ok)
                if end - start < m:
                    continue
            text = repeat[start:end]
            if han_count(text) >= m:
                found.add(text)
    return found


@dataclass(frozen=True)
class _Terms:
    """The long terms whose occurrences stage 5 finds: the texts, the lengths of those
    starting with each window, and the sorted hashes of their first windows."""

    ids: dict[str, int]
    """Every term (long ones, then the short quoted ones) by its number."""
    lengths: dict[str, tuple[int, ...]]
    first: np.ndarray
    short: tuple[str, ...]

    @classmethod
    def of(cls, terms: list[str], short: list[str], m: int) -> _Terms:
        import numpy as np

        lengths: dict[str, set[int]] = {}
        for term in terms:
            lengths.setdefault(term[:m], set()).add(len(term))
        first = np.unique(np.array([_window_hash(w) for w in lengths], dtype=np.uint64))
        ids = {term: k for k, term in enumerate([*terms, *short])}
        return cls(ids, {w: tuple(sorted(n)) for w, n in lengths.items()}, first, tuple(short))


def _window_hash(window: str) -> int:
    """``_windows``'s hash of one window, in Python integers."""
    mask = (1 << 64) - 1
    h = 0
    for char in window:
        h = (h * HASH_BASE + ord(char)) & mask
    return (h * HASH_MIX) & mask


def occurrence_task(args: tuple[_Job, list[int], _Terms]) -> np.ndarray:
    """Stage 5: every occurrence of the long terms (found at positions with a shared window)
    and of the short quoted terms: int32 rows (term number, document, offset, aligned 0/1)."""
    import numpy as np

    job, docs, terms = args
    data = _docs(job.store, job.stamp)
    m = job.min_chars
    ids = terms.ids
    out: list[tuple[int, int, int, bool]] = []
    for d in docs:
        text = data.texts[d]
        bounds = data.bounds(d)
        hashes, valid = _windows(text, m, data.barrier(d))
        for p in np.flatnonzero(valid & is_shared(hashes, terms.first)).tolist():
            for n in terms.lengths.get(text[p : p + m], ()):
                term = text[p : p + n]
                k = ids.get(term, -1) if len(term) == n else -1
                if k >= 0:
                    out.append((k, d, p, bool(bounds[p] and bounds[p + n])))
        for term in terms.short:
            k = ids[term]
            p = text.find(term)
            while p >= 0:
                out.append((k, d, p, bool(bounds[p] and bounds[p + len(term)])))
                p = text.find(term, p + 1)
    return np.array(out, dtype=np.int32).reshape(-1, 4)


# --------------------------------------------------------------------------- the client


def find_phrases(store_path: str, runner: Runner, *, min_chars: int = 4, min_docs: int = 2,
                 min_slogan_chars: int = 2) -> PhraseResult:
    """The shared phrases of every document of the store (the rules of ``policydiff.phrases``
    and its defaults)."""
    import numpy as np

    from policydiff.errors import InputError

    if min_chars < 1 or min_docs < 1 or min_slogan_chars < 1:
        raise InputError("min_chars, min_docs and min_slogan_chars must be at least 1")
    store = Store.open(store_path)
    frame = store.documents(["path", "chars"])
    keys, paths = tuple(frame["key"]), tuple(frame["path"])
    total_chars = int(frame["chars"].sum()) if len(frame) else 0
    buckets = max(4, BUCKETS_PER_MILLION * (total_chars // 1_000_000 + 1))
    job = _Job(str(store_path), store.stamp(), min_chars, min_docs, PARTITIONS, buckets)
    groups = [list(range(i, min(i + DOCUMENTS_PER_TASK, len(keys))))
              for i in range(0, len(keys), DOCUMENTS_PER_TASK)]
    first = runner.map("shingles", shingle_task, [(job, g) for g in groups])
    quoted: dict[str, list[tuple[int, int]]] = {}
    for _, found in first:
        for term, spots in found.items():
            quoted.setdefault(term, []).extend(spots)
    counted = runner.map("counting", count_task, [
        (min_docs, [parts[j] for parts, _ in first]) for j in range(PARTITIONS)])
    shared = np.sort(np.concatenate(counted)) if counted else np.zeros(0, dtype=np.uint64)
    del first, counted
    starts = runner.map("starts", start_task, [(job, g, shared) for g in groups])
    tables = []
    for b in range(buckets):  # the parts are freed as they are joined (the peak of the client)
        tables.append(np.concatenate([part[b] for part in starts]))
        for part in starts:
            part[b] = None
    del starts
    tables = [t for t in tables if len(t) >= 2]
    candidates: set[str] = set()
    for found in runner.map("repeats", repeat_task, [(job, t) for t in tables]):
        candidates.update(found)
    del tables
    long_terms, short_terms = _terms(candidates, quoted, min_chars, min_docs, min_slogan_chars)
    terms = _Terms.of(long_terms, short_terms, min_chars)
    found = runner.map("finding", occurrence_task, [(job, g, terms) for g in groups])
    rows = np.concatenate(found) if found else np.zeros((0, 4), dtype=np.int32)
    del found
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    edges = np.searchsorted(rows[:, 0], np.arange(len(terms.ids) + 1))
    places = _Places(terms.ids, rows, edges)
    phrases = _keep(candidates, quoted, places, len(keys), min_chars, min_docs,
                    min_slogan_chars)
    return PhraseResult(keys, paths, tuple(phrases), min_chars)


def _terms(candidates: set[str], quoted: dict[str, list[tuple[int, int]]], m: int,
           min_docs: int, min_slogan: int) -> tuple[list[str], list[str]]:
    """The texts whose occurrences are needed: candidates and quoted terms of at least
    ``m`` Han characters (found through their shared first window), and the shorter quoted
    terms quoted in ``min_docs`` documents."""
    from policydiff.chars import PHRASE_BARRIERS
    from policydiff.phrases.model import han_count

    long_terms = set(candidates)
    short_terms = set()
    for term, places in quoted.items():
        han = han_count(term)
        if han < min_slogan or any(c in PHRASE_BARRIERS for c in term):
            continue
        if han >= m:
            long_terms.add(term)
        elif len({d for d, _ in places}) >= min_docs:
            short_terms.add(term)
    return sorted(long_terms), sorted(short_terms)


@dataclass(frozen=True)
class _Places:
    """The occurrences of stage 5, sorted by term: rows ``edges[k]:edges[k + 1]`` of ``rows``
    are term ``k``'s (document, offset, aligned)."""

    ids: dict[str, int]
    rows: np.ndarray
    edges: np.ndarray

    def of(self, text: str) -> np.ndarray:
        k = self.ids.get(text)
        if k is None:
            return self.rows[:0, 1:]
        found: np.ndarray = self.rows[self.edges[k] : self.edges[k + 1], 1:]
        return found


def _keep(candidates: set[str], quoted: dict[str, list[tuple[int, int]]],
          places: _Places, n_docs: int, m: int, min_docs: int,
          min_slogan: int) -> list[CorpusPhrase]:
    """What the miner keeps of the candidates, then of the quoted terms, with the kinds."""
    import numpy as np

    from policydiff.chars import PHRASE_BARRIERS
    from policydiff.phrases.mining import _kind
    from policydiff.phrases.model import han_count
    from policydiff.phrases.rules import (
        MAX_OCCURRENCES,
        SHORT_SLOGAN_QUOTED,
        formulaic_regex,
        load_formulaic,
    )

    found: dict[str, np.ndarray] = {}

    def accept(text: str, marked: set[tuple[int, int]], min_quoted: float = 0) -> None:
        where = places.of(text)
        if len(where) > MAX_OCCURRENCES:
            return
        chosen = where[:, 2] == 1
        if marked:
            chosen |= np.array([(d, p) in marked for d, p in where[:, :2].tolist()], dtype=bool)
        keep = where[chosen, :2]
        keep = keep[np.lexsort((keep[:, 1], keep[:, 0]))]
        if (len(np.unique(keep[:, 0])) >= min_docs
                and len(marked) >= min_quoted * len(keep)):
            found[text] = keep

    for text in candidates:
        accept(text, set())
    for term, spots in quoted.items():
        han = han_count(term)
        if term in found or han < min_slogan or any(c in PHRASE_BARRIERS for c in term):
            continue
        marked = set(spots)
        if han >= m:
            accept(term, marked)
        elif len({d for d, _ in spots}) >= min_docs:
            accept(term, marked, SHORT_SLOGAN_QUOTED)
    formulaic = load_formulaic()
    pattern = formulaic_regex(formulaic)
    terms = frozenset(quoted)
    out = []
    for text, keep in found.items():
        occurrences: dict[int, list[int]] = {}
        for d, p in keep.tolist():
            occurrences.setdefault(d, []).append(p)
        kind = _kind(text, terms, len(occurrences), n_docs, formulaic, pattern)
        out.append(CorpusPhrase(text, kind, dict(sorted(occurrences.items()))))
    out.sort(key=lambda p: (-len(p.occurrences), -han_count(p.text), p.text))
    return out
