"""The change reports ``compare`` writes: one per consecutive pair of every series.

``change_files(comparison)`` gives ``changes-dA-dB.{html,md,json}`` for each pair of
consecutive documents of a series (``change_pairs``: the years of one issuer found by name,
``Comparison.series()``, or with ``--series`` the inputs in order; two documents that are no
series: their one pair), each rendered when written; the three files of a pair share one
report. Peers (``has_peers``: at least 3 documents that are not one series, such as 31
provinces or the seeds) get no pair reports but ``changes-distinctive.html`` and ``.md``: what
is distinctive of each document against all the others, not what is "new" relative to the
previous argument (issue 13, item 5). ``outputs.comparison_outputs`` adds them to the output
set and the index links the pages (``render.index``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.changes.formulations import Evidence
    from policydiff.changes.model import ChangeReport, Distinctive
    from policydiff.comparison import Comparison

FORMATS = ("html", "md", "json")


def change_pairs(comparison: Comparison) -> list[tuple[str, str]]:
    """The pairs that get a change report: consecutive documents of each series (see the
    module docstring); none for peers."""
    if has_peers(comparison):
        return []
    runs = comparison.series()  # with --series: the inputs in order
    if not runs and len(comparison.documents) == 2:
        runs = [[d.id for d in comparison.documents]]  # two peers: what is distinctive of each
    pairs: list[tuple[str, str]] = []
    for run in runs:
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
    shared: list[Evidence] = []  # the documents read once for every report (built at need)

    def evidence() -> Evidence:
        if not shared:
            from policydiff.changes.build import evidence_of

            shared.append(evidence_of(comparison))
        return shared[0]

    for a, b in change_pairs(comparison):
        built: dict[str, ChangeReport] = {}

        def report(a: str = a, b: str = b, built: dict[str, ChangeReport] = built) -> ChangeReport:
            if "report" not in built:
                from policydiff.changes.build import change_report

                built["report"] = change_report(comparison, a, b, evidence=evidence())
            return built["report"]

        for fmt in FORMATS:
            files[file_name(a, b, fmt)] = _renderer(report, fmt, index)
    if has_peers(comparison):
        files.update(_distinctive_files(comparison, index, evidence))
    return files


DISTINCTIVE = "changes-distinctive"
"""The stem of the peers' report: ``changes-distinctive.html`` and ``.md``."""


def has_peers(comparison: Comparison) -> bool:
    """Whether the documents are peers rather than one series: at least 3 documents, no series
    found by name and no ``--series``. They then get ``changes-distinctive.{html,md}``."""
    return (len(comparison.documents) >= 3 and not comparison.config.series
            and not comparison.series())


def _distinctive_files(
    comparison: Comparison, index: str | None, evidence: Callable[[], Evidence]
) -> dict[str, Callable[[], str]]:
    built: dict[str, tuple[Distinctive, ...]] = {}

    def items() -> tuple[Distinctive, ...]:
        if "items" not in built:
            from policydiff.changes.build import distinctive_report

            built["items"] = distinctive_report(comparison, evidence=evidence())
        return built["items"]

    def html() -> str:
        from policydiff.render.changes import render_distinctive_html

        return render_distinctive_html(items(), index=index)

    def md() -> str:
        from policydiff.render.changes import render_distinctive_markdown

        return render_distinctive_markdown(items())

    return {f"{DISTINCTIVE}.html": html, f"{DISTINCTIVE}.md": md}


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
