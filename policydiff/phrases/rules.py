"""What the phrase rules know about text: the limits of a phrase, the particles and suffixes it
may not begin or end with, quotation marks and brackets, short quotations (slogans), and the
list of formulaic wording (``data/formulaic.txt``) with the test of a formulaic text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np

from policydiff.chars import CLOSE_BRACKETS as CLOSE_BRACKETS
from policydiff.chars import CLOSE_QUOTES as CLOSE_QUOTES
from policydiff.chars import HAN_RANGES, IDEOGRAPHIC_ZERO
from policydiff.chars import OPEN_BRACKETS as OPEN_BRACKETS
from policydiff.chars import OPEN_QUOTES as OPEN_QUOTES
from policydiff.phrases.model import Span, han_count

MAX_QUOTE = 30
"""Quotations longer than this (in characters) are citations, not slogans."""

MAX_PHRASE_CHARS = 500
"""Longest phrase reported: a longer shared passage is reported by its first 500 characters.
Bounds the work on long repetitive runs (a line of 10,000 identical characters)."""

MAX_OCCURRENCES = 10_000
"""A string found more often than this (in all documents together) is not a phrase: on real
reports the most frequent phrase (高质量发展, 31 provinces) occurs about 500 times, and skipping
such strings keeps repetitive or hostile input from costing quadratic time."""

MAX_PERIOD = 32
"""Longest unit of a periodic run that is collapsed (``corpus.periodic_runs``)."""

PERIODIC_MIN_CHARS = 64
PERIODIC_MIN_REPEATS = 8
"""A stretch repeating one unit of at most ``MAX_PERIOD`` characters is a periodic run when it
has at least ``PERIODIC_MIN_CHARS`` characters and ``PERIODIC_MIN_REPEATS`` units: 16 times
one four-character word in a row, which no report writes (none of the 100 corpus documents
has one)."""

PERIODIC_KEEP = 2
"""Units of a periodic run that take part in phrases; the rest of the run is a barrier."""

OCCURRENCE_BUDGET = 20_000
OCCURRENCE_BUDGET_PER_CHAR = 2
"""The occurrences phrase mining examines at most: ``OCCURRENCE_BUDGET`` plus
``OCCURRENCE_BUDGET_PER_CHAR`` per character of the documents. Reports need about half an
occurrence per character (the 31 provinces: 0.24 million for 0.61 million characters; the 100
corpus documents: 1.04 million for 2.1 million; 1,000 synthetic ones: 7.4 million for 13.8
million); text repetitive beyond what periodic runs catch (two words shuffled at random: 5.8
per character) needs more: the repeats with the most occurrences are then left out and the
phrase set says so (``PhraseSet.coarse``)."""

REPEAT_COST = 8
"""What a repeat costs of the budget besides its occurrences (each can become a phrase, and
every phrase costs the report about as much as eight occurrences)."""

SHORT_SLOGAN_QUOTED = 1 / 3
"""A quoted term shorter than ``min_chars`` must be quoted in at least this share of its
occurrences to count as a phrase."""

FORMULAIC_SHARE = 0.8
"""A phrase found in at least this share of the documents (when there are 4+) is formulaic."""

EDGE_PARTICLES = frozenset("的了和与及并等之")
"""Single-character function words stripped from the ends of a phrase (的重要讲话 → 重要讲话)."""

TRAILING_PARTICLES = frozenset("要将是把对在为以从向被让使给")
"""Single-character words a phrase may not end with (工作人员要, 坚持以): the sentence goes on."""

LEADING_SUFFIXES = frozenset("性化型式者率")
"""Single-character words a phrase may not start with: they end the word before it
(改善/性/住房 gives no phrase 性住房需求)."""

BRACKET_RE = re.compile("[" + re.escape(OPEN_BRACKETS + CLOSE_BRACKETS) + "]")
NUMBER_CHARS = frozenset("0123456789.．%０１２３４５６７８９")
"""Characters of a number (``1.3``, ``5%``): no word boundary falls between two of them."""

_QUOTE_RE = re.compile(
    rf"“([^“”\n]{{1,{MAX_QUOTE}}})”|「([^「」\n]{{1,{MAX_QUOTE}}})」|『([^『』\n]{{1,{MAX_QUOTE}}})』"
)


def codes_in(codes: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """``found[i]`` True where code point ``codes[i]`` lies in one of ``ranges`` (inclusive)."""
    found = np.zeros(len(codes), dtype=bool)
    for lo, hi in ranges:
        found |= (codes >= lo) & (codes <= hi)
    return found


def han_flags(text: str) -> np.ndarray:
    """``flags[i]`` True where ``text[i]`` is a Han character or 〇 (``chars.is_han``, for a
    whole text at once)."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    flags: np.ndarray = codes_in(codes, HAN_RANGES) | (codes == ord(IDEOGRAPHIC_ZERO))
    return flags


@lru_cache(maxsize=8192)
def is_punct_or_space(char: str) -> bool:
    """True for punctuation, a space or a control character."""
    category = unicodedata.category(char)
    return category[0] in "PZ" or char in "\t\n\r" or category == "Cc"


def quoted_spans(text: str) -> list[Span]:
    """Spans of the *contents* of short quotations (“…”, 「…」, 『…』) on one line."""
    spans = []
    for match in _QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        spans.append(match.span(group))
    return spans


@lru_cache(maxsize=1)
def load_formulaic() -> frozenset[str]:
    """The boilerplate formulas of ``data/formulaic.txt`` (comments and blank lines skipped)."""
    text = resources.files("policydiff.data").joinpath("formulaic.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=8)
def formulaic_regex(formulaic: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern finding every (overlapping) occurrence of every entry, longest first."""
    entries = sorted((e for e in formulaic if e), key=lambda e: (-len(e), e))
    if not entries:
        return None
    return re.compile("(?=(" + "|".join(map(re.escape, entries)) + "))")


def formulaic_share(text: str, pattern: re.Pattern[str] | None) -> float:
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


@lru_cache(maxsize=8)
def _first_chars(formulaic: frozenset[str]) -> frozenset[str]:
    return frozenset(e[0] for e in formulaic if e)


def is_formulaic_text(text: str, formulaic: frozenset[str] | None = None) -> bool:
    """True when formulaic entries cover at least half of ``text``'s Han characters."""
    if formulaic is None:
        formulaic = load_formulaic()
    if text in formulaic:
        return True
    if _first_chars(formulaic).isdisjoint(text):
        return False  # no entry can begin anywhere in it: nothing covered
    return formulaic_share(text, formulaic_regex(formulaic)) >= 0.5
