"""Corpus mode (issue 16): the store, the partitioned phrase miner against the in-memory one,
trace and spread, and the command as a user runs it.

Tests in this process run the Dask tasks in the process itself (``comparison.worker_count``
is 1 here, tests/conftest.py); the CLI tests are subprocesses with their own workers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dask")
pytest.importorskip("pyarrow")

from policydiff.config import Config
from policydiff.corpus.build import build_store
from policydiff.corpus.manifest import entries_of_files, read_manifest
from policydiff.corpus.phrases import PhraseResult, find_phrases
from policydiff.corpus.run import Runner
from policydiff.corpus.spread import spread
from policydiff.corpus.store import Store
from policydiff.corpus.trace import trace
from policydiff.document import document_tokens, load_document
from policydiff.phrases import find_shared_phrases


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI from the tests folder (a checkout's stale egg-info is then not on the path)."""
    return subprocess.run([sys.executable, "-m", "policydiff", *args], capture_output=True,
                          text=True, timeout=600, cwd=Path(__file__).parent)


def build(files: list[Path], store: Path) -> None:
    with Runner() as runner:
        result = build_store(entries_of_files([str(f) for f in files]), str(store), Config(),
                             runner)
    assert not result.failed


def corpus_phrases(store: Path) -> PhraseResult:
    with Runner() as runner:
        return find_phrases(str(store), runner)


def by_path(result: PhraseResult) -> set[tuple[str, str, tuple[tuple[str, int], ...]]]:
    return {(p.text, p.kind, tuple(sorted((result.paths[d], n) for d, n in p.counts.items())))
            for p in result.phrases}


def miner_by_path(files: list[Path]) -> set[tuple[str, str, tuple[tuple[str, int], ...]]]:
    """What ``policydiff phrases`` computes (``Comparison.phrases``: the documents' texts
    and their token spans), by path."""
    docs = [load_document(f, doc_id=f"d{i}") for i, f in enumerate(files)]
    found = find_shared_phrases({d.id: d.text for d in docs},
                                word_spans={d.id: document_tokens(d).spans() for d in docs})
    path = {d.id: d.path for d in docs}
    return {(p.text, p.kind, tuple(sorted((path[d], n) for d, n in p.counts)))
            for p in found.phrases}


def test_phrases_equal_the_in_memory_miner_on_the_seeds(seed_files, tmp_path):
    """Same phrase texts, kinds and per-document counts as ``find_shared_phrases``."""
    files = list(seed_files.values())
    build(files, tmp_path / "store")
    result = corpus_phrases(tmp_path / "store")
    assert by_path(result) == miner_by_path(files)
    assert not list((tmp_path / "store").glob(".scratch-*"))  # the shuffle's files are gone
    counts = {p.text: p.counts for p in result.phrases}["乡村振兴"]
    # counted by hand with grep: 000 4, 002 2 (line 37 "在推进乡村振兴上实现新突破"), 003 9,
    # 004 3; 001 writes it 鄉(xiāng)村振興 10 times (line 24 "鄉(xiāng)村振興有效銜接"), which
    # normalization turns into 乡村振兴
    assert {Path(result.paths[d]).name[:3]: n for d, n in counts.items()} == {
        "000": 4, "001": 10, "002": 2, "003": 9, "004": 3}


@pytest.mark.corpus
def test_phrases_equal_the_in_memory_miner_on_the_corpus(corpus_dir, tmp_path):
    """National 2017-2025, the 31 provinces and the bulk national reports 1954-2017: the
    partitioned miner finds exactly the phrases of ``policydiff phrases``."""
    files = sorted(corpus_dir.glob("national-20*.txt")) + sorted(corpus_dir.glob("prov-*.txt"))
    files += sorted(corpus_dir.glob("bulk/*/*.txt"))
    assert len(files) > 80
    build(files, tmp_path / "store")
    result = corpus_phrases(tmp_path / "store")
    expected = miner_by_path(files)
    assert len(expected) > 10_000
    assert by_path(result) == expected


def test_collapsed_periodic_runs_are_said_as_policydiff_phrases_says_them(tmp_path):
    """A run of 发展改革 × 60 is collapsed by both miners (same phrases) and named in
    ``coarse`` with the same words; no budget note (corpus phrases have no budget)."""
    common = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。\n"
    files = []
    for k, extra in enumerate(("着力扩大国内需求。\n", "推动科技创新和产业创新深度融合。\n")):
        path = tmp_path / f"r{k}.txt"
        path.write_text("第一段。" + "发展改革" * 60 + "。\n" + common + extra, encoding="utf-8")
        files.append(path)
    build(files, tmp_path / "store")
    result = corpus_phrases(tmp_path / "store")
    assert by_path(result) == miner_by_path(files)
    # the run is characters 4-244 of each file ("第一段。" is 4 characters), 60 units of 4;
    # phrases keep its first PERIODIC_KEEP (2) units: 8 characters
    assert result.coarse == tuple(
        f"{path}: characters 4–244 repeat “发展改革” 60 times; phrases use only its first 8 "
        "characters" for path in files)
    docs = [load_document(f, doc_id=str(f)) for f in files]
    theirs = find_shared_phrases({d.id: d.text for d in docs},
                                 word_spans={d.id: document_tokens(d).spans() for d in docs})
    assert result.coarse == theirs.coarse


def test_cli_phrases_equal_policydiff_phrases(seed_files, tmp_path):
    """The two commands on the same files: same phrases, kinds and counts by path."""
    files = [str(f) for f in seed_files.values()]
    store = str(tmp_path / "store")
    assert run("corpus", "build", *files, "-o", store).returncode == 0
    mine = run("corpus", "phrases", store, "--format", "json")
    theirs = run("phrases", *files, "--format", "json")
    assert mine.returncode == 0 and theirs.returncode == 0, mine.stderr + theirs.stderr
    reference = json.loads(theirs.stdout)
    path = {d["id"]: d["path"] for d in reference["documents"]}
    expected = {(p["text"], p["kind"], tuple(sorted((path[d], n) for d, n in p["counts"].items())))
                for p in reference["phrases"]}
    got = {(p["text"], p["kind"], tuple(sorted(p["counts"].items())))
           for p in json.loads(mine.stdout)["phrases"]}
    assert got == expected


def test_build_adds_only_new_documents_and_records_failures(seed_files, tmp_path):
    """A binary file is recorded with its error and does not stop the build; a re-build
    reads only the new documents."""
    files = [str(f) for f in seed_files.values()]
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04" * 200)
    store = tmp_path / "store"
    with Runner() as runner:
        first = build_store(entries_of_files([*files[:3], str(binary)]), str(store), Config(),
                            runner)
        assert first.added == 3 and [p for p, _ in first.failed] == [str(binary)]
        again = build_store(entries_of_files([*files, str(binary)]), str(store), Config(),
                            runner)
    assert (again.added, again.skipped, len(again.failed)) == (2, 3, 1)
    opened = Store.open(store)
    assert sorted(opened.documents(["path"])["path"]) == sorted(files)
    failed = opened.documents(["path", "error"], failed=True)
    assert list(failed["path"]) == [str(binary)]
    assert "binary" in failed["error"][0] or "not" in failed["error"][0]
    # two builds, two parts of the documents table: nothing rewritten
    assert len(opened.parts("documents")) == 2


def test_a_build_in_several_parts_mines_and_traces_the_same(seed_files, tmp_path,
                                                          monkeypatch):
    """Two documents a part: the five seeds are three parts, which the row-group reads of
    the phrase stages and of trace find as they find one part."""
    import policydiff.corpus.build as building

    monkeypatch.setattr(building, "DOCUMENTS_PER_PART", 2)
    files = list(seed_files.values())
    build(files, tmp_path / "store")
    assert len(Store.open(tmp_path / "store").parts("documents")) == 3
    assert by_path(corpus_phrases(tmp_path / "store")) == miner_by_path(files)
    with Runner() as runner:
        found = trace(str(tmp_path / "store"), "乡村振兴", Config(), runner)
    assert found["occurrences"] == 4 + 10 + 2 + 9 + 3  # counted by grep (the first test)


def test_manifest_and_trace_on_the_seeds(seed_files, tmp_path):
    """The manifest's year/region/level (relative paths, an extra column) drive the trace."""
    for name, path in seed_files.items():
        (tmp_path / f"{name}.txt").write_bytes(path.read_bytes())
    manifest = tmp_path / "corpus.csv"
    manifest.write_text(
        "path,year,region,level,note\n000.txt,2021,x区,county,a\n001.txt,2023,麒麟区,county,b\n"
        "002.txt,2022,,,c\n003.txt,2022,xx省,province,d\n004.txt,2020,鹿城区,county,e\n",
        encoding="utf-8")
    entries = read_manifest(str(manifest))
    assert entries[0].extra == {"note": "a"} and entries[1].year == 2023
    with Runner() as runner:
        build_store(entries, str(tmp_path / "store"), Config(), runner)
        found = trace(str(tmp_path / "store"), "鄉村振興", Config(), runner)
    # 乡村振兴 is in all five (see the test above); 002 has neither region nor level
    assert found["by_year"] == {"2020": 1, "2021": 1, "2022": 2, "2023": 1}
    assert found["documents_by_level"] == {"county": 3, "province": 1, "unknown": 1}
    assert found["occurrences"] == 4 + 10 + 2 + 9 + 3
    assert found["first_appearance"]["year"] == 2020
    lines = {Path(d["path"]).stem: d["hits"][0]["line"] for d in found["documents"]}
    # 001 line 24 "鄉(xiāng)村振興有效銜接", 002 line 37, 000 line 1, 003 line 7, 004 line 31
    assert lines == {"000": 1, "001": 24, "002": 37, "003": 7, "004": 31}
    sentence = next(d for d in found["documents"] if d["path"].endswith("002.txt"))["hits"][0]
    assert sentence["sentence"] == "（六）狠抓融合发展，在推进乡村振兴上实现新突破。"


def test_level_without_one_in_the_manifest_comes_from_the_region_or_the_columns(
        seed_files, tmp_path):
    """A row without a level: a prefecture or county is not a province (it was: every region
    but 全国 became 'province'); a filled county or prefecture column says the level."""
    for name, path in seed_files.items():
        (tmp_path / f"{name}.txt").write_bytes(path.read_bytes())
    manifest = tmp_path / "corpus.csv"
    manifest.write_text(
        "path,year,region,level,prefecture,county\n"
        "000.txt,2021,苏州市,,,\n"  # a prefecture-level city
        "001.txt,2021,麒麟区,,曲靖市,麒麟区\n"  # a district of Qujing: the lowest column
        # filled in is the county's
        "002.txt,2021,河北省,,,\n"
        "003.txt,2021,阿尔山,,,阿尔山市\n"  # a county-level city named in the county column
        "004.txt,2021,某地,,,\n",  # a name the rules cannot place
        encoding="utf-8")
    with Runner() as runner:
        build_store(read_manifest(str(manifest)), str(tmp_path / "store"), Config(), runner)
    frame = Store.open(tmp_path / "store").documents(["path", "region", "level"])
    levels = {Path(p).stem: level for p, level in zip(frame["path"], frame["level"], strict=True)}
    assert levels == {"000": "prefecture", "001": "county", "002": "province",
                      "003": "county", "004": ""}


@pytest.mark.corpus
def test_trace_and_spread_on_the_corpus(corpus_dir, tmp_path):
    """新质生产力 and 低空经济: first in the 2024 national report, then the provinces."""
    files = sorted(corpus_dir.glob("national-20*.txt")) + sorted(corpus_dir.glob("prov-*.txt"))
    build(files, tmp_path / "store")
    with Runner() as runner:
        found = trace(str(tmp_path / "store"), "新质生产力", Config(), runner)
        flying = trace(str(tmp_path / "store"), "低空经济", Config(), runner)
        phrases = find_phrases(str(tmp_path / "store"), runner)
    # grep: national-2024.txt line 96 "（一）大力推进现代化产业体系建设，加快发展新质生产力。",
    # national-2025.txt, and every one of the 31 provincial reports of 2026
    assert found["by_year"] == {"2024": 1, "2025": 1, "2026": 31}
    assert found["documents_by_level"] == {"national": 2, "province": 31}
    first = found["first_appearance"]
    assert first["year"] == 2024 and first["documents"][0]["line"] == 96
    assert first["documents"][0]["path"].endswith("national-2024.txt")
    # grep: 低空经济 in national 2024 and 2025 and in 22 provincial reports (not Beijing,
    # Guizhou, Hebei, Henan, Hunan, Ningxia, Qinghai, Tianjin, Xizang)
    assert flying["by_year"] == {"2024": 1, "2025": 1, "2026": 22}
    assert "北京" not in flying["documents_by_region"]
    rows = {r["text"]: r for r in spread(str(tmp_path / "store"), phrases, top=0)["spread"]}
    assert rows["新质生产力"]["first_national_year"] == 2024
    assert rows["新质生产力"]["share_by_year"] == {"2026": 1.0}
    assert rows["低空经济"]["share_by_year"] == {"2026": round(22 / 31, 3)}
    assert rows["低空经济"]["speed"] == round(round(22 / 31, 3) / 2, 4)


def test_help_does_not_load_dask():
    code = (
        "import sys\nfrom policydiff.cli import build_parser\nbuild_parser()\n"
        "heavy = ('dask', 'distributed', 'pyarrow', 'pandas', 'numpy')\n"
        "heavy = [n for n in heavy if n in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_without_the_extra_corpus_refuses_in_one_line(tmp_path):
    """dask missing: every action says how to install it, in one line, exit 2."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('dask', 'distributed'):\n"
        "            raise ImportError(name=name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from policydiff.cli import main\n"
        f"sys.exit(main(['corpus', 'phrases', {str(tmp_path)!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "pip install 'policydiff[corpus]'" in proc.stderr


def test_bad_input_is_one_line(seed_files, tmp_path):
    not_a_store = run("corpus", "trace", str(tmp_path), "新质生产力")
    assert not_a_store.returncode == 2 and not_a_store.stderr.count("\n") == 1
    assert "not a corpus store" in not_a_store.stderr
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,year\na.txt,2020\n", encoding="utf-8")
    bad = run("corpus", "build", "--manifest", str(manifest), "-o", str(tmp_path / "s"))
    assert bad.returncode == 2 and "path column" in bad.stderr
    manifest.write_text("path,year\na.txt,twenty\n", encoding="utf-8")
    bad = run("corpus", "build", "--manifest", str(manifest), "-o", str(tmp_path / "s"))
    assert bad.returncode == 2 and "is not a year" in bad.stderr
    both = run("corpus", "build", str(seed_files["000"]), "--manifest", str(manifest), "-o",
               str(tmp_path / "s"))
    assert both.returncode == 2 and "either FILES or --manifest" in both.stderr
    assert not (tmp_path / "s").exists()


def test_the_pairs_that_matter():
    """Series: the same region in consecutive years only; national: every other document of
    a year against that year's national report."""
    import pandas as pd

    from policydiff.corpus.align import choose_pairs

    frame = pd.DataFrame([
        {"key": "a20", "year": 2020, "region": "甲", "level": "prefecture"},
        {"key": "a21", "year": 2021, "region": "甲", "level": "prefecture"},
        {"key": "a23", "year": 2023, "region": "甲", "level": "prefecture"},
        {"key": "n21", "year": 2021, "region": "全国", "level": "national"},
        {"key": "b21", "year": 2021, "region": "乙", "level": "province"},
        {"key": "x", "year": None, "region": "", "level": ""},
    ])
    assert choose_pairs(frame) == [(0, 1, "series"), (3, 1, "national"), (3, 4, "national")]


def test_align_writes_the_pairs_into_the_store(seed_files, tmp_path):
    """Two seeds of one region in consecutive years are aligned as a series."""
    from policydiff.corpus.align import align_store

    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,year,region\n{seed_files['000']},2021,x区\n"
                        f"{seed_files['002']},2022,x区\n{seed_files['004']},2020,鹿城区\n",
                        encoding="utf-8")
    with Runner() as runner:
        build_store(read_manifest(str(manifest)), str(tmp_path / "store"), Config(), runner)
        rows = align_store(str(tmp_path / "store"), Config(), runner, neighbours=False)
    assert list(rows["reason"]) == ["series"]
    row = rows.iloc[0]
    assert row["path_a"].endswith("000_fa4a5ba1074ac6cc.txt") and row["error"] == ""
    assert 0 < row["matched"] <= min(row["sections_a"], row["sections_b"])
    stored = Store.open(tmp_path / "store").read("alignments")
    assert list(stored["reason"]) == ["series"]
