"""Step ``strip_boilerplate``: web chrome and licence trailers, as listed in
``policydiff/data/boilerplate.txt`` (its format is documented at its top)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from policydiff.normalize.state import State

BOILERPLATE_FILE = Path(__file__).resolve().parent.parent / "data" / "boilerplate.txt"

_BODY_LINE_RE = re.compile(r"[^\S\n]*(?:各位代表|同志们|各位委员|主席|女士们|尊敬的)")
_HEAD_MAX_LINES = 40


@dataclass(frozen=True)
class _Boilerplate:
    line: tuple[re.Pattern[str], ...]
    head: tuple[re.Pattern[str], ...]
    lead: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]


def load_boilerplate(path: Path = BOILERPLATE_FILE) -> _Boilerplate:
    """Read the pattern file (format documented at its top). A bad line raises ``ValueError``
    naming the line, because a silently skipped pattern would leave chrome in every report."""
    kinds: dict[str, list[re.Pattern[str]]] = {"line": [], "head": [], "lead": [], "tail": []}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, regex = line.partition(" ")
        regex = regex.strip()
        if kind not in kinds or not regex:
            raise ValueError(f"{path}:{number}: expected 'KIND REGEX', got {raw!r}")
        try:
            if kind == "lead":
                pattern = re.compile(f"(?m)^[^\\S\n]*(?:{regex})")
            else:
                pattern = re.compile(f"(?m)^[^\\S\n]*(?:{regex})[^\\S\n]*$")
        except re.error as exc:
            raise ValueError(f"{path}:{number}: bad regex {regex!r}: {exc}") from exc
        kinds[kind].append(pattern)
    return _Boilerplate(*(tuple(kinds[k]) for k in ("line", "head", "lead", "tail")))


@lru_cache(maxsize=1)
def _boilerplate() -> _Boilerplate:
    return load_boilerplate()


def strip_boilerplate(state: State) -> None:
    """Remove web chrome and licence trailers listed in ``data/boilerplate.txt``.

    Rules: ``line`` patterns remove whole lines anywhere; ``head`` patterns only before the first
    body line (see the data file); ``lead`` patterns remove text at the start of a head line or
    of the first body line; the first ``tail`` match in the last 15 % (at least the last 5,000
    characters) removes its line and everything after it. Each removal is one change.
    """
    text = state.work.text
    patterns = _boilerplate()
    ranges: list[tuple[int, int]] = []

    tail_from = len(text) - max(5000, len(text) * 15 // 100)
    tail_start = len(text)
    for pattern in patterns.tail:
        for m in pattern.finditer(text, max(0, tail_from)):
            tail_start = min(tail_start, m.start())
            break
    if tail_start < len(text):
        ranges.append((tail_start, len(text)))

    head_end, body_end = _head_region(text)
    for pattern in patterns.line:
        ranges.extend(_whole_lines(text, m.start(), m.end()) for m in pattern.finditer(text))
    for pattern in patterns.head:
        ranges.extend(
            _whole_lines(text, m.start(), m.end()) for m in pattern.finditer(text, 0, head_end)
        )
    for pattern in patterns.lead:
        for m in pattern.finditer(text, 0, body_end):
            if m.end() > m.start():
                ranges.append(m.span())

    ranges.sort()
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    state.edit([(s, e, "") for s, e in merged], "strip_boilerplate")


def _whole_lines(text: str, start: int, end: int) -> tuple[int, int]:
    """The matched lines plus their line end."""
    if end < len(text) and text[end] == "\n":
        end += 1
    return (start, end)


def _head_region(text: str) -> tuple[int, int]:
    """(end of the head, end of the first body line) as text positions.

    The head is every line before the first body line: the first salutation (各位代表, 同志们,
    …) or, when there is none, the first line of 50+ characters containing ，or 。 (a photo
    caption before the salutation is long too, so the salutation wins). Only the first 40 lines
    are searched; with no body line among them the head is empty (nothing is removed as head
    chrome).
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    while len(lines) < _HEAD_MAX_LINES and pos <= len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl < 0 else nl
        lines.append((pos, end))
        pos = end + 1
    for start, end in lines:
        if _BODY_LINE_RE.match(text, start, end):
            return start, end
    for start, end in lines:
        stripped = text[start:end].strip()
        if len(stripped) >= 50 and ("，" in stripped or "。" in stripped or "," in stripped):
            return start, end
    return 0, 0


