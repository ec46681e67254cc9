"""Segmentation: heading markers → a tree of sections. The marker patterns themselves are
owned by ``policydiff.markers`` (line rejoining reads them too); this module owns how they
nest.

A report's structure is written with markers such as ``一、``, ``（一）``, ``1.``, ``第一，``,
``一是`` and ``——``, or with unnumbered heading lines. Which marker sits above which differs
between documents (Hong Kong addresses put ``（一）`` above ``一、``, the mainland the reverse),
so levels come from the order in which marker kinds first appear in *this* document, not from a
fixed table.

Rules, in the order they are applied:

- Text is read as paragraphs (lines of the normalized text).
- A numbered marker at the start of a paragraph starts a section. When the paragraph is short
  and has no sentence end, the whole paragraph is the heading; otherwise its first sentence is
  the heading (``（三）新旧动能转换率先突破。传统动能…``) and the rest is body.
- ``一是…``/``二要…`` items also start sections in the middle of a paragraph, right after a
  sentence end, when they continue a sequence (``二是`` follows ``一是``).
- ``——`` bullet paragraphs are sections only after the first numbered heading (before it, a
  ``——2024年3月5日在…`` line is a subtitle).
- An unnumbered short line without final punctuation that is followed by body text is a heading
  line (``“十四五”时期工作回顾``). Before the first numbered heading such lines form the top
  level; after it they nest under the current numbered section.
- Paragraphs that open with a short lead sentence (``大力发展园区经济。完成工业园区…``) are
  unnumbered sub-sections when at least two siblings do so.
- Text before the first heading is a preamble section; a final ``各位代表，…``/``同志们，…``
  paragraph after the last heading starts a closing section; ordinary text after a run of
  ``——`` bullets is an unlabelled ``continuation`` section beside them. Nothing is dropped:
  the own text of all sections (heading plus body up to the first child) tiles the text
  exactly once.
- Numbering that repeats, restarts or skips is kept as written in ``label``; section ids are
  positions among siblings (``d1/3.2``), never the written numbers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policydiff.chars import CLAUSE_END, FINAL_PUNCT, SENTENCE_END, has_unified_han
from policydiff.markers import CN_NUMERALS, MID_PARAGRAPH_ITEM, SECTION_MARKERS
from policydiff.model import Section, Span

if TYPE_CHECKING:  # not imported at run time: a cached document needs no normalizer
    from policydiff.normalize import NormalText

_CN_VALUES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_BODY_LINE_END = "。！？!?；;：:”"
"""A line of ``MIN_BODY_LINE`` or more characters ending in one of these is body text (a line
twice as long is body text whatever it ends with)."""

_LEAD_SENTENCE_END = "。！？"
"""Where a lead sentence ends: the full-width stops only (not the ASCII ``!?`` of
``SENTENCE_END``)."""

_LEAD_CLAUSE_MARKS = "，、,；;：:“”"
"""A lead sentence holds at most one of these (more make it an ordinary sentence)."""

_CLOSING_OPENERS = ("各位代表", "同志们", "代表们", "各位委员")

_LIST_OPENER_END = "：:"
"""How a sentence that opens a list ends (``我們會：`` before ``（1）…``)."""

_CUT_OFF = ("……", "......")
"""How a sentence cut off by an interruption ends in a Hong Kong transcript."""

_LIST_ITEM_END = "。；;及"
"""How the paragraph of a list item ends (a heading line has no final punctuation)."""

_NARRATIVE_OPENING = re.compile(
    r"(?:回顾)?(?:过去的?|近|未来)?[一二三四五六七八九十两]+年(?:来|里|间|中)?，|(?:新的一年|今年|去年)，"
)
"""A sentence opening with a time phrase and a comma tells what happened; it is a run-in
heading only when a sibling lead opens with the same phrase (national 2018: six leads
``五年来，…``), not alone (national 2025: ``过去一年，我国发展历程很不平凡。`` then
``回顾过去一年，成绩来之不易。``; Hong Kong 2015's closing: ``未來一年，也是香港政制發展的關鍵
一年。``)."""

_CAPTION = re.compile(r"(?:表|图|圖|地图|地圖)\s*\d+")
"""The caption of a figure or table (Hong Kong 2017: ``表1``, ``地圖3``): a line, not the title
of the headings after it."""

# 一是 items and —— bullets are list items: always below every numbered kind, siblings of
# each other, whatever order they first appear in.
LEAF_KINDS = ("shi", "dash", "continuation")
LEAF_RANK = 100.0

MAX_HEADING_LINE = 80  # a paragraph this short without a sentence end is all heading
MAX_HEADING_SENTENCE = 60  # a longer first sentence is cut at its first clause
MAX_PLAIN_HEADING = 40  # unnumbered heading lines are short
MAX_LEAD_SENTENCE = 20  # unnumbered lead sentences are shorter still
MIN_BODY_LINE = 40
MIN_SHORT_BODY = 20  # a complete sentence this long under a short heading line is body text
MIN_LIST_OPENER = 12  # so is a shorter sentence opening a list, or one cut off
EMPTY_BODY = 10
"""A heading with fewer characters of body than this before its first subsection (or its end)
has no text of its own (``is_group_title``; ``features.SectionFeatures.empty``)."""


@dataclass
class _Event:
    """A heading found in the text (mutable while the tree is being built)."""

    start: int
    heading_end: int
    kind: str
    label: str
    heading: str
    number: int | None
    relative: int = 0  # 0: ranked by first appearance; 1: plain line; 2: lead sentence
    inline: bool = False  # an 一是 item in the middle of a paragraph
    group: bool = False  # a group title: a plain line right above another (_is_group_heading)


def cn_number(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (``十二`` → 12); None when it is not one."""
    if not text or any(ch not in CN_NUMERALS for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        high = _CN_VALUES.get(tens, 0) if tens else 1
        low = _CN_VALUES.get(ones, 0) if ones else 0
        if (tens and not high) or (ones and not low) or text.count("十") > 1:
            return None
        return high * 10 + low
    return _CN_VALUES.get(text) if len(text) == 1 else None


def _marker_number(kind: str, raw: str) -> int | None:
    if kind in ("arabic", "paren_arabic"):
        return int(raw)
    if kind == "circled":
        return ord(raw) - ord("①") + 1
    if kind == "dash":
        return None
    return cn_number(raw)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty paragraph; end excludes the newline."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
    return spans


def _heading_extent(text: str, start: int, end: int) -> tuple[int, str]:
    """Where the heading that starts at ``start`` ends, and its text.

    The whole paragraph when it is short and has no sentence end; else its first sentence;
    else, for a long first sentence, its first clause.
    """
    rest = text[start:end]
    first_end = next((i for i, ch in enumerate(rest) if ch in SENTENCE_END), -1)
    if (first_end == -1 or first_end == len(rest) - 1) and len(rest) <= MAX_HEADING_LINE:
        return end, rest.strip().rstrip(FINAL_PUNCT + " ")
    if 0 <= first_end <= MAX_HEADING_SENTENCE:
        return start + first_end + 1, rest[:first_end].strip()
    clause_end = next(
        (i for i, ch in enumerate(rest[: MAX_HEADING_SENTENCE + 1]) if ch in CLAUSE_END), -1
    )
    if clause_end > 0:
        return start + clause_end + 1, rest[:clause_end].strip()
    cut = min(len(rest), MAX_PLAIN_HEADING)
    return start + cut, rest[:cut].strip()


def _line_marker(text: str, start: int, end: int) -> _Event | None:
    line = text[start:end]
    for kind, pattern in SECTION_MARKERS:
        m = pattern.match(line)
        if not m:
            continue
        number = _marker_number(kind, m.group(1))
        if kind != "dash" and number is None:
            continue
        label = line[: m.end()].rstrip()
        heading_end, heading = _heading_extent(text, start + m.end(), end)
        if not heading:
            continue
        return _Event(start, heading_end, kind, label, heading, number)
    return None


def _is_body_line(text: str, span: tuple[int, int], heading: str = "") -> bool:
    """A paragraph of body text. With ``heading`` (the line before it), a shorter complete
    sentence also counts when it is at least twice the heading's length and
    ``MIN_SHORT_BODY`` long (Hong Kong 2014: ``專業服務`` / ``香港高質素的專業人才及制度，
    具有良好的潛質及競爭能力進一步向國際發展。``). A sentence that opens a list (it ends in
    ``：``) or one cut off by an interruption of the speech (``......``) is body text however
    short beside its heading (Hong Kong 2013: ``短中期增加資助房屋供應`` / ``我們會加大加快資助
    房屋的供應：``; ``關愛基金`` / ``“關愛基金”至今推出了18個援助項目，成功識別未能受惠於現有
    社會......``)."""
    line = text[span[0] : span[1]].strip()
    if len(line) >= 2 * MIN_BODY_LINE or (
        len(line) >= MIN_BODY_LINE and line[-1:] in _BODY_LINE_END
    ):
        return True
    if not heading:
        return False
    if len(line) >= MIN_LIST_OPENER and (line[-1:] in _LIST_OPENER_END or line.endswith(_CUT_OFF)):
        return True
    return (len(line) >= max(MIN_SHORT_BODY, 2 * len(heading))
            and line[-1:] in _LEAD_SENTENCE_END)


def _is_plain_line(text: str, span: tuple[int, int]) -> bool:
    """A short line without final punctuation or sentence end, that could head a section."""
    line = text[span[0] : span[1]].strip()
    if not line or len(line) > MAX_PLAIN_HEADING or line[-1] in FINAL_PUNCT:
        return False
    if line.startswith(("——", "（", "(")) or not has_unified_han(line):
        return False
    return not any(ch in line for ch in SENTENCE_END)


def _is_plain_heading(text: str, span: tuple[int, int], next_span: tuple[int, int] | None) -> bool:
    line = text[span[0] : span[1]].strip()
    return (
        _is_plain_line(text, span)
        and next_span is not None
        and _is_body_line(text, next_span, line)
    )


def _is_group_heading(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """A plain line right above another plain heading line: the title of a group of headings
    (Hong Kong 2014: ``安老`` / ``安老服務計劃方案`` / ``居家安老`` …). It becomes the parent of
    the plain headings after it, up to the next group title (``_group_titles``)."""
    if i + 2 >= len(lines) or not _is_plain_line(text, lines[i]):
        return False
    if _CAPTION.fullmatch(text[lines[i][0] : lines[i][1]].strip()):
        return False
    return _line_marker(text, *lines[i + 1]) is None and _is_plain_heading(
        text, lines[i + 1], lines[i + 2]
    )


def _lead_sentence(text: str, span: tuple[int, int]) -> _Event | None:
    """A paragraph that opens with a short lead sentence, as bold run-in headings do."""
    line = text[span[0] : span[1]]
    end = next((i for i, ch in enumerate(line) if ch in _LEAD_SENTENCE_END), -1)
    if end < 4 or end > MAX_LEAD_SENTENCE or len(line) < 2 * end + 20:
        return None
    sentence = line[:end]
    if sum(sentence.count(ch) for ch in _LEAD_CLAUSE_MARKS) > 1:
        return None
    if sentence.startswith(_CLOSING_OPENERS):
        return None
    return _Event(span[0], span[0] + end + 1, "lead", "", sentence.strip(), None, relative=2)


def _continues_after_bullet(text: str, lines: list[tuple[int, int]], i: int) -> bool:
    """True when the paragraph after a —— bullet is ordinary text, not another heading.

    A bullet is one paragraph; the text after the last bullet of a run belongs to the
    enclosing section, so it becomes an unlabelled ``continuation`` sibling of the bullets.
    """
    if i + 1 >= len(lines):
        return False
    nxt = lines[i + 1]
    following = lines[i + 2] if i + 2 < len(lines) else None
    return _line_marker(text, *nxt) is None and not _is_plain_heading(text, nxt, following)


def find_headings(text: str) -> list[_Event]:
    """Every heading event in the text, in order (the closing section is added separately)."""
    lines = _lines(text)
    events: list[_Event] = []
    seen_heading = False  # —— bullets count only inside some section
    seen_structural = False  # plain heading lines are top level until a numbered part appears
    last_shi = 0
    list_kinds: set[str] = set()  # numbered kinds that are list items (see _is_list_item)
    for i, span in enumerate(lines):
        event = _line_marker(text, *span)
        if event and event.kind == "dash" and not seen_heading:
            event = None
        if event and _is_list_item(event, text[span[0] : span[1]], events, list_kinds):
            event = None
        if event:
            seen_heading = True
            seen_structural = seen_structural or event.kind not in LEAF_KINDS
            events.append(event)
            last_shi = (event.number or 0) if event.kind == "shi" else 0
            if event.kind == "dash" and _continues_after_bullet(text, lines, i):
                start = lines[i + 1][0]
                events.append(_Event(start, start, "continuation", "", "", None))
        elif (group := seen_structural and _is_group_heading(text, lines, i)) or (
            _is_plain_heading(text, span, lines[i + 1] if i + 1 < len(lines) else None)
        ):
            heading = text[span[0] : span[1]].strip()
            relative = int(seen_structural)
            events.append(_Event(span[0], span[1], "plain", "", heading, None, relative=relative,
                                 group=group))
            seen_heading = True
            continue
        # 一是/二是 items inside the paragraph, continuing or starting a sequence.
        for m in MID_PARAGRAPH_ITEM.finditer(text, span[0], span[1]):
            number = cn_number(m.group(1))
            if number is None or not (number == 1 or number == last_shi + 1):
                continue
            start = m.start(1)
            heading_end, heading = _heading_extent(text, m.end(), span[1])
            label = text[start : m.end()]
            events.append(_Event(start, heading_end, "shi", label, heading, number, inline=True))
            seen_heading = True
            last_shi = number
    return events


def _is_list_item(
    event: _Event, line: str, events: list[_Event], list_kinds: set[str]
) -> bool:
    """Whether a numbered paragraph is an item of a list in the text, not a heading.

    A numbered kind whose first paragraph is a sentence (it ends in ``。``, ``；`` or ``及``)
    right under an unnumbered sub-heading line (after the numbered parts began) numbers the
    items of lists in the text, here and everywhere after (Hong Kong 2014, under
    ``低收入在職家庭津貼``: ``一、不少基層人士是家中唯一的就業成員，…`` and ``(1) 基本津貼會以
    家庭為單位，…``). A heading line (no final punctuation) stays a heading (a seed:
    ``(一)聚焦產業興區、蓄勢賦能,轉型升級勢頭強勁`` under ``一年來,我們…``). ``list_kinds``
    collects the list kinds.
    """
    if event.kind in LEAF_KINDS:
        return False
    if event.kind in list_kinds:
        return True
    if any(e.kind == event.kind and e.relative == 0 for e in events):
        return False
    sentence = line.rstrip()[-1:] in _LIST_ITEM_END
    if sentence and events and events[-1].kind == "plain" and events[-1].relative == 1:
        list_kinds.add(event.kind)
        return True
    return False


def _closing_start(text: str, lines: list[tuple[int, int]], events: list[_Event]) -> int | None:
    """Start of the closing paragraph: the last ``各位代表…`` paragraph after the last heading."""
    last_heading = events[-1].start if events else -1
    for start, end in reversed(lines):
        if start <= last_heading:
            return None
        if text[start:end].startswith(_CLOSING_OPENERS):
            return start
    return None


def _lead_events(
    text: str, lines: list[tuple[int, int]], events: list[_Event], stop: int
) -> list[_Event]:
    """Lead-sentence sub-sections, kept only where two or more share a parent.

    Paragraphs that start a heading of their own are not candidates; a heading's extent never
    reaches past its paragraph, so no candidate can sit inside one. An 一是 item inside a
    paragraph is no parent: a lead paragraph ends it (``_build_tree``), so the leads before
    and after such items share the parent above them (national 2017: ``精准加力补短板。``
    after ``多措并举降成本。…五是…``, ``促进消费稳定增长。…一要…二要…三要…`` before
    ``积极扩大有效投资。``).

    A report that gives its sub-headings lines of their own writes no run-in heading below
    them: the paragraphs under a plain heading line open with ordinary sentences (Hong Kong
    2015, under ``高增值航運服務``: ``擴充業界人才庫同樣重要。政府於去年4月成立…``). Nor is a
    numbered paragraph that is no heading (an item of a list, ``_is_list_item``) a lead: its
    first sentence names the item (Hong Kong 2015: ``（1）及早識別。衞生署會…``).
    """
    starts = {e.start for e in events}
    groups: dict[int, list[_Event]] = {}
    parents = sorted((e for e in events if e.relative < 2 and not e.inline), key=lambda e: e.start)
    boundaries = [e.start for e in parents]
    for span in lines:
        if span[0] >= stop or span[0] in starts or _line_marker(text, *span) is not None:
            continue
        lead = _lead_sentence(text, span)
        if lead is None:
            continue
        k = bisect.bisect_left(boundaries, span[0])
        if k == 0 or parents[k - 1].kind == "plain":
            continue
        groups.setdefault(boundaries[k - 1], []).append(lead)
    kept: list[_Event] = []
    for group in groups.values():
        group = _parallel_narratives(group)
        if len(group) >= 2:
            kept.extend(group)
    return kept


def _parallel_narratives(group: list[_Event]) -> list[_Event]:
    """The leads of a group without the narrative ones (``_NARRATIVE_OPENING``) that no other
    lead of the group shares their opening with."""
    openings = [m.group(0) if (m := _NARRATIVE_OPENING.match(e.heading)) else "" for e in group]
    count = {o: openings.count(o) for o in openings}
    return [e for e, o in zip(group, openings, strict=True) if not o or count[o] >= 2]


@dataclass
class _Node:
    event: _Event | None
    rank: float
    children: list[_Node]
    kind: str = "heading"
    start: int = 0
    end: int = 0


def _build_tree(events: list[_Event], text_len: int, closing: int | None) -> list[_Node]:
    """Nest events by rank; return the top-level nodes with start/end filled in."""
    order: list[str] = []
    top: list[_Node] = []
    stack: list[_Node] = []
    plain_parent: _Node | None = None
    for event in events:
        if event.relative == 0 and event.kind not in order and event.kind not in LEAF_KINDS:
            order.append(event.kind)
        node = _Node(event, 0.0, [], start=event.start)
        if event.relative:
            # An unnumbered heading line is a sibling of the previous one while that one's
            # parent is still open, even if numbered list items came in between (Hong Kong:
            # 扶贫 / 低收入在职家庭津贴 / 一、… 二、… / 关爱基金).
            if event.relative == 1 and plain_parent is not None and plain_parent in stack:
                del stack[stack.index(plain_parent) + 1 :]
            # A lead or plain heading line ends the 一是 items of the paragraph before it
            # (national 2017: 积极扩大有效投资。 after the paragraph of 三要整顿和规范市场秩序).
            while stack and stack[-1].event and (
                stack[-1].event.relative >= event.relative
                or stack[-1].event.inline
            ):
                stack.pop()
            node.rank = (stack[-1].rank if stack else -1) + 0.5
            if event.relative == 1:
                plain_parent = stack[-1] if stack else None
        else:
            # 一是 items in the paragraph of a lead sentence are its items (national 2017:
            # 多措并举降成本。…一是全面清理规范政府性基金…); else numbered headings close leads.
            inside_lead = event.inline and stack and stack[-1].event is not None and (
                stack[-1].event.relative == 2 or (stack[-1].event.inline and len(stack) > 1
                                                  and stack[-2].event is not None
                                                  and stack[-2].event.relative == 2)
            )
            while not inside_lead and stack and stack[-1].event and stack[-1].event.relative:
                stack.pop()
            node.rank = LEAF_RANK if event.kind in LEAF_KINDS else order.index(event.kind)
            while stack and stack[-1].rank >= node.rank:
                stack.pop()
        (stack[-1].children if stack else top).append(node)
        stack.append(node)
    _group_titles(top)
    if closing is not None:
        top.append(_Node(None, -1, [], kind="closing", start=closing))

    def close(nodes: list[_Node], end: int) -> None:
        for i, node in enumerate(nodes):
            node.end = nodes[i + 1].start if i + 1 < len(nodes) else end
            close(node.children, node.end)

    close(top, closing if closing is not None else text_len)
    if closing is not None:
        top[-1].end = text_len
    return top


def _group_titles(nodes: list[_Node], parent_heading: str = "") -> None:
    """Nest the headings of each group under its title, at every level: the plain heading
    lines after a group title (``_is_group_heading``), up to the next group title, a heading
    of another kind, a heading that names a topic of the parent's heading (a title of the
    groups' own level: ``房屋`` and ``交通運輸`` in ``（五）土地房屋與交通運輸``), or the end of
    the parent. The text does not say where a group ends otherwise (Hong Kong 2014: ``安老``
    holds ``安老服務計劃方案`` … ``積極樂頤年``, ``助弱`` then holds ``少數族裔`` …)."""
    kept: list[_Node] = []
    title: _Node | None = None
    for node in nodes:
        event = node.event
        _group_titles(node.children, event.heading if event else "")
        plain = event is not None and event.kind == "plain" and event.relative == 1
        if plain and event is not None and event.group and not node.children:
            title = node
        elif not plain or title is None or (event is not None and event.heading in
                                            parent_heading):
            title = None
        else:
            title.children.append(node)
            continue
        kept.append(node)
    nodes[:] = kept


def is_group_title(event: _Event | None, level: int, own_body: int, children: int) -> bool:
    """Whether a section is a group title: an unnumbered heading line (below the top level)
    with subsections and no text of its own — a title above the headings of its group (Hong
    Kong 2014's ``教育`` above ``幼兒教育`` …, ``_group_titles``), or a heading line whose
    sub-headings follow at once (``貿易``). Not a lead sentence whose paragraph goes on into its
    一是 items (national 2010's ``继续实施积极的财政政策。一是保持适度的财政赤字…``): those
    items are its text."""
    return (event is not None and event.kind == "plain" and level > 1 and children > 0
            and own_body < EMPTY_BODY)


def _section_kind(event: _Event) -> str:
    return "continuation" if event.kind == "continuation" else "heading"


def segment(normal: NormalText, *, doc_id: str = "d1", title: str = "") -> Section:
    """Build the section tree of a normalized document; returns the root section.

    The root has ``id == doc_id``, level 0 and spans the whole text. An empty document has a
    root with no children. A document without any heading has one ``body`` section.
    """
    text = normal.text
    lines = _lines(text)
    events = find_headings(text)
    closing = _closing_start(text, lines, events)
    stop = closing if closing is not None else len(text)
    events = sorted(events + _lead_events(text, lines, events, stop), key=lambda e: e.start)
    top = _build_tree(events, len(text), closing)

    first = top[0].start if top else len(text)
    preamble_end = first
    if text[:preamble_end].strip():
        kind = "preamble" if top else "body"
        top.insert(0, _Node(None, -1, [], kind=kind, start=0, end=preamble_end))
    elif top:
        top[0].start = 0  # leading whitespace belongs to the first section

    def to_section(node: _Node, section_id: str, parent: str, level: int) -> Section:
        children = [
            to_section(child, f"{section_id}.{i}", section_id, level + 1)
            for i, child in enumerate(node.children, 1)
        ]
        event = node.event
        heading_end = event.heading_end if event else node.start
        body_end = node.children[0].start if node.children else node.end
        span: Span = (node.start, node.end)
        return Section(
            id=section_id,
            parent=parent,
            level=level,
            label=event.label if event else "",
            heading=event.heading if event else "",
            span=span,
            heading_span=(node.start, heading_end),
            body_span=(heading_end, body_end),
            source_span=normal.to_source(span),
            kind=node.kind if event is None else _section_kind(event),
            children=tuple(children),
            title=is_group_title(event, level, body_end - heading_end, len(children)),
        )

    has_preamble = bool(top) and top[0].kind in ("preamble", "body")
    sections = []
    for i, node in enumerate(top):
        index = i if has_preamble else i + 1
        sections.append(to_section(node, f"{doc_id}/{index}", doc_id, 1))
    whole: Span = (0, len(text))
    return Section(
        id=doc_id,
        parent=None,
        level=0,
        label="",
        heading=title,
        span=whole,
        heading_span=(0, 0),
        body_span=(0, 0),
        source_span=normal.to_source(whole),
        kind="root",
        children=tuple(sections),
    )
