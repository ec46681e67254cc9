"""Character classes: the one table of what counts as a Han character, a mask, a sentence end
and punctuation. Every module takes these from here; none writes its own ranges.

Several modules need a *different* notion of "sentence end" (segmentation cuts a heading at a
full stop, the diff also breaks sentences at ``；`` and newlines, line rejoining also accepts
``：`` and ``…`` as line ends). Each notion has its own name below, saying what it is for.
"""

from __future__ import annotations

import re
import sys


class LazyPattern:
    """A regular expression compiled on first use: a class of the astral Han ranges takes
    about 20 ms to compile, paid at start-up by every command otherwise, whether it needs the
    pattern or not (a cached document is never decoded or normalized again)."""

    __slots__ = ("_compiled", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.search(string, pos, endpos)


# --------------------------------------------------------------------------- Han characters

HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0x3400, 0x4DBF),  # Extension A
    (0x20000, 0x3134F),  # Extensions B-G (astral)
    (0xF900, 0xFAFF),  # Compatibility Ideographs
)
"""Code point ranges of CJK ideographs."""

UNIFIED_AND_EXT_A_RANGES: tuple[tuple[int, int], ...] = HAN_RANGES[:2]
"""The basic block and Extension A only (the first two of ``HAN_RANGES``): where the phrase
finder's word boundaries read a single-character token as a piece of a word the dictionary
did not know (``phrases.trim.boundary_array``)."""

IDEOGRAPHIC_ZERO = "\u3007"
"""〇, as in 二〇三五年: a Han character for counting purposes (phrases, normalization)."""

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""The body of a regex character class matching one ideograph (without 〇)."""

HAN_OR_ZERO_CLASS = IDEOGRAPHIC_ZERO + HAN_CLASS
"""The body of a regex character class matching one ideograph or 〇."""

HAN_RE = LazyPattern(f"[{HAN_CLASS}]")
HAN_OR_ZERO_RE = re.compile(f"[{HAN_OR_ZERO_CLASS}]")

UNIFIED_FIRST, UNIFIED_LAST = "\u4e00", "\u9fff"
"""The basic block of CJK Unified Ideographs: what the aligner and segmentation test for when
they ask whether a word or line has Chinese in it."""


def is_han(char: str) -> bool:
    """True for a CJK ideograph or 〇 (the unit phrases are measured in)."""
    code = ord(char)
    return char == IDEOGRAPHIC_ZERO or any(lo <= code <= hi for lo, hi in HAN_RANGES)


def has_unified_han(text: str) -> bool:
    """Whether ``text`` holds a character of the basic CJK Unified Ideographs block."""
    return any(UNIFIED_FIRST <= ch <= UNIFIED_LAST for ch in text)


# --------------------------------------------------------------------------- masks

MASK = "＊"
"""The canonical mask character: normalization folds ``**``, ``xx``, ``××``, ``○○`` to it."""

MASK_LIKE = (MASK, "×", "○")
"""Characters that mask a name or number when repeated (two of them never join into one)."""

MASK_RUN_RE = re.compile(r"[＊*]+|[xXｘＸ×]{2,}")
"""A run of mask characters as it may appear in text that was not normalized."""

# --------------------------------------------------------------------------- sentence ends

SENTENCE_END = "。！？!?"
"""Full stops: where a heading's first sentence ends (segmentation)."""

CLAUSE_END = "，；：,;:"
"""Clause ends: where an over-long heading sentence is cut."""

FINAL_PUNCT = "。！？!?；;：:，,、…"
"""Punctuation a heading line may not end with (else it is a sentence, not a heading)."""

CITED_SENTENCE_END = SENTENCE_END + "\n"
"""Where a sentence quoted beside a figure or a formulation ends (the change report): a full
stop or the end of its paragraph."""

CITED_CLAUSE_END = CLAUSE_END + CITED_SENTENCE_END
"""Where a clause ends for the change report (a rename's context)."""

DIFF_SENTENCE_END = frozenset("。！？；!?;\n")
"""Where the diff ends a sentence when it looks for moved sentences (``；`` and a newline
too: list items in reports end in ``；``)."""

LINE_END = frozenset("。！？；：…!?;:.")
"""A line ending in one of these has ended its sentence (line rejoining)."""

PHRASE_BARRIERS = frozenset("\n\r\u2029。！？；" + MASK + "*")
"""Characters no phrase may contain: paragraph and sentence ends, and masks (ASCII ``*`` too,
in case the input was not normalized)."""

# --------------------------------------------------------------------------- punctuation

EDGE_PUNCTUATION = "，,、。！？；!?;：:"
"""Punctuation stripped from the ends of a sentence or clause shown as moved text."""

MOVE_TAIL_PUNCTUATION = "，,、：:"
"""Punctuation trimmed from the end of a moved piece (a full stop there is kept: it ends the
moved sentence)."""

NOT_PUNCTUATION = frozenset("%％‰‱#＃&＆@＠*＊")
"""Signs that carry meaning and stay when the diff ignores punctuation."""

NO_LINE_START = frozenset("，。、；：！？）】》」』〉〕〗〙｝］”’…‥·,.;:!?)]}")
"""Closing punctuation that must not begin a soft-wrapped line (the line-start rule of
Chinese typesetting): the character before it goes to the next line with it."""

NO_LINE_END = frozenset("（【《「『〈〔〖〘｛［“‘([{")
"""Opening punctuation that must not end a soft-wrapped line: it goes to the next line with
the text it opens."""

HALF_TO_FULL_PUNCT = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
"""Punctuation that width folding turns full-width in a Chinese context."""

# --------------------------------------------------------------------------- Chinese context

WIDE_CLASS = (
    HAN_OR_ZERO_CLASS
    + "\u2014\u2018-\u201f\u2026\u2e80-\u2fdf\u3000-\u3006\u3008-\u303f\u3040-\u30ff"
    + "\u3100-\u312f\u3200-\u33ff\ue000-\uf8ff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20"
    + "\uff3b-\uff40\uff5b-\uff65\uffe0-\uffee"
)
"""The body of a regex class of "wide" characters, which give a Chinese context: Han and 〇,
CJK and full-width punctuation, curly quotes, dashes, kana, private-use code points (Hong Kong
texts put HKSCS characters there). Full-width digits and letters are not wide: width folding
turns them into ASCII. Width folding turns ASCII punctuation next to a wide character
full-width; line rejoining removes a space between two of them."""

WIDE_RE = LazyPattern(f"[{WIDE_CLASS}]")


OPEN_QUOTES = "“「『"
CLOSE_QUOTES = "”」』"
OPEN_BRACKETS = OPEN_QUOTES + "《（(【〔"
CLOSE_BRACKETS = CLOSE_QUOTES + "》）)】〕"


def after_unopened(text: str, start: int = 0, end: int | None = None) -> int:
    """Where ``text[start:end]`` goes on after its last closing bracket or quote that nothing
    in it opened (``start`` when there is none): the text began inside brackets
    (``事”重点事项清单`` goes on at ``重点``)."""
    end = len(text) if end is None else end
    depth, cut = 0, start
    for k in range(start, end):
        char = text[k]
        if char in OPEN_BRACKETS:
            depth += 1
        elif char in CLOSE_BRACKETS:
            depth, cut = (depth - 1, cut) if depth else (0, k + 1)
    return cut
