"""Where a phrase may begin and end: the word boundaries of a text (from its word spans) and
the trimming of a raw repeat to boundaries, without dangling punctuation, particles, clause
stubs or half a quotation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from policydiff.chars import (
    HAN_OR_ZERO_CLASS,
    UNIFIED_AND_EXT_A_RANGES,
    LazyPattern,
    after_unopened,
)
from policydiff.phrases.model import Span, WordSpans, han_count
from policydiff.phrases.rules import (
    BRACKET_RE,
    CLOSE_BRACKETS,
    EDGE_PARTICLES,
    LEADING_SUFFIXES,
    NUMBER_CHARS,
    OPEN_BRACKETS,
    TRAILING_PARTICLES,
    codes_in,
    is_punct_or_space,
)

# --------------------------------------------------------------------------- word boundaries


def _default_word_spans(text: str) -> list[Span]:
    from policydiff.tokenize import tokenize_spans

    return tokenize_spans(text)


def boundary_array(text: str, spans: Sequence[Span] | None) -> np.ndarray:
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
    han = codes_in(first, UNIFIED_AND_EXT_A_RANGES)
    for char in EDGE_PARTICLES:
        han &= first != ord(char)
    joinable = single & han
    glued = joinable[:-1] & joinable[1:] & (arr[:-1, 1] == arr[1:, 0])
    bounds[arr[:-1, 1][glued]] = False
    # nor inside a number: 1.3万亿元 may not give a phrase ending in "增加1"
    number = np.zeros(len(text), dtype=bool)
    for char in NUMBER_CHARS:
        number |= codes == ord(char)
    inside = np.flatnonzero(number[:-1] & number[1:]) + 1
    bounds[inside] = False
    return bounds



def word_bounds(
    ids: Sequence[str], texts: Sequence[str], word_spans: WordSpans | None
) -> list[np.ndarray]:
    """``boundary_array`` of every document (``word_spans`` by id; ``None``: tokenize)."""
    return [
        boundary_array(text, None if word_spans is None else word_spans.get(doc_id))
        for doc_id, text in zip(ids, texts, strict=True)
    ]


# --------------------------------------------------------------------------- trimming


def needs_trim(text: str, start: int, end: int) -> bool:
    """Cheap test: could ``trim`` change ``[start, end)`` (other than word boundaries)? It looks
    at four characters at each end and for brackets anywhere, so a stub longer than four
    characters (a comma, then digits and a word) is left in place: rare, and harmless."""
    return (
        any(_is_edge(c) for c in text[start : start + 4])
        or any(_is_edge(c) for c in text[max(start, end - 4) : end])
        or BRACKET_RE.search(text, start, end) is not None
    )


@lru_cache(maxsize=8192)
def _is_edge(char: str) -> bool:
    """True when ``char`` may have to be trimmed from the end of a phrase."""
    return (
        char in EDGE_PARTICLES
        or char in TRAILING_PARTICLES
        or char in LEADING_SUFFIXES
        or is_punct_or_space(char)
    )


def _balanced_start(text: str, start: int, end: int) -> bool:
    """A phrase may start with an opening quote only when its partner closes inside it."""
    char = text[start]
    partner = CLOSE_BRACKETS[OPEN_BRACKETS.index(char)]
    return partner in text[start + 1 : end]


def _balanced_end(text: str, start: int, end: int) -> bool:
    char = text[end - 1]
    partner = OPEN_BRACKETS[CLOSE_BRACKETS.index(char)]
    return partner in text[start : end - 1]


_HAN_RUN = LazyPattern(f"[{HAN_OR_ZERO_CLASS}]+")


def trim(text: str, start: int, end: int, ok: Callable[[int], bool]) -> tuple[int, int]:
    """Shrink ``[start, end)`` until both ends are word boundaries (``ok``) and neither end is
    punctuation, space or an edge particle (balanced quotes excepted)."""
    if (
        start < end and ok(start) and ok(end)
        and text[start] not in EDGE_PARTICLES and text[start] not in LEADING_SUFFIXES
        and text[end - 1] not in EDGE_PARTICLES and text[end - 1] not in TRAILING_PARTICLES
        and _HAN_RUN.compiled.fullmatch(text, start, end) is not None
    ):
        return start, end  # Han characters only, ends at boundaries: nothing to cut below
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
        if is_punct_or_space(first) and not (
            first in OPEN_BRACKETS and _balanced_start(text, start, end)
        ):
            start += 1
            changed = True
        elif (first in EDGE_PARTICLES or first in LEADING_SUFFIXES) and ok(start + 1):
            start += 1
            changed = True
        if start >= end:
            break
        last = text[end - 1]
        if is_punct_or_space(last) and not (
            last in CLOSE_BRACKETS and _balanced_end(text, start, end)
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
        if is_punct_or_space(text[k]) and text[k] not in OPEN_BRACKETS + CLOSE_BRACKETS
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
    cut_start = after_unopened(text, start, end)
    depth = 0
    cut_end = end
    for k in range(end - 1, cut_start - 1, -1):
        char = text[k]
        if char in CLOSE_BRACKETS:
            depth += 1
        elif char in OPEN_BRACKETS:
            if depth:
                depth -= 1
            else:
                cut_end = k
    if (cut_start, cut_end) == (start, end):
        return start, end, False
    return cut_start, max(cut_start, cut_end), True

