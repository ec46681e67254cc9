"""Shared phrases across N documents, pairwise overlap, and new / dropped phrases.

Why a suffix array: the phrases two reports share are not known in advance and have no fixed
length, so they are found as *maximal repeats*: strings that occur in at least ``min_docs``
documents and cannot be extended one character to the left or right without losing an
occurrence. A generalized suffix array with LCP (pydivsufsort, on an integer array with one
unique separator per document) finds them all in one linear pass; character n-gram dictionaries
were 5-18x slower (RESEARCH-NOTES.md). Measured on the 2-core machine: the 31 provincial 2026
reports (610k characters) take about 4 s from cold (jieba's dictionary 0.7 s, tokenizing 1.4 s,
the phrases themselves under 2 s); the five seeds about 0.3 s once jieba is loaded.

Rules (each is tested):
- A phrase has at least ``min_chars`` Han characters (punctuation, digits and Latin letters are
  allowed inside but do not count). Quoted terms (“放管服”) are the exception: see ``slogan``.
- No phrase crosses a paragraph (``\\n``), a sentence end (。！？；), a mask (``＊``), a run of
  four or more identical symbols (a ruled line) or a document boundary.
- Bounded work: a phrase is at most ``MAX_PHRASE_CHARS`` characters (a longer shared passage
  is reported by its beginning) and a string occurring more than ``MAX_OCCURRENCES`` times is
  not a phrase, so repetitive or hostile input stays near-linear.
- A phrase neither starts nor ends in the middle of a word: raw repeats are trimmed to word
  boundaries that hold in every occurrence (word spans from ``policydiff.tokenize``), and an
  occurrence of the trimmed text that starts or ends mid-word elsewhere is not counted.
- A phrase does not start or end with punctuation, except a quotation mark or bracket whose
  partner is inside the phrase (“两个确立”的决定性意义 keeps its opening quote); it does not
  begin or end inside a quotation or bracket, nor end with a word such as 要 or 以 that
  needs what follows (``TRAILING_PARTICLES``), nor start with a suffix such as 性 or 化 cut
  off from its word (``LEADING_SUFFIXES``).
- Every reported occurrence is an exact occurrence: ``text[start:end] == phrase.text``.
- ``kind`` is, in this order of precedence: ``formulaic`` when entries of
  ``data/formulaic.txt`` cover at least half of its Han characters; ``slogan`` when some
  occurrence lies inside a quotation (“…”, 「…」, 『…』) of at most ``MAX_QUOTE`` characters;
  ``formulaic`` when, among four or more documents, it occurs in at least 80 % of them;
  ``distinctive`` otherwise.
- A quoted term (the whole content of a short quotation) is a phrase even when it is shorter
  than ``min_chars`` (but has at least ``min_slogan_chars`` Han characters), because short
  coined formulas (两新, 放管服) are exactly what readers look for, provided it is quoted in
  ``min_docs`` documents and in at least a third of its occurrences (a stray “人民” is not a
  slogan).
- Empty documents and documents with nothing in common are not errors: they simply have no
  phrases.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np

from policydiff.errors import InputError

if TYPE_CHECKING:
    from policydiff.model import Document, Section

Span = tuple[int, int]
WordSpans = Mapping[str, Sequence[Span]]

MASK = "＊"
"""The canonical mask character (normalization folds ``**``/``xx``/``××`` to it)."""

BARRIERS = frozenset("\n\r\u2029。！？；" + MASK + "*")
"""Characters no phrase may contain: paragraph and sentence ends, and masks (ASCII ``*`` too,
in case the input was not normalized). A phrase may contain commas and enumeration commas
(稳就业、稳企业、稳市场、稳预期) but not run from one sentence into the next."""

MAX_QUOTE = 30
"""Quotations longer than this (in characters) are citations, not slogans."""

MAX_PHRASE_CHARS = 500
"""Longest phrase reported: a longer shared passage is reported by its first 500 characters.
Bounds the work on long repetitive runs (a line of 10,000 identical characters)."""

MAX_OCCURRENCES = 10_000
"""A string found more often than this (in all documents together) is not a phrase: on real
reports the most frequent phrase (高质量发展, 31 provinces) occurs about 500 times, and skipping
such strings keeps repetitive or hostile input from costing quadratic time."""

SHORT_SLOGAN_QUOTED = 1 / 3
"""A quoted term shorter than ``min_chars`` must be quoted in at least this share of its
occurrences to count as a phrase."""

FORMULAIC_SHARE = 0.8
"""A phrase found in at least this share of the documents (when there are 4+) is formulaic."""

EDGE_PARTICLES = frozenset("的了和与及并等之")
"""Single-character function words stripped from the ends of a phrase (的重要讲话 → 重要讲话)."""

KINDS = ("slogan", "formulaic", "distinctive")

TRAILING_PARTICLES = frozenset("要将是把对在为以从向被让使给")
"""Single-character words a phrase may not end with (工作人员要, 坚持以): the sentence goes on."""

LEADING_SUFFIXES = frozenset("性化型式者率")
"""Single-character words a phrase may not start with: they end the word before it
(改善/性/住房 gives no phrase 性住房需求)."""

_OPEN_QUOTES = "“「『"
_CLOSE_QUOTES = "”」』"
_OPEN_BRACKETS = _OPEN_QUOTES + "《（(【〔"
_CLOSE_BRACKETS = _CLOSE_QUOTES + "》）)】〕"
_BRACKET_RE = re.compile("[" + re.escape(_OPEN_BRACKETS + _CLOSE_BRACKETS) + "]")
_NUMBER_CHARS = frozenset("0123456789.．%０１２３４５６７８９")
_HAN_RE = re.compile("[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_QUOTE_RE = re.compile(
    rf"“([^“”\n]{{1,{MAX_QUOTE}}})”|「([^「」\n]{{1,{MAX_QUOTE}}})」|『([^『』\n]{{1,{MAX_QUOTE}}})』"
)


# --------------------------------------------------------------------------- data model


@dataclass(frozen=True)
class Occurrence:
    """One place a phrase occurs: document id, ``[start, end)`` in its normalized text, and
    the id of the deepest section containing it (``None`` until ``locate`` fills it in)."""

    doc: str
    span: Span
    section: str | None = None


@dataclass(frozen=True)
class Phrase:
    """A phrase shared by at least ``min_docs`` documents.

    ``occurrences`` are sorted by document order, then offset; ``counts`` gives, in document
    order, ``(doc id, number of occurrences)`` for every document it occurs in.
    """

    text: str
    kind: str
    occurrences: tuple[Occurrence, ...]
    counts: tuple[tuple[str, int], ...]

    @property
    def docs(self) -> tuple[str, ...]:
        """The documents it occurs in, in document order."""
        return tuple(doc for doc, _ in self.counts)

    @property
    def han_length(self) -> int:
        """Its length in Han characters (the unit of ``min_chars``)."""
        return han_count(self.text)

    def count(self, doc: str) -> int:
        """How often it occurs in ``doc`` (0 when it does not)."""
        return dict(self.counts).get(doc, 0)

    def spans(self, doc: str) -> tuple[Span, ...]:
        """Its spans in ``doc``, in order."""
        return tuple(occ.span for occ in self.occurrences if occ.doc == doc)


@dataclass(frozen=True)
class PhraseSet:
    """The shared phrases of a set of documents, with the texts they were found in.

    ``phrases`` are sorted by number of documents (desc), Han length (desc), then text.
    """

    doc_ids: tuple[str, ...]
    texts: tuple[str, ...] = field(repr=False)
    phrases: tuple[Phrase, ...]
    min_chars: int
    min_docs: int
    boundaries: tuple[np.ndarray, ...] = field(default=(), repr=False, compare=False)
    """Per document, ``b[i]`` True where position ``i`` is a word boundary (kept so that
    ``changes_of`` need not tokenize again)."""
    formulaic: frozenset[str] | None = field(default=None, repr=False, compare=False)
    """The formulaic list the kinds were decided with (``None``: data/formulaic.txt)."""

    def text(self, doc: str) -> str:
        """The normalized text of ``doc``."""
        return self.texts[self.doc_ids.index(doc)]

    def in_doc(self, doc: str) -> tuple[Phrase, ...]:
        """The phrases that occur in ``doc``."""
        return tuple(p for p in self.phrases if p.count(doc))

    def distinctive_of(self, doc: str, *, max_docs: int = 2) -> tuple[Phrase, ...]:
        """Non-formulaic phrases of ``doc`` shared with at most ``max_docs - 1`` other documents.

        With ``min_docs=2`` nothing is literally unique to one document; the closest a reader
        gets is what a document shares with only one or two others.
        """
        return self._distinctive(max_docs).get(doc, ())

    def _distinctive(self, max_docs: int) -> dict[str, tuple[Phrase, ...]]:
        """``distinctive_of`` for every document at once, in phrase order, computed once per
        ``max_docs`` (asking document by document scanned all phrases for each: quadratic)."""
        cache: dict[int, dict[str, tuple[Phrase, ...]]] = self.__dict__.setdefault(
            "_distinctive_cache", {}
        )
        if max_docs not in cache:
            by_doc: dict[str, list[Phrase]] = {}
            for phrase in self.phrases:
                if len(phrase.counts) <= max_docs and phrase.kind != "formulaic":
                    for doc in dict.fromkeys(phrase.docs):
                        by_doc.setdefault(doc, []).append(phrase)
            cache[max_docs] = {doc: tuple(found) for doc, found in by_doc.items()}
        return cache[max_docs]


@dataclass(frozen=True)
class Overlap:
    """How much two documents share.

    ``jaccard``: phrases occurring in both / phrases occurring in either (0 when neither has
    any). ``coverage_a``: share of ``a``'s Han characters inside occurrences (in ``a``) of
    phrases that also occur in ``b``; ``coverage_b`` likewise.
    """

    a: str
    b: str
    jaccard: float
    coverage_a: float
    coverage_b: float
    shared: int


@dataclass(frozen=True)
class NewPhrase:
    """A phrase-like unit of one document that the other document does not contain.

    ``spans`` are all its occurrences in the document it belongs to; ``new_words`` the words
    inside it that the other document never uses (for a slogan: the term itself);
    ``elsewhere``: it occurs in the neighbouring documents of the series (earlier ones for a
    new phrase: it returns rather than appears; later ones for a dropped phrase: it comes
    back).
    """

    text: str
    kind: str
    spans: tuple[Span, ...]
    new_words: tuple[str, ...] = ()
    elsewhere: bool = False

    @property
    def count(self) -> int:
        return len(self.spans)


@dataclass(frozen=True)
class Change:
    """Phrases new in ``to_doc`` relative to ``from_doc``, and dropped from ``from_doc``.

    Both lists are ranked for a reader: slogans first, then distinctive units (repeated and
    longer first), formulaic ones last.
    """

    from_doc: str
    to_doc: str
    new: tuple[NewPhrase, ...]
    dropped: tuple[NewPhrase, ...]


@dataclass(frozen=True)
class PairPhrase:
    """A phrase shared by two aligned sections, with its spans inside each."""

    text: str
    kind: str
    spans_a: tuple[Span, ...]
    spans_b: tuple[Span, ...]


# --------------------------------------------------------------------------- helpers


def is_han(char: str) -> bool:
    """True for a CJK ideograph (the unit phrases are measured in)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
        or code == 0x3007  # 〇, as in 二〇三五年
    )


def han_count(text: str) -> int:
    """Number of Han characters in ``text``."""
    return len(_HAN_RE.findall(text))


@lru_cache(maxsize=8192)
def _is_punct_or_space(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "PZ" or char in "\t\n\r" or category == "Cc"


@lru_cache(maxsize=1)
def load_formulaic() -> frozenset[str]:
    """The boilerplate formulas of ``data/formulaic.txt`` (comments and blank lines skipped)."""
    text = resources.files("policydiff.data").joinpath("formulaic.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def quoted_spans(text: str) -> list[Span]:
    """Spans of the *contents* of short quotations (“…”, 「…」, 『…』) on one line."""
    spans = []
    for match in _QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        spans.append(match.span(group))
    return spans


def _default_word_spans(text: str) -> list[Span]:
    from policydiff.tokenize import tokenize_spans

    return tokenize_spans(text)


def _boundary_array(text: str, spans: Sequence[Span] | None) -> np.ndarray:
    """``b[i]`` is True when position ``i`` (0..len) is a word boundary in ``text``.

    Rules: the boundary between two single-character Han tokens (neither a function word such
    as 的) does not count, nor does one inside a number (``1.3``, ``5%``). With jieba's HMM
    off, a word missing from the dictionary comes out as single characters (市/域/社会), and
    a phrase starting at 域 would start mid-word.
    """
    bounds = np.zeros(len(text) + 1, dtype=bool)
    bounds[0] = bounds[len(text)] = True
    if spans is None:
        spans = _default_word_spans(text) if text else []
    if not spans:
        return bounds
    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    arr = arr[(arr[:, 0] >= 0) & (arr[:, 1] <= len(text)) & (arr[:, 0] < arr[:, 1])]
    bounds[arr[:, 0]] = True
    bounds[arr[:, 1]] = True
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    single = (arr[:, 1] - arr[:, 0]) == 1
    first = codes[arr[:, 0]]
    han = (first >= 0x4E00) & (first <= 0x9FFF) | (first >= 0x3400) & (first <= 0x4DBF)
    for char in EDGE_PARTICLES:
        han &= first != ord(char)
    joinable = single & han
    glued = joinable[:-1] & joinable[1:] & (arr[:-1, 1] == arr[1:, 0])
    bounds[arr[:-1, 1][glued]] = False
    # nor inside a number: 1.3万亿元 may not give a phrase ending in "增加1"
    number = np.zeros(len(text), dtype=bool)
    for char in _NUMBER_CHARS:
        number |= codes == ord(char)
    inside = np.flatnonzero(number[:-1] & number[1:]) + 1
    bounds[inside] = False
    return bounds


@lru_cache(maxsize=8)
def _formulaic_regex(formulaic: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern finding every (overlapping) occurrence of every entry, longest first."""
    entries = sorted((e for e in formulaic if e), key=lambda e: (-len(e), e))
    if not entries:
        return None
    return re.compile("(?=(" + "|".join(map(re.escape, entries)) + "))")


def _formulaic_share(text: str, pattern: re.Pattern[str] | None) -> float:
    """Share of ``text``'s Han characters covered by occurrences of formulaic entries."""
    total = han_count(text)
    if not total or pattern is None:
        return 0.0
    covered = 0
    reach = 0
    for match in pattern.finditer(text):
        start = match.start()
        end = start + len(match.group(1))
        if end > reach:
            covered += han_count(text[max(start, reach) : end])
            reach = end
    return covered / total


def is_formulaic_text(text: str, formulaic: frozenset[str] | None = None) -> bool:
    """True when formulaic entries cover at least half of ``text``'s Han characters."""
    if formulaic is None:
        formulaic = load_formulaic()
    return text in formulaic or _formulaic_share(text, _formulaic_regex(formulaic)) >= 0.5


# --------------------------------------------------------------------------- the corpus index


class _Corpus:
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
        for char in BARRIERS:
            barrier |= arr == ord(char)
        han = (
            ((arr >= 0x4E00) & (arr <= 0x9FFF))
            | ((arr >= 0x3400) & (arr <= 0x4DBF))
            | ((arr >= 0x20000) & (arr <= 0x3134F))
            | ((arr >= 0xF900) & (arr <= 0xFAFF))
            | (arr == 0x3007)
        )
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


# --------------------------------------------------------------------------- trimming


def _needs_trim(text: str, start: int, end: int) -> bool:
    """Cheap test: could ``_trim`` change ``[start, end)`` (other than word boundaries)? It looks
    at four characters at each end and for brackets anywhere, so a stub longer than four
    characters (a comma, then digits and a word) is left in place: rare, and harmless."""
    return (
        any(_is_edge(c) for c in text[start : start + 4])
        or any(_is_edge(c) for c in text[max(start, end - 4) : end])
        or _BRACKET_RE.search(text, start, end) is not None
    )


@lru_cache(maxsize=8192)
def _is_edge(char: str) -> bool:
    """True when ``char`` may have to be trimmed from the end of a phrase."""
    return (
        char in EDGE_PARTICLES
        or char in TRAILING_PARTICLES
        or char in LEADING_SUFFIXES
        or _is_punct_or_space(char)
    )


def _balanced_start(text: str, start: int, end: int) -> bool:
    """A phrase may start with an opening quote only when its partner closes inside it."""
    char = text[start]
    partner = _CLOSE_BRACKETS[_OPEN_BRACKETS.index(char)]
    return partner in text[start + 1 : end]


def _balanced_end(text: str, start: int, end: int) -> bool:
    char = text[end - 1]
    partner = _OPEN_BRACKETS[_CLOSE_BRACKETS.index(char)]
    return partner in text[start : end - 1]


def _trim(text: str, start: int, end: int, ok: Callable[[int], bool]) -> tuple[int, int]:
    """Shrink ``[start, end)`` until both ends are word boundaries (``ok``) and neither end is
    punctuation, space or an edge particle (balanced quotes excepted)."""
    while start < end:
        changed = False
        while start < end and not ok(start):
            start += 1
            changed = True
        while end > start and not ok(end):
            end -= 1
            changed = True
        if start >= end:
            break
        first = text[start]
        if _is_punct_or_space(first) and not (
            first in _OPEN_BRACKETS and _balanced_start(text, start, end)
        ):
            start += 1
            changed = True
        elif (first in EDGE_PARTICLES or first in LEADING_SUFFIXES) and ok(start + 1):
            start += 1
            changed = True
        if start >= end:
            break
        last = text[end - 1]
        if _is_punct_or_space(last) and not (
            last in _CLOSE_BRACKETS and _balanced_end(text, start, end)
        ):
            end -= 1
            changed = True
        elif (last in EDGE_PARTICLES or last in TRAILING_PARTICLES) and ok(end - 1):
            end -= 1
            changed = True
        if not changed:
            start, end, changed = _cut_unbalanced(text, start, end)
        if not changed:
            start, end, changed = _cut_stubs(text, start, end)
        if not changed:
            break
    return start, max(start, end)


def _cut_stubs(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Cut a clause stub off either end: fewer than three Han characters after a comma or colon
    (``…典型引路法，在``, ``项目建设，推动``), fewer than two after an enumeration comma or
    other mark. The next clause had only begun."""
    marks = [
        k
        for k in range(start, end)
        if _is_punct_or_space(text[k]) and text[k] not in _OPEN_BRACKETS + _CLOSE_BRACKETS
    ]
    if not marks:
        return start, end, False
    last, first = marks[-1], marks[0]
    if last + 1 < end and han_count(text[last + 1 : end]) < _stub_limit(text[last]):
        return start, last, True
    if start < first and han_count(text[start:first]) < _stub_limit(text[first]):
        return first + 1, end, True
    return start, end, False


def _stub_limit(mark: str) -> int:
    return 3 if mark in "，,：:" else 2


def _cut_unbalanced(text: str, start: int, end: int) -> tuple[int, int, bool]:
    """Cut a phrase that begins or ends inside a quotation or bracket back to the part outside
    it: ``事”重点事项清单`` becomes ``重点事项清单``, ``推动加入《数字经济伙伴关系协定``
    becomes ``推动加入``."""
    depth = 0
    cut_start = start
    for k in range(start, end):
        char = text[k]
        if char in _OPEN_BRACKETS:
            depth += 1
        elif char in _CLOSE_BRACKETS:
            if depth:
                depth -= 1
            else:
                cut_start = k + 1
    depth = 0
    cut_end = end
    for k in range(end - 1, cut_start - 1, -1):
        char = text[k]
        if char in _CLOSE_BRACKETS:
            depth += 1
        elif char in _OPEN_BRACKETS:
            if depth:
                depth -= 1
            else:
                cut_end = k
    if (cut_start, cut_end) == (start, end):
        return start, end, False
    return cut_start, max(cut_start, cut_end), True


@contextmanager
def _bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Why: finding the phrases of 31 reports creates ~150,000 occurrences and ~400,000 word
    spans; the collector, triggered by the allocations alone, re-scans them again and again and
    took a third of the time. Nothing here creates reference cycles. The previous state is
    restored, also on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- finding phrases


def _word_bounds(
    ids: Sequence[str], texts: Sequence[str], word_spans: WordSpans | None
) -> list[np.ndarray]:
    return [
        _boundary_array(text, None if word_spans is None else word_spans.get(doc_id))
        for doc_id, text in zip(ids, texts, strict=True)
    ]


def find_shared_phrases(
    texts: Mapping[str, str],
    *,
    min_chars: int = 4,
    min_docs: int = 2,
    min_slogan_chars: int = 2,
    word_spans: WordSpans | None = None,
    formulaic: frozenset[str] | None = None,
) -> PhraseSet:
    """The maximal phrases that at least ``min_docs`` of ``texts`` share (see module rules).

    ``texts`` maps document ids to normalized text, in document order. ``word_spans`` gives,
    per document id, the ``(start, end)`` spans of its words; documents it does not cover are
    tokenized with ``policydiff.tokenize.tokenize_spans``. ``formulaic`` replaces the list in
    ``data/formulaic.txt``.
    """
    if min_chars < 1 or min_docs < 1 or min_slogan_chars < 1:
        raise InputError("min_chars, min_docs and min_slogan_chars must be at least 1")
    ids = tuple(texts)
    docs = tuple(texts[d] for d in ids)
    if formulaic is None:
        formulaic = load_formulaic()
    with _bulk_allocation():
        bounds = _word_bounds(ids, docs, word_spans)
        corpus = _Corpus(docs, bounds)
        found = _collect(corpus, ids, docs, min_chars, min_docs, min_slogan_chars, formulaic)
    return replace(found, boundaries=tuple(bounds), formulaic=formulaic)


def _collect(
    corpus: _Corpus,
    ids: tuple[str, ...],
    docs: tuple[str, ...],
    min_chars: int,
    min_docs: int,
    min_slogan_chars: int,
    formulaic: frozenset[str],
) -> PhraseSet:
    isb = corpus.isb.tolist()
    starts = corpus.starts.tolist()
    sa = corpus.sa.tolist()
    doc_of = corpus.doc_of.tolist()
    found: dict[str, list[int]] = {}
    seen_raw: set[tuple[int, int]] = set()

    def accept(text: str, positions: list[int], quoted: set[int], min_quoted: float = 0) -> None:
        if len(positions) > MAX_OCCURRENCES:
            return
        length = len(text)
        keep = sorted(p for p in positions if (isb[p] and isb[p + length]) or p in quoted)
        if len({doc_of[p] for p in keep}) >= min_docs and len(quoted) >= min_quoted * len(keep):
            found[text] = keep

    # nearest word boundary at or after / at or before each global position
    nxt, prv = corpus.nearest_boundaries()
    repeats = corpus.maximal_repeats(min_chars, min_docs)
    if repeats:  # a repeat with fewer Han characters than min_chars cannot become a phrase
        rep = np.asarray(repeats, dtype=np.int64)
        first = corpus.sa[rep[:, 1]]
        han = corpus.han_prefix[first + rep[:, 0]] - corpus.han_prefix[first]
        repeats = [r for r, keep in zip(repeats, (han >= min_chars).tolist(), strict=True) if keep]
    uniform = _uniformly_aligned(corpus, repeats)
    for (length, lb, rb), same in zip(repeats, uniform, strict=True):
        # Occurrences of one repeat may sit differently against word boundaries (科技创新能力
        # inside 理科/技创/新能/力): each group of equally aligned occurrences is trimmed on
        # its own, and ``accept`` then keeps the word-aligned occurrences of the result.
        positions = sa[lb : rb + 1]
        if same:
            p = positions[0]
            groups = {(nxt[p] - p, prv[p + length] - p): positions}
        else:
            groups = {}
            for p in positions:
                groups.setdefault((nxt[p] - p, prv[p + length] - p), []).append(p)
        for (rel_start, rel_end), members in groups.items():
            if rel_end - rel_start < min_chars:
                continue
            pos0 = members[0]
            doc_idx = doc_of[pos0]
            off = pos0 - starts[doc_idx]
            text = docs[doc_idx]
            start, end = off + rel_start, off + rel_end
            if _needs_trim(text, start, end):

                def ok(o: int, members: list[int] = members, off: int = off) -> bool:
                    return all(isb[p + o - off] for p in members)

                start, end = _trim(text, start, end, ok)
                if end - start < min_chars:
                    continue
            key = (start - off + pos0, end - start)
            if key in seen_raw:
                continue
            seen_raw.add(key)
            phrase_text = text[start:end]
            if phrase_text in found or han_count(phrase_text) < min_chars:
                continue
            if same and start == off and end == off + length:
                found[phrase_text] = sorted(positions)  # untrimmed, every occurrence aligned
            else:
                accept(phrase_text, corpus.interval(key[0], key[1]), set())

    # quoted terms, even short ones, when quoted in at least min_docs documents
    quoted_positions: dict[str, set[int]] = {}
    quoted_docs: dict[str, set[int]] = {}
    for i, text in enumerate(docs):
        for qs, qe in quoted_spans(text):
            term = text[qs:qe]
            quoted_positions.setdefault(term, set()).add(starts[i] + qs)
            quoted_docs.setdefault(term, set()).add(i)
    for term, qpos in quoted_positions.items():
        if term in found or han_count(term) < min_slogan_chars:
            continue
        if any(c in BARRIERS for c in term):
            continue
        if han_count(term) >= min_chars:
            accept(term, corpus.interval(min(qpos), len(term)), qpos)
        elif len(quoted_docs[term]) >= min_docs:
            # a short term must be quoted in min_docs documents and in a third of its uses:
            # “两重” is a coined formula, a stray “人民” is not
            accept(term, corpus.interval(min(qpos), len(term)), qpos, SHORT_SLOGAN_QUOTED)

    quoted_terms = frozenset(quoted_positions)
    formulaic_re = _formulaic_regex(formulaic)
    n_docs = len(docs)
    make = Occurrence
    phrases = []
    for phrase_text, positions in found.items():
        length = len(phrase_text)
        # local offsets per occurrence (a table for every position of 100 documents was 100 MB)
        occs = tuple([
            make(ids[d], (p - starts[d], p - starts[d] + length))
            for p, d in zip(positions, [doc_of[p] for p in positions], strict=True)
        ])
        counts: dict[int, int] = {}
        for p in positions:
            d = doc_of[p]
            counts[d] = counts.get(d, 0) + 1
        kind = _kind(phrase_text, quoted_terms, len(counts), n_docs, formulaic, formulaic_re)
        phrases.append(
            Phrase(
                text=phrase_text,
                kind=kind,
                occurrences=occs,
                counts=tuple((ids[d], counts[d]) for d in sorted(counts)),
            )
        )
    phrases.sort(key=lambda p: (-len(p.counts), -han_count(p.text), p.text))
    return PhraseSet(
        doc_ids=ids,
        texts=docs,
        phrases=tuple(phrases),
        min_chars=min_chars,
        min_docs=min_docs,
    )


def _uniformly_aligned(corpus: _Corpus, repeats: list[tuple[int, int, int]]) -> list[bool]:
    """For each repeat: do all its occurrences have the same nearest word boundaries inside
    it? (The common case, decided in bulk with numpy so that only the rest loop in Python.)"""
    if not repeats:
        return []
    rep = np.asarray(repeats, dtype=np.int64)
    sizes = rep[:, 2] - rep[:, 1] + 1
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    owner = np.repeat(np.arange(len(rep)), sizes)
    idx = rep[owner, 1] + (np.arange(int(sizes.sum())) - offsets[owner])
    pos = corpus.sa[idx]
    where = np.flatnonzero(corpus.isb)
    after = where[np.minimum(np.searchsorted(where, pos), len(where) - 1)] - pos
    ends = pos + rep[owner, 0]
    before = where[np.maximum(np.searchsorted(where, ends, side="right") - 1, 0)] - pos
    same = np.ones(len(rep), dtype=bool)
    for values in (after, before):
        same &= np.minimum.reduceat(values, offsets) == np.maximum.reduceat(values, offsets)
    return same.tolist()  # type: ignore[no-any-return]


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in _OPEN_QUOTES and text[-1] in _CLOSE_QUOTES:
        return text[1:-1]
    return text


def _kind(
    text: str,
    quoted_terms: frozenset[str],
    ndocs: int,
    total_docs: int,
    formulaic: frozenset[str],
    formulaic_re: re.Pattern[str] | None,
) -> str:
    """The kind of a phrase (rules in the module docstring)."""
    if text in formulaic or _formulaic_share(text, formulaic_re) >= 0.5:
        return "formulaic"
    if _unquote(text) in quoted_terms:
        return "slogan"
    if total_docs >= 4 and ndocs >= FORMULAIC_SHARE * total_docs:
        return "formulaic"
    return "distinctive"


# --------------------------------------------------------------------------- overlap


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
        self.han = [
            np.fromiter((is_han(c) for c in text), dtype=bool, count=len(text))
            for text in phrase_set.texts
        ]

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


def overlap(phrase_set: PhraseSet, a: str, b: str) -> Overlap:
    """How much documents ``a`` and ``b`` share (see ``Overlap``).

    Only phrases of ``phrase_set`` count, so with ``min_docs > 2`` phrases that only these two
    share are not seen. ``a == b`` gives Jaccard 1 and the share of ``a`` covered by any
    shared phrase. An unknown id raises ``KeyError``.
    """
    ids = phrase_set.doc_ids
    for doc in (a, b):
        if doc not in ids:
            raise KeyError(doc)
    return _OverlapIndex(phrase_set).overlap(ids, ids.index(a), ids.index(b))


def overlap_matrix(phrase_set: PhraseSet) -> list[Overlap]:
    """``overlap`` for every pair ``(a, b)`` with ``a`` before ``b`` in document order."""
    ids = phrase_set.doc_ids
    index = _OverlapIndex(phrase_set)
    return [index.overlap(ids, i, j) for i in range(len(ids)) for j in range(i + 1, len(ids))]


# --------------------------------------------------------------------------- sections


def _deepest(section: Section, span: Span) -> Section:
    """The deepest section under ``section`` whose span contains ``span``.

    Children are in document order and do not overlap, so the only candidate at each level is
    the last child starting at or before ``span``: a binary search (scanning every child made
    a document with thousands of top-level sections take minutes).
    """
    current = section
    while current.children:
        k = bisect_right(current.children, span[0], key=_span_start) - 1
        if k < 0:
            return current
        child = current.children[k]
        if not (child.span[0] <= span[0] and span[1] <= child.span[1]):
            return current
        current = child
    return current


def _span_start(section: Section) -> int:
    return section.span[0]


def locate(phrase_set: PhraseSet, documents: Iterable[Document]) -> PhraseSet:
    """A copy of ``phrase_set`` whose occurrences carry the id of the deepest section that
    contains them (the document root when a phrase straddles two sections).

    Documents are matched by id; occurrences in documents not given keep ``section=None``.
    """
    roots = {doc.id: doc.root for doc in documents}
    where: dict[tuple[str, Span], str] = {}

    def section_of(occ: Occurrence) -> Occurrence:
        if occ.doc not in roots:
            return occ
        key = (occ.doc, occ.span)
        if key not in where:
            where[key] = _deepest(roots[occ.doc], occ.span).id
        return Occurrence(occ.doc, occ.span, where[key])

    with _bulk_allocation():
        phrases = tuple(
            replace(phrase, occurrences=tuple([section_of(occ) for occ in phrase.occurrences]))
            for phrase in phrase_set.phrases
        )
    return replace(phrase_set, phrases=phrases)


def pair_phrases(
    phrase_set: PhraseSet, doc_a: str, span_a: Span, doc_b: str, span_b: Span
) -> tuple[PairPhrase, ...]:
    """The phrases that the text ``span_a`` of ``doc_a`` and ``span_b`` of ``doc_b`` share,
    with their spans inside each (for highlighting two aligned sections).

    Longest first. Nested phrases are all returned (a viewer highlights their union); a phrase
    counts only where an occurrence lies wholly inside the span.
    """
    out = []
    for phrase in phrase_set.phrases:
        inside_a = tuple(s for s in phrase.spans(doc_a) if span_a[0] <= s[0] and s[1] <= span_a[1])
        if not inside_a:
            continue
        inside_b = tuple(s for s in phrase.spans(doc_b) if span_b[0] <= s[0] and s[1] <= span_b[1])
        if inside_b:
            out.append(PairPhrase(phrase.text, phrase.kind, inside_a, inside_b))
    out.sort(key=lambda p: (-len(p.text), p.spans_a[0]))
    return tuple(out)


# --------------------------------------------------------------------------- new / dropped

BACKGROUND_DOCS = 5
"""How many neighbouring documents of a series ``changes`` consults to tell a returning phrase
from a first appearance."""

MAX_UNIT_WORDS = 8
"""Longest word n-gram tried when looking for the smallest unit absent from the other text."""

_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)


def _fold(text: str) -> str:
    """Text as compared for novelty: every digit reads as 0, so ``2025年`` is not new next to
    ``2024年`` and changed figures do not count as new wording."""
    return text.translate(_DIGITS)


def _matching_lengths(target: str, reference: str) -> list[int]:
    """``ms[i]``: length of the longest prefix of ``target[i:]`` that occurs in ``reference``
    (the *matching statistics*, from a suffix array over both texts)."""
    from pydivsufsort import divsufsort, kasai

    if not target:
        return []
    ref = np.frombuffer(reference.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    tgt = np.frombuffer(target.encode("utf-32-le"), dtype=np.uint32).astype(np.int32)
    arr = np.concatenate((ref, [0x110000], tgt, [0x110001])).astype(np.int32)
    sa = np.asarray(divsufsort(arr), dtype=np.int64)
    lcp = np.asarray(kasai(arr, sa), dtype=np.int64)
    is_ref = sa <= len(ref)
    forward = _since_last(is_ref, np.concatenate(([0], lcp[:-1])))
    backward = _since_last(is_ref[::-1], lcp[::-1])[::-1]
    best = np.maximum(forward, backward)
    pos = sa - (len(ref) + 1)
    keep = (pos >= 0) & (pos < len(tgt))
    ms = np.zeros(len(tgt) + 1, dtype=np.int64)
    ms[pos[keep]] = np.minimum(best[keep], len(tgt) - pos[keep])
    return ms.tolist()  # type: ignore[no-any-return]


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
    out = -running
    out[seg == 0] = 0
    out[marks] = 0
    return out


def _is_clause_break(char: str) -> bool:
    return (char in BARRIERS or _is_punct_or_space(char)) and not (
        char in _OPEN_QUOTES or char in _CLOSE_QUOTES
    )


def _new_words(
    target: str, clause: Sequence[Span], absent: Callable[[int, int], bool]
) -> list[Span]:
    """Spans of the words of ``clause`` that the reference never uses.

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
        token = target[start:end]
        han = han_count(token)
        if han == 1 and end - start == 1 and token not in EDGE_PARTICLES:
            singles.append((start, end))
            continue
        close_singles()
        if han >= 2 and han == end - start:
            check(start, end)
    close_singles()
    return out


def _rank_key(unit: NewPhrase, first: int) -> tuple[int, int, int, int, int]:
    """Sort key of a new unit (the ranking is documented in ``changes``)."""
    if unit.kind == "slogan":
        tier = 0
    elif unit.kind == "formulaic":
        tier = 3
    else:
        tier = 1 if unit.count >= 2 else 2
    return (tier, int(unit.elsewhere), -unit.count, 0 if unit.new_words else 1, first)


def _novel_units(
    target: str,
    bounds: np.ndarray,
    reference: str,
    *,
    min_chars: int,
    min_slogan_chars: int,
    formulaic: frozenset[str],
    background: str = "",
) -> tuple[NewPhrase, ...]:
    """Phrase-like units of ``target`` that ``reference`` does not contain (see ``changes``);
    ``background`` (other documents, joined by newlines) marks those found there as
    ``elsewhere``."""
    folded_ref = _fold(reference)
    ms = _matching_lengths(_fold(target), folded_ref)
    ms_background = _matching_lengths(_fold(target), _fold(background)) if background else None

    def absent(start: int, end: int) -> bool:
        return end - start > ms[start]

    index = _Corpus([target], [bounds])

    cuts = np.flatnonzero(bounds).tolist()
    tokens = [(s, e) for s, e in pairwise(cuts) if e > s]
    # text -> (first start, kind, new words)
    units: dict[str, tuple[int, str, tuple[str, ...]]] = {}

    # 1. quoted terms
    quoted_new: list[Span] = []
    for qs, qe in quoted_spans(target):
        term = target[qs:qe]
        if han_count(term) < min_slogan_chars or any(c in BARRIERS for c in term):
            continue
        if _fold(term) not in folded_ref:
            quoted_new.append((qs, qe))
            units.setdefault(term, (qs, "slogan", (term,)))

    quoted_ends = [qe for _, qe in quoted_new]

    # 2. smallest word sequences absent from the reference, merged where they overlap
    clause: list[Span] = []

    han_prefix = [0]
    for char in target:
        han_prefix.append(han_prefix[-1] + (1 if is_han(char) else 0))

    def flush() -> None:
        han = [han_prefix[e] - han_prefix[s] for s, e in clause]
        content = [
            h > 0 and not (e - s == 1 and target[s] in EDGE_PARTICLES)
            for (s, e), h in zip(clause, han, strict=True)
        ]
        smallest: list[tuple[int, int]] = []
        for i in range(len(clause)):
            if not content[i]:
                continue
            acc = 0
            for j in range(i, min(len(clause), i + MAX_UNIT_WORDS)):
                acc += han[j]
                if acc < min_chars or not content[j]:
                    continue
                if not absent(clause[i][0], clause[j][1]):
                    continue  # the reference has it: try one word more
                later = next((k for k in range(i + 1, j + 1) if content[k]), None)
                if not (
                    later is not None
                    and sum(han[later : j + 1]) >= min_chars
                    and absent(clause[later][0], clause[j][1])
                ):
                    smallest.append((i, j))  # else the unit starting later is new too
                break
        if not smallest:
            clause.clear()
            return

        # a smallest unit that recurs in the target stands alone; the others merge where
        # they overlap, unless they overlap a recurring unit (which stands for them)
        def recurs(start: int, end: int) -> bool:
            return len(index.interval(start, end - start, limit=2)) >= 2

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
        new_words = _new_words(target, clause, absent)
        for start, end in found:
            s, e = _trim(target, start, end, lambda o: bool(bounds[o]))
            text = target[s:e]
            if han_count(text) < min_chars or not absent(s, e):
                continue
            k = bisect_right(quoted_ends, s)
            if k < len(quoted_new) and quoted_new[k][0] < e:
                continue  # the quoted term stands for it
            kind = "formulaic" if is_formulaic_text(text, formulaic) else "distinctive"
            inside = tuple(target[ws:we] for ws, we in new_words if s <= ws and we <= e)
            units.setdefault(text, (s, kind, inside))
        clause.clear()

    break_prefix = [0]
    for char in target:
        break_prefix.append(break_prefix[-1] + (1 if _is_clause_break(char) else 0))
    for span in tokens:
        if break_prefix[span[1]] > break_prefix[span[0]]:
            flush()
        else:
            clause.append(span)
    flush()

    out = []
    for text, (first, kind, new_words) in units.items():
        spans = tuple((p, p + len(text)) for p in sorted(index.interval(first, len(text))))
        if kind == "slogan":  # 两新 inside the older 两新一重 is another slogan
            elsewhere = any(
                f"{o}{text}{c}" in background
                for o, c in zip(_OPEN_QUOTES, _CLOSE_QUOTES, strict=True)
            )
        else:
            elsewhere = ms_background is not None and len(text) <= ms_background[first]
        out.append((first, NewPhrase(text, kind, spans, new_words, elsewhere)))
    out.sort(key=lambda item: _rank_key(item[1], item[0]))
    return tuple(unit for _, unit in out)


def changes(
    texts: Mapping[str, str],
    *,
    min_chars: int = 4,
    min_slogan_chars: int = 2,
    word_spans: WordSpans | None = None,
    formulaic: frozenset[str] | None = None,
) -> list[Change]:
    """New and dropped phrases between consecutive documents of ``texts`` (in its order).

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
    ``BACKGROUND_DOCS`` documents before A, a dropped one in those after B) come after the
    others, then more occurrences first, then units containing words A never used, then
    document order.
    """
    ids = tuple(texts)
    docs = tuple(texts[d] for d in ids)
    bounds = _word_bounds(ids, docs, word_spans)
    return _changes(ids, docs, bounds, min_chars, min_slogan_chars, formulaic)


def changes_of(phrase_set: PhraseSet, *, min_slogan_chars: int = 2) -> list[Change]:
    """``changes`` over the documents of ``phrase_set`` in their order, reusing its word
    boundaries and ``min_chars``."""
    bounds = list(phrase_set.boundaries)
    if len(bounds) != len(phrase_set.doc_ids):
        bounds = _word_bounds(phrase_set.doc_ids, phrase_set.texts, None)
    return _changes(
        phrase_set.doc_ids,
        phrase_set.texts,
        bounds,
        phrase_set.min_chars,
        min_slogan_chars,
        phrase_set.formulaic,
    )


def _changes(
    ids: Sequence[str],
    docs: Sequence[str],
    bounds: Sequence[np.ndarray],
    min_chars: int,
    min_slogan_chars: int,
    formulaic: frozenset[str] | None,
) -> list[Change]:
    if formulaic is None:
        formulaic = load_formulaic()
    with _bulk_allocation():
        return [
            _change(ids, docs, bounds, i, min_chars, min_slogan_chars, formulaic)
            for i in range(1, len(ids))
        ]


def _change(
    ids: Sequence[str],
    docs: Sequence[str],
    bounds: Sequence[np.ndarray],
    i: int,
    min_chars: int,
    min_slogan_chars: int,
    formulaic: frozenset[str],
) -> Change:
    """New and dropped phrases of document ``i`` relative to document ``i - 1``, with up to
    ``BACKGROUND_DOCS`` earlier (for new) or later (for dropped) documents as background."""
    a, b = docs[i - 1], docs[i]
    earlier = "\n".join(docs[max(0, i - 1 - BACKGROUND_DOCS) : i - 1])
    later = "\n".join(docs[i + 1 : i + 1 + BACKGROUND_DOCS])
    options = {"min_chars": min_chars, "min_slogan_chars": min_slogan_chars}
    new = _novel_units(b, bounds[i], a, formulaic=formulaic, background=earlier, **options)
    dropped = _novel_units(a, bounds[i - 1], b, formulaic=formulaic, background=later, **options)
    return Change(ids[i - 1], ids[i], new, dropped)
