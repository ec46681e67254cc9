"""Palette depth: how many colours the terminal shows, so the diff colours stay apart.

The colours themselves are in ``colours.tcss``, one set per depth; this module only decides
which set applies. The app carries the class ``-depth-<depth>``.

Rules:
- ``auto`` follows what the terminal says it can show (Textual's console: ``COLORTERM``,
  ``TERM``, ``NO_COLOR``); a Windows console or a 16-colour terminal is ``16``.
- ``POLICYDIFF_PALETTE`` (or ``view --palette``) overrides it, for terminals that claim more
  than they show (tmux without ``Tc``, macOS Terminal.app).
"""

from __future__ import annotations

import os

DEPTHS = ("16", "256", "truecolor")
"""Palette depths, fewest colours first."""

CHOICES = ("auto", *DEPTHS)

ENVIRONMENT = "POLICYDIFF_PALETTE"


def depth_of(color_system: str | None, chosen: str | None = None) -> str:
    """The depth for a console's ``color_system`` (``standard``, ``256``, ``truecolor``,
    ``windows`` or ``None``), unless ``chosen`` (or the environment) names one."""
    chosen = chosen or os.environ.get(ENVIRONMENT, "auto")
    if chosen in DEPTHS:
        return chosen
    if color_system == "truecolor":
        return "truecolor"
    if color_system == "256":
        return "256"
    return "16"
