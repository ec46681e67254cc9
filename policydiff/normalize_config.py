"""Which normalization steps run (``NormalizeConfig``), apart from the normalizer itself so
that the settings (``config.Config``) load without it: a run whose documents and results come
from the caches never normalizes. ``policydiff.normalize`` names it too; its ``STEPS`` are
these fields, in pipeline order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class NormalizeConfig:
    """Which steps run. Every step is on by default.

    Switching a step off skips exactly that step; the others still run in the same order.
    ``script`` is always detected, also when ``to_simplified`` is off.
    """

    nfc: bool = True
    strip_invisible: bool = True
    strip_pinyin: bool = True
    to_simplified: bool = True
    fold_width: bool = True
    canonical_masks: bool = True
    strip_boilerplate: bool = True
    rejoin_lines: bool = True
    detect_mojibake: bool = True
