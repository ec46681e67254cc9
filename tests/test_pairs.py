"""Which pairs a comparison aligns (``policydiff.pairs``).

Up to 12 documents: every pair, as always. Above: consecutive documents of a series (found by
file name or title, or ``--series``) and each document's nearest neighbours by document
similarity; ``--all-pairs`` forces every pair; ``--ref`` pairs everything with the reference.
The export says which pairs it holds and why, and still validates and loads.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.errors import InputError
from policydiff.formats.alignment import alignment_json, alignment_schema, load_alignment
from policydiff.formats.jsontext import dumps
from policydiff.pairs import NEIGHBOURS, SMALL_SET, document_similarity, find_series, series_key


@pytest.fixture
def thirteen(tmp_path: Path, seed_files: dict[str, Path]) -> list[Path]:
    """Thirteen real documents: the five seeds as a series county-2019 … county-2023, and eight
    peers, each a seed (peer-k: seed k mod 5) with one paragraph of its own added."""
    seeds = [seed_files[k].read_text("utf-8") for k in ("000", "001", "002", "003", "004")]
    paths = []
    for year, text in zip(range(2019, 2024), seeds, strict=True):
        path = tmp_path / f"county-{year}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    for k in range(8):
        path = tmp_path / f"peer-{'abcdefgh'[k]}.txt"
        path.write_text(seeds[k % 5] + f"\n附：第{k}号补充说明。\n", "utf-8")
        paths.append(path)
    return paths


def test_series_are_file_names_equal_up_to_their_numbers(tmp_path: Path) -> None:
    names = ["national-2025.txt", "prov-2026-anhui.txt", "national-2024.txt",
             "prov-2026-hebei.txt", "cpc-congress-18th-2012.txt", "cpc-congress-17th-2007.txt",
             "notes.txt", "district-3-2021.txt", "district-4-2021.txt", "district-3-2022.txt",
             "report-2024-01-15.txt", "report-2025-01-22.txt"]
    for name in names:
        (tmp_path / name).write_text("一、总体要求\n坚持稳中求进工作总基调。\n", "utf-8")
    comparison = compare([tmp_path / n for n in names])
    by_name = {Path(d.path).name: d.id for d in comparison.documents}
    assert series_key(comparison.document(by_name["national-2024.txt"])) == (
        "name:national-#", 2024)
    assert series_key(comparison.document(by_name["cpc-congress-18th-2012.txt"])) == (
        "name:cpc-congress-#-#", 2012)
    assert series_key(comparison.document(by_name["district-4-2021.txt"])) == (
        "name:district-4-#", 2021)
    # national: old to new whatever the input order; the two provinces are two issuers;
    # cpc-congress: by its year (the congress number is not a year); district 3 and district
    # 4 are two issuers (a number that is no year nor ordinal names the issuer), and district 4
    # has one year only: no series; a date is read as one (report-#)
    assert series_key(comparison.document(by_name["report-2025-01-22.txt"])) == (
        "name:report-#", 2025)
    assert find_series(comparison.documents) == [
        [by_name["national-2024.txt"], by_name["national-2025.txt"]],
        [by_name["cpc-congress-17th-2007.txt"], by_name["cpc-congress-18th-2012.txt"]],
        [by_name["district-3-2021.txt"], by_name["district-3-2022.txt"]],
        [by_name["report-2024-01-15.txt"], by_name["report-2025-01-22.txt"]],
    ]
    # --series: the inputs as given
    assert find_series(comparison.documents, series=True) == [
        [by_name[n] for n in names]
    ]


def test_up_to_twelve_documents_every_pair_is_aligned(seed_files: dict[str, Path]) -> None:
    comparison = compare(list(seed_files.values()))
    assert comparison.pair_selection().mode == "all"
    assert comparison.pairs == [(f"d{i}", f"d{j}") for i in range(1, 6) for j in range(i + 1, 6)]
    assert "pair_selection" not in alignment_json(comparison)
    assert all("reasons" not in pair for pair in alignment_json(comparison)["pairs"])


def test_above_twelve_the_pairs_that_matter(thirteen: list[Path]) -> None:
    assert len(thirteen) == SMALL_SET + 1
    comparison = compare(thirteen)
    selection = comparison.pair_selection()
    assert selection.mode == "selected"
    names = {d.id: Path(d.path).stem for d in comparison.documents}
    chosen = {(names[p.a], names[p.b]): p.reasons for p in selection.pairs}
    # the series, old to new, pair by pair
    for year in range(2019, 2023):
        assert "consecutive" in chosen[(f"county-{year}", f"county-{year + 1}")]
    # a peer is the seed it was made from plus one line: that seed is its nearest neighbour
    for k, letter in enumerate("abcdefgh"):
        twin = f"county-{2019 + k % 5}"
        assert "neighbour" in chosen[(twin, f"peer-{letter}")], letter
    # linear: at most N - 1 consecutive pairs and N * k neighbour pairs, far from N(N-1)/2
    n = len(thirteen)
    assert len(selection.pairs) <= (n - 1) + n * NEIGHBOURS
    assert len(selection.pairs) < n * (n - 1) // 2
    assert len(set(chosen)) == len(chosen)  # no pair twice
    assert len({frozenset(p) for p in chosen}) == len(chosen)  # not as (a, b) and (b, a)
    for doc in comparison.documents:  # everyone has its k neighbours
        assert sum(doc.id in {a, b} for a, b in comparison.pairs) >= NEIGHBOURS
    # the alignments are exactly those pairs
    assert [(al.a, al.b) for al in comparison.alignments()] == comparison.pairs


def test_all_pairs_and_ref(thirteen: list[Path]) -> None:
    everything = compare(thirteen, Config(all_pairs=True))
    n = len(thirteen)
    assert everything.pair_selection().mode == "all"
    assert len(everything.pairs) == n * (n - 1) // 2
    against = compare(thirteen, ref="d3")
    assert against.pairs == [("d3", f"d{k}") for k in range(1, n + 1) if k != 3]
    with pytest.raises(InputError, match="exclude each other"):
        compare(thirteen, Config(all_pairs=True), ref="d3")


def test_the_export_says_why_and_still_validates_and_loads(
    thirteen: list[Path], tmp_path: Path
) -> None:
    comparison = compare(thirteen)
    data = alignment_json(comparison)
    jsonschema.validate(data, alignment_schema())
    selection = data["pair_selection"]
    assert selection["mode"] == "selected"
    assert selection["documents"] == 13 and selection["all_pairs"] == 78
    assert selection["neighbours"] == NEIGHBOURS and selection["small_set"] == SMALL_SET
    county = [d["id"] for d in data["documents"] if Path(d["path"]).stem.startswith("county")]
    assert selection["series"] == [county]
    for pair in data["pairs"]:
        assert pair["reasons"] and set(pair["reasons"]) <= {"consecutive", "neighbour"}
        assert (pair["similarity"] is None) == ("neighbour" not in pair["reasons"])
    out = tmp_path / "alignment.json"
    out.write_text(dumps(data), "utf-8")
    assert load_alignment(out)["pair_selection"] == selection


def test_an_export_without_the_new_fields_still_loads(
    seed_files: dict[str, Path], tmp_path: Path
) -> None:
    data = alignment_json(compare([seed_files["000"], seed_files["002"]]))
    jsonschema.validate(data, alignment_schema())
    out = tmp_path / "old.json"
    out.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert "pair_selection" not in load_alignment(out)


def test_document_similarity() -> None:
    sims = document_similarity([["改革", "开放"], ["改革", "开放"], ["粮食", "安全"], []])
    assert sims[0, 1] == pytest.approx(1.0)
    assert sims[0, 2] == pytest.approx(0.0)
    assert sims[3, 0] == 0.0 and np.isfinite(sims).all()


def test_national_reports_pair_with_their_neighbouring_years(corpus_dir: Path) -> None:
    paths = sorted(corpus_dir.glob("prov-2026-*.txt")) + [
        corpus_dir / f"national-{year}.txt" for year in (2025, 2023, 2024)
    ]
    comparison = compare(paths)
    names = {d.id: Path(d.path).stem for d in comparison.documents}
    chosen = {(names[p.a], names[p.b]): p.reasons for p in comparison.pair_selection().pairs}
    assert "consecutive" in chosen[("national-2023", "national-2024")]
    assert "consecutive" in chosen[("national-2024", "national-2025")]
    # the reports of one government in neighbouring years are each other's nearest documents
    assert chosen[("national-2024", "national-2025")] == ("consecutive", "neighbour")
    assert len(comparison.pairs) <= 33 + 34 * NEIGHBOURS
    national = {n: d for d, n in names.items() if n.startswith("national")}
    assert comparison.series() == [
        [national["national-2023"], national["national-2024"], national["national-2025"]]
    ]


def test_cli_options(thirteen: list[Path], tmp_path: Path) -> None:
    def align(*options: str) -> dict[str, object]:
        out = tmp_path / f"a{len(options)}.json"
        run = subprocess.run(
            [sys.executable, "-m", "policydiff", "align", *map(str, thirteen), "--json",
             str(out), "--force", *options],
            capture_output=True, text=True,
        )
        assert run.returncode in (0, 1), run.stderr
        data: dict[str, object] = json.loads(out.read_text("utf-8"))
        return data

    assert "pair_selection" in align()
    every = align("--all-pairs")
    assert "pair_selection" not in every and len(every["pairs"]) == 78  # type: ignore[arg-type]
    series = align("--series")
    chosen = {(p["a"], p["b"]) for p in series["pairs"]}  # type: ignore[attr-defined]
    assert {(f"d{k}", f"d{k + 1}") for k in range(1, 13)} <= chosen
    run = subprocess.run(
        [sys.executable, "-m", "policydiff", "align", *map(str, thirteen), "--all-pairs",
         "--ref", "d1"], capture_output=True, text=True,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "exclude each other" in run.stderr
