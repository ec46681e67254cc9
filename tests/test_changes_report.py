"""The change report as a user gets it: citations, the per-theme summary, the changes@1 JSON
(validated with jsonschema, as the other schemas are), the ``changes`` command and the files
``compare`` writes. Expected lines and columns were read from the files by hand (quoted)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import jsonschema
import pytest

from policydiff.changes.build import change_report
from policydiff.changes.summary import passages
from policydiff.citations import cite
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.document import load_document
from policydiff.errors import ExportError
from policydiff.formats.changes import changes_json, changes_schema, load_changes, render_json


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args], capture_output=True, text=True,
        timeout=600, encoding="utf-8",
    )


def test_citation_is_the_source_line_and_column(seed_files: dict[str, Path]) -> None:
    """Seed 001 is Traditional Chinese with pinyin after many characters (經(jīng)); its
    normalized text is Simplified without them, so offsets differ from the file's."""
    doc = load_document(seed_files["001"], doc_id="d1", cache=False)
    # line 58: 2023年全區(qū)經(jīng)濟(jì)社會(huì)發(fā)展主要預(yù)期目標(biāo)建議為:
    #   預 is the 39th character of the line
    at = doc.text.index("主要预期目标建议为")
    where = cite(doc, (at + 2, at + 6))
    assert (where.line, where.column, where.end_line) == (58, 39, 58)
    assert where.where == "001_377fd206c21df32a.txt:58"
    assert where.where_column == "001_377fd206c21df32a.txt:58:39"
    # line 20: 現(xiàn)代農(nóng)業(yè)提質(zhì)增效。新建高標(biāo)準(zhǔn)
    #   農(nóng)田4.48萬畝 — its 4 is the 56th character of the line
    at = doc.text.index("4.48万亩")
    assert (cite(doc, (at, at + 6)).line, cite(doc, (at, at + 6)).column) == (20, 56)
    # a span from the end of line 58 into line 59 (實(shí)現(xiàn)上述目標(biāo)) ends on line 59
    end = doc.text.index("实现上述目标")
    assert cite(doc, (at, end + 2)).end_line == 59
    assert cite(doc, (end, end + 2)).section == "d1/3"


def test_a_document_without_its_source_is_cited_by_its_own_lines() -> None:
    from policydiff.model import Document, Section

    root = Section(id="d1", parent=None, level=0, label="", heading="", span=(0, 8),
                   heading_span=(0, 0), body_span=(0, 8), source_span=(0, 8), kind="root")
    doc = Document(id="d1", path="dir/x.txt", title="x", sha256="", encoding="utf-8",
                   script="hans", text="第一行\n第二行", root=root)
    where = cite(doc, (5, 6))  # 二, the second character of line 2
    assert (where.where_column, where.section) == ("x.txt:2:2", "d1")


def test_schema_is_valid_and_a_seed_report_validates(seed_files: dict[str, Path]) -> None:
    jsonschema.Draft202012Validator.check_schema(changes_schema())
    comparison = compare([seed_files["001"], seed_files["002"]], Config(cache=False))
    data = changes_json(change_report(comparison, "d1", "d2"))
    jsonschema.validate(data, changes_schema())
    assert data["schema"] == "policydiff/changes@1"
    assert [d["role"] for d in data["documents"]] == ["old", "new"]
    # seed 002:20 今年全区经济社会发展的主要预期目标是：生产总值增长*%以上 — a masked figure is
    # not a number: no indicator of seed 002 (the new side) is taken from that masked span
    doc = comparison.document("d2")
    masked = doc.text.index("生产总值增长＊")
    spans = [ind.new.span for ind in change_report(comparison, "d1", "d2").indicators if ind.new]
    assert not any(masked <= start < masked + len("生产总值增长＊%以上") for start, _ in spans)
    damaged = json.loads(json.dumps(data))
    damaged["indicators"] = [{"name": "x", "theme": "", "direction": "up", "from": None,
                              "to": None}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(damaged, changes_schema())


@pytest.fixture(scope="module")
def national(corpus_dir: Path) -> list[Path]:
    return [corpus_dir / "national-2024.txt", corpus_dir / "national-2025.txt"]


def test_closing_passages_have_their_own_theme(national: list[Path]) -> None:
    comparison = compare(national, Config())
    new = comparison.document("d2")
    where = passages(new, comparison.themes)
    # 2025:162 过去一年，国防和军队建设取得新的重要进展。— inside 提升行政效能和水平 (2025:158)
    at = new.text.index("过去一年，国防和军队建设")
    section = next(s for s in new.sections if s.own_span[0] <= at < s.own_span[1])
    assert section.heading.startswith("提升行政效能和水平")
    assert where.theme_at(at) == "defense_foreign"
    # 2025:168 我们要坚持独立自主的和平外交政策
    assert where.theme_at(new.text.index("我们要坚持独立自主的和平外交政策")) == "defense_foreign"
    assert where.theme_at(section.own_span[0]) == section.themes[0].id != "defense_foreign"
    report = change_report(comparison, "d1", "d2")
    assert report.kind == "series"
    themes = {row.theme: row for row in report.themes}
    assert themes["defense_foreign"].chars > 1000  # 2024:191-197 and 2025:162-168
    assert themes["macro"].targets >= 10  # the fiscal paragraph's figures


def test_changes_command_text_json_html(national: list[Path], tmp_path: Path) -> None:
    a, b = map(str, national)
    proc = run("changes", a, b, "--no-pager", "--color=never")
    assert proc.returncode == 0, proc.stderr
    # 2025:53 今年赤字率拟按4%左右安排 ; 2024:81 赤字率拟按3%安排
    line = next(x for x in proc.stdout.splitlines() if " 赤字率 " in x)
    assert "3%" in line and "4%左右" in line and "raised" in line
    assert "national-2024.txt:81" in line and "national-2025.txt:53" in line
    proc = run("changes", a, b, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    jsonschema.validate(data, changes_schema())
    deficit = next(i for i in data["indicators"] if i["name"] == "赤字率")
    assert deficit["from"]["value"] == "3%" and deficit["from"]["line"] == 81
    assert deficit["to"]["value"] == "4%左右" and deficit["to"]["line"] == 53
    assert deficit["to"]["section"] == "d2/2.1"  # 实施更加积极的财政政策
    page = tmp_path / "changes.html"
    assert run("changes", a, b, "--format", "html", "-o", str(page)).returncode == 0
    html = page.read_text("utf-8")
    assert "<mark>4.4万亿元</mark>" in html and "national-2025.txt:53" in html
    again = run("changes", a, b, "--format", "html", "-o", str(page))
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
    missing = run("changes", a, str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    csv = run("changes", a, b, "--format", "csv", "--no-bom")
    assert csv.stdout.splitlines()[0].startswith("indicator,theme,direction,old_value")


def test_peers_report_what_is_distinctive(corpus_dir: Path) -> None:
    comparison = compare(
        [corpus_dir / "national-2025.txt", corpus_dir / "prov-2026-zhejiang.txt"], Config()
    )
    report = change_report(comparison, "d1", "d2")
    assert report.kind == "peers"
    data = changes_json(report)
    jsonschema.validate(data, changes_schema())
    assert data["kind"] == "peers" and data["renamed"] == []


def test_both_sides_are_named_the_same_way(corpus_dir: Path) -> None:
    # national-2025.txt has no title line (it opens with 各位代表：), so its title is its file
    # name; prov-2026-gansu.txt line 10 is 2026年甘肃省政府工作报告. Each side is named by its
    # label, its title line if it has one, and its file: the old side not by a file stem
    # posing as a title while the new side gets its title (the page read "old: national-2025
    # · new: 2026年甘肃省政府工作报告").
    from policydiff.render.changes import render_html, render_markdown

    comparison = compare(
        [corpus_dir / "national-2025.txt", corpus_dir / "prov-2026-gansu.txt"], Config()
    )
    report = change_report(comparison, "d1", "d2")
    assert report.old.title == "" and report.new.title == "2026年甘肃省政府工作报告"
    page = render_html(report)
    assert (
        'old: 全国 2025 <code>national-2025.txt</code> · new: 甘肃 2026, '
        "2026年甘肃省政府工作报告 <code>prov-2026-gansu.txt</code>" in page
    )
    lines = render_markdown(report).splitlines()
    assert "- old: 全国 2025 (`national-2025.txt`)" in lines
    assert "- new: 甘肃 2026, 2026年甘肃省政府工作报告 (`prov-2026-gansu.txt`)" in lines


def test_compare_of_peers_writes_what_is_distinctive(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    """Seeds 000 (a masked district, 2021 tasks), 001 (麒麟区, 2023) and 002 (another masked
    district's 2022 report to a higher body) are reports of three places, not one issuer's
    years: peers. They get what is distinctive of each against the other two, and no
    consecutive pair reports (issue 13, item 5: not "new relative to the previous argument")."""
    out = tmp_path / "out"
    paths = [str(seed_files[k]) for k in ("000", "001", "002")]
    proc = run("compare", *paths, "-o", str(out), "--no-pager")
    assert proc.returncode == 0, proc.stderr
    written = {p.name for p in out.glob("changes-*")}
    assert written == {"changes-distinctive.html", "changes-distinctive.md"}, written
    index = (out / "index.html").read_text("utf-8")
    assert 'href="changes-d1-d2.html"' not in index
    assert 'href="changes-distinctive.html"' in index
    page = (out / "changes-distinctive.html").read_text("utf-8")
    assert all(f'id="d{k}"' in page for k in (1, 2, 3))
    assert 'href="index.html"' in page
    assert "## " in (out / "changes-distinctive.md").read_text("utf-8")


def test_compare_of_a_series_writes_a_report_per_consecutive_pair(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    """With --series the same three seeds are one series, in the given order: a report for
    d1 -> d2 and d2 -> d3 (kind series), none for d1 -> d3 and no peers' page."""
    out = tmp_path / "out"
    paths = [str(seed_files[k]) for k in ("000", "001", "002")]
    proc = run("compare", *paths, "--series", "-o", str(out), "--no-pager")
    assert proc.returncode == 0, proc.stderr
    for pair in ("d1-d2", "d2-d3"):
        for ext in ("html", "md", "json"):
            assert (out / f"changes-{pair}.{ext}").is_file()
        data = json.loads((out / f"changes-{pair}.json").read_text("utf-8"))
        jsonschema.validate(data, changes_schema())
        assert data["kind"] == "series"
    assert not (out / "changes-d1-d3.html").exists()  # consecutive pairs only
    assert not (out / "changes-distinctive.html").exists()
    index = (out / "index.html").read_text("utf-8")
    assert 'href="changes-d1-d2.html"' in index and 'href="changes-d2-d3.html"' in index
    assert 'href="index.html"' in (out / "changes-d1-d2.html").read_text("utf-8")


def test_a_series_gets_no_peers_report(national: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("compare", *map(str, national), "-o", str(out), "--no-pager")
    assert proc.returncode == 0, proc.stderr
    assert (out / "changes-d1-d2.html").is_file()
    assert not (out / "changes-distinctive.html").exists()  # 2024, 2025: one series


def test_a_series_among_other_documents_gets_its_own_pairs(corpus_dir: Path) -> None:
    """national-2024, prov-2026-zhejiang, national-2025: the two national reports are one
    issuer's years (names national-#), Zhejiang is of another issuer: one report, 2024 ->
    2025, none from 2024 to Zhejiang or from Zhejiang to 2025 (the inputs' order)."""
    from policydiff.changes.files import change_pairs, has_peers

    paths = [corpus_dir / n for n in
             ("national-2024.txt", "prov-2026-zhejiang.txt", "national-2025.txt")]
    comparison = compare(paths, Config())
    assert change_pairs(comparison) == [("d1", "d3")]
    assert not has_peers(comparison)


def test_a_report_reads_back_strictly(seed_files: dict[str, Path], tmp_path: Path) -> None:
    comparison = compare([seed_files["001"], seed_files["002"]], Config(cache=False))
    text = render_json(change_report(comparison, "d1", "d2"))
    path = tmp_path / "changes.json"
    path.write_text(text, "utf-8")
    assert load_changes(path) == json.loads(text)
    data = json.loads(text)
    data["indicators"] = [{"name": "赤字率", "theme": "macro", "direction": "raised",
                           "from": {"value": "3%", "sentence": "", "section": "d1/2",
                                    "line": 0}, "to": None}]
    damaged = [
        ('{"schema": "policydiff/changes@2"}', "schema is"),
        (text.replace('"kind": "peers"', '"kind": "sideways"')
         .replace('"kind": "series"', '"kind": "sideways"'), "kind must be"),
        (json.dumps(data, ensure_ascii=False), "indicators[0]"),
        (text[: len(text) // 2], "changes.json"),
    ]
    for bad, says in damaged:
        path.write_text(bad, "utf-8")
        with pytest.raises(ExportError) as caught:
            load_changes(path)
        message = str(caught.value)
        assert says in message and "\n" not in message, message


def test_context_reports_make_old_terms_not_new(corpus_dir: Path) -> None:
    """--context: 2025:86 加快“双一流”建设 comes back after 2024 left it out (2018:184
    加快“双一流”建设): with the earlier reports as context it is an old term and ranks below
    where it ranks without them, while 具身智能 (2025:78 培育生物制造、量子科技、具身智能、6G等
    未来产业), in no earlier report, stays in the top 30 of the new."""
    a, b = str(corpus_dir / "national-2024.txt"), str(corpus_dir / "national-2025.txt")
    context = [str(corpus_dir / f"national-{year}.txt") for year in (2018, 2019, 2023)]

    def ranks(*extra: str) -> dict[str, float]:
        proc = run("changes", a, b, "--format", "json", *extra)
        assert proc.returncode == 0, proc.stderr
        data = json.loads(proc.stdout)
        assert [d["file"] for d in data["documents"]] == ["national-2024.txt",
                                                          "national-2025.txt"]
        found = [entry["text"] for entry in data["new"]]
        return {t: float(found.index(t) + 1) if t in found else float("inf")
                for t in ("双一流", "具身智能")}

    alone = ranks("--no-context")  # without it the reports beside A and B are the context
    with_context = ranks("--context", *context, a, b)  # a and b themselves are left out
    assert with_context["双一流"] > alone["双一流"], (alone, with_context)
    assert with_context["具身智能"] <= 30


def count_folds(monkeypatch: pytest.MonkeyPatch, texts: set[str]) -> list[str]:
    """The texts of ``texts`` folded from now on, in order: ``fold`` is wrapped where the change
    report calls it (``formulation_reading`` and ``formulations``)."""
    import policydiff.changes.formulation_reading as reading
    import policydiff.changes.formulations as formulations

    folded: list[str] = []
    real_fold = reading.fold

    def counted(text: str) -> str:
        if text in texts:
            folded.append(text)
        return real_fold(text)

    monkeypatch.setattr(reading, "fold", counted)
    monkeypatch.setattr(formulations, "fold", counted)
    return folded


def test_the_reports_of_a_comparison_read_each_document_once(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formulations take the tokens the comparison read (``document_tokens`` keeps them
    per Document: no second tokenizing nor cache read) and fold each document's text once
    for all the reports of a comparison (the peers'
    report of 5 documents folded each text 1 + 4 times)."""
    import policydiff.document as document
    from policydiff.changes.build import distinctive_report, evidence_of

    comparison = compare([seed_files[k] for k in ("000", "001", "002", "003", "004")],
                         Config(cache=False))
    texts = {doc.text for doc in comparison.documents}
    folded = count_folds(monkeypatch, texts)

    def no_tokenizing(*args: object, **kwargs: object) -> None:
        raise AssertionError("tokenized again")

    monkeypatch.setattr(document, "_document_tokens", no_tokenizing)
    evidence = evidence_of(comparison)
    items = distinctive_report(comparison, evidence=evidence)
    assert len(items) == 5
    assert sorted(folded) == sorted(texts)
    change_report(comparison, "d1", "d2", evidence=evidence)  # nothing read again
    assert sorted(folded) == sorted(texts)


def test_the_reports_of_a_series_fold_each_document_once(
    seed_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a series the reports d1 -> d2 and d2 -> d3 share one Evidence: d3, folded as
    context of the first report, is not folded again when the second one reads it (it was:
    d1, d2, d3, d3); d2's figures, new in one report and old in the next, are found once."""
    import policydiff.changes.indicators as indicators
    from policydiff.changes.build import evidence_of
    from policydiff.changes.model import Figure
    from policydiff.model import Document
    from policydiff.themes import Theme

    comparison = compare([seed_files[k] for k in ("000", "001", "002")],
                         Config(cache=False, series=True))
    texts = {doc.text for doc in comparison.documents}
    folded = count_folds(monkeypatch, texts)
    figured: list[str] = []
    real_figures = indicators.document_figures

    def counted_figures(doc: Document, themes: Sequence[Theme]) -> list[Figure]:
        figured.append(doc.text)
        return real_figures(doc, themes)

    monkeypatch.setattr(indicators, "document_figures", counted_figures)
    evidence = evidence_of(comparison)
    first = change_report(comparison, "d1", "d2", evidence=evidence)
    second = change_report(comparison, "d2", "d3", evidence=evidence)
    assert (first.kind, second.kind) == ("series", "series")
    assert sorted(folded) == sorted(texts)
    assert sorted(figured) == sorted(texts)  # d2's figures serve both reports
