"""Steps on Unicode itself: ``nfc`` (composition) and ``strip_invisible`` (invisible
characters, line ends and space characters)."""

from __future__ import annotations

import re
import unicodedata

from policydiff.normalize.offsets import Edit
from policydiff.normalize.state import State

# ---------------------------------------------------------------------------------------------
# 1. nfc
# ---------------------------------------------------------------------------------------------


def nfc(state: State) -> None:
    """Unicode NFC, one edit per changed character cluster (a base and its combining marks).

    Rules: a line whose clusters do not normalize independently (rare: Hangul jamo, some
    scripts) is replaced as a whole, so its characters all map to the whole source line. A
    cluster of more than ``MAX_CLUSTER`` characters (a base under a pile of combining marks,
    as in "Zalgo" text; real text uses a handful) stays as written: putting its marks in
    canonical order costs time quadratic in their number (a 1 MB heading took 25 minutes).
    """
    text = state.work.text
    if unicodedata.is_normalized("NFC", text):
        return
    edits: list[Edit] = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not unicodedata.is_normalized("NFC", line):
            edits.extend(_line_edits(line, m.start()))
    state.edit(edits, "nfc")


MAX_CLUSTER = 64
"""Longest character cluster NFC is applied to (see ``nfc``)."""


def _line_edits(line: str, offset: int) -> list[Edit]:
    """The NFC edits of one line that is not normalized, at ``offset`` in the text."""
    clusters: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(line) + 1):
        if i == len(line) or not (
            unicodedata.combining(line[i]) or "\u1100" <= line[i] <= "\u11ff"
        ):
            clusters.append((start, i))
            start = i
    pieces = [
        unicodedata.normalize("NFC", line[a:b]) if b - a <= MAX_CLUSTER else line[a:b]
        for a, b in clusters
    ]
    if all(b - a <= MAX_CLUSTER for a, b in clusters):
        target = unicodedata.normalize("NFC", line)
        if "".join(pieces) != target:
            return [(offset, offset + len(line), target)]
    return [
        (offset + a, offset + b, piece)
        for (a, b), piece in zip(clusters, pieces, strict=True)
        if piece != line[a:b]
    ]


# ---------------------------------------------------------------------------------------------
# 2. strip_invisible
# ---------------------------------------------------------------------------------------------

_LINE_END_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 except \t \n (\r \x0b \x0c are line ends by now), DEL, C1 except NEL (a line end), and
# the invisible format characters: soft hyphen, zero-width, bidi controls, BOM, tags.
_INVISIBLE = (
    "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0001\U000e0020-\U000e007f"
)
_SPACES = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_INVISIBLE_RE = re.compile(
    f"(?m)^[ {_SPACES}]*[{_INVISIBLE}][ {_SPACES}{_INVISIBLE}]*(?:\n|\\Z)"
    f"|(?P<inv>[{_INVISIBLE}]+)"
    f"|(?P<sp>[{_SPACES}]+)"
)


def strip_invisible(state: State) -> None:
    """Remove invisible characters, unify line ends and space characters.

    Rules: every line end becomes ``\\n``; a line holding only invisible characters (and
    spaces) disappears with its line end, so it neither splits nor separates paragraphs; other
    invisible characters are deleted; NBSP, U+3000, U+2000–U+200A, tabs and the like become one
    ASCII space each (``rejoin_lines`` later removes them at line starts and between Chinese
    characters, and needs to see indentation to do so).
    """
    text = state.work.text
    line_ends = [(m.start(), m.end(), "\n") for m in _LINE_END_RE.finditer(text)]
    state.edit([e for e in line_ends if text[e[0] : e[1]] != "\n"], "strip_invisible")
    edits: list[Edit] = []
    for m in _INVISIBLE_RE.finditer(state.work.text):
        if m.lastgroup == "sp":
            edits.append((m.start(), m.end(), " " * (m.end() - m.start())))
        else:
            edits.append((m.start(), m.end(), ""))
    state.edit(edits, "strip_invisible")
