"""Step ``fold_width``: full-width digits and letters to ASCII, ASCII punctuation in Chinese
context to full width, so that the same report typed two ways compares equal."""

from __future__ import annotations

import re

from policydiff.chars import HALF_TO_FULL_PUNCT, WIDE_RE
from policydiff.normalize.masks import SKIP_RUN_RE, mask_runs, outer
from policydiff.normalize.offsets import Edit
from policydiff.normalize.state import State

_DIGIT_RE = re.compile("[0-9０-９]")  # in either width: "," and ":" between two stay ASCII
_FULLWIDTH_ALNUM_RE = re.compile("[０-９Ａ-Ｚａ-ｚ]+")
# Spaces inside a number go with the folded sign: "8 ．8 ％" (national-1998) → "8.8%".
_PERCENT_RE = re.compile("(?<=[0-9０-９])[^\\S\n]*％|％")
_DECIMAL_POINT_RE = re.compile("(?<=[0-9０-９])[^\\S\n]*．[^\\S\n]*(?=[0-9０-９])")
_ASCII_FOLDABLE_RE = re.compile("[" + re.escape("".join(HALF_TO_FULL_PUNCT)) + "]")
_CLAUSE_END_AFTER = set("”’」』）)】》\"'")  # what may follow a "?" or "!" that ends a clause


def fold_width(state: State) -> None:
    """Fold widths so that the same report typed two ways compares equal.

    Rules:
    - full-width digits and Latin letters become ASCII; ``％`` becomes ``%``; ``．`` between two
      digits becomes ``.``; spaces between a digit and these signs go with them
      (``8 ．8 ％`` → ``8.8%``);
    - ASCII ``, : ; ( ) ? !`` become ``，：；（）？！`` when the nearest real character on
      either side is Chinese (Han or CJK punctuation), looking through spaces, line breaks,
      other such punctuation and masks; ``,`` and ``:`` between two digits stay (``1,200``,
      ``10:30``); ``?`` and ``!`` fold only at the end of a clause (followed by a space, a line
      end, a closing quote or bracket, or nothing): an ASCII ``?`` directly followed by a
      character is a lost character in garbled text (``麒麟?yún``) and must stay visible;
    - brackets are paired (across lines); when one of a pair is or becomes full-width, so does
      the other: ``(一)`` → ``（一）``, ``(来源：中国政府网）`` → ``（来源：中国政府网）``.
    English in English context (``Hong Kong (HK), 2017``) is left alone.
    """
    text = state.work.text
    edits = _number_edits(text)
    wide = _folding_punctuation(text)
    _pair_brackets(text, wide)
    for i in wide:
        edits[i] = (i, i + 1, HALF_TO_FULL_PUNCT[text[i]])
    state.edit([edits[k] for k in sorted(edits)], "fold_width")


def _number_edits(text: str) -> dict[int, Edit]:
    """Full-width digits and letters, ``％`` and a decimal ``．``, keyed by their start."""
    edits: dict[int, Edit] = {}
    for m in _FULLWIDTH_ALNUM_RE.finditer(text):
        folded = "".join(chr(ord(c) - 0xFEE0) for c in m.group())
        edits[m.start()] = (m.start(), m.end(), folded)
    for m in _PERCENT_RE.finditer(text):
        edits[m.start()] = (m.start(), m.end(), "%")
    for m in _DECIMAL_POINT_RE.finditer(text):
        edits[m.start()] = (m.start(), m.end(), ".")
    return edits


def _folding_punctuation(text: str) -> set[int]:
    """Positions of the ASCII punctuation that is in Chinese context and folds."""
    n = len(text)
    opaque = mask_runs(text)
    wide: set[int] = set()
    for m in SKIP_RUN_RE.finditer(text):
        if not _ASCII_FOLDABLE_RE.search(text, m.start(), m.end()):
            continue
        left = outer(text, m.start(), -1, opaque)
        right = outer(text, m.end(), 1, opaque)
        if not ((left and WIDE_RE.match(left)) or (right and WIDE_RE.match(right))):
            continue
        for i in range(m.start(), m.end()):
            c = text[i]
            if (
                c in ",:"
                and 0 < i < n - 1
                and _DIGIT_RE.match(text, i - 1)
                and _DIGIT_RE.match(text, i + 1)
            ):
                continue
            if (
                c in "?!"
                and i + 1 < n
                and not (text[i + 1].isspace() or text[i + 1] in _CLAUSE_END_AFTER)
            ):
                continue
            if c in HALF_TO_FULL_PUNCT:
                wide.add(i)
    return wide


def _pair_brackets(text: str, wide: set[int]) -> None:
    """Add to ``wide`` the ASCII bracket paired with a full-width or folding one."""
    stack: list[int] = []
    for m in re.finditer("[()（）]", text):
        i = m.start()
        if text[i] in "(（":
            stack.append(i)
        elif stack:
            o = stack.pop()
            if o in wide or i in wide or text[o] == "（" or text[i] == "）":
                for k in (o, i):
                    if text[k] in "()":
                        wide.add(k)
