"""The offset map: the working text, the edits steps make to it, and the one place they are
applied.

Every normalized character keeps the ``[start, end)`` span of the decoded source it came from
(parallel lists ``starts``/``ends`` in :class:`Work`). Steps never touch those lists: they
describe their edits as ``(start, end, replacement)`` and :func:`apply_edits` composes the map.
:func:`record_changes` turns the same edits into the :class:`Change` entries of the trace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Span = tuple[int, int]

Edit = tuple[int, int, str]
"""Replace ``text[start:end]`` with the string; ``end > start`` always (no insertions)."""


@dataclass(frozen=True)
class Change:
    """One edit made by one step: ``before`` at ``source_span`` in the source became ``after``.

    ``before`` is the text as the step saw it (an earlier step may already have changed it,
    e.g. converted it to Simplified); ``source_span`` always locates it in the decoded source.
    Neighbouring edits of one step are reported as one change.
    """

    step: str
    source_span: Span
    before: str
    after: str


@dataclass
class Work:
    """Text being normalized with its offset map (parallel lists, one entry per character)."""

    text: str
    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, source: str) -> Work:
        """The untouched source: every character maps to itself."""
        return cls(source, list(range(len(source))), list(range(1, len(source) + 1)))

    def span(self, start: int, end: int) -> Span:
        """The source span of ``text[start:end]`` (``end > start``)."""
        return (self.starts[start], self.ends[end - 1])


def apply_edits(work: Work, edits: Sequence[Edit]) -> Work:
    """Apply sorted, non-overlapping edits and compose the offset map.

    An edit of equal length maps character for character; any other edit maps each new
    character to the source span of the whole replaced range. Insertions (empty ranges) are
    refused: every normalized character must come from somewhere in the source.
    """
    if not edits:
        return work
    text, starts, ends = work.text, work.starts, work.ends
    parts: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    pos = 0
    for start, end, repl in edits:
        if not pos <= start < end:
            raise ValueError(f"bad edit {start}:{end} after {pos}")
        parts.append(text[pos:start])
        new_starts.extend(starts[pos:start])
        new_ends.extend(ends[pos:start])
        if repl:
            parts.append(repl)
            if len(repl) == end - start:
                new_starts.extend(starts[start:end])
                new_ends.extend(ends[start:end])
            else:
                new_starts.extend([starts[start]] * len(repl))
                new_ends.extend([ends[end - 1]] * len(repl))
        pos = end
    parts.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return Work("".join(parts), new_starts, new_ends)


def record_changes(work: Work, edits: Sequence[Edit], step: str) -> list[Change]:
    """One :class:`Change` per group of touching edits (seen against ``work`` before applying)."""
    changes: list[Change] = []
    i = 0
    while i < len(edits):
        j = i + 1
        while j < len(edits) and edits[j][0] == edits[j - 1][1]:
            j += 1
        start, end = edits[i][0], edits[j - 1][1]
        after = "".join(e[2] for e in edits[i:j])
        changes.append(Change(step, work.span(start, end), work.text[start:end], after))
        i = j
    return changes


def short_repr(s: str, width: int = 40) -> str:
    """``repr(s)``, shortened in the middle when longer than ``width`` (traces and warnings)."""
    if len(s) <= width:
        return repr(s)
    return repr(s[: width - 10] + "…" + s[-8:]) + f" ({len(s)} chars)"
