"""The data the phrase finder returns (phrases, occurrences, overlaps, new / dropped units),
the Han-character count phrases are measured in, and ``bulk_allocation`` for building many of
these objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policydiff.chars import HAN_OR_ZERO_RE

if TYPE_CHECKING:
    import numpy as np

Span = tuple[int, int]
WordSpans = Mapping[str, Sequence[Span]]

KINDS = ("slogan", "formulaic", "distinctive")
"""The kinds of a phrase (rules in the package docstring)."""


def han_count(text: str) -> int:
    """Number of Han characters (〇 included) in ``text``."""
    return len(HAN_OR_ZERO_RE.findall(text))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a phrase occurs: document id, ``[start, end)`` in its normalized text, and
    the id of the deepest section containing it (``None`` until ``locate`` fills it in).
    Slots: a comparison of 1,000 documents holds millions of them (about 30 bytes each saved)."""

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
    coarse: tuple[str, ...] = ()
    """Empty, or one line for each way the work bound made the phrase list coarse: a periodic
    run collapsed (``发展改革`` × 4,900), the occurrence budget reached (text repetitive
    beyond that). Like a coarse diff: the result is incomplete there, and says so."""

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


@contextmanager
def bulk_allocation() -> Iterator[None]:
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
