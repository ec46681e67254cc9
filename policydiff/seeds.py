"""The bundled seed reports: the default input of ``compare`` and ``view``.

The design card keeps them in the checkout's top-level ``seeds/`` folder. A built wheel (or an
install from the sdist) ships that folder as the data-only package ``policydiff._seeds``
(``package-dir`` in pyproject.toml), so after a plain ``pip install`` they sit beside this
module; an editable install or a checkout on ``sys.path`` reads the ``seeds/`` folder itself.
Either way they are found from any working directory.
"""

from __future__ import annotations

from pathlib import Path

INSTALLED_DIR = Path(__file__).resolve().parent / "_seeds"
"""Where an installed wheel keeps the seed reports."""

CHECKOUT_DIR = Path(__file__).resolve().parent.parent / "seeds"
"""Where a checkout (and so an editable install) keeps them."""


def seeds_dir() -> Path | None:
    """The folder the seed reports are read from, or None when neither location has them."""
    for folder in (INSTALLED_DIR, CHECKOUT_DIR):
        if any(folder.glob("*.txt")):
            return folder
    return None


def seed_paths() -> list[str]:
    """The bundled seed reports, in name order (empty when none are installed)."""
    folder = seeds_dir()
    return [] if folder is None else [str(p) for p in sorted(folder.glob("*.txt"))]
