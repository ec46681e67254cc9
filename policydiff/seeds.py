"""The bundled seed reports: the default input of ``compare`` and ``view``."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
"""Where the seed reports are: the checkout's ``seeds/`` folder."""


def seed_paths() -> list[str]:
    """The bundled seed reports, in name order (empty when none are installed)."""
    return [str(p) for p in sorted(SEEDS_DIR.glob("*.txt"))]
