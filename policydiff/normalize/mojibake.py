"""Step ``detect_mojibake``: changes nothing; reports suspect garbled spans as warnings."""

from __future__ import annotations

import bisect
import re

from policydiff.chars import HAN_OR_ZERO_CLASS
from policydiff.normalize.offsets import short_repr
from policydiff.normalize.pinyin import TONE_LETTERS
from policydiff.normalize.state import State

MAX_MOJIBAKE_WARNINGS = 10

_SUSPECT_RES = (
    re.compile("\ufffd+"),  # decoding already failed
    re.compile("(?:锟斤拷)+|烫{3,}|屯{3,}"),  # classic UTF-8/GBK debris
    # a lost character: 麒麟?yún
    re.compile(f"(?<=[{HAN_OR_ZERO_CLASS}])\\?(?![\\s”’」』）)】》\"']|$)"),
    # pinyin letters with tone marks outside a clean annotation: "?zhí)", "L(fēng)", "。ǘ┬"
    # (matches start only where a run of letters starts, and the run is read once: without
    # the lookbehind and the possessive quantifiers a long run without ")" was quadratic)
    re.compile(
        f"(?<![a-zü{TONE_LETTERS}])[a-zü]*+[{TONE_LETTERS}][a-zü{TONE_LETTERS}]*+(?=[)）])"
    ),
    re.compile(f"(?<=[^\\x00-\\x7f])[a-zü]*[{TONE_LETTERS}]"),
    re.compile(f"[{TONE_LETTERS}][a-zü{TONE_LETTERS}]*(?=[^\\x00-\\x7f])"),
)
# Three or more UTF-8 encoded CJK characters hidden in GBK bytes: UTF-8 text read as GBK.
# On the corpus and the seeds this has no false positive.
_UTF8_IN_GBK_RE = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){3,}")
_PUA_RE = re.compile("[\ue000-\uf8ff]")  # the BMP private-use area


def detect_mojibake(state: State) -> None:
    """Warnings for suspect garbled spans; the text is not changed.

    Signals: U+FFFD runs; 锟斤拷/烫烫烫; an ASCII ``?`` right after a Han character that does not
    end a clause; pinyin letters with tone marks outside a clean annotation; UTF-8 read as GBK
    (three or more characters whose GBK bytes are valid UTF-8 CJK). Hits closer than 8
    characters merge into one span; at most 10 spans are listed, then a count. Private-use code
    points (unmapped Hong Kong characters) get one summary line.
    """
    work, source = state.work, state.source
    text = work.text
    merged = _suspect_spans(text)
    for start, end in merged[:MAX_MOJIBAKE_WARNINGS]:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        start, end = max(line_start, start - 3), min(line_end, end + 3)
        s, e = work.span(start, end)
        state.warnings.append(f"mojibake at source {s}-{e}: {short_repr(source[s:e], 60)}")
    if len(merged) > MAX_MOJIBAKE_WARNINGS:
        state.warnings.append(
            f"mojibake: {len(merged) - MAX_MOJIBAKE_WARNINGS} more suspect spans not listed"
        )
    pua = [m.start() for m in _PUA_RE.finditer(text)]
    if pua:
        first = work.starts[pua[0]]
        state.warnings.append(
            f"private-use characters: {len(pua)} (font-specific glyphs such as unmapped Hong Kong"
            f" characters), first at source {first}: {source[first]!r}"
        )


def _suspect_spans(text: str) -> list[list[int]]:
    """Every suspect ``[start, end]`` of the text, in order; hits closer than 8 merged."""
    hits: list[tuple[int, int]] = []
    for regex in _SUSPECT_RES:
        hits.extend(m.span() for m in regex.finditer(text) if m.end() > m.start())
    hits.extend(_utf8_in_gbk(text))
    hits.sort()
    merged: list[list[int]] = []
    for start, end in hits:
        if merged and start <= merged[-1][1] + 8:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _utf8_in_gbk(text: str) -> list[tuple[int, int]]:
    data = text.encode("gbk", errors="replace")
    found = [m.span() for m in _UTF8_IN_GBK_RE.finditer(data)]
    if not found:
        return []
    # byte offset -> character offset (GBK: ASCII one byte, everything else two; an
    # unencodable character was replaced by one "?" byte)
    offsets: list[int] = []
    pos = 0
    for c in text:
        offsets.append(pos)
        if c.isascii():
            pos += 1
        else:
            try:
                pos += len(c.encode("gbk"))
            except UnicodeEncodeError:
                pos += 1
    spans = []
    for start, end in found:
        a = bisect.bisect_right(offsets, start) - 1
        b = bisect.bisect_left(offsets, end)
        if b > a:
            spans.append((a, b))
    return spans

