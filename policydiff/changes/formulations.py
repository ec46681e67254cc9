"""New, dropped and renamed formulations (提法) between two reports, and the formulations
distinctive of one report among its peers (issue 13, items 2, 3 and 5).

A *formulation* is a policy term or phrase (具身智能, 耐心资本, “两重”, 好房子), not a fact or
an event (嫦娥六号, “梦想”号) and not a generic run of words (持续优化, 推动科技, 服务体系).
Candidates come from ``formulation_reading`` (quoted terms, the policy dictionary, noun
phrases); what decides is evidence:

- **novelty**: a new formulation of B is a candidate whose text, digits read as 0 and
  quotation marks dropped, occurs nowhere in A (人工智能+ is not new in 2025: 2024 has
  开展“人工智能+”行动). Of a noun phrase of B its longest suffix absent from A counts (the
  whole phrase, not a new tail of it: 行政裁量权基准制度, not 基准制度), and not when a quoted
  or dictionary term inside it stands for it (壮大耐心资本 → 耐心资本);
- **the corpus** (``others``, the other reports of the comparison, each with its year when its
  label, title or file name has one): a noun phrase found in many of them is common
  vocabulary, not a formulation (``GENERIC_SHARE``); a candidate of B found in reports older
  than B is an old term coming back (双一流, 三保障), not a new one: a noun phrase is dropped,
  a quoted or dictionary term ranks low (``RETURNING``); a candidate taken up by later or
  contemporary reports (具身智能 in the 2026 provincial reports) ranks higher, and a noun
  phrase some report quotes is scored as one (``quoted elsewhere``), still a phrase here.
  For dropped formulations (A's relative to B) the roles of older and later reports swap,
  except that a quoted or dictionary term later reports still use is not demoted (六稳 and
  六保 left the national report in 2024 whatever the provinces say);
- **what it names** (``_names_no_policy``): the name of a figure (国内生产总值增长5%左右: the
  indicators table has it), of a measure (…指数) or of a body (…委员会, …局, …中心; a place or
  a body given a short name in brackets, 珠江三角洲(“珠三角”)) is no formulation, quoted or
  not; nor the spirit of a meeting (三中全会精神: an event); nor a noun phrase whose head
  evaluates (…地位, …能力, …效益, …性: 主体地位, 平衡性协调性);
- **the noun phrase's role in its sentence**: not a piece of a longer unit (always followed
  or always preceded by the same character: 乡风建设 of 文明乡风建设), not a predicate and its
  object (its first word mostly begins clauses, 优化药品; or is a verbal noun that seldom
  ends a noun phrase, 培育财源, 辅助器具 of 康复辅助器具), not an old noun phrase of the other
  report with a verbal noun added (建设现代化产业体系 beside 现代化产业体系建设); only its
  occurrences at word boundaries count (大力度 is not in 加大力度);
- **a new noun phrase of old words** (every word in the other report, or in earlier ones) is a
  unit only when at least ``UNIT_DOCS`` later reports take it up (冰雪经济, 入境消费); with
  no corpus it is a rewording and left out;
- **without a corpus** (fewer than ``MIN_GENERIC_DOCS`` other reports) nothing but the report
  speaks for a candidate: one scoring below ``ALONE_FLOOR`` (a noun phrase said once, a
  dropped one of the other report's words said twice: 2023's 社会投资) is not listed, unless
  the list is of a short text whose best is weak too (``_unsupported``);
- **importance**: the part of the report (the plan part counts fully, the review of the past
  year 0.3 for noun phrases, whose new ones there are mostly results and events, and 0.6 for
  quoted and dictionary terms), repetition, being in a heading.

The lists are checked against the top 30 of six pairs read by hand, ``tests/gold/formulations``
(``tests/test_formulations.py``); which reports hold a text is found through ``_Index``
(``benchmarks/formulations_bench.py``).

*Dropped* formulations are the new formulations of A relative to B (older and newer swap).
Renamed ones (``renames.py``) are pairs of a dropped and a new formulation found in the same
context; they are listed apart and left out of both lists.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policydiff.changes.formulation_reading import (
    CLAUSE_BREAKS,
    MIN_PHRASE_HAN,
    QUOTE_MARKS,
    Candidate,
    Reading,
    dictionary_terms,
    document_year,
    fold,
    han_count,
    names_a_body,
    noun_phrases,
    phrase_runs,
    quoted_candidates,
    term_candidates,
)
from policydiff.changes.model import Figure, Formulation, FormulationChanges, Rename
from policydiff.chars import HAN_OR_ZERO_RE
from policydiff.model import Document

if TYPE_CHECKING:
    from policydiff.changes.summary import Passages
    from policydiff.config import Config
    from policydiff.themes import Theme

GENERIC_SHARE = 0.25
"""A noun phrase found in at least this share of the other reports (5 or more) is common
vocabulary."""

MIN_GENERIC_DOCS = 5
"""Fewer other reports than this say nothing about what is common vocabulary."""

RETURNING = 0.15
"""Score factor of a quoted or dictionary term that older reports already used."""

EMBEDDED = 0.2
"""Score factor of a quoted or dictionary term that older reports used only inside a longer
quoted formula (三保障 of “两不愁三保障”) and later ones do not use on its own
(``_returning``)."""

STANDALONE_DOCS = 2
"""Later reports using a term on its own that make it a term of its own (``_returning``)."""

REVIEW_TERM = 0.6
"""Least part weight of a quoted or dictionary term: in the review of the past year only the
noun phrases are mostly facts and results (the review's own weight, 0.3)."""

BASE = {"quoted": 3.0, "quoted elsewhere": 2.0, "term": 2.5, "phrase": 1.5, "quoted word": 1.5}
"""Score of a candidate by how it was found, before importance (``quoted word``: an ordinary
two-character word in quotation marks, often a figure of speech: “帽子”, “面子”; ``quoted
elsewhere``: a noun phrase only another report quotes, weaker evidence than its own quotes)."""

VERBAL = 0.5
"""Score factor of a noun phrase used as a verb somewhere (``_used_as_verb``)."""

ONCE = 0.4
"""Score factor of a noun phrase said once and found in no other report."""

OLD_WORDS = 0.4
"""Score factor of a noun phrase made of words in common use (``_has_new_word``: 政策落地,
投资效益): a new combination of old words is weak evidence of a new formulation."""

ALONE_FLOOR = 1.0
"""Without a corpus, the least score of a formulation that is listed (``_unsupported``): below
it are the noun phrases said once (``ONCE``) and those of old words said twice or less
(``OLD_WORDS``), with nothing but the report itself to speak for them, and the terms a few
older reports already have (``RETURNING``)."""

ALONE_SHARE = 1 / 3
"""... unless that is more than this share of the list's best score: a short text, where
nothing is repeated or has the weight of a heading, lists what it has."""

RARE_DOCS = 1
"""A word found in at most this many earlier reports (later ones, for dropped formulations)
is new (``_has_new_word``)."""

_Absent = Callable[[str], bool]

DISTINCTIVE_SHARE = 0.1
"""A formulation of a report is distinctive among peers when at most this share of the other
reports also has it (rounded down: with fewer than 10 peers, none)."""


@dataclass(frozen=True)
class _Other:
    """Another report as evidence: its text folded, its year, its quoted terms (folded, each
    as often as it is quoted); ``corpus`` and ``number``: the ``_Corpus`` that holds it and
    its place there."""

    folded: str
    year: int | None
    quoted: tuple[str, ...]
    corpus: _Corpus = field(compare=False, repr=False)
    number: int = field(compare=False, repr=False)

    def only_inside_longer_quotes(self, folded: str) -> bool:
        """Whether every occurrence of ``folded`` here is inside a longer quoted term (两新 in
        2021's “两新一重”): that report had another formulation, not this one."""
        inside = sum(q.count(folded) for q in self.quoted if q != folded)
        return inside > 0 and inside >= self.folded.count(folded)


class _Corpus:
    """Every report an ``Evidence`` has read as another report (``_Other``), numbered in the
    order read, and which of them hold a text, as a bit mask of their numbers, found once per
    text for every report of a comparison (the same words are asked about by each pair of a
    series and by each peer). An inverted index of every two characters in a row (pair ->
    mask of the reports holding it; one of single characters) leaves only the reports holding
    every pair of a text to be searched (``str.find``); a text of one or two characters needs
    no search. A report added later is filtered when a text is next asked about; the reports
    left are searched only when a question needs them (``holders``)."""

    def __init__(self) -> None:
        self.others: list[_Other] = []
        self._chars: dict[str, int] = {}
        self._pairs: dict[str, int] = {}
        # text -> [reports found holding it, candidates not searched yet, reports filtered]
        self._found: dict[str, list[int]] = {}

    def add(self, folded: str, year: int | None, quoted: tuple[str, ...]) -> _Other:
        other = _Other(folded, year, quoted, self, len(self.others))
        self.others.append(other)
        bit = 1 << other.number
        for index, keys in ((self._chars, set(folded)),
                            (self._pairs, {folded[i : i + 2] for i in range(len(folded) - 1)})):
            for key in keys:
                index[key] = index.get(key, 0) | bit
        return other

    def holders(self, folded: str, within: int = -1, *, first: bool = False) -> int:
        """The mask of the reports of ``within`` (a mask; default: all) whose folded text
        contains ``folded``; ``first``: stop at the first one found (a test of whether any
        does). Each report is searched at most once per text: the reports holding all its
        pairs wait as candidates until a question needs them."""
        entry = self._found.get(folded)
        if entry is None:
            entry = self._found[folded] = [0, 0, 0]
        holders, candidates, counted = entry  # counted: the reports filtered so far
        if counted < len(self.others):
            fresh = self._candidates(folded, (1 << len(self.others)) - (1 << counted))
            if len(folded) <= 2:  # the index is the answer
                holders |= fresh
            else:
                candidates |= fresh
            counted = len(self.others)
        todo = candidates & within
        while todo and not (first and holders & within):
            low = todo & -todo
            if folded in self.others[low.bit_length() - 1].folded:
                holders |= low
            candidates ^= low
            todo ^= low
        entry[:] = holders, candidates, counted
        return holders & within

    def _candidates(self, folded: str, fresh: int) -> int:
        """The reports of ``fresh`` (a mask) holding every character (one) or every pair of
        characters in a row (more) of ``folded``: for one or two characters, the answer."""
        if len(folded) < 2:
            return fresh & self._chars.get(folded, 0) if folded else fresh
        pairs = self._pairs
        for k in range(len(folded) - 1):
            fresh &= pairs.get(folded[k : k + 2], 0)
            if not fresh:
                break
        return fresh


class _Index:
    """Some reports of one ``_Corpus`` (the others of a report), to find which of them hold a
    text: the corpus's answer (``_Corpus.holders``) restricted to them, in their order. What
    ``having`` found is kept: one text is asked about several times (the absence, rarity and
    ``df`` tests; the same common words in many phrases)."""

    def __init__(self, rest: Sequence[_Other]) -> None:
        self.rest = list(rest)
        self._having: dict[str, list[_Other]] = {}
        corpora = {id(o.corpus): o.corpus for o in self.rest}
        if len(corpora) > 1:
            raise ValueError("the reports of an _Index come from one Evidence")
        self._corpus = next(iter(corpora.values()), None)
        numbers = [o.number for o in self.rest]
        self._mask = sum(1 << n for n in set(numbers))
        # in the corpus's order, each once: the set bits of a mask are the list, in order
        self._by_bits = all(a < b for a, b in itertools.pairwise(numbers))

    def _holders(self, folded: str, *, first: bool = False) -> int:
        if self._corpus is None:
            return 0
        return self._corpus.holders(folded, self._mask, first=first)

    def having(self, folded: str) -> list[_Other]:
        """The reports whose folded text contains ``folded``, in their order."""
        found = self._having.get(folded)
        if found is None:
            mask = self._holders(folded)
            if not self._by_bits:
                found = [o for o in self.rest if mask >> o.number & 1]
            else:
                others, found = self._corpus.others if self._corpus else [], []
                while mask:
                    low = mask & -mask
                    found.append(others[low.bit_length() - 1])
                    mask ^= low
            self._having[folded] = found
        return found

    def holds(self, folded: str) -> bool:
        """Whether any of the reports contains ``folded`` (searching until one does)."""
        found = self._having.get(folded)
        return bool(found) if found is not None else bool(self._holders(folded, first=True))


class Evidence:
    """Documents read once for formulations: each one's folded text, its ``Reading`` and its
    evidence as another report (``_Other``: folded text, year, quoted terms), kept for every
    later call with the same ``Evidence`` (the pairs of a series, the peers' report: 31 × 30
    foldings otherwise), whatever the order they are asked in; and, for the reports, each
    one's figures and passages. A document's tokens are those
    ``document.document_tokens`` keeps for it (the comparison's, when it is one of its
    documents)."""

    def __init__(self, *, cache: bool | None = None) -> None:
        self._cache = cache
        self._corpus = _Corpus()  # every document read as another report, and its index
        # by id(): the document is held beside its value, so its id is not reused
        self._folded: dict[int, tuple[Document, str]] = {}
        self._readings: dict[int, tuple[Document, Reading]] = {}
        self._others: dict[int, tuple[Document, _Other]] = {}
        self._figures: dict[int, tuple[Document, Sequence[Theme], list[Figure]]] = {}
        self._passages: dict[int, tuple[Document, Sequence[Theme], Passages]] = {}

    def figures(self, doc: Document, themes: Sequence[Theme]) -> list[Figure]:
        """The figures of the document's plan part (``indicators.document_figures``), once:
        a middle document of a series is the new one of a report and the old one of the
        next."""
        from policydiff.changes.indicators import document_figures

        held = self._figures.get(id(doc))
        if held is None or held[1] is not themes:
            held = self._figures[id(doc)] = (doc, themes, document_figures(doc, themes))
        return held[2]

    def passages(self, doc: Document, themes: Sequence[Theme]) -> Passages:
        """The document's passages (``summary.passages``), once."""
        from policydiff.changes.summary import passages

        held = self._passages.get(id(doc))
        if held is None or held[1] is not themes:
            held = self._passages[id(doc)] = (doc, themes, passages(doc, themes))
        return held[2]

    def folded(self, doc: Document) -> str:
        """The document's text folded (``fold``), once."""
        held = self._folded.get(id(doc))
        if held is None:
            held = self._folded[id(doc)] = (doc, fold(doc.text))
        return held[1]

    def reading(self, doc: Document) -> Reading:
        held = self._readings.get(id(doc))
        if held is None:
            reading = Reading.of(doc, cache=self._cache, folded=self.folded(doc))
            held = self._readings[id(doc)] = (doc, reading)
        return held[1]

    def forget(self, doc: Document) -> None:
        """Drop what was read of ``doc`` for its own reports (its reading, figures and
        passages: read again if it is asked for again), keeping it as another report (its
        folded text and ``_Other``): ``changes.files`` calls it after a document's last report
        (a reading holds about 65 bytes a character: 138 MB for the 100 corpus documents)."""
        for held in (self._readings, self._figures, self._passages):
            held.pop(id(doc), None)

    def other(self, doc: Document) -> _Other:
        from policydiff.changes.formulation_reading import QUOTE_RE

        held = self._others.get(id(doc))
        if held is None:
            quoted = tuple(fold(next(g for g in m.groups() if g is not None))
                           for m in QUOTE_RE.finditer(doc.text))
            other = self._corpus.add(self.folded(doc), document_year(doc), quoted)
            held = self._others[id(doc)] = (doc, other)
        return held[1]


def _others(
    docs: Sequence[Document], skip: Sequence[Document], evidence: Evidence
) -> list[_Other]:
    return [
        evidence.other(doc) for doc in docs
        if not any(doc is s or (doc.sha256 and doc.sha256 == s.sha256) or doc.text == s.text
                   for s in skip)
    ]


def formulation_changes(
    old: Document, new: Document, *, others: Sequence[Document] = (), config: Config,
    evidence: Evidence | None = None,
) -> FormulationChanges:
    """The new, dropped and renamed formulations of ``new`` relative to ``old`` (see the
    module docstring); ``others``: the other reports of the corpus, as evidence;
    ``evidence``: the documents as already read (default: read here)."""
    from policydiff.changes.renames import find_renames

    evidence = evidence or Evidence(cache=config.cache)
    r_old, r_new = evidence.reading(old), evidence.reading(new)
    rest = _others(others, (old, new), evidence)
    quoted_anywhere = _quoted_set(rest, r_old, r_new)
    weak_new: set[str] = set()
    weak_dropped: set[str] = set()
    new_list = _novel(r_new, r_old, rest, quoted_anywhere, later=True, weak=weak_new)
    dropped_list = _novel(r_old, r_new, rest, quoted_anywhere, later=False, weak=weak_dropped)
    linked = find_renames(r_old, r_new, dropped_list, new_list)
    gone, came = {i for i, _ in linked}, {j for _, j in linked}
    # a weak candidate (``_a_unit``) is listed only as one side of a rename (量子技术 -> 量子科技)
    return FormulationChanges(
        new=tuple(f for j, f in enumerate(new_list) if j not in came and f.text not in weak_new),
        dropped=tuple(
            f for i, f in enumerate(dropped_list) if i not in gone and f.text not in weak_dropped
        ),
        renamed=tuple(Rename(old=dropped_list[i], new=new_list[j]) for i, j in linked),
    )


def distinctive_formulations(
    doc: Document, others: Sequence[Document], *, config: Config,
    evidence: Evidence | None = None,
) -> tuple[Formulation, ...]:
    """The formulations of ``doc`` that few of ``others`` have, best first: what a report
    among peers (31 provinces) says of its own, not what is new relative to the previous
    argument. A quoted or dictionary term may be in ``DISTINCTIVE_SHARE`` of the others
    (ranked lower the more have it), a noun phrase in none; a noun phrase must be said twice
    or in a heading, and not next to a quotation or around a term of the list (as for
    ``formulation_changes``)."""
    evidence = evidence or Evidence(cache=config.cache)
    reading = evidence.reading(doc)
    rest = _others(others, (doc,), evidence)
    quoted_anywhere = _quoted_set(rest, reading)
    allowed = int(DISTINCTIVE_SHARE * len(rest))
    index = _Index(rest)
    units = _candidates(
        reading, lambda folded: not index.holds(folded), quoted_anywhere,
        lambda folded: len(index.having(folded)) <= allowed,
    )
    terms = [c.text for c in units.values() if c.kind != "phrase"]
    scored = []
    for cand in units.values():
        folded = fold(cand.text)
        df = len(index.having(folded)) if cand.kind != "phrase" else 0
        if _names_no_policy(reading, cand) or (cand.kind == "phrase" and (
            (len(cand.spans) < 2 and not _in_heading(reading, cand))  # rarely a slogan
            or _touches_quote(reading, cand)
            or any(t in cand.text for t in terms)
        )):
            continue
        score = _importance(reading, cand) * (1.0 - df / max(1, len(rest)))
        if cand.kind == "phrase" and not _has_rare_word(reading, cand, index, allowed):
            score *= OLD_WORDS  # a combination of words the peers use (国内生产总值, 重大工程)
        scored.append(_formulation(reading, cand, score))
    return tuple(_best_first(scored))


# --------------------------------------------------------------------------- internals


def _quoted_set(rest: Sequence[_Other], *readings: Reading) -> frozenset[str]:
    found: set[str] = set()
    for other in rest:
        found.update(other.quoted)
    for reading in readings:
        found |= {fold(text) for text in quoted_candidates(reading)}
    return frozenset(found)


def _candidates(
    reading: Reading,
    absent: _Absent,
    quoted_anywhere: frozenset[str],
    terms_absent: _Absent | None = None,
) -> dict[str, Candidate]:
    """The candidates of ``reading`` that ``absent`` (a test of folded text) lets through:
    quoted terms, dictionary terms (``terms_absent`` tests those when given), then of each
    noun phrase its longest suffix that is absent (行政裁量权基准制度, not its shortest new
    tail 基准制度), unless it names an event. ``absent`` must hold of every text containing
    one it holds of (what no report has, no report has with more around it), so of a noun
    phrase's suffixes only the longest is tested: it is absent exactly when some suffix is."""
    units: dict[str, Candidate] = {}
    test_term = terms_absent or absent
    for cand in (*quoted_candidates(reading).values(), *term_candidates(reading).values()):
        if cand.text not in units and test_term(fold(cand.text)):
            units[cand.text] = cand
    text, words = reading.text, reading.words
    for run in noun_phrases(reading):
        chosen = None
        suffixes = list(phrase_runs(reading, run))  # shortest first
        if suffixes:
            i, j = suffixes[-1]
            piece = text[words[run[i]][0] : words[run[j]][1]]
            if absent(fold(piece)):
                chosen = piece  # the longest absent suffix: the whole noun phrase
        if chosen is not None and chosen not in units and not _is_event(chosen):
            kind = "quoted elsewhere" if fold(chosen) in quoted_anywhere else "phrase"
            units[chosen] = Candidate(chosen, kind, reading.occurrences(chosen, aligned=True))
    return _without_contained(units)


EVENT_ENDS = ("会", "节", "赛", "论坛")
"""Last characters of a noun phrase that names an event (世界运动会, 进博会, 论坛) or a body
(委员会), not a policy."""


def _is_event(text: str) -> bool:
    """Whether the phrase names an event or a body, or the spirit of a meeting (三中全会精神,
    会议精神: a reference to an event, which changes every year)."""
    text = text.removesuffix("精神")
    return text.endswith(EVENT_ENDS) or text.endswith("会议")


def _without_contained(units: dict[str, Candidate]) -> dict[str, Candidate]:
    """Drop a noun phrase every occurrence of which lies inside another candidate's, and a
    dictionary term every occurrence of which lies inside a longer quoted or dictionary term
    (三保障 of “两不愁三保障”); a quoted term stays (it is marked as a unit)."""
    by_any = _covered(span for c in units.values() for span in c.spans)
    by_terms = _covered(span for c in units.values() if c.kind != "phrase" for span in c.spans)

    def contained(cand: Candidate) -> bool:
        covered = by_any if cand.kind == "phrase" else by_terms
        return cand.kind in ("phrase", "term") and bool(cand.spans) and all(
            span in covered for span in cand.spans
        )

    return {text: cand for text, cand in units.items() if not contained(cand)}


def _covered(spans: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans that lie inside another of ``spans``."""
    covered: set[tuple[int, int]] = set()
    reach = -1
    for start, end in sorted(set(spans), key=lambda x: (x[0], -x[1])):
        if reach >= end:  # by start, longest first: an earlier span reaching as far covers
            covered.add((start, end))
        reach = max(reach, end)
    return covered


def _novel(
    target: Reading,
    ref: Reading,
    rest: Sequence[_Other],
    quoted_anywhere: frozenset[str],
    *,
    later: bool,
    weak: set[str],
) -> list[Formulation]:
    """The formulations of ``target`` that ``ref`` lacks, best first. ``later``: target is
    the newer report (its returning terms are those of older reports), else the older.
    ``weak``: where to put the texts of those kept in the list only for renames: noun phrases
    of old words that nothing shows to be a unit (``_a_unit``) and, without a corpus, the
    unsupported (``_unsupported``)."""
    ref_folded = ref.folded
    units = _candidates(target, lambda folded: folded not in ref_folded, quoted_anywhere)
    year = target.year
    index = _Index(rest)
    background = _Index([o for o in rest if _before(o.year, year, later)])
    terms = [c.text for c in units.values() if c.kind != "phrase"]
    out = []
    for cand in units.values():
        if cand.kind == "phrase" and (
            _touches_quote(target, cand) or any(t in cand.text for t in terms)
        ):
            continue  # the quoted or dictionary term inside stands for it (保交房工作)
        if _names_no_policy(target, cand):
            continue  # an indicator, a body (the indicators table has the figures)
        folded = fold(cand.text)
        having = index.having(folded)
        if cand.kind == "phrase" and (
            _is_fragment(folded, target.folded, having)
            or _after_degree_adverb(target, cand)
            or _verb_led(target, cand)
            or _governs(target, cand)
        ):
            continue
        if cand.kind == "phrase" and _old_term_in_action(target, cand, ref_folded):
            continue  # 建设现代化产业体系 next to 现代化产业体系建设: the old term reworded
        if cand.kind == "phrase" and len(rest) >= MIN_GENERIC_DOCS and (
            len(having) >= GENERIC_SHARE * len(rest)
        ):
            continue  # common vocabulary
        before = [o for o in having if _before(o.year, year, later)]
        if before and cand.kind == "phrase":
            continue  # an old phrase coming back
        score = _importance(target, cand)
        if cand.kind in ("phrase", "quoted elsewhere"):  # a phrase here, whoever quotes it
            if not _has_new_word(target, cand, ref_folded, background):
                if not _a_unit(target, cand, having, year, later, len(rest)):
                    weak.add(cand.text)  # old words said together, nothing says they are a unit
                score *= OLD_WORDS  # a new combination of words in common use
            if len(cand.spans) < 2 and not having:
                score *= ONCE  # said once, in no other report: no sign it is a unit
            if _used_as_verb(target, cand):
                score *= VERBAL
        if before and later:
            score *= _returning(folded, having, before)
        else:
            taken_up = sum(1 for o in having if not _before(o.year, year, later))
            score *= 1.0 + 0.15 * math.log2(1 + taken_up)
        out.append(_formulation(target, cand, score))
    if len(rest) < MIN_GENERIC_DOCS:
        weak |= _unsupported(out)
    return _best_first(out)


def _unsupported(items: Sequence[Formulation]) -> set[str]:
    """Without a corpus, the texts of ``items`` whose score is below ``ALONE_FLOOR``, or below
    ``ALONE_SHARE`` of the best score when that is lower: with no other report to show it
    used as a unit, a noun phrase said once or a combination of the other report's words said
    twice is a run of the text (national 2023's dropped 社会投资, 农村现代化, 重大任务: 0.9),
    not a formulation, and a term one older report has (双一流 of 2018 against 2025) is not
    new; in a short text (a paragraph: 支持独角兽企业、瞪羚企业发展。, 0.42) the weak are all
    there is."""
    if not items:
        return set()
    floor = min(ALONE_FLOOR, ALONE_SHARE * max(f.score for f in items))
    return {f.text for f in items if f.score < floor}


UNIT_DOCS = 3
"""Later or contemporary reports (earlier ones, for a dropped formulation) that must use a
noun phrase of old words for it to be a unit, when there are ``MIN_GENERIC_DOCS`` other reports
or more (``_a_unit``)."""


def _a_unit(
    reading: Reading, cand: Candidate, having: Sequence[_Other], year: int | None,
    later: bool, others: int,
) -> bool:
    """Whether a noun phrase made of words in common use is a unit, not a passing combination.
    With a corpus, a new one must be taken up by at least ``UNIT_DOCS`` reports of the
    target's time or after (冰雪经济, 入境消费 in the 2026 provincial reports; not 资金资源,
    劳动者工资). Without one (fewer than ``MIN_GENERIC_DOCS`` other reports) nothing says so:
    every word of it is in the other report, it is a rewording (经济政策). A dropped one is
    taken as the old report said it (量子技术, renamed 量子科技 in 2025)."""
    if not later:  # a dropped phrase: the old report had it; the later ones need not
        return True
    if others < MIN_GENERIC_DOCS:
        return False  # every word of it is in the other report: a rewording of that report
    return sum(1 for o in having if not _before(o.year, year, later)) >= UNIT_DOCS


def _returning(folded: str, having: Sequence[_Other], before: Sequence[_Other]) -> float:
    """Score factor of a term older reports have: ``RETURNING``; but when they have it only
    inside a longer quoted formula (两新 in “两新一重”), ``EMBEDDED``, and none when at least
    ``STANDALONE_DOCS`` later or contemporary reports use it on its own (“两新”: 24 of the
    2026 provincial reports; 三保障 stays inside “两不愁三保障” there)."""
    if not all(o.only_inside_longer_quotes(folded) for o in before):
        return RETURNING
    standalone = sum(
        1 for o in having if o not in before and not o.only_inside_longer_quotes(folded)
    )
    return 1.0 if standalone >= STANDALONE_DOCS else EMBEDDED


def _before(other: int | None, year: int | None, later: bool) -> bool:
    """Whether a report of year ``other`` precedes (``later``) or follows the target's year."""
    if other is None or year is None:
        return False
    return other < year if later else other > year


def _old_term_in_action(reading: Reading, cand: Candidate, ref_folded: str) -> bool:
    """Whether the phrase is a noun phrase of the reference (two words or more, or a term of the
    dictionary) with one verbal noun before or after it (建设现代化产业体系, 现代化产业体系建设):
    the same term said as an action, not a new formulation."""
    k = reading.word_index(cand.spans[0][0])
    words = reading.words_in(cand.spans[0])
    if k is None or len(words) < 2:
        return False
    for rest, extra in ((words[1:], k), (words[:-1], k + len(words) - 1)):
        joined = "".join(rest)
        if (
            reading.classes[extra] == "vn" and han_count(joined) >= MIN_PHRASE_HAN
            and (len(rest) >= 2 or joined in dictionary_terms())
            and fold(joined) in ref_folded
        ):
            return True
    return False


def _has_new_word(
    reading: Reading, cand: Candidate, ref_folded: str, background: _Index
) -> bool:
    """Whether a word of the candidate (two Han characters or more) is new: not in the
    reference and in at most ``RARE_DOCS`` of the ``background`` reports (耐心 of 耐心资本;
    not 工人 or 队伍 of 工人队伍)."""
    for word in reading.words_in(cand.spans[0]):
        folded = fold(word)
        if han_count(word) < 2 or folded in ref_folded:
            continue
        if len(background.having(folded)) <= RARE_DOCS:
            return True
    return False


def _has_rare_word(reading: Reading, cand: Candidate, index: _Index, allowed: int) -> bool:
    """Whether a word of the candidate (two Han characters or more) is in at most ``allowed``
    of the peers (``index``): the distinctive counterpart of ``_has_new_word``."""
    return any(
        han_count(word) >= 2 and len(index.having(fold(word))) <= allowed
        for word in reading.words_in(cand.spans[0])
    )


def _used_as_verb(reading: Reading, cand: Candidate) -> bool:
    """Whether the phrase ends in a verbal noun that takes an object somewhere (动态调整政策:
    动态调整 is an action there, not a term)."""
    for _, end in cand.spans:
        k = reading.word_index(end)
        if k is not None and reading.classes[k] in ("n", "nz", "vn"):
            if k >= 1 and reading.classes[k - 1] == "vn":
                return True
    return False


def _is_fragment(folded: str, own: str, having: Sequence[_Other]) -> bool:
    """Whether the phrase is always followed, or always preceded, by the same Han character,
    in the target and the other reports (two occurrences or more): a piece of a longer unit.
    After: 改革有机 of 改革有机结合, 流动性合理 of 流动性合理充裕 (a word-class error of the
    segmenter cut the noun phrase short). Before: 乡风建设 of 文明乡风建设, 辅助器具 of
    康复辅助器具, or the object a phrase is only ever of one verb (投资效益 of 提高投资效益: a
    collocation, not a term one can name on its own). One pass over the occurrences for both
    sides."""
    sides: list[set[str] | None] = [set(), set()]  # after, before; None: not one character
    seen = 0
    for text in (own, *(o.folded for o in having)):
        pos = text.find(folded)
        while pos >= 0 and seen < 50:
            seen += 1
            for k, at in ((0, pos + len(folded)), (1, pos - 1)):
                chars = sides[k]
                if chars is None:
                    continue
                nxt = text[at : at + 1] if at >= 0 else ""
                if not nxt or not HAN_OR_ZERO_RE.match(nxt):
                    sides[k] = None
                    continue
                chars.add(nxt)
                if len(chars) > 1:
                    sides[k] = None
            if sides[0] is None and sides[1] is None:
                return False
            pos = text.find(folded, pos + len(folded))
    return seen >= 2


DEGREE_ADVERBS = frozenset("更最较很越太极")
"""Adverbs of degree: a one-character adjective after one is predicated (更大力度促进: 'with
greater force'), not the first word of a noun phrase (``_after_degree_adverb``)."""


def _after_degree_adverb(reading: Reading, cand: Candidate) -> bool:
    """Whether the phrase starts with a one-character adjective that a degree adverb precedes
    at every occurrence: 大力度 of 更大力度 is a fragment, its 大 goes with 更."""
    words, text = reading.words, reading.text
    if not cand.spans:
        return False
    for start, _ in cand.spans:
        k = reading.word_index(start)
        if not (
            k is not None and words[k][1] == start + 1
            and reading.classes[k] == "a" and start > 0 and text[start - 1] in DEGREE_ADVERBS
        ):
            return False
    return True


INDEX_WORDS = ("指数", "指标")
"""Last words of the name of a measure (空气质素健康指数, 全球创新指数): an indicator."""

GENERIC_HEADS = frozenset({"地位", "作用", "水平", "能力", "力度", "效能", "效益", "质效", "格局",
                           "局面", "开局", "态势"})
"""Heads of a noun phrase that names a degree, a standing or a quality of something (企业科技创新
主体地位, 医疗卫生服务能力, 良好开局), as do nouns of a property in 性 (平衡性协调性): an
evaluation in generic words, not a formulation, when neither quoted nor in the dictionary."""


def _names_no_policy(reading: Reading, cand: Candidate) -> bool:
    """Whether the candidate names a figure (``_names_a_figure``), a measure, or a body
    (``formulation_reading.names_a_body``) rather than a policy; a noun phrase also when its
    head is a generic evaluation (``GENERIC_HEADS``)."""
    if _names_a_figure(reading, cand) or cand.text.endswith(INDEX_WORDS):
        return True
    if names_a_body(cand.text):
        return True
    if cand.kind == "phrase" and cand.spans:
        words = reading.words_in(cand.spans[0])
        return bool(words) and (words[-1] in GENERIC_HEADS or words[-1].endswith("性"))
    return False


FIGURE_REACH = 6
"""Characters after a term, within its clause, where a figure makes it the name of that figure
(``_names_a_figure``)."""


def _names_a_figure(reading: Reading, cand: Candidate) -> bool:
    """Whether the candidate names a figure at most of its occurrences, a digit following it
    within ``FIGURE_REACH`` characters of its clause: 国内生产总值增长5%左右,
    居民消费价格涨幅2%左右, 地方政府专项债券4.4万亿元 are indicators (``changes/indicators.py``),
    not formulations."""
    text = reading.text
    named = 0
    for _, end in cand.spans:
        for ch in text[end : end + FIGURE_REACH]:
            if ch.isdigit():
                named += 1
                break
            if ch in CLAUSE_BREAKS:
                break
    return bool(cand.spans) and 2 * named > len(cand.spans)


LEADING = 0.5
"""Least share of a word's occurrences that begin a clause for it to be read as a predicate
(``_verb_led``)."""

MIN_LEADS = 2
"""Least number of clauses a word must begin for that reading."""


def _verb_led(reading: Reading, cand: Candidate) -> bool:
    """Whether the phrase is a predicate and its object: every occurrence begins a clause, and
    its first word mostly begins clauses in the document (``LEADING``, at least ``MIN_LEADS``
    times): 优化药品 of 优化药品和耗材集采政策, 大力发展县域经济, 营造安全 — verb phrases the
    segmenter tagged as nouns (优化 ``vn``, 大力 ``n``)."""
    if not cand.spans or not all(reading.starts_clause(s) for s, _ in cand.spans):
        return False
    first = reading.words_in(cand.spans[0])
    if not first:
        return False
    leads, count = reading.leads(first[0])
    return leads >= MIN_LEADS and leads >= LEADING * count


HEAD_SHARE = 0.1
"""Most share of a verbal noun's occurrences that end a noun phrase for it to be read as
governing what follows (``_governs``)."""


def _governs(reading: Reading, cand: Candidate) -> bool:
    """Whether the phrase begins with a verbal noun that seldom ends a noun phrase in the
    document (``Reading.heads``, at most ``HEAD_SHARE`` of its occurrences): it governs its
    object (培育财源) or modifies a thing named only with it (辅助器具 of 康复辅助器具), a verb
    phrase or a fragment, not a term."""
    if not cand.spans:
        return False
    k = reading.word_index(cand.spans[0][0])
    if k is None or reading.classes[k] != "vn":
        return False
    s, e = reading.words[k]
    word = reading.text[s:e]
    return reading.heads(word) <= HEAD_SHARE * reading.leads(word)[1]


def _touches_quote(reading: Reading, cand: Candidate) -> bool:
    """Whether every occurrence of the phrase follows or precedes a quotation (“高效办成一件事”
    重点事项清单: the quoted term stands for it)."""
    text = reading.text
    return all(
        (s > 0 and text[s - 1] in QUOTE_MARKS) or (e < len(text) and text[e] in QUOTE_MARKS)
        for s, e in cand.spans
    )


def _in_heading(reading: Reading, cand: Candidate) -> bool:
    return any(reading.in_heading(span) for span in cand.spans)


def _importance(reading: Reading, cand: Candidate) -> float:
    """Kind, part of the report, repetition, heading (see the module docstring)."""
    count = len(cand.spans) or 1
    weight = max((reading.part_weight(s) for s, _ in cand.spans), default=0.7)
    if cand.kind not in ("phrase", "quoted elsewhere"):
        # a term the review names (“两新”工作) is a term all the same; a noun phrase only
        # another report quotes is, in this review, a result (入境旅游持续升温)
        weight = max(weight, REVIEW_TERM)
    score = BASE[cand.kind] * weight * (1.0 + 0.5 * math.log2(count))
    if _in_heading(reading, cand):
        score += 1.0
    return score


def _formulation(reading: Reading, cand: Candidate, score: float) -> Formulation:
    """The formulation at its most important occurrence (the first in the plan part)."""
    spans = cand.spans or ((0, 0),)
    best = max(spans, key=lambda span: (reading.part_weight(span[0]), -span[0]))
    sec = reading.section_of(best[0])
    return Formulation(
        text=cand.text,
        score=round(score, 4),
        section=sec.id if sec is not None else reading.doc.id,
        start=best[0],
        end=best[1],
        sentence=reading.sentence(best),
    )


def _best_first(items: list[Formulation]) -> list[Formulation]:
    return sorted(items, key=lambda f: (-f.score, f.start, f.text))
