"""The change reports of a series share one Evidence and release what they read of a document
after its last report (``changes.files._Reports``): the reports are the same as reports built
each on its own, a report asked for again is the same, and nothing read for the reports is
left behind but what the documents held before."""

from __future__ import annotations

from pathlib import Path

from policydiff.changes import files
from policydiff.changes.build import change_report, evidence_of
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.document import forget_normalization
from policydiff.formats.changes import render_json


def test_series_reports_release_their_documents(corpus_dir: Path) -> None:
    names = ["national-2022.txt", "national-2023.txt", "national-2024.txt", "national-2025.txt"]
    comparison = compare([corpus_dir / n for n in names], Config(series=True))
    first, second, third, last = comparison.documents
    for doc in (second, third):  # as a document loaded in a pool worker comes back
        forget_normalization(doc)
    for doc in (first, last):  # as a document read in this process keeps it (the cache's or
        assert doc.normalization.text == doc.text  # the pool's way of loading decides which)
    reports = files._Reports(comparison)
    assert reports.pairs == [("d1", "d2"), ("d2", "d3"), ("d3", "d4")]

    texts = {}
    for pair in reports.pairs:
        for fmt in files.FORMATS:
            texts[pair, fmt] = render_json(reports.report(pair, fmt))
        assert pair not in reports.built  # its three files are rendered
        if pair == ("d1", "d2"):  # d2 has a report to come, d1 none
            evidence = reports.evidence()
            assert id(second) in evidence._readings and id(first) not in evidence._readings
            assert "normalization" in vars(second)
    evidence = reports.evidence()
    assert not evidence._readings and not evidence._figures and not evidence._passages
    assert len(evidence._corpus.others) == 4  # each is still another report for the others
    # the trace the reports computed is gone, the one the documents had is kept
    assert "normalization" not in vars(second) and "normalization" not in vars(third)
    assert "normalization" in vars(first) and "normalization" in vars(last)

    for pair in reports.pairs:  # the same as a report built alone, on its own Evidence
        alone = render_json(change_report(comparison, *pair, evidence=evidence_of(comparison)))
        assert texts[pair, "json"] == alone
        assert texts[pair, "html"] == alone  # the three files share one report
    again = render_json(reports.report(("d2", "d3"), "json"))  # built again, read again
    assert again == texts[("d2", "d3"), "json"]
    # the 2025 report's new formulations include 具身智能 (2025 line: 具身智能、6G等未来产业)
    assert "具身智能" in texts[("d3", "d4"), "json"]
