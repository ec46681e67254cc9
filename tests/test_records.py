"""Rows for spreadsheets and pandas (``policydiff.records``), the CSV files built from them, and
the ``Comparison`` row methods: the same values in both, documents named by their labels."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff.comparison import Comparison, compare
from policydiff.records import TABLES, table, to_pandas
from policydiff.render.phrases import render_csv, table_csv

# Two small reports written for these tests: what they share is known by reading them.
BEIJING = """2026年北京市政府工作报告
各位代表：
一、总体要求
坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。推动首都高质量发展。
二、主要任务
加快建设现代化产业体系，因地制宜发展新质生产力。办好首都的事情。
"""
SHANGHAI = """2026年上海市政府工作报告
各位代表：
一、总体要求
坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。扎实推进国际金融中心建设。
二、重点工作
加快建设现代化产业体系，因地制宜发展新质生产力。服务长三角一体化发展。
"""


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Comparison, Path]:
    folder = tmp_path_factory.mktemp("records")
    (folder / "bj.txt").write_text(BEIJING, encoding="utf-8")
    (folder / "sh.txt").write_text(SHANGHAI, encoding="utf-8")
    return compare([folder / "bj.txt", folder / "sh.txt"]), folder


def test_document_rows(pair: tuple[Comparison, Path]) -> None:
    comparison, folder = pair
    rows = comparison.document_rows()
    assert [(r["id"], r["label"], r["title"]) for r in rows] == [
        ("d1", "北京", "2026年北京市政府工作报告"),
        ("d2", "上海", "2026年上海市政府工作报告"),
    ]
    assert rows[0]["path"] == str(folder / "bj.txt")
    assert rows[0]["encoding"] == "utf-8" and rows[0]["script"] == "hans"
    assert all(type(v) in (str, int) for r in rows for v in r.values())


def test_phrase_rows_have_a_column_per_label(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    rows = comparison.phrase_rows()
    assert list(rows[0]) == ["text", "kind", "length", "docs", "北京", "上海"]
    by_text = {r["text"]: r for r in rows}
    # Both reports hold these sentences once, word for word (read off the texts above); a
    # shared phrase runs as far as the texts agree: 11 + 13 and 11 + 11 Han characters.
    for shared, length in (("坚持稳中求进工作总基调，完整准确全面贯彻新发展理念", 24),
                           ("加快建设现代化产业体系，因地制宜发展新质生产力", 22)):
        assert shared in by_text, sorted(by_text)
        row = by_text[shared]
        assert (row["北京"], row["上海"], row["docs"], row["length"]) == (1, 1, 2, length)
    # Said by one report only: not a shared phrase.
    assert not any("国际金融中心" in text or "首都" in text for text in by_text)


def test_alignment_rows(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    rows = comparison.alignment_rows()
    assert {(r["a_label"], r["b_label"]) for r in rows} == {("北京", "上海")}
    matched = {(r["heading_a"], r["heading_b"]) for r in rows if r["kind"] == "match"}
    assert ("一、总体要求", "一、总体要求") in matched
    assert all(
        r["score"] is None if r["kind"].startswith("only_") else 0 <= r["score"] <= 1
        for r in rows
    )


def test_theme_rows_and_overlap_rows(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    themes = comparison.theme_rows()
    assert list(themes[0])[:3] == ["theme", "name", "name_en"]
    assert list(themes[0])[3:] == ["北京", "上海"]
    assert [r["theme"] for r in themes] == [t.id for t in comparison.themes]
    (overlap,) = comparison.overlap_rows()
    assert (overlap["a"], overlap["b"], overlap["a_label"], overlap["b_label"]) == (
        "d1", "d2", "北京", "上海"
    )
    assert overlap["shared"] == len(comparison.phrase_rows())


def test_change_rows_name_both_documents(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    rows = comparison.change_rows()
    assert rows and {(r["from_label"], r["to_label"]) for r in rows} == {("北京", "上海")}
    assert {r["change"] for r in rows} <= {"new", "dropped"}


def test_csv_and_api_rows_are_the_same(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    for name in TABLES:
        built = table(name, comparison, report=comparison.phrase_report())
        text = table_csv(built)
        reader = csv.DictReader(io.StringIO(text))
        assert tuple(reader.fieldnames or ()) == built.columns, name
        rows = list(reader)
        api = comparison.rows(name)
        assert len(rows) == len(api), name
        for got, want in zip(rows, api, strict=True):
            assert got == {k: "" if v is None else str(v) for k, v in want.items()}, name


def test_csv_bom(pair: tuple[Comparison, Path]) -> None:
    comparison, _ = pair
    built = table("documents", comparison)
    assert table_csv(built, bom=True).encode("utf-8").startswith(b"\xef\xbb\xbfid,label,")
    assert table_csv(built).startswith("id,label,title,path,sha256")
    report = comparison.phrase_report()
    assert render_csv(report, table="overlap", bom=True).startswith("\ufeffa,b,a_label,b_label")
    with pytest.raises(ValueError, match="unknown table 'themes'"):
        render_csv(report, table="themes")  # not a table of the report alone


def test_cli_csv_tables_bom_and_labels(pair: tuple[Comparison, Path], tmp_path: Path) -> None:
    _, folder = pair
    files = [str(folder / "bj.txt"), str(folder / "sh.txt")]

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "policydiff", "phrases", *files, "--format", "csv", *args],
            capture_output=True, timeout=300,
        )

    proc = run("--table", "overlap")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"\xef\xbb\xbfa,b,a_label,b_label,jaccard")
    proc = run("--table", "overlap", "--no-bom", "--label", "京", "--label", "沪")
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"))))
    assert rows[0][:4] == ["a", "b", "a_label", "b_label"] and rows[1][2:4] == ["京", "沪"]
    out = tmp_path / "tables"
    proc = run("--table", "all", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{t}.csv" for t in TABLES)
    head = (out / "phrases.csv").read_bytes().decode("utf-8")
    assert head.startswith("\ufefftext,kind,length,docs,北京,上海\n")
    proc = run("--table", "all")
    assert proc.returncode == 2
    assert proc.stderr.decode().strip() == (
        "policydiff: --table all writes one file per table: give the folder with -o DIR"
    )
    wrong = subprocess.run(
        [sys.executable, "-m", "policydiff", "phrases", *files, "--table", "themes"],
        capture_output=True, text=True, timeout=300,
    )
    assert (wrong.returncode, wrong.stderr) == (
        2, "policydiff: --table themes: only with --format csv\n"
    )


def test_compare_writes_every_table_as_csv(pair: tuple[Comparison, Path], tmp_path: Path) -> None:
    _, folder = pair
    for flags, mark in (((), b"\xef\xbb\xbf"), (("--no-bom",), b"")):
        out = tmp_path / ("bom" if mark else "nobom")
        proc = subprocess.run(
            [sys.executable, "-m", "policydiff", "compare", str(folder / "bj.txt"),
             str(folder / "sh.txt"), "-o", str(out), *flags],
            capture_output=True, timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        for name in TABLES:
            data = (out / f"{name}.csv").read_bytes()
            assert data.startswith(mark + (b"text," if name == "phrases" else b"")), name
            assert not data[len(mark):].startswith(b"\xef\xbb\xbf")
        listed = (out / "documents.csv").read_text("utf-8-sig")
        documents = list(csv.DictReader(io.StringIO(listed)))
        assert [d["label"] for d in documents] == ["北京", "上海"]


def test_pandas_reads_the_csv_and_the_rows(pair: tuple[Comparison, Path]) -> None:
    pandas = pytest.importorskip("pandas")
    comparison, _ = pair
    frame = comparison.to_pandas("phrases")
    assert list(frame.columns) == ["text", "kind", "length", "docs", "北京", "上海"]
    row = frame.set_index("text").loc["加快建设现代化产业体系，因地制宜发展新质生产力"]
    assert (int(row["北京"]), int(row["上海"]), int(row["length"])) == (1, 1, 22)
    text = table_csv(table("phrases", comparison, report=comparison.phrase_report()), bom=True)
    read = pandas.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8-sig")
    assert list(read.columns) == list(frame.columns)
    assert len(read) == len(frame)
    empty = to_pandas(table("changes", comparison, report=comparison.phrase_report()))
    assert "from_label" in empty.columns


def test_to_pandas_without_pandas_says_what_to_install(
    pair: tuple[Comparison, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    comparison, _ = pair
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now fails
    with pytest.raises(ImportError, match=r"to_pandas needs pandas.*pip install pandas"):
        comparison.to_pandas("documents")
    assert comparison.document_rows()  # the rows themselves need nothing


def test_count_columns_are_written_as_they_are() -> None:
    """A table whose last columns hold counts (the phrases table: one per document) writes
    them unguarded and unchanged; the columns before are guarded as ever (``=`` starts a
    formula: apostrophe), None is an empty cell; one count column works too."""
    from policydiff.records import Table

    rows: list[dict[str, object]] = [{"text": "=SUM(A1)", "kind": None, "北京": 0, "上海": 12},
            {"text": "两新", "kind": "slogan", "北京": 3, "上海": 0}]  # fmt: skip
    two = Table(("text", "kind", "北京", "上海"), rows, counts_from=2)
    assert table_csv(two) == "text,kind,北京,上海\n'=SUM(A1),,0,12\n两新,slogan,3,0\n"
    assert table_csv(two) == table_csv(Table(two.columns, rows))  # the same as cell by cell
    one = Table(("text", "上海"), [{"text": "两新", "上海": 7}], counts_from=1)
    assert table_csv(one) == "text,上海\n两新,7\n"
    none = Table(("text",), [{"text": "两新"}], counts_from=1)
    assert table_csv(none) == "text\n两新\n"
