"""Targets and figures (指标): every quantitative figure of a document's plan part, and the
pairing of the figures of two documents by what they measure.

A *figure* is a number with a unit (``5%左右``, ``4.4万亿元``, ``1200万人以上``; a range such as
``6%-6.5%``), read in its clause: the text before it in the clause names it (``国内生产总值增长``,
``赤字率``, ``地方政府专项债券``), with the words that only frame a figure trimmed off
(``今年``, ``拟``, ``安排``, ``按``). A clause that compares with the previous year
(``比上年增加1000亿元``) is a *delta* of the figure before it in the sentence and is named after
it (``地方政府专项债券比上年增加``): 2024's spending increase and 2025's deficit increase have
different names and are never paired. A name that says nothing (``今年先发行1万亿元``) takes the
object of the clause before it (``…发行超长期特别国债``); a count whose clause before ends in a
verb (``现时政府有11个驻海外经济贸易办事处``, ``包括5个主题``) is named by what it counts, the noun
phrase after it.

The *plan part* is everything but the review of the past: sections whose heading (or an
ancestor's) is a review (``回顾``, ``过去一年``, ``成就`` …) and sentences about last year
(``去年…``) are left out.

Units are normalized for comparing only (``万亿``/``亿``/``万`` multiplied out, ``%`` and
``个百分点`` one unit); the value is always shown as written, qualifiers kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from policydiff.changes.model import Figure, Indicator
from policydiff.chars import CITED_SENTENCE_END, CLAUSE_END, SENTENCE_END, after_unopened
from policydiff.citations import Citer
from policydiff.model import Document, Section
from policydiff.roles import REVIEW_HEADING_RE
from policydiff.themes import Theme, classify
from policydiff.units import MEASURE_UNITS, alternation

_NUM = r"(?:\d{1,3}(?:[, \u00a0\u2009]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
"""A number; thousands may be grouped by commas or spaces (``11,680``, ``11 400``)."""
FIGURE_RE = re.compile(
    r"(?P<pre>超过|达到|不低于|不少于|不超过|不高于|高于|低于|约|近|逾)?"
    rf"(?<![\d.,])(?<!\d[ \u00a0\u2009])(?P<num>{_NUM}(?:[%％]?[-－—~～至到]{_NUM})?)"
    r"(?P<mult>万亿|亿|万|千(?![瓦米]))?"
    rf"(?P<unit>{alternation(MEASURE_UNITS)})(?!(?<=个)月)"
    r"(?P<post>左右|以上|以内|以下|之内)?"
)
"""A figure: an optional qualifier before, a number or range (never starting inside another
number: a long run of digits costs linear time), a multiplier, a unit and an optional
qualifier after. ``个月`` is a span of time (Hong Kong 2014: 在去年首11個月), not a count."""

MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "": 1.0}
UNIT_CLASS = {"％": "%", "个百分点": "%", "百分点": "%"}
"""Units compared as one (percent and percentage points)."""
RATIOS = frozenset({"%", "‰", "倍"})
"""Units (after ``UNIT_CLASS``) of a ratio: it measures what is named before it, never the
noun after it (``加计扣除75%政策``); other figures may count what follows them."""

PAST_SENTENCE_RE = re.compile(r"^(?:去年|过去一年|过去五年|上年|一年来|五年来)")

CLAUSE_RE = re.compile(rf"(?:[^{CLAUSE_END}、{SENTENCE_END}]|(?<=\d),(?=\d{{3}}))+")
"""A clause: up to a comma, semicolon, colon, enumeration comma or sentence end (a comma
between digits is a thousands separator: ``11,680个``)."""
SENTENCE_RE = re.compile(f"[^{CITED_SENTENCE_END}]+[{SENTENCE_END}]?")

LEADING = (
    "今年", "明年", "全年", "年内", "其中", "此外", "同时", "继续", "进一步", "力争", "预计",
    "计划", "合计", "新增安排", "拟", "再", "先", "要", "将", "安排", "发行", "按",
)
"""Words that frame a figure at the start of its name (trimmed, repeatedly)."""

TRAILING = (
    "拟按", "拟安排", "拟发行", "安排", "发行", "达到", "达", "为", "约", "超过", "保持在",
    "控制在", "稳定在", "按", "拟", "是", "分别", "全年", "从", "只有", "约有", "约为", "共有",
)
"""Words that lead into a figure at the end of its name (trimmed, repeatedly)."""

EMPTY_NAMES = frozenset({
    "", "增长", "增加", "提高", "下降", "降低", "今年", "规模", "总额", "发行", "安排", "先发行",
})
"""Names that do not say what is measured: such a figure takes the previous clause's object."""

VERBS = frozenset({
    "守住", "坚决守住", "新建", "使用", "改造", "完成", "实现", "新增", "建设", "筹集", "提供",
    "培训", "支持", "带动", "将", "建成", "开工", "吸纳", "争取", "推动", "打造", "培育", "引进",
    "招引", "认定", "涉及", "受惠", "推出",
})
"""Verbs that stand before a figure whose object follows it (``新建1亿亩高标准农田``)."""

AFTER_MAX = 12
AFTER_RE = re.compile(rf"(?!的)[^，；：、。！？支用纳投]{{2,{AFTER_MAX}}}")
"""The object after a figure, up to where the clause goes on (``支持``, ``用于``, ``纳入``);
not an attribute (``6.5%左右的增速``)."""

STEM_END_RE = re.compile(r"(?:增加|增长|提高|扩大)$")

OBJECT_RE = re.compile(r"(?:发行|安排|设立|投入|下达|用好)(?P<object>[^，；：、]{2,16})$")

CONNECTORS = frozenset({"和", "及", "或", "与", "", "至", "到", "提高到", "提高至", "降至", "降到"})
"""What stands between two figures of one clause (``提高30元和5元``): the second is named after
the first."""

DELTA_RE = re.compile(r"^(?:比上年|比去年|较上年|较去年|同比|比上年年初预算)")
DELTA_VERB_RE = re.compile(
    r"增加|提高|增长|减少|下降|降低|扩大|压减|调低|调高|下调|上调|多|少|低|高"
)

ALIASES = (("地区生产总值", "国内生产总值"), ("全省", ""), ("全市", ""), ("全区", ""))
"""Rewritten in a name's key only: a province's 地区生产总值 is the national 国内生产总值."""

MAX_NAME = 28
"""Longest name kept, in characters (the end of a longer lead-in is kept)."""


@dataclass(frozen=True)
class _Clause:
    text: str
    start: int  # in Document.text


def plan_sections(doc: Document) -> list[Section]:
    """The sections of the plan part: all but the review sections and their subsections."""
    kept: list[Section] = []
    review: set[str] = set()  # review sections and their subsections
    for sec in doc.sections:
        if sec.parent in review or (
            sec.kind == "heading" and REVIEW_HEADING_RE.search(sec.heading)
        ):
            review.add(sec.id)
            continue
        kept.append(sec)
    return kept


def _sentences(doc: Document, sec: Section) -> Iterator[tuple[str, int]]:
    """The sentences of a section's own text with their offsets."""
    start, end = sec.own_span
    for m in SENTENCE_RE.finditer(doc.text, start, end):
        yield m.group(), m.start()


def _trim(name: str) -> str:
    name = name[after_unopened(name):]
    changed = True
    while changed and name:
        changed = False
        for word in LEADING:
            if name.startswith(word) and len(name) > len(word):
                name, changed = name[len(word):], True
        for word in TRAILING:
            if name.endswith(word) and len(name) > len(word):
                name, changed = name[: -len(word)], True
    name = name.strip(" “”\"'（）()《》")
    return name[-MAX_NAME:]


def name_key(name: str) -> str:
    """A name as it is compared across documents."""
    key = re.sub("分别|再", "", name)
    for old, new in ALIASES:
        key = key.replace(old, new)
    return re.sub(r"\s+", "", key)


def _amount(m: re.Match[str]) -> float:
    numbers = [float(re.sub(r"[, \u00a0\u2009]", "", x)) for x in re.findall(_NUM, m.group("num"))]
    return sum(numbers) / len(numbers) * MULTIPLIERS[m.group("mult") or ""]


def _clauses(sentence: str, offset: int) -> list[_Clause]:
    return [_Clause(m.group(), offset + m.start()) for m in CLAUSE_RE.finditer(sentence)]


def sentence_figures(
    citer: Citer, sentence: str, offset: int, themes: Sequence[Theme], section_theme: str
) -> list[Figure]:
    """The figures of one sentence of ``citer.doc`` (``offset``: where it starts in its
    text)."""
    found: list[Figure] = []
    base = ""  # the name of the last figure that is not a delta
    before: list[str] = []  # the clauses before, last first
    for clause in _clauses(sentence, offset):
        lead, count = 0, 0
        for m in FIGURE_RE.finditer(clause.text):
            raw = clause.text[lead : m.start()]
            lead, count = m.end(), count + 1
            follows = AFTER_RE.match(clause.text, m.end())
            after = follows.group() if follows else ""
            ratio = UNIT_CLASS.get(m.group("unit"), m.group("unit")) in RATIOS
            name, delta = _name(raw, after, base, before, count, counts=not ratio)
            if not name:
                continue
            if not delta:
                base = name
            start = clause.start + m.start()
            theme = _theme(name, clause.text, themes) or section_theme
            found.append(Figure(
                name=name, key=name_key(name), value=m.group(), amount=_amount(m),
                unit=UNIT_CLASS.get(m.group("unit"), m.group("unit")),
                qualifier=(m.group("pre") or "") + (m.group("post") or ""), delta=delta,
                sentence=sentence.strip(), span=(start, clause.start + m.end()), theme=theme,
                at=start - offset - (len(sentence) - len(sentence.lstrip())),
                citation=citer.cite((start, clause.start + m.end())),
            ))
        before.insert(0, clause.text)
    return found


def _name(
    raw: str, after: str, base: str, before: Sequence[str], count: int, *, counts: bool = True
) -> tuple[str, bool]:
    """The name of a figure written after ``raw`` in its clause and followed by ``after`` (its
    object, or ""), and whether it is a delta. ``base``: the last figure's name in the
    sentence; ``before``: the clauses before, last first; ``count``: the figure's number in its
    clause; ``counts``: the figure may count what follows it (not a ratio: ``RATIOS``): when
    ``raw`` ends in a verb or only frames the figure, the noun phrase after it is the name."""
    if base and DELTA_RE.match(raw):
        found = DELTA_VERB_RE.search(raw)
        return f"{base}比上年{found.group() if found else '变化'}", True
    if base and count > 1 and raw in CONNECTORS:
        return f"{base}（{count}）", False
    name = _trim(raw)
    if after and (name in EMPTY_NAMES or name in VERBS or raw in VERBS or len(name) < 2):
        verb = name if name in VERBS and name != "将" else ""
        return verb + after, False
    counted = _object(after) if counts and (name in LEADING or _ends_in_verb(raw)) else ""
    if counted:
        return counted, False  # 现时政府有11个驻海外经济贸易办事处: what is counted
    if name in EMPTY_NAMES and name and base:
        return STEM_END_RE.sub("", base) + name, False
    if name in EMPTY_NAMES or len(name) < 2:
        for text in before:
            obj = OBJECT_RE.search(text)
            if obj:
                return _trim(obj.group("object")), False
    return name, False


OBJECT_END_RE = re.compile(r"[（(“”\"'《》]")
"""Where the object after a figure ends when it goes on into a bracket or a quotation
(``11个驻海外经济贸易办事处（“经贸办”）``)."""


NOT_FIRST = frozenset("pcdurm")
"""Word classes (their first letter: preposition, conjunction, adverb, particle, pronoun,
numeral) an object never begins with."""


def _ends_in_verb(raw: str) -> bool:
    """Whether the text before a figure ends in a verb (``现时政府有``, ``包括``, ``进一步探讨``,
    ``我们在国外共有``): the figure is that verb's object, and what it counts follows it.
    The segmenter's word classes (``tokenize.word_class``) tell a verb."""
    from policydiff.tokenize import tokenize, word_class

    words = tokenize(raw.strip())
    return bool(words) and word_class(words[-1]) == "v"


def _object(after: str) -> str:
    """The object after a figure (``AFTER_RE``) when it names what the figure counts: up to a
    bracket or a quotation, without a word cut at ``AFTER_RE``'s length, ending in a noun
    (``23万个就业职位``, ``超过150间受规管的保险公司``); "" when it does not, begins with a
    preposition, a conjunction or an adverb (``5亿元以应付…``, ``13,000元或26,000元的津贴``),
    or holds another figure."""
    from policydiff.changes.formulation_reading import HEADS
    from policydiff.tokenize import tokenize, word_class

    found = OBJECT_END_RE.search(after)
    text = after[: found.start()] if found else after
    words = tokenize(text)
    if words and not found and len(after) == AFTER_MAX:
        words = words[:-1]  # the last word may be cut (地下空间发 of 地下空间发展)
    text = "".join(words)
    if len(text) < 2 or any(c.isdigit() for c in text):
        return ""
    first, last = word_class(words[0]), word_class(words[-1])
    return text if last in HEADS and first[0] not in NOT_FIRST else ""


def _theme(name: str, clause: str, themes: Sequence[Theme]) -> str:
    scores = classify(name, clause, themes, max_themes=1)
    return scores[0].id if scores else ""


def document_figures(doc: Document, themes: Sequence[Theme]) -> list[Figure]:
    """Every figure of the plan part of ``doc``, in document order; a figure repeated with the
    same name and value (a target restated in the next paragraph) is kept once, and a name
    that comes back with another value gets what follows it in its clause (``超长期特别国债
    （支持消费品以旧换新）``) or a number."""
    figures: list[Figure] = []
    seen: dict[str, set[str]] = {}
    citer = Citer(doc)
    for sec in plan_sections(doc):
        section_theme = sec.themes[0].id if sec.themes else ""
        for sentence, offset in _sentences(doc, sec):
            if PAST_SENTENCE_RE.match(sentence.strip()):
                continue
            for fig in sentence_figures(citer, sentence, offset, themes, section_theme):
                values = seen.setdefault(fig.key, set())
                if fig.value in values:
                    continue
                if values:
                    fig = _renamed(doc, fig, len(values) + 1)
                values.add(fig.value)
                seen.setdefault(fig.key, set()).add(fig.value)
                figures.append(fig)
    return figures


def _renamed(doc: Document, fig: Figure, number: int) -> Figure:
    """A figure whose name is taken: the rest of its clause says what it is for (past the
    name itself, when the name is what follows the figure: ``约8 700个单位``)."""
    end = fig.span[1]
    rest = CLAUSE_RE.match(doc.text, end)
    purpose = rest.group().removeprefix(fig.name)[:12] if rest and rest.start() == end else ""
    name = f"{fig.name}（{purpose}）" if purpose else f"{fig.name}（{number}）"
    return replace(fig, name=name, key=name_key(name))


MAX_FUZZY_PAIRS = 1_000_000
"""Most name comparisons of the fuzzy pairing (beyond, only the same names are paired)."""

FUZZY_MIN = 80.0
"""Least ``rapidfuzz.fuzz.ratio`` of two names for their figures to be one indicator (when no
name is the same): ``城镇调查失业率`` and ``全国城镇调查失业率``."""


def pair_figures(old: Sequence[Figure], new: Sequence[Figure]) -> list[Indicator]:
    """The indicators of two documents: figures of the same name paired first (in document
    order), then the closest names (``FUZZY_MIN``) among figures of the same unit, both deltas
    or neither; the rest are new or dropped. In the new document's order, a dropped indicator
    where it was in the old one."""
    pairs: dict[int, int] = {}  # new index -> old index
    by_key: dict[str, list[int]] = {}
    for i, fig in enumerate(old):
        by_key.setdefault(fig.key, []).append(i)
    for j, fig in enumerate(new):
        if by_key.get(fig.key):
            pairs[j] = by_key[fig.key].pop(0)
    pairs.update(_fuzzy_pairs(old, new, pairs))
    used = set(pairs.values())
    rows: list[tuple[float, Indicator]] = []
    for j, fig in enumerate(new):
        paired = pairs.get(j)
        rows.append((j, _indicator(old[paired] if paired is not None else None, fig)))
    # A dropped figure goes after the paired one that came before it in the old document.
    place = {i: float(j) for j, i in pairs.items()}
    for i, fig in enumerate(old):
        if i in used:
            continue
        before = [place[k] for k in place if k < i]
        rows.append(((max(before) if before else -1.0) + 0.5 + i / 1e6, _indicator(fig, None)))
    return [ind for _, ind in sorted(rows, key=lambda row: row[0])]


def _fuzzy_pairs(
    old: Sequence[Figure], new: Sequence[Figure], taken: dict[int, int]
) -> dict[int, int]:
    from rapidfuzz import fuzz

    used = set(taken.values())
    if (len(old) - len(used)) * (len(new) - len(taken)) > MAX_FUZZY_PAIRS:
        return {}  # thousands of figures on each side: names that are the same only
    candidates = []
    for j, b in enumerate(new):
        if j in taken:
            continue
        for i, a in enumerate(old):
            if i in used or a.unit != b.unit or a.delta != b.delta:
                continue
            score = fuzz.ratio(a.key, b.key)
            if score >= FUZZY_MIN:
                candidates.append((-score, j, i))
    found: dict[int, int] = {}
    for _, j, i in sorted(candidates):
        if j not in found and i not in used:
            found[j] = i
            used.add(i)
    return found


def direction(old: Figure | None, new: Figure | None) -> str:
    """``DIRECTIONS``: what happened from ``old`` to ``new``."""
    if old is None:
        return "new"
    if new is None:
        return "dropped"
    if old.unit != new.unit:
        return "changed"
    if abs(old.amount - new.amount) <= 1e-9 * max(abs(old.amount), 1.0):
        return "unchanged" if old.qualifier == new.qualifier else "changed"
    return "raised" if new.amount > old.amount else "lowered"


def _indicator(old: Figure | None, new: Figure | None) -> Indicator:
    shown = new if new is not None else old
    assert shown is not None
    return Indicator(
        name=shown.name, theme=shown.theme or (old.theme if old else ""), old=old, new=new,
        direction=direction(old, new),
    )


def indicators(old: Document, new: Document, themes: Sequence[Theme]) -> list[Indicator]:
    """The indicators table of ``old`` -> ``new``."""
    return pair_figures(document_figures(old, themes), document_figures(new, themes))
