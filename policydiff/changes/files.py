"""The change reports ``compare`` writes: one per consecutive pair of every series.

``change_files(comparison)`` gives ``changes-dA-dB.{html,md,json}`` for each pair of
consecutive documents of ``Comparison.change_series()`` (all inputs in order up to 12
documents or with ``--series``, else the series found by name), each rendered when written;
the three files of a pair share one report. ``outputs.comparison_outputs`` adds them to the
output set and the index links the pages (``render.index``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.changes.model import ChangeReport
    from policydiff.comparison import Comparison

FORMATS = ("html", "md", "json")


def change_pairs(comparison: Comparison) -> list[tuple[str, str]]:
    """The pairs that get a change report: consecutive documents of each change series."""
    pairs: list[tuple[str, str]] = []
    for run in comparison.change_series():
        pairs += [pair for pair in itertools.pairwise(run) if pair not in pairs]
    return pairs


def file_name(a: str, b: str, fmt: str) -> str:
    """``changes-d1-d2.html``."""
    return f"changes-{a}-{b}.{fmt}"


def change_files(
    comparison: Comparison, *, index: str | None = None
) -> dict[str, Callable[[], str]]:
    """File name -> renderer of every change report of the comparison (``index``: the page
    the HTML reports link back to)."""
    files: dict[str, Callable[[], str]] = {}
    for a, b in change_pairs(comparison):
        built: dict[str, ChangeReport] = {}

        def report(a: str = a, b: str = b, built: dict[str, ChangeReport] = built) -> ChangeReport:
            if "report" not in built:
                from policydiff.changes.build import change_report

                built["report"] = change_report(comparison, a, b)
            return built["report"]

        for fmt in FORMATS:
            files[file_name(a, b, fmt)] = _renderer(report, fmt, index)
    return files


def _renderer(
    report: Callable[[], ChangeReport], fmt: str, index: str | None
) -> Callable[[], str]:
    def render() -> str:
        from policydiff.render import changes as shown

        if fmt == "json":
            from policydiff.formats.changes import render_json

            return render_json(report())
        if fmt == "md":
            return shown.render_markdown(report())
        return shown.render_html(report(), index=index)

    return render
