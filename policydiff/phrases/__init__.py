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
  not a phrase. A *periodic run* (a unit of at most ``MAX_PERIOD`` characters repeated at
  least ``PERIODIC_MIN_REPEATS`` times over ``PERIODIC_MIN_CHARS`` characters, ``发展改革`` ×
  4,900) takes part only with its first ``PERIODIC_KEEP`` units: the rest is a barrier
  (no real report has one: none of the 100 corpus documents). Beyond that, an occurrence
  budget (``OCCURRENCE_BUDGET`` + ``OCCURRENCE_BUDGET_PER_CHAR`` per character, each repeat
  costing ``REPEAT_COST`` more) leaves out the repeats with the most occurrences. Either
  way ``PhraseSet.coarse`` says so in one line each (phrases.json ``coarse``, phrases.md, a
  warning of ``policydiff phrases``), like a coarse diff. Memory: the corpus index is numpy
  arrays of one to four bytes per character (about 40 bytes per character at its peak);
  the rest is the output itself.
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

Pieces another miner can reuse to find the same phrases (``policydiff.corpus.phrases`` does):
``corpus.text_barriers(text)`` (the barriers of one document, periodic runs collapsed, with no
suffix array built), ``corpus.barriers(codes, han)`` (the same on code arrays, with the runs),
``trim.boundary_array`` (word boundaries), ``trim.needs_trim``/``trim.trim`` (a candidate
repeat trimmed given a test of which offsets are boundaries in every occurrence),
``corpus.traverse_intervals`` (the LCP-interval traversal giving the maximal repeats of sorted
suffixes), ``mining.quoted_rule`` and ``mining.accepted`` (which quoted terms may be phrases,
and when a text is kept), ``mining.phrase_kind`` (the kind of a phrase). A partitioned miner
matches ``find_shared_phrases`` whenever the budget is not reached (``coarse`` empty apart
from periodic runs).

Modules: ``model`` (the data returned), ``rules`` (limits, particles, quotations, the formulaic
list), ``corpus`` (suffix array, LCP, maximal repeats, periodic runs), ``trim`` (word
boundaries, trimming),
``mining`` (``find_shared_phrases``), ``overlaps`` (``overlap_matrix``), ``location``
(``locate``, ``pair_phrases``) and ``novelty`` (``changes_of``: new and dropped phrases).
The data classes are imported with the package; the functions of the other modules on first
use (``__getattr__``), so that reading the data (a phrase report from the result cache, the
formats) loads neither numpy nor the miners.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from policydiff.phrases.model import (
    KINDS,
    Change,
    NewPhrase,
    Occurrence,
    Overlap,
    PairPhrase,
    Phrase,
    PhraseSet,
    Span,
    WordSpans,
    han_count,
)

if TYPE_CHECKING:
    from policydiff.phrases.location import locate, pair_phrases
    from policydiff.phrases.mining import find_shared_phrases
    from policydiff.phrases.novelty import changes_of
    from policydiff.phrases.overlaps import overlap_matrix
    from policydiff.phrases.rules import is_formulaic_text, load_formulaic

_FUNCTIONS = {
    "changes_of": "novelty",
    "find_shared_phrases": "mining",
    "is_formulaic_text": "rules",
    "load_formulaic": "rules",
    "locate": "location",
    "overlap_matrix": "overlaps",
    "pair_phrases": "location",
}
"""The functions the package names, by the module that defines them."""


def __getattr__(name: str) -> object:
    """A function of ``_FUNCTIONS``, the modules defining them imported on first use."""
    if name not in _FUNCTIONS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from policydiff.phrases import location, mining, novelty, overlaps, rules

    modules = {"location": location, "mining": mining, "novelty": novelty,
               "overlaps": overlaps, "rules": rules}
    return getattr(modules[_FUNCTIONS[name]], name)

__all__ = [
    "KINDS",
    "Change",
    "NewPhrase",
    "Occurrence",
    "Overlap",
    "PairPhrase",
    "Phrase",
    "PhraseSet",
    "Span",
    "WordSpans",
    "changes_of",
    "find_shared_phrases",
    "han_count",
    "is_formulaic_text",
    "load_formulaic",
    "locate",
    "overlap_matrix",
    "pair_phrases",
]
