"""New and dropped phrases between consecutive documents of a series (``changes_of``): the
smallest runs of words of one document that the other does not contain, merged, trimmed and
ranked for a reader."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from policydiff.chars import PHRASE_BARRIERS
from policydiff.phrases.corpus import OPENMP_SINGLE, Corpus
from policydiff.phrases.model import (
    Change,
    NewPhrase,
    PhraseSet,
    Span,
    bulk_allocation,
    han_count,
)
from policydiff.phrases.rules import (
    CLOSE_QUOTES,
    EDGE_PARTICLES,
    OPEN_QUOTES,
    han_flags,
    is_formulaic_text,
    is_punct_or_space,
    load_formulaic,
    quoted_spans,
)
from policydiff.phrases.trim import trim, word_bounds

BACKGROUND_DOCS = 5
"""How many neighbouring documents of a series ``changes_of`` consults to tell a returning
phrase from a first appearance."""

MAX_UNIT_WORDS = 8
"""Longest word n-gram tried when looking for the smallest unit absent from the other text."""

_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)

Unit = tuple[int, str, tuple[str, ...]]
"""A new unit while it is being found: (first start, kind, new words), by its text."""


def changes_of(
    phrase_set: PhraseSet,
    *,
    min_slogan_chars: int = 2,
    series: Sequence[Sequence[str]] | None = None,
    workers: int = 1,
) -> list[Change]:
    """New and dropped phrases between consecutive documents of each run in ``series`` (lists
    of document ids, old to new; default: all documents of ``phrase_set`` in its order),
    reusing its word boundaries, ``min_chars`` and formulaic list.

    A *new* phrase of B (relative to A) is a phrase-like unit of B whose text, with digits
    folded (``2025年`` reads as ``2024年``), does not occur anywhere in A:
    1. a quoted term of B (“两重”, at least ``min_slogan_chars`` Han characters), kind
       ``slogan``; or
    2. a run of B's words, inside one clause (punctuation other than quotation marks ends a
       clause), made of the *smallest* word sequences of at least ``min_chars`` Han characters
       that A does not contain, merged where they overlap: 适度宽松 and 宽松的货币政策 merge
       into 适度宽松的货币政策. A smallest sequence that recurs in B stands alone (提振消费 ×3)
       and the non-recurring ones overlapping it are left out; so is a run that overlaps a new
       quoted term (the term stands for it). Its kind is ``formulaic`` when formulaic entries
       cover half of it, ``distinctive`` otherwise.
    *Dropped* phrases are the new phrases of A relative to B.

    Ranking (a reader scans the top of each list): slogans; then distinctive units found more
    than once; then the other distinctive units; formulaic units last. Within each group, units
    that the series shows elsewhere (``elsewhere``: a new phrase found in one of the
    ``BACKGROUND_DOCS`` documents of the run before A, a dropped one in those after B) come
    after the others, then more occurrences first, then units containing words A never used,
    then document order.

    Each document is read (folded, indexed, its clause breaks found) once however many pairs
    it is part of. ``workers`` > 1 spreads the pairs over that many forked processes (the
    caller says whether forking is safe: ``comparison.worker_count``).
    """
    ids, docs = phrase_set.doc_ids, phrase_set.texts
    bounds = list(phrase_set.boundaries)
    if len(bounds) != len(ids):
        bounds = word_bounds(ids, docs, None)
    formulaic = phrase_set.formulaic
    if formulaic is None:
        formulaic = load_formulaic()
    position = {doc_id: k for k, doc_id in enumerate(ids)}
    runs = [list(range(len(ids)))] if series is None else [
        [position[doc_id] for doc_id in run if doc_id in position] for run in series
    ]
    views: dict[int, _View] = {}

    def view(k: int) -> _View:
        if k not in views:
            views[k] = _View(docs[k], bounds[k])
        return views[k]

    options = _Options(phrase_set.min_chars, min_slogan_chars, formulaic)
    tasks = [(r, i) for r, run in enumerate(runs) for i in range(1, len(run))]
    if workers > 1 and len(tasks) >= MIN_PARALLEL_PAIRS:
        return _changes_in_pool(ids, runs, tasks, view, options, workers)
    with bulk_allocation():
        return [_change(ids, runs[r], i, view, options) for r, i in tasks]


MIN_PARALLEL_PAIRS = 4
"""From this many pairs on, ``changes_of(workers=…)`` spreads them over forked workers."""

_FORKED: tuple[Sequence[str], list[list[int]], Callable[[int], _View], _Options] | None = None


def _changes_in_pool(
    ids: Sequence[str], runs: list[list[int]], tasks: list[tuple[int, int]],
    view: Callable[[int], _View], options: _Options, workers: int,
) -> list[Change]:
    """``_change`` of every task in ``workers`` forked processes, in task order (each worker
    reads the documents it needs on its own; results are the same as in one process)."""
    import multiprocessing

    global _FORKED
    # see below; and never fork while another thread runs (it may hold a lock the child
    # would wait for forever: the viewer's workers, a test's leftover thread)
    serial = not OPENMP_SINGLE or threading.active_count() > 1
    for run in runs:  # read every document here once: the workers inherit them
        for k in run:
            view(k)
    chunks = [tasks[k : k + 2] for k in range(0, len(tasks), 2)]
    _FORKED = (ids, runs, view, options)
    try:
        # The suffix arrays come from libdivsufsort, built with OpenMP: a process forked
        # after OpenMP started its threads hangs at its next parallel region. Safe only when
        # OMP_NUM_THREADS=1 was set before libdivsufsort was loaded (the CLI does); elsewhere
        # the pairs run here.
        if serial:
            raise OSError("OpenMP may have threads")
        pool = multiprocessing.get_context("fork").Pool(min(workers, len(chunks)))
    except (OSError, ImportError):
        _FORKED = None
        with bulk_allocation():
            return [_change(ids, runs[r], i, view, options) for r, i in tasks]
    try:
        with pool:
            done = pool.map(_change_chunk, chunks)
    finally:
        _FORKED = None
    return [change for chunk in done for change in chunk]


def _change_chunk(chunk: list[tuple[int, int]]) -> list[Change]:
    assert _FORKED is not None, "change workers must be forked from changes_of"
    ids, runs, view, options = _FORKED
    with bulk_allocation():
        return [_change(ids, runs[r], i, view, options) for r, i in chunk]


@dataclass(frozen=True)
class _Options:
    min_chars: int
    min_slogan_chars: int
    formulaic: frozenset[str]


def _change(
    ids: Sequence[str], run: Sequence[int], i: int, view: Callable[[int], _View],
    options: _Options,
) -> Change:
    """New and dropped phrases of document ``run[i]`` relative to ``run[i - 1]``, with up to
    ``BACKGROUND_DOCS`` earlier (for new) or later (for dropped) documents of the run as
    background."""
    a, b = view(run[i - 1]), view(run[i])
    earlier = "\n".join(view(k).folded for k in run[max(0, i - 1 - BACKGROUND_DOCS) : i - 1])
    later = "\n".join(view(k).folded for k in run[i + 1 : i + 1 + BACKGROUND_DOCS])
    earlier_raw = "\n".join(view(k).text for k in run[max(0, i - 1 - BACKGROUND_DOCS) : i - 1])
    later_raw = "\n".join(view(k).text for k in run[i + 1 : i + 1 + BACKGROUND_DOCS])
    ms_b, ms_a = _mutual_matching_lengths(b.folded, a.folded)
    new = _novel_units(b, a.folded, ms_b, options, _Background(earlier_raw, earlier))
    dropped = _novel_units(a, b.folded, ms_a, options, _Background(later_raw, later))
    return Change(ids[run[i - 1]], ids[run[i]], new, dropped)


# --------------------------------------------------------------------------- one direction


@dataclass(frozen=True)
class _Background:
    """Other documents of the run (joined by newlines), as written and with digits folded."""

    text: str = ""
    folded: str = ""


def _novel_units(
    target: _View, folded_ref: str, ms: np.ndarray, options: _Options, background: _Background
) -> tuple[NewPhrase, ...]:
    """Phrase-like units of ``target`` that the reference (``folded_ref``, digits folded;
    ``ms``: the target's matching lengths in it) does not contain (see ``changes_of``); those
    found in ``background`` are ``elsewhere``."""
    reading = _Reading(target, folded_ref, ms)
    units: dict[str, Unit] = {}
    quoted_new = _quoted_units(reading, options.min_slogan_chars, units)  # 1. quoted terms
    # 2. smallest word sequences absent from the reference, merged where they overlap
    quoted_ends = [qe for _, qe in quoted_new]
    view = reading.view
    for c, smallest in _smallest(reading, options.min_chars):
        k0, k1 = view.clauses[c]
        _add_clause_units(
            reading, view.words[k0:k1], smallest, (quoted_new, quoted_ends),
            options.min_chars, options.formulaic, units,
        )
    return _ranked(reading, units, background)


class _View:
    """What ``changes_of`` needs of one document, whatever it is compared with: its text with
    digits folded, its own index (``recurs``, occurrences), Han and clause-break counts."""

    def __init__(self, text: str, bounds: np.ndarray) -> None:
        self.text = text
        self.bounds = bounds
        self.folded = _fold(text)
        self.index = Corpus([text], [bounds])
        # how far the text at each offset also occurs elsewhere in it: the longer common
        # prefix with its two neighbours in suffix order (what Corpus.interval looks at)
        lcp, n = self.index.lcp, self.index.n
        inner = lcp[: n - 1]
        shared = np.maximum(np.concatenate(([0], inner)), np.concatenate((inner, [0])))
        self.repeats: list[int] = shared[self.index.rank].tolist()
        han_prefix = np.concatenate(([0], np.cumsum(han_flags(text))))
        self.han_prefix: list[int] = han_prefix.tolist()
        self.at_boundary: Callable[[int], bool] = bounds.tolist().__getitem__
        self._words(
            han_prefix, np.concatenate(([0], np.cumsum(_clause_break_flags(text)))),
            np.flatnonzero(bounds),
        )

    def _words(self, han_prefix: np.ndarray, break_prefix: np.ndarray, cuts: np.ndarray) -> None:
        """The words (``words``: spans between consecutive cuts) and the clauses
        (``clauses``: ranges of word indexes; a word holding a clause break ends a clause and
        belongs to none), with each word's Han characters (``word_han``, as a prefix sum),
        whether it is a content word (``content``: Han, not a lone edge particle) and the end
        of its clause (``clause_end``: a word index; a break's own index), from the prefix
        sums of Han characters and clause breaks and the word boundaries (``cuts``)."""
        cuts = cuts.astype(np.int64)
        starts, ends = cuts[:-1], cuts[1:]
        han = han_prefix[ends] - han_prefix[starts] if len(cuts) > 1 else cuts[:0]
        codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        first = codes[starts]
        particle = np.zeros(len(starts), dtype=bool)
        for char in EDGE_PARTICLES:
            particle |= first == ord(char)
        single = (ends - starts == 1) & particle
        breaks = break_prefix[ends] > break_prefix[starts] if len(cuts) > 1 else cuts[:0] > 0
        self.words: list[Span] = list(zip(starts.tolist(), ends.tolist(), strict=True))
        self.word_starts, self.word_ends = starts, ends
        self.word_han = np.concatenate(([0], np.cumsum(han)))
        self.content = (han > 0) & ~single & ~breaks
        edges = np.flatnonzero(np.diff(np.concatenate(([1], breaks.astype(np.int8), [1]))))
        # runs of non-break words: [edges[0], edges[1]), [edges[2], edges[3]), ...
        self.clauses: list[tuple[int, int]] = [
            (int(a), int(b)) for a, b in zip(edges[0::2], edges[1::2], strict=True) if b > a
        ]
        # the next break at or after each word (the words after the last: their count)
        at = np.where(breaks, np.arange(len(starts), dtype=np.int64), len(starts))
        self.clause_end = np.minimum.accumulate(at[::-1])[::-1]


class _Reading:
    """A document read against a reference: the matching statistics (``absent``) and the
    document's own index (``recurs``, occurrences)."""

    def __init__(self, view: _View, folded_ref: str, ms: np.ndarray) -> None:
        self.view = view
        self.target = view.text
        self.bounds = view.bounds
        self.folded_ref = folded_ref
        self.ms_array = ms  # the matching statistics of view.folded in folded_ref
        self.ms: list[int] = ms.tolist()
        self.index = view.index
        self.han_prefix = view.han_prefix

    def absent(self, start: int, end: int) -> bool:
        """Whether ``target[start:end]`` (digits folded) does not occur in the reference."""
        return end - start > self.ms[start]

    def recurs(self, start: int, end: int) -> bool:
        """Whether ``target[start:end]`` occurs more than once in the target (as
        ``Corpus.interval`` finds occurrences: barriers and collapsed runs cut them)."""
        return end - start <= self.view.repeats[start]


def _quoted_units(reading: _Reading, min_slogan_chars: int, units: dict[str, Unit]) -> list[Span]:
    """Add the quoted terms the reference does not have to ``units``; return their spans."""
    target = reading.target
    quoted_new: list[Span] = []
    for qs, qe in quoted_spans(target):
        term = target[qs:qe]
        if han_count(term) < min_slogan_chars or any(c in PHRASE_BARRIERS for c in term):
            continue
        if _fold(term) not in reading.folded_ref:
            quoted_new.append((qs, qe))
            units.setdefault(term, (qs, "slogan", (term,)))
    return quoted_new


def _add_clause_units(
    reading: _Reading,
    clause: list[Span],
    smallest: list[tuple[int, int]],
    quoted: tuple[list[Span], list[int]],
    min_chars: int,
    formulaic: frozenset[str],
    units: dict[str, Unit],
) -> None:
    """Add the new units of one clause (its words, and its ``_smallest`` word sequences) to
    ``units`` (trimmed; none that a new quoted term stands for: ``quoted``, the new quoted
    terms' spans in order and their ends)."""
    target, han_prefix = reading.target, reading.han_prefix
    quoted_new, quoted_ends = quoted
    new_words = _new_words(target, clause, reading.absent, han_prefix)
    for start, end in _merged(reading, clause, smallest):
        s, e = trim(target, start, end, reading.view.at_boundary)
        text = target[s:e]
        if han_prefix[e] - han_prefix[s] < min_chars or not reading.absent(s, e):
            continue
        k = bisect_right(quoted_ends, s)
        if k < len(quoted_new) and quoted_new[k][0] < e:
            continue  # the quoted term stands for it
        kind = "formulaic" if is_formulaic_text(text, formulaic) else "distinctive"
        inside = tuple(target[ws:we] for ws, we in new_words if s <= ws and we <= e)
        units.setdefault(text, (s, kind, inside))


def _smallest(reading: _Reading, min_chars: int) -> list[tuple[int, list[tuple[int, int]]]]:
    """For each clause that has some (its number in ``_View.clauses``), the ``(i, j)`` of its
    word sequences ``clause[i..j]`` of at least ``min_chars`` Han characters, starting and
    ending with a content word, that the reference lacks while every shorter one starting at
    ``i`` is in it (and no shorter one ending at ``j`` is new too); ``i`` and ``j`` count
    from the clause's first word. At most ``MAX_UNIT_WORDS`` words; all words at once."""
    view = reading.view
    n = len(view.words)
    if not n:
        return []
    starts, ends, han, content = view.word_starts, view.word_ends, view.word_han, view.content
    reach = starts + reading.ms_array[starts]  # absent(start, end) is end > reach
    index = np.arange(n, dtype=np.int64)
    last = np.full(n, -1, dtype=np.int64)
    for d in range(MAX_UNIT_WORDS - 1, -1, -1):  # the shortest that fits is written last
        j = np.minimum(index + d, n - 1)
        fits = (
            content & (index + d < view.clause_end) & content[j]
            & (han[j + 1] - han[index] >= min_chars) & (ends[j] > reach)
        )
        last[fits] = j[fits]
    found = np.flatnonzero(last >= 0)
    j = last[found]
    later = np.flatnonzero(content)  # the next content word after each start, within j
    nxt = later[np.minimum(np.searchsorted(later, found, side="right"), len(later) - 1)]
    covered = (nxt > found) & (nxt <= j) & (han[j + 1] - han[nxt] >= min_chars) & (
        ends[j] > reach[nxt]
    )
    keep = ~covered  # else the unit starting later is new too
    out: list[tuple[int, list[tuple[int, int]]]] = []
    clause_of = np.searchsorted(np.asarray([a for a, _ in view.clauses]), found[keep],
                                side="right") - 1
    for c, i, jj in zip(clause_of.tolist(), found[keep].tolist(), j[keep].tolist(),
                        strict=True):
        k0 = view.clauses[c][0]
        if not out or out[-1][0] != c:
            out.append((c, []))
        out[-1][1].append((i - k0, jj - k0))
    return out


def _merged(
    reading: _Reading, clause: list[Span], smallest: list[tuple[int, int]]
) -> list[Span]:
    """The spans of the units: a smallest unit that recurs in the target stands alone; the
    others merge where they overlap, unless they overlap a recurring unit (which stands for
    them)."""
    recurs = reading.recurs
    recurring: list[list[int]] = []
    runs: list[list[int]] = []
    for i, j in smallest:
        group = recurring if recurs(clause[i][0], clause[j][1]) else runs
        if group and (
            i <= group[-1][1]
            or (  # touching recurring units join when the whole recurs too
                group is recurring
                and i == group[-1][1] + 1
                and recurs(clause[group[-1][0]][0], clause[j][1])
            )
        ):
            group[-1][1] = max(group[-1][1], j)
        else:
            group.append([i, j])
    found = [(clause[i][0], clause[j][1]) for i, j in recurring]
    taken = list(found)
    for i, j in runs:
        start, end = clause[i][0], clause[j][1]
        if not any(rs < end and start < re_ for rs, re_ in taken):
            found.append((start, end))
    return found


def _ranked(
    reading: _Reading, units: dict[str, Unit], background: _Background
) -> tuple[NewPhrase, ...]:
    """The units as ``NewPhrase`` (all their occurrences, ``elsewhere`` from ``background``),
    in reading order (``_rank_key``)."""
    index = reading.index
    ms_background = (
        _matching_lengths(reading.view.folded, background.folded) if background.text else None
    )
    out = []
    for text, (first, kind, new_words) in units.items():
        spans = tuple((p, p + len(text)) for p in sorted(index.interval(first, len(text))))
        if kind == "slogan":  # 两新 inside the older 两新一重 is another slogan
            elsewhere = any(
                f"{o}{text}{c}" in background.text
                for o, c in zip(OPEN_QUOTES, CLOSE_QUOTES, strict=True)
            )
        else:
            elsewhere = ms_background is not None and len(text) <= ms_background[first]
        out.append((first, NewPhrase(text, kind, spans, new_words, elsewhere)))
    out.sort(key=lambda item: _rank_key(item[1], item[0]))
    return tuple(unit for _, unit in out)


# --------------------------------------------------------------------------- helpers


def _fold(text: str) -> str:
    """Text as compared for novelty: every digit reads as 0, so ``2025年`` is not new next to
    ``2024年`` and changed figures do not count as new wording."""
    return text.translate(_DIGITS)


def _matching_lengths(target: str, reference: str) -> list[int]:
    """``ms[i]``: length of the longest prefix of ``target[i:]`` that occurs in ``reference``
    (the *matching statistics*, from a suffix array over both texts)."""
    if not target:
        return []
    sa, lcp = _suffix_array(reference, target)
    out: list[int] = _matching_of(
        sa, lcp, len(reference) + 1, len(target), sa <= len(reference)
    ).tolist()
    return out


def _mutual_matching_lengths(first: str, second: str) -> tuple[np.ndarray, np.ndarray]:
    """``_matching_lengths(first, second)`` and ``_matching_lengths(second, first)`` (as
    arrays) from one suffix array of both texts (the longest prefix of a suffix that occurs
    in the other text does not depend on which of them comes first in the array)."""
    if not first or not second:
        return (np.asarray(_matching_lengths(first, second), dtype=np.int64),
                np.asarray(_matching_lengths(second, first), dtype=np.int64))
    sa, lcp = _suffix_array(second, first)
    in_second = sa <= len(second)  # its suffixes and the separator after it
    return (
        _matching_of(sa, lcp, len(second) + 1, len(first), in_second),
        _matching_of(sa, lcp, 0, len(second), ~in_second),
    )


def _suffix_array(head: str, tail: str) -> tuple[np.ndarray, np.ndarray]:
    """The suffix array and LCP of ``head``, a separator, ``tail``, another separator."""
    from pydivsufsort import divsufsort, kasai

    ref = np.frombuffer(head.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    tgt = np.frombuffer(tail.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    arr = np.concatenate((ref, [0x110000], tgt, [0x110001])).astype(np.int32)
    sa = np.asarray(divsufsort(arr), dtype=np.int64)
    lcp = np.asarray(kasai(arr, sa), dtype=np.int64)
    return sa, lcp


def _matching_of(
    sa: np.ndarray, lcp: np.ndarray, offset: int, length: int, is_ref: np.ndarray
) -> np.ndarray:
    """The matching statistics of the text at ``[offset, offset + length)`` of the array of
    ``sa`` against the suffixes ``is_ref`` marks (with the separator after them)."""
    forward = _since_last(is_ref, np.concatenate(([0], lcp[:-1])))
    backward = _since_last(is_ref[::-1], lcp[::-1])[::-1]
    best = np.maximum(forward, backward)
    pos = sa - offset
    keep = (pos >= 0) & (pos < length)
    ms = np.zeros(length + 1, dtype=np.int64)
    ms[pos[keep]] = np.minimum(best[keep], length - pos[keep])
    return ms


def _since_last(marks: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """For each index k: the minimum of ``steps`` over ``(r, k]``, where r is the last marked
    index before or at k (0 where there is none, or where k itself is marked).

    A segmented running minimum: each mark starts a segment; offsetting segment ``i`` by
    ``i * big`` lets one ``maximum.accumulate`` over the negated values do every segment.
    """
    seg = np.cumsum(marks)
    big = int(steps.max(initial=0)) * 2 + 2
    values = np.where(marks, -big // 2, -steps)  # the mark itself: +inf once negated
    running = np.maximum.accumulate(values + seg * big) - seg * big
    out: np.ndarray = -running
    out[seg == 0] = 0
    out[marks] = 0
    return out


def _is_clause_break(char: str) -> bool:
    return (char in PHRASE_BARRIERS or is_punct_or_space(char)) and not (
        char in OPEN_QUOTES or char in CLOSE_QUOTES
    )


def _clause_break_flags(text: str) -> np.ndarray:
    """``flags[i]``: whether ``text[i]`` ends a clause, for a whole text at once (each distinct
    character is classified once)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    distinct, inverse = np.unique(codes, return_inverse=True)
    table = np.fromiter(
        (_is_clause_break(chr(c)) for c in distinct.tolist()), dtype=bool, count=len(distinct)
    )
    flags: np.ndarray = table[inverse.reshape(-1)].astype(np.int64)
    return flags


def _new_words(
    target: str, clause: Sequence[Span], absent: Callable[[int, int], bool],
    han_prefix: Sequence[int],
) -> list[Span]:
    """Spans of the words of ``clause`` that the reference never uses (``han_prefix``: the
    target's Han characters before each offset).

    A word is new when it is absent from the reference and cannot be read as two parts that
    the reference has (调整机制 = 调整 + 机制 is not new; 具身智能 is); for a two-character
    word, being absent is enough. A run of single-character Han tokens (a word the dictionary
    did not know, 零/碳) counts as one word.
    """
    out: list[Span] = []
    singles: list[Span] = []

    def check(start: int, end: int) -> None:
        if end - start < 2 or not absent(start, end):
            return
        if end - start > 2:
            for cut in range(start + 1, end):
                left = cut - start == 1 or not absent(start, cut)
                right = end - cut == 1 or not absent(cut, end)
                if left and right:
                    return
        out.append((start, end))

    def close_singles() -> None:
        if len(singles) >= 2:
            check(singles[0][0], singles[-1][1])
        singles.clear()

    for start, end in clause:
        han = han_prefix[end] - han_prefix[start]
        if han == 1 and end - start == 1 and target[start] not in EDGE_PARTICLES:
            singles.append((start, end))
            continue
        close_singles()
        if han >= 2 and han == end - start:
            check(start, end)
    close_singles()
    return out


def _rank_key(unit: NewPhrase, first: int) -> tuple[int, int, int, int, int]:
    """Sort key of a new unit (the ranking is documented in ``changes_of``)."""
    if unit.kind == "slogan":
        tier = 0
    elif unit.kind == "formulaic":
        tier = 3
    else:
        tier = 1 if unit.count >= 2 else 2
    return (tier, int(unit.elsewhere), -unit.count, 0 if unit.new_words else 1, first)
