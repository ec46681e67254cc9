"""Normalization: named text steps with an offset map back to the decoded source.

INTERFACE STUB (being implemented). The public shapes below are fixed; the steps are not yet.
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Change:
    """One edit made by one step: ``before`` at ``source_span`` in the source became ``after``."""

    step: str
    source_span: Span
    before: str
    after: str


@dataclass(frozen=True)
class NormalizeConfig:
    """Which steps run. Every step is on by default."""

    nfc: bool = True
    strip_invisible: bool = True
    strip_pinyin: bool = True
    to_simplified: bool = True
    fold_width: bool = True
    canonical_masks: bool = True
    strip_boilerplate: bool = True
    rejoin_lines: bool = True
    detect_mojibake: bool = True


@dataclass(frozen=True)
class NormalText:
    """Normalized text plus, for every normalized character, its span in the source.

    ``starts[i]``/``ends[i]`` give the source span of ``text[i]``. Paragraphs are separated by a
    single ``\\n``; blank lines and leading indentation are gone.
    """

    text: str
    source: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    script: str
    changes: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_source(self, span: Span) -> Span:
        """Map a normalized ``[start, end)`` span to the source span it came from."""
        start, end = span
        if start >= end:
            pos = self.starts[start] if start < len(self.starts) else len(self.source)
            return (pos, pos)
        return (self.starts[start], self.ends[end - 1])


def normalize(source: str, config: NormalizeConfig | None = None) -> NormalText:
    """Temporary identity normalization: strips nothing, maps each char to itself."""
    n = len(source)
    return NormalText(
        text=source,
        source=source,
        starts=tuple(range(n)),
        ends=tuple(range(1, n + 1)),
        script="hans",
    )
