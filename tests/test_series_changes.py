"""New/dropped phrases along series (``changes_of(series=…)``, ``Comparison.change_series``):
only between consecutive documents of a series, whatever the input order, and the same
phrases as when the series is compared alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.phrases import changes_of, find_shared_phrases
from policydiff.report import build_report


def test_a_run_in_reverse_swaps_new_and_dropped(seed_files: dict[str, Path]) -> None:
    texts = {k: seed_files[k].read_text("utf-8") for k in ("000", "002", "003")}
    phrase_set = find_shared_phrases(texts)
    default = changes_of(phrase_set)
    assert [(c.from_doc, c.to_doc) for c in default] == [("000", "002"), ("002", "003")]
    assert changes_of(phrase_set, series=[["000", "002", "003"]]) == default
    [back] = changes_of(phrase_set, series=[["002", "000"]])
    assert (back.from_doc, back.to_doc) == ("002", "000")
    # no background on either side of a run of two: 002 → 000's new are 000 → 002's dropped
    two = changes_of(find_shared_phrases({k: texts[k] for k in ("000", "002")}))[0]
    assert back.new == two.dropped and back.dropped == two.new
    assert back.new  # the two reports do differ
    assert changes_of(phrase_set, series=[]) == []


def test_the_series_inside_a_larger_set_gives_its_own_changes(corpus_dir: Path) -> None:
    years = ("2023", "2024", "2025")
    texts = {y: (corpus_dir / f"national-{y}.txt").read_text("utf-8") for y in years}
    alone = changes_of(find_shared_phrases(texts))
    mixed = {
        "2025": texts["2025"],
        "beijing": (corpus_dir / "prov-2026-beijing.txt").read_text("utf-8"),
        "2023": texts["2023"],
        "2024": texts["2024"],
    }
    along = changes_of(find_shared_phrases(mixed), series=[list(years)])
    assert along == alone
    # 2024 → 2025 with 2023 as background: 适度宽松 is new and in no earlier report
    fresh = next(u for u in along[1].new if "适度宽松" in u.text)
    assert not fresh.elsewhere


def test_peers_above_twelve_documents_get_no_changes(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    seeds = [seed_files[k].read_text("utf-8") for k in ("000", "001", "002", "003", "004")]
    paths = []
    for k in range(13):
        name = f"county-{2019 + k}.txt" if k < 3 else f"peer-{k}.txt"
        path = tmp_path / name
        path.write_text(seeds[k % 5] + f"\n附：第{k}号补充说明。\n", "utf-8")
        paths.append(path)
    comparison = compare(paths)
    assert comparison.change_series() == [["d1", "d2", "d3"]]
    report = build_report(comparison.phrases(), series=comparison.change_series())
    assert [(c.from_doc, c.to_doc) for c in report.changes] == [("d1", "d2"), ("d2", "d3")]
    # --series: all of them, in the given order
    given = compare(paths, Config(series=True))
    assert given.change_series() == [[f"d{k}" for k in range(1, 14)]]
    # up to 12 documents: the inputs in order, as always
    assert compare(paths[:12]).change_series() == [[f"d{k}" for k in range(1, 13)]]


@pytest.mark.parametrize("small", [2, 5])
def test_change_series_threshold(seed_files: dict[str, Path], small: int) -> None:
    comparison = compare(list(seed_files.values()))
    expected = [["d1", "d2", "d3", "d4", "d5"]] if small >= 5 else []
    assert comparison.change_series(small=small) == expected
