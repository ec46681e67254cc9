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
from collections import Counter
from collections.abc import Callable
from functools import partial
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
    reports = _Reports(comparison)
    files: dict[str, Callable[[], str]] = {}
    for pair in reports.pairs:
        for fmt in FORMATS:
            files[file_name(*pair, fmt)] = _renderer(partial(reports.report, pair, fmt), fmt, index)
    if has_peers(comparison):
        files.update(_distinctive_files(comparison, index, reports.evidence))
    return files


class _Reports:
    """The change reports of a comparison, built when first asked for, on one ``Evidence``
    (the documents read once for every report), each kept until its three files are rendered.
    After a document's last report (in the order of ``change_pairs``) what was read of it for
    its own reports is released (``Evidence.forget``), and so is its normalization trace when
    the reports computed it (``document.forget_normalization``: a document loaded in a pool
    worker comes without it; a citation computes it again): 100 corpus documents, 62 reports,
    220–270 MB less at the end. A report or reading asked for again is built again, the same."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.pairs = change_pairs(comparison)
        self.uses = Counter(doc for pair in self.pairs for doc in pair)  # reports to come
        self.built: dict[tuple[str, str], tuple[ChangeReport, set[str]]] = {}
        self.traced: dict[str, bool] = {}  # document -> had its normalization before
        self._evidence: Evidence | None = None

    def evidence(self) -> Evidence:
        if self._evidence is None:
            from policydiff.changes.build import evidence_of

            self._evidence = evidence_of(self.comparison)
        return self._evidence

    def report(self, pair: tuple[str, str], fmt: str) -> ChangeReport:
        """The report of ``pair``, for its file in ``fmt``."""
        held = self.built.get(pair)
        if held is None:
            held = self.built[pair] = (self._build(*pair), set(FORMATS))
        held[1].discard(fmt)
        if not held[1]:  # its last file: the report is not kept
            del self.built[pair]
        return held[0]

    def _build(self, a: str, b: str) -> ChangeReport:
        from policydiff.changes.build import change_report
        from policydiff.document import forget_normalization

        docs = [self.comparison.document(a), self.comparison.document(b)]
        for doc in docs:  # what Document.normalization (a cached property) holds
            self.traced.setdefault(doc.id, "normalization" in vars(doc))
        report = change_report(self.comparison, a, b, evidence=self.evidence())
        for doc in docs:
            self.uses[doc.id] -= 1
            if self.uses[doc.id] == 0:
                self.evidence().forget(doc)
                if not self.traced[doc.id]:
                    forget_normalization(doc)
        return report


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
