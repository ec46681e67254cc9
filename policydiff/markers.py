"""Heading markers: the one list of how a report numbers its headings (``一、``, ``（一）``,
``第一，``, ``1.``, ``①``, ``一是``, ``——``).

Two readers take their patterns from here, and ask different questions:

- segmentation (``policydiff.segment``) reads a marker as the *number of a section*:
  :data:`SECTION_MARKERS` and :data:`MID_PARAGRAPH_ITEM`, whose group 1 is the number. It must
  be sure: ``二〇二四、`` is not a section number, ``①`` is;
- line rejoining (``policydiff.normalize.lines``) only asks whether a line *starts like a
  heading*, to keep it on a line of its own instead of joining it to the previous paragraph:
  :data:`HEADING_START_RE`. It is wider in some places (zeros in numerals, up to three
  characters in brackets, ``第一章``, a single dash, annex and glossary titles, note marks)
  and narrower in others (``一要`` items, ``①``, ``一百是``: not heading starts for it).

The pieces both share are named first; then each reader's patterns, built from them.
"""

from __future__ import annotations

import re

from policydiff.chars import SENTENCE_END

# --------------------------------------------------------------------------- shared pieces

CN_NUMERALS = "一二三四五六七八九十"
"""The Chinese numerals of a number from 1 to 99 (``十二``)."""

CN_DIGITS = CN_NUMERALS + "百"
"""Chinese numerals a marker may be written with (``一百``; values come from ``cn_number``)."""

CN_ZEROS = "零〇"
"""Zeros: never in a section number, but a line starting ``二〇…、`` still looks like one."""

OPENING_BRACKETS = "（("
CLOSING_BRACKETS = "）)"

CN_NUMBER_END = "、．."
"""What follows a Chinese numeral in ``一、``, ``二．``, ``三.``."""

ORDINAL_END = "，、,"
"""What follows an ordinal in ``第一，``."""

ARABIC_MARKER = r"(\d{1,2})[.．、](?!\d)"
"""``1.``, ``2．``, ``3、`` (never a decimal number such as ``1.5``); group 1 is the number."""

CIRCLED_DIGITS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

ITEM_WORDS = ("是", "要")
"""``一是…``, ``二要…``: list items introduced by a numeral and a verb."""

DASH_CHARS = "—―"
"""The em dash and the horizontal bar, as in ``——`` bullets and ``——2024年…`` datelines."""

# --------------------------------------------------------------------------- segmentation

_ITEM = f"([{CN_DIGITS}]+)(?:{'|'.join(ITEM_WORDS)})(?=[^，,。、是])"

SECTION_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren_cn", re.compile(rf"[{OPENING_BRACKETS}]([{CN_DIGITS}]+)[{CLOSING_BRACKETS}]\s*")),
    ("cn", re.compile(rf"([{CN_DIGITS}]+)[{CN_NUMBER_END}]\s*(?=\S)")),
    ("ordinal", re.compile(rf"第([{CN_DIGITS}]+)[{ORDINAL_END}]\s*")),
    ("paren_arabic", re.compile(rf"[{OPENING_BRACKETS}](\d{{1,2}})[{CLOSING_BRACKETS}]\s*")),
    ("arabic", re.compile(rf"{ARABIC_MARKER}\s*")),
    ("circled", re.compile(rf"([{CIRCLED_DIGITS}])\s*")),
    ("shi", re.compile(_ITEM)),
    ("dash", re.compile(r"(——|－－|--)(?=\S)")),
)
"""Numbered marker kinds at the start of a paragraph, in the order they are tried:
``(kind, pattern)``; group 1 is the number (the dash itself for ``dash``)."""

MID_PARAGRAPH_ITEM = re.compile(rf"(?<=[{SENTENCE_END}])\s*{_ITEM}")
"""``一是`` in the middle of a paragraph, right after a sentence end; group 1 is the number."""

# --------------------------------------------------------------------------- line rejoining

STANDALONE_TITLES = ("附件", "附录", "名词解释")
"""Titles that rejoining keeps on their own line (annexes, glossary); segmentation has no
number for them (they can only be plain heading lines there)."""

ORDINAL_UNITS = "章节部分篇条"
"""``第一章``, ``第二节``, ``第三部分``, ``第四篇``, ``第五条``: rejoining only (segmentation
numbers ``第一，`` items, not chapters)."""

NOTE_MARK = r"［\d+］"
"""A note mark ``［1］`` at the start of a line (rejoining only)."""

_ANY_NUMERAL = CN_DIGITS + CN_ZEROS

HEADING_START_RE = re.compile(
    "(?:"
    f"[{_ANY_NUMERAL}]+[{CN_NUMBER_END}]"
    rf"|[{OPENING_BRACKETS}][{_ANY_NUMERAL}\d]{{1,3}}[{CLOSING_BRACKETS}]"
    rf"|第[{_ANY_NUMERAL}\d]+[{ORDINAL_UNITS}{ORDINAL_END}]"
    f"|[{CN_NUMERALS}]+{ITEM_WORDS[0]}"
    f"|{ARABIC_MARKER}"
    f"|[{DASH_CHARS}]"
    f"|{'|'.join(STANDALONE_TITLES)}|{NOTE_MARK}"
    ")"
)
"""A line that starts like a heading (match at the line start): line rejoining never joins
it to the paragraph before. ``[—―]`` bullets match too (see ``DASH_CHARS``)."""
