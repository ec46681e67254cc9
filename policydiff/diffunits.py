"""What a word diff (``policydiff.diff``) treats as one unit, and the anchors it folds away, so
that a changed paragraph reads as a few whole changes (issue 13, item 6):

- **Figures are single tokens.** jieba cuts ``3.9万亿元`` into ``3 . 9 万亿元`` and
  ``9月26日`` into four tokens, so a changed figure came out digit by digit
  (``[-3-]{+4+}.[-9-]{+4+}万亿元``, ``7[-00-]{+35+}0亿元``). ``merge_numbers`` joins the tokens
  of each figure (``NUMBER_RE``: a number with its decimals, thousands separators, magnitude
  and unit, a percentage, ``1个百分点``, a range ``3至5年``, a date ``2025年3月5日``) into one
  token, and ``refine_units`` keeps a figure whole inside the character refinement too: a
  changed figure is one replacement ``{-3.9万亿元-}{+4.4万亿元+}``. Only the diff's tokens
  change: the document's tokens (``DocumentTokens``, the cache, the phrase miner) are not.
- **Tiny anchors are absorbed.** ``absorb_tiny_anchors`` folds an unchanged run of at most
  ``TINY_ANCHOR_CHARS`` characters that sits between two larger changes into one change
  (``消费``, ``推进``, ``、``); a sentence end stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.units import MEASURE_UNITS, alternation

Span = tuple[int, int]
TokenOp = tuple[str, int, int, int, int]

EQUAL, REPLACE = "equal", "replace"

_MAGNITUDE = "(?:万亿|千亿|百亿|亿|千万|百万|万|千|百)"
_UNIT = f"(?:{alternation((*MEASURE_UNITS, '岁', '年', '个月', '月', '日', '周'))})"
"""Units of measure (``units.MEASURE_UNITS``) and of time (a date is one token too)."""
_NUMBER = r"\d+(?:[.．]\d+)?(?:,\d{3}(?!\d))*"  # 1,500; a full-width ， separates list items
NUMBER_RE = re.compile(
    rf"\d{{4}}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?"  # 2025年, 2025年3月, 2025年3月5日
    rf"|\d{{1,2}}月\d{{1,2}}日"  # 9月26日
    rf"|{_NUMBER}(?:[-—–~～至到]{_NUMBER})?{_MAGNITUDE}?{_UNIT}?"
)
"""A figure as one unit (see the module docstring). A qualifier (左右, 以上) stays a word of
its own, so that 5%左右 → 5%以上 shows the qualifier changed."""

TINY_ANCHOR_CHARS = 2
"""Longest unchanged run (in characters) that ``absorb_tiny_anchors`` folds into the changes
around it."""


def _figures(text: str) -> list[Span]:
    """Spans of the figures of ``text`` that hold more than one character."""
    return [m.span() for m in NUMBER_RE.finditer(text) if m.end() - m.start() > 1]


def merge_numbers(
    text: str, spans: Sequence[Span], keys: Sequence[str | None]
) -> tuple[list[Span], list[str | None]]:
    """The tokens with every figure of ``text`` joined into one token (widened to the tokens
    it touches, so the result still tiles the text); a joined token's key is its members'
    keys joined (ignored members, key None, left out). Other tokens are kept as they are."""
    figures = _figures(text)
    if not figures:
        return list(spans), list(keys)
    out_spans: list[Span] = []
    out_keys: list[str | None] = []
    f = 0
    k = 0
    while k < len(spans):
        start, end = spans[k]
        while f < len(figures) and figures[f][1] <= start:
            f += 1
        if f < len(figures) and figures[f][0] < end and figures[f][0] >= start:
            stop = figures[f][1]
            parts = [keys[k]]
            while end < stop and k + 1 < len(spans):
                k += 1
                end = spans[k][1]
                parts.append(keys[k])
            kept = [p for p in parts if p is not None]
            out_spans.append((start, end))
            out_keys.append("".join(kept) if kept else None)
        else:
            out_spans.append((start, end))
            out_keys.append(keys[k])
        k += 1
    return out_spans, out_keys


def refine_units(text: str) -> list[Span]:
    """The units a replaced run is refined by: single characters, except that each figure is
    one unit (``3.9万亿元`` against ``4.4万亿元`` is one replacement, not 3→4 and 9→4)."""
    units: list[Span] = []
    pos = 0
    for start, end in _figures(text):
        units.extend((i, i + 1) for i in range(pos, start))
        units.append((start, end))
        pos = end
    units.extend((i, i + 1) for i in range(pos, len(text)))
    return units


def absorb_tiny_anchors(
    token_ops: list[TokenOp],
    a: str,
    a_spans: Sequence[Span],
    b_spans: Sequence[Span],
    sentence_ends: frozenset[str],
) -> list[TokenOp]:
    """Fold short equal runs that sit between two larger changes into one change.

    On rewritten passages difflib (and even more an LCS) keeps a few shared characters such as
    新, 、, 还 or 消费 as matches, which scatters a rewrite into confetti. As in diff-match-patch's
    semantic cleanup, an equal run between two changes is absorbed when it is shorter, in
    characters, than each of them (a change's length being that of its longer side) and at most
    ``TINY_ANCHOR_CHARS`` long: without that cap the merges cascade on prose and swallow
    shared phrases such as 扩大国内需求. A sentence end (``sentence_ends``: 。；…) is structure,
    not an accident, and is never absorbed: the side-by-side rows break at the full stops both
    sides share. Repeated until nothing changes; the result still tiles both texts.
    """

    def chars(spans: Sequence[Span], start: int, end: int) -> int:
        return spans[end - 1][1] - spans[start][0] if end > start else 0

    def size(op: TokenOp) -> int:
        return max(chars(a_spans, op[1], op[2]), chars(b_spans, op[3], op[4]))

    def a_text(op: TokenOp) -> str:
        return a[a_spans[op[1]][0] : a_spans[op[2] - 1][1]]

    def absorbable(op: TokenOp, left: TokenOp, right: TokenOp) -> bool:
        n = size(op)
        if n > TINY_ANCHOR_CHARS or n >= min(size(left), size(right)):
            return False
        return not any(c in sentence_ends for c in a_text(op))

    ops = list(token_ops)
    changed = True
    while changed:
        changed = False
        out: list[TokenOp] = []
        index = 0
        while index < len(ops):
            op = ops[index]
            if (
                op[0] == EQUAL
                and out
                and out[-1][0] != EQUAL
                and index + 1 < len(ops)
                and absorbable(op, out[-1], ops[index + 1])
            ):
                left, right = out.pop(), ops[index + 1]
                out.append((REPLACE, left[1], right[2], left[3], right[4]))
                index += 2
                changed = True
                continue
            out.append(op)
            index += 1
        ops = out
    return ops

