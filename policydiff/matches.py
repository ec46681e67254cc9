"""The aligner's plain data: how matches are scored and chosen (``AlignOptions``), a match
(``Match``), the alignment of a pair (``Alignment``), an analyst's decisions for a pair
(``Fixed``) and a match's calibrated confidence (``confidence``). No numpy here: the settings
(``config``), the overrides, the result cache and every reader of an alignment import this
module, so a run whose alignments come from the result cache loads neither numpy nor the
aligner (``policydiff.align``, which names the data classes too)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AlignOptions:
    """How matches are scored and chosen.

    ``threshold``: a pair scoring below it is not a match. ``split_ratio``: a left-over section
    becomes an extra (split/merge) partner when it scores at least this share of its best
    partner's match score. Weights are renormalized when a section has no heading.
    ``children_bonus``: added, times the share of two sections' matched subsections that are
    matched to each other, in the context passes. ``role_bonus``: added to the score of two
    top-level parts of the same named role.
    """

    threshold: float = 0.32
    split_ratio: float = 0.85
    heading_weight: float = 0.35
    body_weight: float = 0.45
    theme_weight: float = 0.20
    min_body: float = 0.1
    strong_heading: float = 0.75
    context_bonus: float = 0.15
    context_penalty: float = 0.3
    children_bonus: float = 0.4
    role_bonus: float = 0.05


@dataclass(frozen=True)
class Match:
    """A section of A and its parallel in B, with the evidence for it."""

    a: str
    b: str
    score: float
    themes: tuple[str, ...]
    heading_similarity: float
    body_similarity: float
    shared_terms: tuple[str, ...]
    kind: str = "match"  # "match", "split" (extra partner in B), "merge" (extra in A),
    # or "reviewed_in" (a plan of A reviewed in B: ``Alignment.reviewed_in`` only)
    source: str = "auto"  # "auto" (the aligner) or "manual" (an analyst's override)
    group: str = ""  # split/merge: the id of the section with several partners, on every
    # match of the group (its one-to-one match included); else ""


@dataclass(frozen=True)
class Alignment:
    """The alignment of one pair of documents."""

    a: str
    b: str
    matches: tuple[Match, ...]
    unmatched_a: tuple[str, ...]
    unmatched_b: tuple[str, ...]
    reviewed_in: tuple[Match, ...] = ()
    """Cross-role links, never among ``matches``: a plan (tasks, chapter) of A and the part
    of B's review that reports on it (A the earlier report)."""
    origins: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Part-level links of new parts: a top-level part of B without a match, and the
    top-level parts of A its subsections are matched into (where its content came from)."""
    stale: tuple[str, ...] = ()
    """Analyst overrides for this pair that no longer apply (the document changed), one
    line each; they were not applied (``policydiff.overrides``)."""


@dataclass(frozen=True)
class Fixed:
    """An analyst's decisions for one pair of documents, by section id (``policydiff.overrides``
    turns an overrides file into this): ``pairs`` are kept as they are, before the aligner
    fills the rest, as ``(a, b, kind)`` with kind ``match``, ``split`` (one of A, several of
    B: one entry per section of B) or ``merge`` (several of A, one of B); ``forbidden`` pairs
    are never chosen."""

    pairs: tuple[tuple[str, str, str], ...] = ()
    forbidden: tuple[tuple[str, str], ...] = ()


CONFIDENCE_BANDS: tuple[tuple[float, float], ...] = (
    (0.6, 0.99), (0.5, 0.98), (0.4, 0.90), (0.0, 0.79),
)
"""(lowest score, precision) of each score band on the tuning gold (``tests/gold``,
docs/alignment.md: from 0.6 74 of 74 right, 0.5–0.6 46/46, 0.4–0.5 37/41, below 26/33), to
two places; a band without a wrong match gets right / (matches + 1) (74/75, 46/47), never 1,
which only a manual match has. ``tests/test_gold_alignment.py`` checks them against the gold."""


def confidence(score: float) -> float:
    """The calibrated confidence of a match: the precision its score band had on the gold
    (``CONFIDENCE_BANDS``), so that ``confidence >= 0.95`` keeps the bands that were right
    95 % of the time. A manual match is certain (``Match.source``: 1.0, not from here)."""
    return next(p for low, p in CONFIDENCE_BANDS if score >= low)
