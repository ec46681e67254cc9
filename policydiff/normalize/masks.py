"""Step ``canonical_masks``, and the masks ``fold_width`` looks through.

A masked name or number (``**区``, ``xx市``, ``××``, ``○○``, ``***.**``) becomes the single
token :data:`policydiff.chars.MASK`. ``fold_width`` runs before this step and must judge the
context of a punctuation mark the same way before and after masks are replaced, so the mask
runs and the look-through rule (:func:`outer`) live here for both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.chars import HAN_OR_ZERO_RE, MASK
from policydiff.normalize.state import State

ALNUM_RE = re.compile("[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
"""A Latin letter or digit, in either width (next to one, ``x`` and ``*`` are not masks)."""

# When fold_width and canonical_masks look for the character next to a punctuation mark or
# a mask, they look through whitespace, other foldable punctuation and asterisks, so that the
# answer does not change when a later step removes spaces or line breaks.
_SKIP_CLASS = r"\s,:;?!()，：；？！（）*＊"
_SKIP_RE = re.compile(f"[{_SKIP_CLASS}]")
SKIP_RUN_RE = re.compile(f"[{_SKIP_CLASS}]+")
"""A run of what :func:`outer` looks through (whitespace, foldable punctuation, asterisks)."""


# A single upper-case X is a name, not a mask: "香港X科技创业平台", "“1+N+X”规划体系".
_X_RUN_RE = re.compile(r"[xXｘＸ]{2,}(?:[.．][xXｘＸ]+)*|[xｘ](?:[.．][xXｘＸ]+)*")
# When judging an x-run, look through punctuation and the units and joiners of a masked
# number: "增长x%、xx%", "“x+x+x”", "收回x#、x#地块", "以“xx”经济走廊".
_X_SKIP_RE = re.compile(f"[{_SKIP_CLASS}%#+、。“”‘’《》「」【】〈〉…—/～~·\\-]")
_TIMES_RUN_RE = re.compile("×{2,}")
_CIRCLE_RUN_RE = re.compile("○{2,}")
_NUMERAL_CHARS = set("0123456789〇○零一二三四五六七八九十百千万两年")


def outer(
    text: str, pos: int, direction: int, opaque: Runs, skip: re.Pattern[str] = _SKIP_RE
) -> str:
    """The first character before ``pos`` (direction -1) or at/after ``pos`` (+1) that is not
    whitespace, foldable punctuation, an asterisk or inside an ``opaque`` run; ``""`` at an end.

    ``opaque`` holds mask runs that are looked through as a whole.
    """
    n = len(text)
    while True:
        if direction < 0:
            j = pos - 1
            while j >= 0 and skip.match(text, j):
                j -= 1
            if j < 0:
                return ""
            if j + 1 in opaque.back:
                pos = opaque.back[j + 1]
                continue
            return text[j]
        j = pos
        while j < n and skip.match(text, j):
            j += 1
        if j >= n:
            return ""
        if j in opaque.fwd:
            pos = opaque.fwd[j]
            continue
        return text[j]


@dataclass
class Runs:
    """Mask runs: ``fwd`` maps each start to its end, ``back`` each end to its start (two maps,
    because one run can end where the next begins: ``xx××``)."""

    fwd: dict[int, int]
    back: dict[int, int]

    def add(self, start: int, end: int) -> None:
        self.fwd[start] = end
        self.back[end] = start

    def copy(self) -> Runs:
        return Runs(dict(self.fwd), dict(self.back))


def mask_runs(text: str) -> Runs:
    """Masks other than asterisk runs.

    Rules:
    - two or more ``×`` (U+00D7); a single ``×`` is multiplication (``7×24小时``);
    - two or more ``○`` (U+25CB) unless next to a numeral (``二○○○年`` is a year);
      ``〇`` (U+3007) is the numeral zero and is never a mask;
    - x-runs (``x``, ``xx``, ``XX``, ``ｘｘ``, ``xx.xx``, ``x.x``; a single upper-case ``X`` is a
      name as in ``1+N+X``, never a mask) that touch no ASCII letter or
      digit, with a Han character as the nearest real character on either side of their
      cluster (masks and x-runs separated only by spaces, punctuation, asterisks, ``%``, ``#``
      or ``+``, such as ``xx、xx市`` or ``增长x%、xx%``): ``xx市``, ``第x名``, ``x+x专项行动``
      are masks; ``xxx-large``, ``0xFF``, ``x86``, ``xA级``, ``3 x 4`` and ``the xx band``
      are not.
    Fold_width looks through these runs (and asterisks) when it judges the context of a
    punctuation mark, so its answer is the same before and after the masks are replaced.
    """
    opaque = Runs({}, {})
    for m in _TIMES_RUN_RE.finditer(text):
        opaque.add(m.start(), m.end())
    for m in _CIRCLE_RUN_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before not in _NUMERAL_CHARS and after not in _NUMERAL_CHARS:
            opaque.add(m.start(), m.end())
    runs: list[tuple[int, int]] = []
    for m in _X_RUN_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if (before and ALNUM_RE.match(before)) or (after and ALNUM_RE.match(after)):
            continue
        runs.append((m.start(), m.end()))
    symbols = opaque.copy()
    i = 0
    while i < len(runs):
        j = i + 1
        while j < len(runs) and _only_skippable(text, runs[j - 1][1], runs[j][0], symbols):
            j += 1
        left = outer(text, runs[i][0], -1, symbols, _X_SKIP_RE)
        right = outer(text, runs[j - 1][1], 1, symbols, _X_SKIP_RE)
        if (left and HAN_OR_ZERO_RE.match(left)) or (right and HAN_OR_ZERO_RE.match(right)):
            for start, end in runs[i:j]:
                opaque.add(start, end)
        i = j
    return opaque


def _only_skippable(text: str, start: int, end: int, opaque: Runs) -> bool:
    pos = start
    while pos < end:
        if _X_SKIP_RE.match(text, pos):
            pos += 1
        elif pos in opaque.fwd:
            pos = opaque.fwd[pos]
        else:
            return False
    return True




_ASTERISK_RUN_RE = re.compile(r"[*＊]+")


def canonical_masks(state: State) -> None:
    """Replace every masked name or number by the single token :data:`MASK` (``＊``).

    Rules:
    - a run of ``*``/``＊`` is a mask unless the nearest non-space character on both sides is
      an ASCII letter or digit (or the text ends): ``**区``, ``第*名``, ``*%`` are masks,
      ``2*3`` and ``a * b`` are not;
    - ``××``, ``○○`` and x-runs as in :func:`mask_runs` (``xx市``, ``XX``, ``ｘｘ``);
    - ``某某`` is an ordinary word and is not treated as a mask;
    - neighbouring masks, and masks joined by ``.`` (``***.**``), merge into one ``＊``.
    """
    text = state.work.text
    opaque = mask_runs(text)
    pieces: list[tuple[int, int]] = list(opaque.fwd.items())
    for m in _ASTERISK_RUN_RE.finditer(text):
        if _ascii_side(text, m.start(), -1, opaque) and _ascii_side(text, m.end(), 1, opaque):
            continue
        pieces.append(m.span())
    pieces.sort()
    merged: list[list[int]] = []
    for start, end in pieces:
        if merged and (
            start <= merged[-1][1] or (start == merged[-1][1] + 1 and text[merged[-1][1]] in ".．")
        ):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    edits = [(s, e, MASK) for s, e in merged if text[s:e] != MASK]
    state.edit(edits, "canonical_masks")


def _ascii_side(text: str, pos: int, direction: int, opaque: Runs) -> bool:
    """True when the nearest non-space character on that side is an ASCII letter or digit
    (not part of a masked x-run) or there is none."""
    if direction < 0:
        j = pos - 1
        while j >= 0 and text[j].isspace():
            j -= 1
        if j < 0:
            return True
        return bool(ALNUM_RE.match(text, j)) and j + 1 not in opaque.back
    j = pos
    while j < len(text) and text[j].isspace():
        j += 1
    if j >= len(text):
        return True
    return bool(ALNUM_RE.match(text, j)) and j not in opaque.fwd

