"""``corpus phrases``: the shared phrases of ``policydiff.phrases``, found by partitioned tasks.

The in-memory miner (``phrases.find_shared_phrases``) builds one suffix array over every
document; at corpus scale that does not fit in one machine. Here the same phrases are found
in six stages, each a set of independent tasks (``run.Runner``); what one stage hands the
next by partition goes through files in the store (``scratch.py``: a disk shuffle), not
through the client, and a per-document task reads only its documents' row groups
(``store.read_rows``):

1. **shingles** (per group of documents): the distinct hashes of every ``min_chars``-character
   window without a barrier (the barriers of ``phrases.corpus.Corpus``), written by hash
   partition, and the quoted terms (``phrases.rules.quoted_spans``);
2. **counts** (per hash partition): how many documents hold each shingle; a shingle in at
   least ``min_docs`` documents is *shared* (the sorted shared hashes go to one scratch file
   every later task maps);
3. **starts** (per group of documents): every position whose window is shared, written to the
   bucket of its window's hash with its suffix (the text up to the next barrier, at most
   ``MAX_PHRASE_CHARS``), the word boundaries inside it, the character before and the
   distance to the first word boundary;
4. **repeats** (per bucket): the bucket's suffixes, sorted, with their common prefixes, give
   the LCP-interval tree of every window of the bucket; its maximal, left-diverse nodes in
   ``min_docs`` documents (``phrases.corpus.traverse_intervals``, the miner's own traversal)
   are exactly the maximal repeats of the whole corpus that start with such a window (every
   occurrence of a window is in its bucket); each is grouped and trimmed to word boundaries
   as the miner does (``phrases.trim.needs_trim``, ``trim``) into candidate phrase texts. A
   bucket task reads no document: its rows carry what it needs;
5. **occurrences** (per group of documents): every occurrence of every candidate and quoted
   term, word-aligned or not, written by term partition;
6. **keeping** (per term partition): what the miner keeps (``phrases.mining.accepted``:
   aligned or quoted occurrences, at most ``MAX_OCCURRENCES``, in ``min_docs`` documents;
   ``mining.quoted_rule``: which quoted terms may be phrases), with the miner's kinds
   (``mining.phrase_kind``).

Why equal: a phrase's occurrences, its left and right neighbours when they are equal in every
occurrence, and its first window are all shared (each window of a string in ``min_docs``
documents is in them too), so every node of the miner's suffix tree that can become a phrase
is a node of one bucket's tree with the same occurrences, and the trimming only looks inside
the repeat. Hash collisions only add positions to a bucket (whole windows, never part of
one), which adds nodes in fewer than ``min_docs`` documents: never phrases.

What ``policydiff phrases`` has and this has not: the occurrence budget (``OCCURRENCE_BUDGET``)
and the list of collapsed periodic runs in ``coarse``. The budget bounds the work of one
process holding the whole suffix array; here each bucket's work is bounded by its own rows
(about 1/``buckets`` of the shared positions) and each repeat by ``MAX_OCCURRENCES``, so the
work is split, not cut short, and the list is never coarse for lack of budget. Periodic runs
are collapsed by the same barriers (``text_barrier_runs``), so the phrases agree, and listed
as the miner lists them (``PhraseResult.coarse``, ``mining.periodic_notes``). The two agree
whenever ``policydiff phrases`` does not report its budget reached.

Memory: a task holds its group of documents, its bucket's rows or its term partition's
occurrences; the client holds the shared hashes, the candidate texts and the result.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policydiff.corpus import scratch
from policydiff.corpus.store import Store, read_rows

if TYPE_CHECKING:
    import numpy as np

    from policydiff.corpus.run import Runner
    from policydiff.phrases.corpus import PeriodicRun

HASH_BASE = 1_000_003
HASH_MIX = 0x9E3779B97F4A7C15
DOCUMENTS_PER_TASK = 32
PARTITIONS = 16
"""Hash partitions of the shingle counts, and term partitions of stage 6."""
BUCKETS_PER_MILLION = 4
"""Buckets of stage 4 per million characters of the corpus (at least 4)."""


@dataclass(frozen=True)
class CorpusPhrase:
    """A shared phrase of the corpus: its text, kind, the documents holding it (indices in
    store order, ascending) and its number of occurrences in each."""

    text: str
    kind: str
    documents: np.ndarray = field(compare=False)
    document_counts: np.ndarray = field(compare=False)

    @property
    def counts(self) -> dict[int, int]:
        """Occurrences per document index."""
        return dict(zip(self.documents.tolist(), self.document_counts.tolist(), strict=True))


@dataclass(frozen=True)
class PhraseResult:
    """The phrases of a store, in the miner's order, and the documents (store order)."""

    keys: tuple[str, ...]
    paths: tuple[str, ...]
    phrases: tuple[CorpusPhrase, ...]
    min_chars: int
    coarse: tuple[str, ...] = ()
    """The periodic runs collapsed, as ``PhraseSet.coarse`` says them (never a budget: see
    the module docstring)."""


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


@dataclass
class _Doc:
    """One document as a task needs it: its index, text, barriers and word boundaries."""

    index: int
    text: str
    barrier: np.ndarray
    bounds: np.ndarray
    runs: list[PeriodicRun]


def _load(job: _Job, group: _Group) -> list[_Doc]:
    """The documents of ``group``, read from their row groups only."""
    import numpy as np

    from policydiff.phrases.corpus import text_barrier_runs
    from policydiff.phrases.trim import boundary_array

    rows = read_rows(job.store, group.places, ["text", "token_lengths"])
    out = []
    for d, row in zip(group.docs, rows, strict=True):
        text = row["text"]
        ends = np.cumsum(np.asarray(row["token_lengths"], dtype=np.int64)).tolist()
        spans = list(zip([0, *ends][:-1], ends, strict=True))
        barrier, runs = text_barrier_runs(text)
        out.append(_Doc(d, text, barrier, boundary_array(text, spans), runs))
    return out


# --------------------------------------------------------------------------- the stages


@dataclass(frozen=True)
class _Job:
    """What every task of one run needs to know."""

    store: str
    scratch: str
    min_chars: int
    min_docs: int
    partitions: int
    buckets: int


@dataclass(frozen=True)
class _Group:
    """A task's documents: their indices (store order), their places in the store, and the
    task's number (its scratch files)."""

    number: int
    docs: tuple[int, ...]
    places: tuple[tuple[int, int], ...]


Quoted = dict[str, list[tuple[int, int]]]
"""Quoted terms: the (document, offset) of each quotation of each term."""
Edges = list[int]
"""Row edges of the partitions of one scratch file."""


Runs = list[tuple[int, str, "PeriodicRun"]]
"""Collapsed periodic runs: document, repeated unit, run (``phrases.corpus.PeriodicRun``)."""


def shingle_task(args: tuple[_Job, _Group]) -> tuple[Edges, Quoted, Runs]:
    """Stage 1: the distinct shingles of these documents with the number of documents holding
    each, written by hash partition; the quoted terms with their (document, offset); the
    periodic runs collapsed."""
    import numpy as np

    from policydiff.phrases.rules import quoted_spans

    job, group = args
    docs = _load(job, group)
    found = [np.unique(window_hashes(doc.text, job.min_chars, doc.barrier)) for doc in docs]
    every = np.concatenate(found) if found else np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(every, return_counts=True)
    order, edges = scratch.partition_order(values % np.uint64(job.partitions), job.partitions)
    scratch.write(job.scratch, f"shingles-{group.number}",
                  {"values": values[order], "counts": counts[order].astype(np.int32)})
    quoted: Quoted = {}
    for doc in docs:
        for start, end in quoted_spans(doc.text):
            quoted.setdefault(doc.text[start:end], []).append((doc.index, start))
    runs = [(doc.index, doc.text[run.start : run.start + run.period], run)
            for doc in docs for run in doc.runs]
    return edges.tolist(), quoted, runs


def count_task(args: tuple[_Job, int, list[tuple[int, Edges]]]) -> np.ndarray:
    """Stage 2: the shingles of partition ``j`` held by at least ``min_docs`` documents."""
    import numpy as np

    job, j, parts = args
    names = [f"shingles-{t}" for t, _ in parts]
    spans = [(edges[j], edges[j + 1]) for _, edges in parts]
    values = scratch.slices(job.scratch, names, "values", spans)
    counts = scratch.slices(job.scratch, names, "counts", spans)
    if not values:
        return np.zeros(0, dtype=np.uint64)
    unique, inverse = np.unique(np.concatenate(values), return_inverse=True)
    total = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(unique))
    found: np.ndarray = unique[total >= job.min_docs]
    return found


def start_task(args: tuple[_Job, _Group]) -> tuple[Edges, Edges]:
    """Stage 3: the positions of these documents whose window is shared, by bucket: rows
    (document, position, left, after) with ``left`` the code of the character before (-2: a
    barrier or the start) and ``after`` the distance to the first word boundary at or after
    the position; each row's suffix (up to the next barrier, at most ``MAX_PHRASE_CHARS``) and
    its word boundaries (offsets 0..length). Returns the row and character edges."""
    import numpy as np

    job, group = args
    shared = scratch.load(job.scratch, "shared", "hashes")
    parts = [p for p in (_starts(doc, job, shared) for doc in _load(job, group))
             if p is not None]
    if parts:
        rows, buckets, starts, lengths = (np.concatenate([p[k] for p in parts]) for k in range(4))
        codes = np.concatenate([p[4] for p in parts])
        bounds = np.concatenate([p[5] for p in parts])
        # where each document's codes and boundaries begin in the joined arrays
        code_base = np.repeat(np.cumsum([0, *(len(p[4]) for p in parts)])[:-1],
                              [len(p[0]) for p in parts])
        bound_base = np.repeat(np.cumsum([0, *(len(p[5]) for p in parts)])[:-1],
                               [len(p[0]) for p in parts])
    else:
        rows = np.zeros((0, 4), dtype=np.int32)
        buckets = starts = lengths = code_base = bound_base = np.zeros(0, dtype=np.int64)
        codes, bounds = np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint8)
    order, edges = scratch.partition_order(buckets, job.buckets)
    starts, lengths = starts[order], lengths[order]
    chars = codes[_ranges(code_base[order] + starts, lengths)]
    marks = bounds[_ranges(bound_base[order] + starts, lengths + 1)]
    if len(chars) and int(chars.max()) < 0x10000:
        chars = chars.astype(np.uint16)
    scratch.write(job.scratch, f"starts-{group.number}", {
        "rows": rows[order], "lengths": lengths.astype(np.int32), "chars": chars,
        "bounds": marks.astype(np.uint8)})
    char_edges = np.concatenate(([0], np.cumsum(lengths)))[edges]
    return edges.tolist(), char_edges.tolist()


def _starts(doc: _Doc, job: _Job, shared: np.ndarray) -> tuple[np.ndarray, ...] | None:
    """One document's part of ``start_task``: rows, buckets, starts, lengths, codes, bounds."""
    import numpy as np

    from policydiff.phrases.rules import MAX_PHRASE_CHARS

    text, barrier = doc.text, doc.barrier
    hashes, valid = _windows(text, job.min_chars, barrier)
    pos = np.flatnonzero(valid & is_shared(hashes, shared))
    if not len(pos):
        return None
    n = len(text)
    idx = np.where(barrier, np.arange(n), n)
    next_barrier = np.minimum.accumulate(idx[::-1])[::-1]
    ends = np.minimum(next_barrier[pos], pos + MAX_PHRASE_CHARS)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    before = np.maximum(pos - 1, 0)
    left = np.where((pos == 0) | barrier[before], -2, codes[before].astype(np.int64))
    where = np.flatnonzero(doc.bounds)  # holds len(text): every position has one after
    after = where[np.searchsorted(where, pos)] - pos
    bucket = (hashes[pos] >> np.uint64(40)) % np.uint64(job.buckets)
    rows = np.stack([np.full(len(pos), doc.index), pos, left, after], axis=1).astype(np.int32)
    return (rows, bucket.astype(np.int64), pos, ends - pos, codes,
            doc.bounds.astype(np.uint8))


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices ``starts[k] .. starts[k] + lengths[k] - 1`` of every ``k``, joined."""
    import numpy as np

    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    first = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    found: np.ndarray = (np.repeat(starts - first, lengths) + np.arange(total)).astype(np.int64)
    return found


def repeat_task(args: tuple[_Job, list[tuple[int, tuple[int, int], tuple[int, int]]]]
                ) -> list[str]:
    """Stage 4: the candidate phrase texts of one bucket (see the module docstring); ``parts``
    are the bucket's (task, row span, character span) in the scratch files of stage 3."""
    import numpy as np

    from policydiff.phrases.corpus import traverse_intervals

    job, parts = args
    names = [f"starts-{t}" for t, _, _ in parts]
    row_spans = [rows for _, rows, _ in parts]
    rows = np.concatenate(scratch.slices(job.scratch, names, "rows", row_spans))
    lengths = np.concatenate(scratch.slices(job.scratch, names, "lengths", row_spans))
    text = "".join(chars.astype("<u4").tobytes().decode("utf-32-le") for chars in
                   scratch.slices(job.scratch, names, "chars", [c for _, _, c in parts]))
    bound_spans = [(c0 + r0, c1 + r1) for _, (r0, r1), (c0, c1) in parts]
    marks = np.concatenate(scratch.slices(job.scratch, names, "bounds", bound_spans)).tobytes()
    char_at = np.concatenate(([0], np.cumsum(lengths)[:-1])).tolist()
    keys = [text[o : o + n] for o, n in zip(char_at, lengths.tolist(), strict=True)]
    del text
    order = sorted(range(len(keys)), key=keys.__getitem__)
    keys = [keys[i] for i in order]
    bound_at = [char_at[i] + i for i in order]
    docs, _, left, after = rows[np.asarray(order, dtype=np.int64)].T.tolist()
    lcp = [_common_prefix(keys[i], keys[i + 1]) for i in range(len(keys) - 1)] + [0]
    high = np.asarray(lcp[:-1], dtype=np.int64) >= job.min_chars
    edges = np.diff(np.concatenate(([0], high.view(np.int8), [0])))
    runs = list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(),
                    strict=True))
    found = array("q")
    traverse_intervals(runs, 0, lcp, left, docs, job.min_docs, found)
    repeats = np.frombuffer(found, dtype=np.int64).reshape(-1, 3).tolist()
    return sorted(_candidates(repeats, keys, after, marks, bound_at, job.min_chars))


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


def _candidates(repeats: list[list[int]], keys: list[str], after: list[int], marks: bytes,
                bound_at: list[int], m: int) -> set[str]:
    """The repeats grouped by where word boundaries fall and trimmed, as the miner does;
    ``marks[bound_at[k] + o]`` is 1 where offset ``o`` of suffix ``k`` is a word boundary."""
    from policydiff.phrases.model import han_count
    from policydiff.phrases.trim import needs_trim, trim

    found: set[str] = set()
    for length, lb, rb in repeats:
        repeat = keys[lb][:length]
        if han_count(repeat) < m:
            continue
        groups: dict[tuple[int, int], list[int]] = {}
        for k in range(lb, rb + 1):
            at = bound_at[k]
            last = marks.rfind(1, at, at + length + 1)  # the last boundary inside the repeat
            groups.setdefault((after[k], last - at if last >= 0 else -1), []).append(at)
        for (start, end), members in groups.items():
            if end - start < m:
                continue
            if needs_trim(repeat, start, end):

                def ok(o: int, members: list[int] = members) -> bool:
                    return all(marks[at + o] for at in members)

                start, end = trim(repeat, start, end, ok)
                if end - start < m:
                    continue
            text = repeat[start:end]
            if han_count(text) >= m:
                found.add(text)
    return found


@dataclass(frozen=True)
class _Terms:
    """The terms whose occurrences stage 5 finds, numbered (long ones, then short ones).

    The long ones go to every task as arrays in the scratch folder, memory-mapped (so a task's
    cost does not grow with the number of terms): the sorted (first-window hash, length) pairs
    of the terms, and the terms sorted by (hash of the whole text, length) with their numbers,
    characters and offsets, to check every hit against the text. The short quoted ones (and
    long ones whose whole-text hash another term shares: a 64-bit coincidence) are found by
    search, listed in ``short``."""

    ids: dict[str, int]
    short: tuple[tuple[int, str], ...]

    @classmethod
    def of(cls, job: _Job, terms: list[str], short: list[str]) -> _Terms:
        import numpy as np

        m = job.min_chars
        ids = {term: k for k, term in enumerate([*terms, *short])}
        full = np.array([_text_hash(t) for t in terms], dtype=np.uint64)
        lengths = np.array([len(t) for t in terms], dtype=np.int64)
        order = np.lexsort((lengths, full))
        same = np.zeros(len(order), dtype=bool)  # a hash two terms share: both searched
        if len(order) > 1:
            twin = full[order][1:] == full[order][:-1]
            same[1:] |= twin
            same[:-1] |= twin
        searched = [(int(k), terms[int(k)]) for k in order[same]]
        order = order[~same]
        firsts = np.array([_window_hash(terms[k][:m]) for k in order.tolist()],
                          dtype=np.uint64)
        pairs = np.unique(np.stack([firsts, lengths[order].astype(np.uint64)], axis=1), axis=0)
        chosen = [terms[k] for k in order.tolist()]
        scratch.write(job.scratch, "terms", {
            "first": pairs[:, 0], "first_lengths": pairs[:, 1].astype(np.int64),
            "hash": full[order], "lengths": lengths[order], "ids": order.astype(np.int64),
            "chars": np.frombuffer("".join(chosen).encode("utf-32-le"), dtype=np.uint32),
            "offsets": np.concatenate(([0], np.cumsum(lengths[order])))})
        short_ids = [(ids[t], t) for t in short]
        return cls(ids, tuple(searched + short_ids))


def _window_hash(window: str) -> int:
    """``_windows``'s hash of one window, in Python integers."""
    return (_text_hash(window) * HASH_MIX) & ((1 << 64) - 1)


def _text_hash(text: str) -> int:
    """The polynomial hash of ``text`` (base ``HASH_BASE``, modulo 2**64), as ``_substring_
    hashes`` computes it for the substrings of a document."""
    mask = (1 << 64) - 1
    h = 0
    for char in text:
        h = (h * HASH_BASE + ord(char)) & mask
    return h


def _substring_hashes(codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray
                      ) -> np.ndarray:
    """``_text_hash`` of every substring ``codes[starts[k]:starts[k] + lengths[k]]``: with
    ``S[i] = sum(c_j * B**-j, j < i)`` (B is odd, so invertible modulo 2**64), the hash of
    ``[p, p + n)`` is ``B**(p + n - 1) * (S[p + n] - S[p])``, all in wrapping uint64."""
    import numpy as np

    n = len(codes)
    with np.errstate(over="ignore"):
        power = np.cumprod(np.full(n + 1, HASH_BASE, dtype=np.uint64))
        power = np.concatenate(([np.uint64(1)], power[:-1]))  # B**k
        inverse = np.cumprod(np.full(n + 1, pow(HASH_BASE, -1, 1 << 64), dtype=np.uint64))
        inverse = np.concatenate(([np.uint64(1)], inverse[:-1]))  # B**-k
        prefix = np.concatenate(([np.uint64(0)],
                                 np.cumsum(codes.astype(np.uint64) * inverse[:n],
                                           dtype=np.uint64)))
        ends = starts + lengths
        found: np.ndarray = power[ends - 1] * (prefix[ends] - prefix[starts])
    return found


def occurrence_task(args: tuple[_Job, _Group, _Terms]) -> Edges:
    """Stage 5: every occurrence of the long terms (found at positions with a shared window)
    and of the searched terms: int32 rows (term number, document, offset, aligned 0/1),
    written by term partition (number mod ``partitions``)."""
    import numpy as np

    job, group, terms = args
    table = {key: scratch.load(job.scratch, "terms", key) for key in
             ("first", "first_lengths", "hash", "lengths", "ids", "chars", "offsets")}
    found = [np.zeros((0, 4), dtype=np.int64)]
    for doc in _load(job, group):
        inside = np.concatenate(([0], np.cumsum(doc.barrier, dtype=np.int64)))
        found.append(_long_hits(doc, job.min_chars, table, inside))
        text, bounds, d = doc.text, doc.bounds, doc.index
        hits = []
        for k, term in terms.short:
            n = len(term)
            p = text.find(term)
            while p >= 0:
                if inside[p + n] == inside[p]:  # none in a collapsed periodic run
                    hits.append((k, d, p, int(bounds[p] and bounds[p + n])))
                p = text.find(term, p + 1)
        found.append(np.array(hits, dtype=np.int64).reshape(-1, 4))
    rows = np.concatenate(found).astype(np.int32)
    order, edges = scratch.partition_order(rows[:, 0] % job.partitions, job.partitions)
    scratch.write(job.scratch, f"occurrences-{group.number}", {"rows": rows[order]})
    out: Edges = edges.tolist()
    return out


def _long_hits(doc: _Doc, m: int, table: dict[str, np.ndarray], inside: np.ndarray
               ) -> np.ndarray:
    """Rows (term, document, offset, aligned) of the long terms in one document: at every
    position whose window starts a term, every length of a term starting so, looked up by
    the hash of the substring and checked against the term's text. An occurrence holds no
    barrier (``inside``: barriers before each offset), as the miner's LCP is clipped at them:
    a term repeating a periodic unit is not found again inside the collapsed part."""
    import numpy as np

    text = doc.text
    hashes, valid = _windows(text, m, doc.barrier)
    first = table["first"]
    pos = np.flatnonzero(valid & is_shared(hashes, first))
    if not len(pos):
        return np.zeros((0, 4), dtype=np.int64)
    lo = np.searchsorted(first, hashes[pos], side="left")
    hi = np.searchsorted(first, hashes[pos], side="right")
    pick = _ranges(lo, hi - lo)
    starts = np.repeat(pos, hi - lo)
    lengths = np.asarray(table["first_lengths"][pick])
    fits = starts + lengths <= len(text)
    starts, lengths = starts[fits], lengths[fits]
    clear = inside[starts + lengths] == inside[starts]
    starts, lengths = starts[clear], lengths[clear]
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    wanted = _substring_hashes(codes, starts, lengths)
    key, key_lengths = table["hash"], table["lengths"]
    at = np.minimum(np.searchsorted(key, wanted), len(key) - 1)
    hit = (key[at] == wanted) & (key_lengths[at] == lengths)
    at, starts, lengths = at[hit], starts[hit], lengths[hit]
    # the hash says which term; the text says it is that term
    offsets = np.asarray(table["offsets"])[at]
    same = codes[_ranges(starts, lengths)] == np.asarray(table["chars"])[_ranges(offsets, lengths)]
    firsts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    exact = np.logical_and.reduceat(same, firsts) if len(same) else same
    at, starts, lengths = at[exact], starts[exact], lengths[exact]
    bounds = doc.bounds
    aligned = bounds[starts] & bounds[starts + lengths]
    return np.stack([np.asarray(table["ids"])[at], np.full(len(at), doc.index), starts,
                     aligned.astype(np.int64)], axis=1).astype(np.int64)


@dataclass(frozen=True)
class _Keeping:
    """What stage 6 decides for the terms of one partition: per term its number, text,
    whether it is a candidate repeat, and for a quoted term that may be a phrase its
    quotations and the share of quoted occurrences it needs (``mining.quoted_rule``)."""

    terms: list[tuple[int, str, bool, list[tuple[int, int]] | None, float]]
    quoted_terms: frozenset[str]
    documents: int


def keep_task(args: tuple[_Job, int, list[tuple[int, Edges]], _Keeping]
              ) -> list[tuple[str, str, np.ndarray, np.ndarray]]:
    """Stage 6: the phrases among the terms of partition ``j``: (text, kind, documents,
    occurrences per document)."""
    import numpy as np

    from policydiff.phrases.mining import accepted, phrase_kind
    from policydiff.phrases.rules import MAX_OCCURRENCES, formulaic_regex, load_formulaic

    job, j, parts, keeping = args
    names = [f"occurrences-{t}" for t, _ in parts]
    found = scratch.slices(job.scratch, names, "rows", [(e[j], e[j + 1]) for _, e in parts])
    rows = np.concatenate(found) if found else np.zeros((0, 4), dtype=np.int32)
    rows = rows[np.argsort(rows[:, 0], kind="stable")]
    edges = np.searchsorted(rows[:, 0], [k for k, *_ in keeping.terms]).tolist()
    ends = np.searchsorted(rows[:, 0], [k for k, *_ in keeping.terms], side="right").tolist()
    formulaic = load_formulaic()
    pattern = formulaic_regex(formulaic)
    out = []
    for (_, text, candidate, marked, share), lo, hi in zip(keeping.terms, edges, ends,
                                                           strict=True):
        where = rows[lo:hi, 1:]
        if len(where) > MAX_OCCURRENCES:
            continue
        kept: tuple[np.ndarray, np.ndarray] | None = None
        tries: list[tuple[set[tuple[int, int]], float]] = [(set(), 0.0)] if candidate else []
        if marked is not None:
            tries.append((set(marked), share))
        for quoted, min_quoted in tries:
            chosen = where[:, 2] == 1
            if quoted:
                chosen |= np.array([(d, p) in quoted for d, p in where[:, :2].tolist()],
                                   dtype=bool)
            docs = where[chosen, 0]  # in document order (tasks and their rows are)
            change = np.flatnonzero(docs[1:] != docs[:-1]) + 1
            if len(docs) and accepted(len(change) + 1, len(docs), len(quoted), job.min_docs,
                                      min_quoted):
                kept = (docs, np.concatenate(([0], change, [len(docs)])))
                break
        if kept is None:
            continue
        docs, cuts = kept
        held, counts = docs[cuts[:-1]], np.diff(cuts)
        kind = phrase_kind(text, keeping.quoted_terms, len(held), keeping.documents,
                           formulaic, pattern)
        out.append((text, kind, held.astype(np.int32), counts.astype(np.int32)))
    return out


# --------------------------------------------------------------------------- the client


def find_phrases(store_path: str, runner: Runner, *, min_chars: int = 4, min_docs: int = 2,
                 min_slogan_chars: int = 2) -> PhraseResult:
    """The shared phrases of every document of the store (the rules of ``policydiff.phrases``
    and its defaults)."""
    from policydiff.errors import InputError
    from policydiff.phrases.mining import periodic_notes
    from policydiff.phrases.model import han_count

    if min_chars < 1 or min_docs < 1 or min_slogan_chars < 1:
        raise InputError("min_chars, min_docs and min_slogan_chars must be at least 1")
    store = Store.open(store_path)
    frame = store.documents(["path", "chars"], places=True)
    keys, paths = tuple(frame["key"]), tuple(frame["path"])
    places = list(zip(frame["part"].tolist(), frame["row"].tolist(), strict=True))
    total_chars = int(frame["chars"].sum()) if len(frame) else 0
    buckets = max(4, BUCKETS_PER_MILLION * (total_chars // 1_000_000 + 1))
    groups = [_Group(n, tuple(range(i, min(i + DOCUMENTS_PER_TASK, len(keys)))),
                     tuple(places[i : i + DOCUMENTS_PER_TASK]))
              for n, i in enumerate(range(0, len(keys), DOCUMENTS_PER_TASK))]
    with scratch.Scratch(store_path) as work:
        job = _Job(str(store_path), str(work.folder), min_chars, min_docs, PARTITIONS, buckets)
        candidates, quoted, runs = _candidates_of(job, groups, runner)
        long_terms, short_terms = _terms(candidates, quoted, min_chars, min_docs,
                                         min_slogan_chars)
        terms = _Terms.of(job, long_terms, short_terms)
        found = runner.map("finding", occurrence_task, [(job, g, terms) for g in groups])
        parts = [(g.number, e) for g, e in zip(groups, found, strict=True)]
        kept = runner.map("keeping", keep_task, [
            (job, j, parts, keeping) for j, keeping in
            enumerate(_keepings(terms, candidates, quoted, job, len(keys), min_slogan_chars))])
    phrases = [CorpusPhrase(text, kind, docs, counts)
               for part in kept for text, kind, docs, counts in part]
    phrases.sort(key=lambda p: (-len(p.documents), -han_count(p.text), p.text))
    coarse = periodic_notes([(paths[d], unit, run) for d, unit, run in runs], len(runs))
    return PhraseResult(keys, paths, tuple(phrases), min_chars, coarse)


def _candidates_of(job: _Job, groups: list[_Group], runner: Runner
                   ) -> tuple[set[str], Quoted, Runs]:
    """Stages 1-4: the candidate texts, the quoted terms, the collapsed periodic runs."""
    import numpy as np

    first = runner.map("shingles", shingle_task, [(job, g) for g in groups])
    quoted: Quoted = {}
    runs: Runs = []
    for _, found, collapsed in first:
        for term, spots in found.items():
            quoted.setdefault(term, []).extend(spots)
        runs.extend(collapsed)
    parts = [(g.number, edges) for g, (edges, _, _) in zip(groups, first, strict=True)]
    del first
    counted = runner.map("counting", count_task, [(job, j, parts)
                                                  for j in range(job.partitions)])
    shared = np.sort(np.concatenate(counted)) if counted else np.zeros(0, dtype=np.uint64)
    del counted
    scratch.write(job.scratch, "shared", {"hashes": shared})
    del shared
    starts = runner.map("starts", start_task, [(job, g) for g in groups])
    tasks = []
    for b in range(job.buckets):
        bucket = [(g.number, (rows[b], rows[b + 1]), (chars[b], chars[b + 1]))
                  for g, (rows, chars) in zip(groups, starts, strict=True)
                  if rows[b + 1] > rows[b]]
        if sum(r1 - r0 for _, (r0, r1), _ in bucket) >= 2:
            tasks.append((job, bucket))
    candidates: set[str] = set()
    for found in runner.map("repeats", repeat_task, tasks):
        candidates.update(found)
    return candidates, quoted, runs


def _keepings(terms: _Terms, candidates: set[str], quoted: Quoted, job: _Job, documents: int,
              min_slogan: int) -> list[_Keeping]:
    """The work of stage 6, by term partition."""
    from policydiff.phrases.mining import quoted_rule

    names = frozenset(quoted)
    out: list[list[tuple[int, str, bool, list[tuple[int, int]] | None, float]]] = [
        [] for _ in range(job.partitions)]
    for term, k in terms.ids.items():
        spots = quoted.get(term)
        share = None
        if spots is not None:
            share = quoted_rule(term, len({d for d, _ in spots}), job.min_chars, job.min_docs,
                                min_slogan)
        out[k % job.partitions].append(
            (k, term, term in candidates, spots if share is not None else None, share or 0.0))
    return [_Keeping(sorted(part), names, documents) for part in out]


def _terms(candidates: set[str], quoted: Quoted, m: int, min_docs: int, min_slogan: int
           ) -> tuple[list[str], list[str]]:
    """The texts whose occurrences are needed: candidates and quoted terms of at least
    ``m`` Han characters (found through their shared first window), and the shorter quoted
    terms quoted in ``min_docs`` documents (``mining.quoted_rule``)."""
    from policydiff.phrases.mining import quoted_rule
    from policydiff.phrases.model import han_count

    long_terms = set(candidates)
    short_terms = set()
    for term, places in quoted.items():
        share = quoted_rule(term, len({d for d, _ in places}), m, min_docs, min_slogan)
        if share is None:
            continue
        if han_count(term) >= m:
            long_terms.add(term)
        else:
            short_terms.add(term)
    return sorted(long_terms), sorted(short_terms)
