"""Step ``rejoin_lines``: fragments broken onto lines of their own are joined again, and the
layout settles to one paragraph per line. Headings keep their own lines: what starts like a
heading is :data:`policydiff.markers.HEADING_START_RE`, shared with segmentation."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from policydiff.chars import HAN_OR_ZERO_CLASS, LINE_END, MASK, MASK_LIKE, WIDE_RE
from policydiff.markers import DASH_CHARS, HEADING_START_RE
from policydiff.normalize.offsets import Change, Edit, Work, record_changes
from policydiff.normalize.state import State

_LINE_OPENS_WITH_CLOSER = set("）)」』】》〉”’，、。；：？！,;:?!")  # such a line continues
_TRAILING_CLOSERS = "”’」』）)》】\"' "  # looked through for the end of a sentence
_DIGIT_FRAGMENT_RE = re.compile(r"[0-9.%]{1,8}")
_HAN_WORD_RE = re.compile(f"[{HAN_OR_ZERO_CLASS}]+")
_OFFICE_RE = re.compile(
    f"[{HAN_OR_ZERO_CLASS}]{{0,12}}(?:总理|省长|市长|区长|县长|主席|书记|委员长|行政长官)"
)
_DATELINE_RE = re.compile(f"[{DASH_CHARS}]{{1,2}}[^，。；！？\n]{{0,40}}年[^，。；！？\n]*")
_SHORT_FRAGMENT = 20
_FULL_LINE = 20
_PAIRS = (("“", "”"), ("（", "）"), ("《", "》"), ("「", "」"), ("『", "』"), ("【", "】"))
_OPEN_ENDINGS = set("，、“‘（《「『【(的")  # a line ending so has not ended its sentence
_NO_SPACE_NEIGHBOUR = MASK  # spaces next to a mask stay: "＊ ＊" must not become "＊＊"


def _ends_sentence(line: str) -> bool:
    """The line ends a sentence, or is a bracketed aside such as ``（有议员击桌和拍掌）``."""
    if line[:1] in "（(" and line[-1:] in "）)":
        return True
    stripped = line.rstrip(_TRAILING_CLOSERS)
    return bool(stripped) and stripped[-1] in LINE_END


def _is_heading(line: str, *, dash: bool = True) -> bool:
    """Does the line start with a heading marker? ``dash=False`` does not count ``——``
    bullets, which are paragraphs rather than stand-alone headings."""
    m = HEADING_START_RE.match(line)
    return m is not None and (dash or m.group()[0] not in DASH_CHARS)


def _complete_dateline(line: str) -> bool:
    return _DATELINE_RE.fullmatch(line) is not None and line.rstrip("）)").endswith("上")


def _unclosed(line: str) -> bool:
    """A quote or bracket opened in the last 200 characters is still open at the end (the
    window keeps long joined paragraphs linear)."""
    tail = line[-200:]
    return any(tail.rfind(o) > tail.rfind(c) for o, c in _PAIRS)


def _joins_by_content(prev: str, line: str) -> bool:
    """Join rules that look only at the text (so they hold again on normalized output).

    Each rule is written so that if it is false for a line, it stays false when more text is
    appended to that line: that is what makes the step idempotent.
    """
    if line[0] in _LINE_OPENS_WITH_CLOSER:  # "）浓度…", "。", "》第五条…"
        return True
    if prev[-1] in _OPEN_ENDINGS and not _is_heading(line):  # "…所作的" + "政府工作报告"
        return True
    if _unclosed(prev) and not _ends_sentence(prev) and not _is_heading(line):
        return True  # "成果找市场“双向" + "揭榜"
    if _DIGIT_FRAGMENT_RE.fullmatch(line) and (  # "细颗粒物（PM" + "2.5"
        prev[-1] in "（(" or (prev[-1].isascii() and prev[-1].isalpha())
    ):
        return True
    if _HAN_WORD_RE.fullmatch(line) and (
        (
            len(line) <= 2 and len(prev) <= 20 and (prev + line).endswith("报告")
        )  # "政府工作报" + "告"
        or (len(line) <= 3 and _OFFICE_RE.fullmatch(prev))  # "国务院总理" + "李强"
    ):
        return True
    # "——2026年1月26日在广东省第十四届" + "人民代表大会第五次会议上"
    return (
        _DATELINE_RE.fullmatch(prev) is not None
        and len(prev) <= 40
        and not _complete_dateline(prev)
        and len(line) <= 20
        and re.fullmatch(f"[{HAN_OR_ZERO_CLASS}0-9]+", line) is not None
    )


def _joins_in_blank_line_layout(prev: str, line: str) -> bool:
    """In a document whose paragraphs are separated by blank lines, two lines with no blank
    line between them are pieces of one paragraph (Wikisource splits at every link), except
    that a heading line starts a new paragraph, a finished heading (``（一）…。``, ``一是…。``)
    or a dateline keeps its own line, and after a finished sentence only a short fragment
    (``城市轨道交通``) joins."""
    if _is_heading(line) or _complete_dateline(prev):
        return False
    if _ends_sentence(prev):
        return not _is_heading(prev, dash=False) and len(line) <= _SHORT_FRAGMENT
    return True


def _joins_in_indented_layout(prev: str, line: str, last_line: str) -> bool:
    """In a document whose paragraphs start indented, an unindented line after a full-width
    line (20+ characters) of a paragraph that has not ended is the rest of that paragraph (PDF
    line wrapping in the Hong Kong texts). Headings, titles and stage directions are short
    lines and are never continued this way."""
    if len(last_line) < _FULL_LINE or _complete_dateline(prev):
        return False
    return not (_ends_sentence(prev) or _is_heading(line))


_LETTER_RE = re.compile("[A-Za-zＡ-Ｚａ-ｚ]")  # Latin, either width: words joined by a space


def _join_separator(text: str, gap_start: int, gap_end: int) -> str:
    """What the line break becomes when two lines join: a space between two words
    (``Hong`` + ``Kong``) and between two masks or mask characters (``＊ ＊`` must not become
    ``＊＊``, nor ``×`` + ``×`` become ``××``, which canonical_masks would treat differently on
    a second run), else nothing."""
    left, right = text[gap_start - 1], text[gap_end]
    if _LETTER_RE.match(left) and _LETTER_RE.match(right):
        return " "
    return " " if left == right and left in MASK_LIKE else ""


def _drop_space(left: str, right: str) -> bool:
    """Spaces between two Chinese characters (or a Chinese character and a digit) go."""
    lw = bool(WIDE_RE.match(left)) and left != _NO_SPACE_NEIGHBOUR
    rw = bool(WIDE_RE.match(right)) and right != _NO_SPACE_NEIGHBOUR
    return (
        (lw and rw)
        or (lw and right.isdigit() and right.isascii())
        or (rw and left.isdigit() and left.isascii())
    )


def rejoin_lines(state: State) -> None:
    """Re-join fragments and settle the layout: one paragraph per line.

    Rules:
    - blank lines, indentation and trailing spaces go; paragraphs are separated by exactly one
      ``\\n`` and the text has no leading or trailing whitespace;
    - inside a line, spaces between two Chinese characters, or a Chinese character and a digit,
      go (``政 府 工 作 报 告``, ``李　强``, ``省长 王予波``, ``（一） 引言``); other runs of
      spaces become one space;
    - a line joins the previous paragraph when it starts with closing punctuation, follows a
      line ending in ``，、“（《`` or ``的`` or leaving a quote or bracket open (a sentence
      cannot end there), is a digit
      fragment after ``PM``/``M``/``（``, completes a split title (``政府工作报`` + ``告``), puts a
      name after an office (``国务院总理`` + ``李强``) or completes a broken dateline (see
      :func:`_joins_by_content`);
    - layout signals, used only when the document shows them: blank-line separated paragraphs
      (then consecutive lines are fragments) and indented paragraphs (then an unindented line
      after a full-width line continues an unfinished paragraph);
    - headings (``一、``, ``（一）``, ``一是``, ``1.``, ``——``, ``第一，``) start their own line.
    Two joined words, or two masks, keep one space between them (the line break becomes a
    space).
    """
    work = state.work
    text = work.text
    lines: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        lines.append(_Line.read(text, pos, pos + len(raw)))
        pos += len(raw) + 1
    filled = [ln for ln in lines if not ln.blank]
    if not filled:
        state.edit([(0, len(text), "")] if text else [], "rejoin_lines")
        return
    edits, changes = _gap_edits(work, filled)
    for ln in filled:
        if ln.inner_edits:
            edits.extend(ln.inner_edits)
            changes.extend(record_changes(work, ln.inner_edits, "rejoin_lines"))
    ends = [(0, filled[0].start, ""), (filled[-1].end, len(text), "")]
    ends = [e for e in ends if e[1] > e[0]]
    edits.extend(ends)
    changes.extend(record_changes(work, ends, "rejoin_lines"))
    edits.sort()
    changes.sort(key=lambda c: c.source_span)
    state.apply(edits, changes)


@dataclass(frozen=True)
class _Layout:
    """The layout signals a document shows (see :func:`rejoin_lines`)."""

    blank_lines: bool  # paragraphs separated by blank lines: consecutive lines are fragments
    indented: bool  # paragraphs start indented: an unindented line may continue one

    @classmethod
    def of(cls, text: str, filled: list[_Line]) -> _Layout:
        gaps_with_blank = sum(
            1 for a, b in itertools.pairwise(filled) if text.count("\n", a.end, b.start) > 1
        )
        blank_layout = len(filled) > 4 and gaps_with_blank >= 0.4 * (len(filled) - 1)
        indented = sum(ln.indented for ln in filled)
        indented_layout = indented >= 5 and indented >= 0.1 * len(filled)
        return cls(blank_layout, indented_layout)


def _joins(layout: _Layout, paragraph: str, prev: _Line, line: _Line, consecutive: bool) -> bool:
    """Whether ``line`` joins the paragraph (so far ``paragraph``) that ``prev`` ends."""
    return (
        _joins_by_content(paragraph, line.clean)
        or (
            layout.blank_lines
            and consecutive
            and _joins_in_blank_line_layout(paragraph, line.clean)
        )
        or (
            layout.indented
            and not line.indented
            and _joins_in_indented_layout(paragraph, line.clean, prev.clean)
        )
    )


def _gap_edits(work: Work, filled: list[_Line]) -> tuple[list[Edit], list[Change]]:
    """The edits of the gaps between filled lines (one change per gap): a gap becomes one
    ``\n``, or the join separator when the lines join."""
    text = work.text
    layout = _Layout.of(text, filled)
    edits: list[Edit] = []
    changes: list[Change] = []
    paragraph = filled[0].clean
    for prev, line in itertools.pairwise(filled):
        gap_start, gap_end = prev.end, line.start
        consecutive = text.count("\n", gap_start, gap_end) == 1
        join = _joins(layout, paragraph, prev, line, consecutive)
        first_nl = text.index("\n", gap_start)
        gap_edits: list[Edit] = []
        if gap_start < first_nl:
            gap_edits.append((gap_start, first_nl, ""))
        if join:
            separator = _join_separator(text, gap_start, gap_end)
            paragraph += separator + line.clean
            gap_edits.append((first_nl, first_nl + 1, separator))
        else:
            paragraph = line.clean
        if first_nl + 1 < gap_end:
            gap_edits.append((first_nl + 1, gap_end, ""))
        if gap_edits:
            edits.extend(gap_edits)
            after = "".join(e[2] for e in gap_edits) if join else "\n"
            before = text[gap_start:gap_end]
            changes.append(Change("rejoin_lines", work.span(gap_start, gap_end), before, after))
    return edits, changes


_WHITESPACE_RE = re.compile(r"\s+")


@dataclass
class _Line:
    """One line: its content bounds, whether it was indented, its cleaned content."""

    start: int  # first non-space character
    end: int  # after the last non-space character
    blank: bool
    indented: bool
    clean: str
    inner_edits: list[Edit]

    @classmethod
    def read(cls, text: str, line_start: int, line_end: int) -> _Line:
        raw = text[line_start:line_end]
        stripped = raw.lstrip()
        start = line_start + len(raw) - len(stripped)
        end = line_start + len(raw.rstrip())
        if start >= end:
            return cls(line_start, line_start, True, False, "", [])
        inner: list[Edit] = []
        pieces: list[str] = []
        pos = start
        for m in _WHITESPACE_RE.finditer(text, start, end):
            a, b = m.start(), m.end()
            pieces.append(text[pos:a])
            if _drop_space(text[a - 1], text[b]):
                inner.append((a, b, ""))
            else:
                pieces.append(" ")
                if text[a] != " ":
                    inner.append((a, a + 1, " "))
                if b - a > 1:
                    inner.append((a + 1, b, ""))
            pos = b
        pieces.append(text[pos:end])
        return cls(start, end, False, start > line_start, "".join(pieces), inner)


