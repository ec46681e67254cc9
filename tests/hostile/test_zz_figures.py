"""The last test of the hostile suite (files run in name order): write the figures and fail the
run when a must-be-zero figure is not zero, naming the first examples of each."""

from __future__ import annotations

from pathlib import Path

from .conftest import report_path
from .figures import MUST_BE_ZERO, Figures


def test_must_be_zero_figures_are_zero(figures: Figures, sandbox: Path) -> None:
    path = report_path()
    if path is not None:
        figures.write(path)
        print(f"hostile figures written to {path}")
    nonzero = {name: figures.counts[name] for name in MUST_BE_ZERO if figures.counts[name]}
    details = "; ".join(f"{name}: {figures.examples[name][:3]}" for name in nonzero)
    assert not nonzero, f"{nonzero} — {details}"
