"""One document read for formulations (提法): its words with their word classes, its clauses,
the part of the report each offset is in (review of the past year, plan, other), the sentence
and the section of an offset, and its candidate formulations (``candidates``).

A *candidate* is a unit a reader could call a formulation, found three ways:
- ``quoted``: the contents of a short quotation (“两重”, “千村示范、万村整治”), except names of
  things (“嫦娥六号”, “梦想”号: a quotation ending in or followed by 号) and short names
  of bodies given in brackets (房屋委员会(“房委会”)); an ordinary two-character word or a
  saying in quotation marks (the predicate of its sentence, ``_quoted_predicate``) is a
  ``quoted word``, weaker evidence;
- ``term``: a word of the policy dictionary (``data/userdict.txt``: 新质生产力, 两新);
- ``phrase``: a noun phrase of the text: a run of words of noun-like classes (``NOUN_LIKE``)
  inside one clause, ending in a noun, with no numeral, place or person name (facts and events
  are made of those: 嫦娥六号, 2024年); a run of one-character words the dictionary does not
  know (具/身) counts as one unknown word and may stand anywhere. Verb phrases (推动科技,
  持续优化, 更大力度) are not phrases: they become formulations only when quoted or listed.
Which sub-run of a noun phrase is the candidate is decided by the caller (``phrase_runs``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from policydiff.chars import CITED_SENTENCE_END, HAN_OR_ZERO_RE, MASK_RUN_RE
from policydiff.labels import YEAR_RE
from policydiff.model import Document, Section, Span
from policydiff.roles import section_roles

NOUN_LIKE = frozenset({"n", "nz", "vn", "an", "ng", "j", "b", "x"})
"""Word classes a noun phrase is made of (jieba's tags; ``x``: an unknown merged word). Not
idioms and set phrases (``i``, ``l``: 循序渐进, 全面提高), which are verb phrases in these
reports."""

MODIFIERS = frozenset({"a", "ag"})
"""Word classes that may modify a noun inside a noun phrase but not end it (耐心资本, 好房子);
not adverbial adjectives (``ad``: 顺利收官 is a predicate)."""

HEADS = frozenset({"n", "nz", "vn", "an", "ng", "x"})
"""Word classes a noun phrase may end with."""

NAME_SUFFIX = "号"
"""A quotation ending in, or followed by, this is the name of a thing (“嫦娥六号”, “梦想”号)."""

BODY_SUFFIXES = frozenset("会局署办处部委院所厅")
"""Last characters of the names of bodies: a short name in brackets ending in one (房屋委员会
(“房委会”)) names a body, not a policy (综合社会保障援助(“综援”) stays)."""

MIN_PHRASE_HAN, MAX_HAN = 3, 12
"""Length of a phrase candidate, in Han characters (shorter formulations are quoted or in the
dictionary: 两重, 两新)."""

MAX_QUOTE = 20

QUOTE_RE = re.compile(
    rf"“([^“”\n。；！？]{{1,{MAX_QUOTE}}})”|「([^「」\n。；！？]{{1,{MAX_QUOTE}}})」"
    rf"|『([^『』\n。；！？]{{1,{MAX_QUOTE}}})』"
)
_DIGITS = str.maketrans("0123456789０１２３４５６７８９", "0" * 20)
SENTENCE_ENDS = frozenset(CITED_SENTENCE_END)
CLAUSE_BREAKS = frozenset("，。；：！？、,;:!?（）()《》〈〉【】〔〕…—\n\r\t ")
QUOTE_MARKS = frozenset("“”「」『』‘’\"'")
PREDICATE_BREAKS = frozenset("，。；：！？,;:!?）)\n")
"""What ends the clause before a predicate (``Reading.starts_clause``)."""


_FOLD = {**_DIGITS, **{ord(c): None for c in QUOTE_MARKS}}


def fold(text: str) -> str:
    """Text as compared for novelty: digits read as 0 (``2025年`` is not new next to ``2024年``)
    and quotation marks dropped (“两重” is the same term as 两重)."""
    return text.translate(_FOLD)


def han_count(text: str) -> int:
    return len(HAN_OR_ZERO_RE.findall(text))


def document_year(doc: Document) -> int | None:
    """The year a document is of, read from its label, title or file name (None: unknown)."""
    for source in (doc.label, doc.title, doc.path):
        found = YEAR_RE.findall(source or "")
        if found:
            return int(found[-1]) if source == doc.path else int(found[0])
    return None


@lru_cache(maxsize=1)
def dictionary_terms() -> frozenset[str]:
    """The policy terms of the tokenizer's user dictionary."""
    from policydiff.tokenize import policy_terms

    return frozenset(word for word, _, _ in policy_terms())


@lru_cache(maxsize=65536)
def _word_class(word: str) -> str:
    from policydiff.tokenize import word_class

    return word_class(word)


@dataclass(frozen=True)
class Candidate:
    """A candidate formulation: its text, how it was found, and every occurrence's span."""

    text: str
    kind: str
    spans: tuple[Span, ...]


@dataclass
class Reading:
    """A document read for formulations (see the module docstring)."""

    doc: Document
    words: list[Span] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    folded: str = ""
    year: int | None = None
    _starts: list[int] = field(default_factory=list)
    _sections: list[Section] = field(default_factory=list)
    _review: set[str] = field(default_factory=set)
    _plan: set[str] = field(default_factory=set)
    _headings: list[Span] = field(default_factory=list)
    _leads: dict[str, tuple[int, int]] | None = None
    _heads: dict[str, int] | None = None

    @classmethod
    def of(
        cls, doc: Document, *, cache: bool | None = None, folded: str | None = None
    ) -> Reading:
        """``doc`` read, on its tokens (``document.document_tokens``: those kept for this
        Document object, else read from the cache or tokenized here); ``folded``: its text
        folded when the caller has it (``formulations.Evidence``)."""
        from policydiff.document import document_tokens

        reading = cls(doc)
        tokens = document_tokens(doc, cache=cache)
        reading.words = _merged_unknown(doc.text, tokens.spans())
        reading.classes = [_class_of(doc.text[s:e]) for s, e in reading.words]
        reading.folded = fold(doc.text) if folded is None else folded
        reading.year = document_year(doc)
        flat = sorted(doc.sections, key=lambda sec: sec.own_span[0])
        reading._sections = flat
        reading._starts = [sec.own_span[0] for sec in flat]
        reading._headings = [
            sec.heading_span for sec in flat if sec.heading_span[1] > sec.heading_span[0]
        ]
        roles = section_roles(doc)  # the review of the past: the part role (roles.py)
        for top in doc.root.children:
            target = reading._review if roles[top.id] == "review" else reading._plan
            if top.kind == "heading":
                target.update(sec.id for sec in top.walk())
        return reading

    @property
    def text(self) -> str:
        return self.doc.text

    def section_of(self, pos: int) -> Section | None:
        """The deepest section whose own text holds ``pos``."""
        k = bisect.bisect_right(self._starts, pos) - 1
        return self._sections[k] if k >= 0 else None

    def part_weight(self, pos: int) -> float:
        """How much a formulation at ``pos`` counts by where it is: the plan part (tasks,
        targets) 1.0, the review of the past year 0.3 (facts and results), elsewhere 0.7."""
        sec = self.section_of(pos)
        if sec is None:
            return 0.7
        if sec.id in self._review:
            return 0.3
        if sec.id in self._plan and self._review:
            return 1.0
        return 0.7

    def in_heading(self, span: Span) -> bool:
        k = bisect.bisect_right(self._headings, (span[0], len(self.text) + 1)) - 1
        return k >= 0 and self._headings[k][0] <= span[0] and span[1] <= self._headings[k][1]

    def sentence(self, span: Span) -> str:
        """The sentence holding ``span`` (between sentence ends or line breaks), stripped."""
        text = self.text
        start = span[0]
        while start > 0 and text[start - 1] not in SENTENCE_ENDS:
            start -= 1
        end = span[1]
        while end < len(text) and text[end] not in SENTENCE_ENDS:
            end += 1
        if end < len(text) and text[end] != "\n":
            end += 1
        return text[start:end].strip()

    def occurrences(self, text: str, *, aligned: bool = False) -> tuple[Span, ...]:
        """Every occurrence of ``text``; ``aligned``: only those that begin and end at word
        boundaries (大力度 occurs in 更大力度, not in 加大力度: 加大/力度)."""
        out = []
        pos = self.text.find(text)
        while pos >= 0:
            if not aligned or self._at_boundaries(pos, pos + len(text)):
                out.append((pos, pos + len(text)))
            pos = self.text.find(text, pos + len(text))
        return tuple(out)

    def word_index(self, pos: int) -> int | None:
        """The index in ``words`` of the word starting at offset ``pos`` (None: none does)."""
        k = bisect.bisect_left(self.words, (pos, pos))
        return k if k < len(self.words) and self.words[k][0] == pos else None

    def _at_boundaries(self, start: int, end: int) -> bool:
        if self.word_index(start) is None:
            return False
        j = bisect.bisect_left(self.words, (end, end)) - 1
        return j >= 0 and self.words[j][1] == end

    def words_in(self, span: Span) -> list[str]:
        """The words inside ``span``."""
        k = bisect.bisect_left(self.words, (span[0], span[0]))
        out = []
        while k < len(self.words) and self.words[k][1] <= span[1]:
            out.append(self.text[self.words[k][0] : self.words[k][1]])
            k += 1
        return out

    def starts_clause(self, pos: int) -> bool:
        """Whether a word begins a clause at offset ``pos``: after a comma, a full stop, a
        semicolon, a colon or a line break (``PREDICATE_BREAKS``), where a report's clauses
        begin with their verb; not after an enumeration comma (、智能机器人)."""
        k = self.word_index(pos)
        return k is not None and self._begins_clause(k)

    def _begins_clause(self, k: int) -> bool:
        """Whether word ``k`` begins a clause (``starts_clause``)."""
        if k == 0:
            return True
        s, e = self.words[k - 1]
        return any(c in PREDICATE_BREAKS for c in self.text[s:e])

    def leads(self, word: str) -> tuple[int, int]:
        """How often ``word`` begins a clause in this document, and how often it occurs as a
        word: a word that mostly begins clauses is the predicate of the clauses it begins (优化,
        大力, 深化: 优化药品和耗材集采政策), whatever class the dictionary gives it."""
        if self._leads is None:
            counts: dict[str, list[int]] = {}
            text = self.text
            for k, (s, e) in enumerate(self.words):
                entry = counts.setdefault(text[s:e], [0, 0])
                entry[1] += 1
                entry[0] += self._begins_clause(k)
            self._leads = {w: (c[0], c[1]) for w, c in counts.items()}
        return self._leads.get(word, (0, 0))

    def heads(self, word: str) -> int:
        """How often ``word`` ends a noun phrase here: punctuation or 的 follows it (扩大有效
        投资，). A verbal noun that never does (培育, 辅助) only ever governs or modifies what
        follows it (培育一批, 培育和践行, 培育财源)."""
        if self._heads is None:
            counts: dict[str, int] = {}
            text, classes = self.text, self.classes
            for k in range(len(self.words)):
                nxt = classes[k + 1] if k + 1 < len(classes) else "w"
                if nxt in ("w", "uj"):
                    w = text[self.words[k][0] : self.words[k][1]]
                    counts[w] = counts.get(w, 0) + 1
            self._heads = counts
        return self._heads.get(word, 0)

    def clauses(self) -> Iterator[list[int]]:
        """Indexes of ``words``, clause by clause (punctuation and quotation marks end one)."""
        clause: list[int] = []
        text = self.text
        for k, (s, e) in enumerate(self.words):
            if any(c in CLAUSE_BREAKS or c in QUOTE_MARKS for c in text[s:e]):
                if clause:
                    yield clause
                clause = []
            else:
                clause.append(k)
        if clause:
            yield clause


def _class_of(word: str) -> str:
    """The class of a word; a word of several characters the dictionary does not know (one
    joined by ``_merged_unknown``) is ``x``, or ``v`` when one of its characters is a verb
    (提/振: a verb the dictionary lacks, not a new noun)."""
    if any(c.isdigit() for c in word):
        return "m"
    if not HAN_OR_ZERO_RE.search(word):
        return "w"  # punctuation, a mask (＊), Latin letters: no part of a Chinese noun phrase
    tag = _word_class(word)
    if tag == "x" and len(word) > 1 and word not in dictionary_terms():
        return "v" if any(_word_class(c) == "v" for c in word) else "x"
    return tag


def _merged_unknown(text: str, spans: list[Span]) -> list[Span]:
    """Tokens with each run of two or more one-character Han tokens that are not words of
    their own in the dictionary joined into one word (具/身 → 具身)."""
    out: list[Span] = []
    run: list[Span] = []

    def close() -> None:
        if len(run) >= 2:
            out.append((run[0][0], run[-1][1]))
        else:
            out.extend(run)
        run.clear()

    for s, e in spans:
        ch = text[s:e]
        if e - s == 1 and HAN_OR_ZERO_RE.match(ch) and _single_is_fragment(ch):
            run.append((s, e))
            continue
        close()
        out.append((s, e))
    close()
    return out


_FUNCTION_CLASSES = frozenset(
    {"p", "c", "u", "r", "d", "m", "q", "f", "y", "e", "o", "t", "k", "h", "uj", "ul", "uz",
     "ug", "ud", "uv", "zg"}
)
_FUNCTION_CHARS = frozenset(
    "的了和与及并等之要将是把对在为以从向被让使给不也都又更最很其各每这该或"
)


def _single_is_fragment(char: str) -> bool:
    """A one-character token that is no function word: a piece of a word the dictionary
    lacks (具/身 of 具身智能), joined with its neighbours by ``_merged_unknown``."""
    return char not in _FUNCTION_CHARS and _word_class(char) not in _FUNCTION_CLASSES


def quoted_candidates(reading: Reading) -> dict[str, Candidate]:
    """The quoted terms of the document (see the module docstring), by text."""
    text = reading.text
    found: dict[str, list[Span]] = {}
    named: set[str] = set()  # quoted at least once as a name, not as a predicate
    for match in QUOTE_RE.finditer(text):
        group = next(g for g in range(1, 4) if match.group(g) is not None)
        s, e = match.span(group)
        term = text[s:e].strip()
        if han_count(term) < 2 or "，" in term or "," in term or MASK_RUN_RE.search(term):
            continue  # a clause, or a masked name (数字＊)
        if term.endswith(NAME_SUFFIX) or text[match.end() : match.end() + 1] == NAME_SUFFIX:
            continue
        if text[match.start() - 1 : match.start()] in "（(" and match.start() > 0 and (
            term[-1] in BODY_SUFFIXES or _names_before(reading, match.start() - 1)
        ):
            continue  # 房屋委员会(“房委会”), 珠江三角洲(“珠三角”): a body's or a place's short name
        found.setdefault(term, []).append((s, e))
        if not _quoted_predicate(reading, s, match.end()):
            named.add(term)
    out = {}
    for term, spans in found.items():
        every = reading.occurrences(term)
        weak = term not in named or (
            han_count(term) == 2 and len(term) == 2 and term not in dictionary_terms()
            and _word_class(term) in {"n", "v", "vn", "a", "ad", "an", "d"}
        )
        if weak:  # an ordinary word or a saying: only its quoted uses are the figure of speech
            out[term] = Candidate(term, "quoted word", tuple(spans))
        else:  # a term: its unquoted uses are the same term
            out[term] = Candidate(term, "quoted", every or tuple(spans))
    return out


PREDICATE_ENDS = frozenset("。；！？;!?")
"""What may follow a quotation that is the predicate of its sentence (``_quoted_predicate``)."""

SAYING_WORDS = 5
"""Least words of a quotation read as a clause of its own (``_quoted_predicate``): shorter
verb-initial quotations are the slogans reports name (持续实施“兴滇英才支持计划”。)."""


def _quoted_predicate(reading: Reading, start: int, after: int) -> bool:
    """Whether the quotation whose text begins at ``start`` (its closing mark ends at
    ``after``) is the predicate of its sentence: a clause of its own — it begins with a verb
    and has at least ``SAYING_WORDS`` words, not a list (no 、) — and its sentence ends with it
    (Hong Kong 2015: 主张香港“寻找一条自立自决的出路”。): somebody's words put in quotation
    marks, a saying. A name is shorter or used in its sentence (以推进“高效办成一件事”为牵引)."""
    k = reading.word_index(start)
    if k is None or reading.classes[k] != "v" or "、" in reading.text[start:after]:
        return False
    words = bisect.bisect_left(reading.words, (after - 1, after - 1)) - k
    return words >= SAYING_WORDS and reading.text[after : after + 1] in PREDICATE_ENDS


BODY_WORDS = ("委员会", "协会", "局", "署", "实验室", "中心", "研究院", "公司")
"""Last words of the names of bodies and institutions (调解督导委员会, 金融发展局, 中药检测中心)."""

_NUMBERED_RE = re.compile(r"[一二两三四五六七八九十]+[个大项条]")


def names_a_body(text: str) -> bool:
    """Whether ``text`` names a body or an institution (``BODY_WORDS``), not a policy; a
    numbered formula is none (“两个中心”: Hong Kong as two kinds of centre)."""
    return text.endswith(BODY_WORDS) and not _NUMBERED_RE.match(text)


def _names_before(reading: Reading, pos: int) -> bool:
    """Whether the word ending at ``pos`` (before a bracket) is a place or a body's name: a
    short name in the brackets after it abbreviates a name (珠江三角洲(“珠三角”), 房屋协会
    (“房协”))."""
    k = bisect.bisect_left(reading.words, (pos, pos)) - 1
    if k < 0 or reading.words[k][1] != pos:
        return False
    word = reading.text[reading.words[k][0] : pos]
    return reading.classes[k] in ("ns", "nt") or names_a_body(word)


def term_candidates(reading: Reading) -> dict[str, Candidate]:
    """The words of the policy dictionary the document uses, by text."""
    terms = dictionary_terms()
    text = reading.text
    seen: dict[str, list[Span]] = {}
    for s, e in reading.words:
        word = text[s:e]
        if word in terms and han_count(word) >= 2:
            seen.setdefault(word, []).append((s, e))
    return {w: Candidate(w, "term", reading.occurrences(w)) for w in seen}


def noun_phrases(reading: Reading) -> Iterator[list[int]]:
    """Maximal runs of noun-like words (indexes of ``reading.words``) inside a clause."""
    for clause in reading.clauses():
        run: list[int] = []
        for k in clause:
            cls = reading.classes[k]
            if cls in NOUN_LIKE or cls in MODIFIERS:
                run.append(k)
                continue
            if run:
                yield run
            run = []
        if run:
            yield run


def phrase_runs(reading: Reading, run: list[int]) -> Iterator[tuple[int, int]]:
    """Sub-runs ``(i, j)`` (inclusive indexes into ``run``) that may be a phrase candidate,
    shortest first: suffixes of the noun phrase (Chinese noun phrases end in their head:
    地方中小 of 地方中小银行 is no phrase) of at least two words, ``MIN_PHRASE_HAN`` to
    ``MAX_HAN`` Han characters, not starting with a one-character word (实战化军事训练 gives
    no 化军事训练) other than an adjective (新业态劳动者)."""
    text = reading.text
    words = reading.words
    j = len(run) - 1
    while j >= 0 and reading.classes[run[j]] not in HEADS:
        j -= 1
    if j < 1:
        return
    acc = han_count(text[words[run[j]][0] : words[run[j]][1]])
    for i in range(j - 1, -1, -1):
        s, e = words[run[i]]
        acc += han_count(text[s:e])
        if acc > MAX_HAN:
            return
        if acc >= MIN_PHRASE_HAN and (e - s >= 2 or reading.classes[run[i]] == "a"):
            yield i, j  # not from a one-character word (化, 版), but 新 of 新业态劳动者
