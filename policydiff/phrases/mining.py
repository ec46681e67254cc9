"""Finding the shared phrases: maximal repeats of the corpus index trimmed to word boundaries,
quoted terms, and the kind of each phrase (rules in the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from policydiff.chars import PHRASE_BARRIERS
from policydiff.errors import InputError
from policydiff.phrases.corpus import Corpus, PeriodicRun
from policydiff.phrases.model import (
    Occurrence,
    Phrase,
    PhraseSet,
    WordSpans,
    bulk_allocation,
    han_count,
)
from policydiff.phrases.rules import (
    CLOSE_QUOTES,
    FORMULAIC_SHARE,
    MAX_OCCURRENCES,
    OCCURRENCE_BUDGET,
    OCCURRENCE_BUDGET_PER_CHAR,
    OPEN_QUOTES,
    PERIODIC_KEEP,
    REPEAT_COST,
    SHORT_SLOGAN_QUOTED,
    formulaic_regex,
    formulaic_share,
    load_formulaic,
    quoted_spans,
)
from policydiff.phrases.trim import needs_trim, trim, word_bounds
from policydiff.textsafe import one_line


def find_shared_phrases(
    texts: Mapping[str, str],
    *,
    min_chars: int = 4,
    min_docs: int = 2,
    min_slogan_chars: int = 2,
    word_spans: WordSpans | None = None,
    formulaic: frozenset[str] | None = None,
) -> PhraseSet:
    """The maximal phrases that at least ``min_docs`` of ``texts`` share (see package rules).

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
    with bulk_allocation():
        bounds = word_bounds(ids, docs, word_spans)
        corpus = Corpus(docs, bounds)
        budget = OCCURRENCE_BUDGET + OCCURRENCE_BUDGET_PER_CHAR * corpus.n
        collector = _Collector(corpus, docs, min_chars, min_docs, budget)
        collector.add_repeats()
        quoted_terms = collector.add_quoted_terms(min_slogan_chars)
        phrases = _phrases(collector, ids, quoted_terms, formulaic)
        coarse = _periodic_notes(corpus, ids) + (
            (collector.budget_note,) if collector.budget_note else ()
        )
        del collector, corpus
    return PhraseSet(
        doc_ids=ids,
        texts=docs,
        phrases=tuple(phrases),
        min_chars=min_chars,
        min_docs=min_docs,
        boundaries=tuple(bounds),
        formulaic=formulaic,
        coarse=coarse,
    )


class _Collector:
    """The phrases found so far (text -> sorted global positions), and how to add more.

    Work is bounded by ``budget`` occurrences for the repeats and as many for the lookups of
    trimmed or quoted texts (``budget_note`` says what was left out when it was reached)."""

    def __init__(
        self, corpus: Corpus, docs: tuple[str, ...], min_chars: int, min_docs: int,
        budget: int,
    ) -> None:  # fmt: skip
        self.corpus = corpus
        self.docs = docs
        self.min_chars = min_chars
        self.min_docs = min_docs
        self.isb = corpus.isb_view
        self.starts: list[int] = corpus.starts.tolist()
        self.sa = corpus.sa_view
        self.doc_of = corpus.doc_view
        self.found: dict[str, list[int]] = {}
        self.seen_raw: set[tuple[int, int]] = set()
        self.budget = budget
        self.lookups = 0
        self.budget_note = ""

    def accept(
        self, text: str, positions: list[int], quoted: set[int], min_quoted: float = 0
    ) -> None:
        """Keep ``text`` with those of ``positions`` that are word-aligned (or quoted), when
        they are in ``min_docs`` documents and at least ``min_quoted`` of them are quoted."""
        if len(positions) > MAX_OCCURRENCES:
            return
        isb, length = self.isb, len(text)
        keep = sorted(p for p in positions if (isb[p] and isb[p + length]) or p in quoted)
        docs = {self.doc_of[p] for p in keep}
        if accepted(len(docs), len(keep), len(quoted), self.min_docs, min_quoted):
            self.found[text] = keep

    def lookup(self, pos: int, length: int) -> list[int] | None:
        """``corpus.interval``, or None once the lookups have used up the budget."""
        if self.lookups > self.budget:
            if not self.budget_note:
                self.budget_note = (
                    f"the texts are too repetitive: phrase mining stopped after examining "
                    f"{self.budget:,} occurrences; the phrase list is incomplete"
                )
            return None
        positions = self.corpus.interval(pos, length)
        self.lookups += len(positions)
        return positions

    def add_repeats(self) -> None:
        """The maximal repeats, each trimmed to word boundaries.

        Occurrences of one repeat may sit differently against word boundaries (科技创新能力
        inside 理科/技创/新能/力): each group of equally aligned occurrences is trimmed on its
        own, and ``accept`` then keeps the word-aligned occurrences of the result.
        """
        repeats = self._within_budget(_han_repeats(self.corpus, self.min_chars, self.min_docs))
        for chunk in _chunks(repeats):
            rel_starts, rel_ends, offsets, uniform = _alignment(self.corpus, chunk)
            for row, (length, lb, rb) in enumerate(chunk.tolist()):
                positions = self.sa[lb : rb + 1].tolist()
                first = int(offsets[row])
                same = bool(uniform[row])
                if same:
                    groups = {(int(rel_starts[first]), int(rel_ends[first])): positions}
                else:
                    groups = {}
                    starts = rel_starts[first : first + len(positions)].tolist()
                    ends = rel_ends[first : first + len(positions)].tolist()
                    for p, rel in zip(positions, zip(starts, ends, strict=True), strict=True):
                        groups.setdefault(rel, []).append(p)
                for (rel_start, rel_end), members in groups.items():
                    self._add_group(members, rel_start, rel_end, length, same)

    def _within_budget(self, repeats: np.ndarray) -> np.ndarray:
        """``repeats``, or when their occurrences (plus ``REPEAT_COST`` each) exceed the
        budget, those with the fewest occurrences that fit in it (in their order), noting what
        was left out."""
        sizes = repeats[:, 2] - repeats[:, 1] + 1
        if int(sizes.sum()) + REPEAT_COST * len(sizes) <= self.budget:
            return repeats
        order = np.argsort(sizes, kind="stable")
        fits = np.cumsum(sizes[order] + REPEAT_COST) <= self.budget
        keep = np.zeros(len(repeats), dtype=bool)
        keep[order[fits]] = True
        left = int(sizes[~keep].sum())
        self.budget_note = (
            f"the texts are too repetitive: {int((~keep).sum()):,} repeated strings with "
            f"{left:,} occurrences (the most frequent ones) were not examined, over the budget "
            f"of {self.budget:,} occurrences; the phrase list is incomplete"
        )
        kept: np.ndarray = repeats[keep]
        return kept

    def _add_group(
        self, members: list[int], rel_start: int, rel_end: int, length: int, same: bool
    ) -> None:
        """Trim one group of equally aligned occurrences and keep what remains."""
        min_chars, isb = self.min_chars, self.isb
        if rel_end - rel_start < min_chars:
            return
        pos0 = members[0]
        doc_idx = self.doc_of[pos0]
        off = pos0 - self.starts[doc_idx]
        text = self.docs[doc_idx]
        start, end = off + rel_start, off + rel_end
        if needs_trim(text, start, end):

            def ok(o: int) -> bool:
                return all(isb[p + o - off] for p in members)

            start, end = trim(text, start, end, ok)
            if end - start < min_chars:
                return
        key = (start - off + pos0, end - start)
        if key in self.seen_raw:
            return
        self.seen_raw.add(key)
        phrase_text = text[start:end]
        if phrase_text in self.found or han_count(phrase_text) < min_chars:
            return
        if same and start == off and end == off + length:
            self.found[phrase_text] = sorted(members)  # untrimmed, every occurrence aligned
        else:
            positions = self.lookup(key[0], key[1])
            if positions is not None:
                self.accept(phrase_text, positions, set())

    def add_quoted_terms(self, min_slogan_chars: int) -> frozenset[str]:
        """Quoted terms, even short ones, when quoted in at least ``min_docs`` documents;
        returns every quoted term of the documents (for the kinds)."""
        quoted_positions, quoted_docs = _quoted_terms(self.docs, self.starts)
        for term, qpos in quoted_positions.items():
            if term in self.found:
                continue
            share = quoted_rule(term, len(quoted_docs[term]), self.min_chars, self.min_docs,
                                min_slogan_chars)
            if share is not None:
                positions = self.lookup(min(qpos), len(term))
                if positions is not None:
                    self.accept(term, positions, qpos, share)
        return frozenset(quoted_positions)


def quoted_rule(term: str, quoted_docs: int, min_chars: int, min_docs: int,
                min_slogan_chars: int) -> float | None:
    """Whether a quoted term (quoted in ``quoted_docs`` documents) may be a phrase: None when
    not, else the share of its kept occurrences that must be quoted. A term of ``min_chars``
    Han characters is looked up like any repeat (0); a shorter one of at least
    ``min_slogan_chars`` must be quoted in ``min_docs`` documents and in a third of its uses
    (``SHORT_SLOGAN_QUOTED``): “两重” is a coined formula, a stray “人民” is not. Never a
    term holding a barrier character."""
    han = han_count(term)
    if han < min_slogan_chars or any(c in PHRASE_BARRIERS for c in term):
        return None
    if han >= min_chars:
        return 0.0
    return SHORT_SLOGAN_QUOTED if quoted_docs >= min_docs else None


def accepted(docs: int, kept: int, quoted: int, min_docs: int, min_quoted: float) -> bool:
    """Whether a text is kept as a phrase: its ``kept`` occurrences (the word-aligned or
    quoted ones, at most ``MAX_OCCURRENCES`` found) are in ``docs`` documents, at least
    ``min_docs``, and its ``quoted`` quotations are at least ``min_quoted`` of them."""
    return docs >= min_docs and quoted >= min_quoted * kept


def _han_repeats(corpus: Corpus, min_chars: int, min_docs: int) -> np.ndarray:
    """The maximal repeats (rows ``(length, lb, rb)``) with at least ``min_chars`` Han
    characters (a repeat with fewer cannot become a phrase)."""
    rep = corpus.maximal_repeats(min_chars, min_docs)
    if not len(rep):
        return rep
    first = corpus.sa[rep[:, 1]].astype(np.int64)
    han = corpus.han_prefix[first + rep[:, 0]] - corpus.han_prefix[first]
    kept: np.ndarray = rep[han >= min_chars]
    return kept


def _periodic_notes(corpus: Corpus, ids: tuple[str, ...]) -> tuple[str, ...]:
    """One line per collapsed periodic run (``Corpus.periodic``): where, and what repeats."""
    runs = []
    for run in corpus.periodic[:MAX_PERIODIC_NOTES]:
        doc = int(corpus.doc_of[run.start])
        start = run.start - int(corpus.starts[doc])
        runs.append((ids[doc], corpus.texts[doc][start : start + run.period],
                     PeriodicRun(start, start + run.end - run.start, run.period)))
    return periodic_notes(runs, len(corpus.periodic))


def periodic_notes(runs: Sequence[tuple[str, str, PeriodicRun]], total: int
                   ) -> tuple[str, ...]:
    """The lines of ``PhraseSet.coarse`` for collapsed periodic runs: ``runs`` are the first
    (document id, repeated unit, run in local offsets), ``total`` counts them all."""
    notes = [
        f"{doc}: characters {run.start}–{run.end} repeat “{one_line(unit)}” "
        f"{(run.end - run.start) // run.period:,} times; phrases use only its first "
        f"{PERIODIC_KEEP * run.period} characters"
        for doc, unit, run in runs[:MAX_PERIODIC_NOTES]
    ]
    if total > MAX_PERIODIC_NOTES:
        notes.append(f"{total - MAX_PERIODIC_NOTES:,} more such runs")
    return tuple(notes)


MAX_PERIODIC_NOTES = 10
"""Periodic runs named one by one in ``PhraseSet.coarse``; the others are counted."""


def _quoted_terms(
    docs: tuple[str, ...], starts: list[int]
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Per quoted term: the global positions where it is quoted, and the documents."""
    quoted_positions: dict[str, set[int]] = {}
    quoted_docs: dict[str, set[int]] = {}
    for i, text in enumerate(docs):
        for qs, qe in quoted_spans(text):
            term = text[qs:qe]
            quoted_positions.setdefault(term, set()).add(starts[i] + qs)
            quoted_docs.setdefault(term, set()).add(i)
    return quoted_positions, quoted_docs


def _phrases(
    collector: _Collector,
    ids: tuple[str, ...],
    quoted_terms: frozenset[str],
    formulaic: frozenset[str],
) -> list[Phrase]:
    """The found phrases with their occurrences, counts and kinds, in phrase order."""
    starts, doc_of = collector.starts, collector.doc_of
    formulaic_re = formulaic_regex(formulaic)
    n_docs = len(ids)
    make = Occurrence
    phrases = []
    for phrase_text, positions in collector.found.items():
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
        kind = phrase_kind(phrase_text, quoted_terms, len(counts), n_docs, formulaic, formulaic_re)
        phrases.append(
            Phrase(
                text=phrase_text,
                kind=kind,
                occurrences=occs,
                counts=tuple((ids[d], counts[d]) for d in sorted(counts)),
            )
        )
    phrases.sort(key=lambda p: (-len(p.counts), -han_count(p.text), p.text))
    return phrases


_CHUNK_OCCURRENCES = 1 << 20
"""Occurrences of repeats whose word alignment is computed at once (bounds the arrays)."""


def _chunks(repeats: np.ndarray) -> Iterator[np.ndarray]:
    """``repeats`` in consecutive pieces of about ``_CHUNK_OCCURRENCES`` occurrences."""
    if not len(repeats):
        return
    sizes = repeats[:, 2] - repeats[:, 1] + 1
    piece = np.cumsum(sizes) // _CHUNK_OCCURRENCES
    cuts = np.flatnonzero(np.diff(piece)) + 1
    yield from np.split(repeats, cuts)


def _alignment(
    corpus: Corpus, repeats: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every occurrence of ``repeats`` (in suffix array order, repeat after repeat): the
    offsets, inside it, of its first and last word boundary; where each repeat's occurrences
    begin in those arrays; and whether all its occurrences agree on both (the common case,
    decided in bulk with numpy so that only the rest loop in Python)."""
    sizes = repeats[:, 2] - repeats[:, 1] + 1
    offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    owner = np.repeat(np.arange(len(repeats)), sizes)
    idx = repeats[owner, 1] + (np.arange(int(sizes.sum())) - offsets[owner])
    pos = corpus.sa[idx].astype(np.int64)
    del idx
    rel_starts = corpus.boundary_after(pos) - pos
    rel_ends = corpus.boundary_before(pos + repeats[owner, 0]) - pos
    same = np.ones(len(repeats), dtype=bool)
    for values in (rel_starts, rel_ends):
        same &= np.minimum.reduceat(values, offsets) == np.maximum.reduceat(values, offsets)
    return rel_starts, rel_ends, offsets, same


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] in OPEN_QUOTES and text[-1] in CLOSE_QUOTES:
        return text[1:-1]
    return text


def phrase_kind(
    text: str,
    quoted_terms: frozenset[str],
    ndocs: int,
    total_docs: int,
    formulaic: frozenset[str],
    formulaic_re: re.Pattern[str] | None,
) -> str:
    """The kind of a phrase (rules in the package docstring)."""
    if text in formulaic or formulaic_share(text, formulaic_re) >= 0.5:
        return "formulaic"
    if _unquote(text) in quoted_terms:
        return "slogan"
    if total_docs >= 4 and ndocs >= FORMULAIC_SHARE * total_docs:
        return "formulaic"
    return "distinctive"
