"""The phrase-overlap report (policydiff.report, render.phrases, formats.phrases): JSON schema,
escaping, CSV injection, terminal safety, determinism, themes, a real run on the seeds, and
the strict loader of the JSON export."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policydiff.chars import MASK
from policydiff.document import build_document
from policydiff.errors import ExportError
from policydiff.formats.phrases import load_phrases, phrases_schema, render_json
from policydiff.model import Document, Section
from policydiff.phrases import find_shared_phrases
from policydiff.render.phrases import (
    csv_cell,
    md_escape,
    render_csv,
    render_html,
    render_markdown,
)
from policydiff.report import PhraseReport, build_report, top_phrases

SCHEMA = phrases_schema()

# Two small documents, as word lists, with hostile text inside shared phrases.
D1 = [
    "=",
    "推进",
    "改革",
    "创新",
    "工作",
    "\n",
    "建设",
    "<",
    "b",
    ">",
    "美丽",
    "<",
    "/",
    "b",
    ">",
    "中国",
    "行动",
    "|",
    "计划",
    "\n",
    "实施",
    "“",
    "两新",
    "”",
    "政策",
    "\n",
    "保障",
    "粮食",
    "安全",
    "\n",
]
D2 = [
    "=",
    "推进",
    "改革",
    "创新",
    "工作",
    "\n",
    "落实",
    "“",
    "两新",
    "”",
    "举措",
    "\n",
    "建设",
    "<",
    "b",
    ">",
    "美丽",
    "<",
    "/",
    "b",
    ">",
    "中国",
    "行动",
    "|",
    "计划",
    "\n",
    "发展",
    MASK,
    "经济",
    "\n",
]
ESC_TITLE = "报告\x1b]0;pwned\x07标题"


def _text_and_spans(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    spans, pos = [], 0
    for token in tokens:
        spans.append((pos, pos + len(token)))
        pos += len(token)
    return "".join(tokens), spans


def _section(
    sid: str,
    parent: str | None,
    level: int,
    span: tuple[int, int],
    children: tuple[Section, ...] | list[Section] = (),
) -> Section:
    return Section(
        id=sid,
        parent=parent,
        level=level,
        label="",
        heading="",
        span=span,
        heading_span=(span[0], span[0]),
        body_span=span,
        source_span=span,
        children=tuple(children),
    )


def _document(doc_id: str, text: str, title: str) -> Document:
    """Sections: one per line (d1/1, d1/2, …)."""
    children, pos = [], 0
    for i, line in enumerate(text.split("\n")[:-1], 1):
        children.append(_section(f"{doc_id}/{i}", doc_id, 1, (pos, pos + len(line) + 1)))
        pos += len(line) + 1
    root = _section(doc_id, None, 0, (0, len(text)), children)
    return Document(
        id=doc_id,
        path=f"/tmp/{doc_id}.txt",
        title=title,
        sha256="a" * 64,
        encoding="utf-8",
        script="hans",
        text=text,
        root=root,
    )


@pytest.fixture(scope="module")
def small() -> tuple[PhraseReport, dict[str, str]]:
    t1, s1 = _text_and_spans(D1)
    t2, s2 = _text_and_spans(D2)
    texts = {"d1": t1, "d2": t2}
    ps = find_shared_phrases(texts, word_spans={"d1": s1, "d2": s2}, formulaic=frozenset())
    docs = [_document("d1", t1, ESC_TITLE), _document("d2", t2, "第二份")]
    themes = {"eco": {"d1": ["d1/2"], "d2": ["d2/3"]}, "reform": {"d1": ["d1/1"], "d2": ["d2/2"]}}
    return build_report(ps, documents=docs, themes=themes), texts


def test_small_report_contents(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    texts = {p.text: p for p in report.phrase_set.phrases}
    # read off D1/D2: three shared lines; 保障粮食安全 and 发展＊经济 are not shared
    assert set(texts) == {"=推进改革创新工作", "建设<b>美丽</b>中国行动|计划", "两新"}
    assert texts["两新"].kind == "slogan"
    occ = {(o.doc, o.section) for o in texts["建设<b>美丽</b>中国行动|计划"].occurrences}
    assert occ == {("d1", "d1/2"), ("d2", "d2/3")}
    assert [(t.theme, t.phrases) for t in report.themes] == [
        ("eco", ("建设<b>美丽</b>中国行动|计划",)),
        ("reform", ()),  # d1/1 and d2/2 share nothing
    ]
    (change,) = report.changes
    # d2's new line 落实“两新”举措 is new wording (两新 itself is quoted in both); the mask
    # splits 发展＊经济 into two 2-character stubs, too short to report
    assert any("举措" in u.text for u in change.new)
    assert not any("经济" in u.text for u in change.new)
    assert "保障粮食安全" in [u.text for u in change.dropped]


def test_json_matches_schema_and_offsets(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, texts = small
    data = json.loads(render_json(report))
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "policydiff/phrases@1"
    assert [d["id"] for d in data["documents"]] == ["d1", "d2"]
    assert data["documents"][0]["title"] == ESC_TITLE  # files keep the text as it is
    for phrase in data["phrases"]:
        for occ in phrase["occurrences"]:
            start, end = occ["span"]
            assert texts[occ["doc"]][start:end] == phrase["text"]
    assert data["overlap"][0]["a"] == "d1" and data["overlap"][0]["b"] == "d2"
    assert data["changes"][0]["from"] == "d1" and data["changes"][0]["to"] == "d2"


def test_json_rejected_by_schema_when_broken(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    data = json.loads(render_json(report))
    data["phrases"][0]["kind"] = "boilerplate"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)
    data = json.loads(render_json(report))
    data["schema"] = "policydiff/phrases@2"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA)


def test_output_is_deterministic(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    t1, s1 = _text_and_spans(D1)
    t2, s2 = _text_and_spans(D2)
    again = build_report(
        find_shared_phrases(
            {"d1": t1, "d2": t2}, word_spans={"d1": s1, "d2": s2}, formulaic=frozenset()
        ),
        documents=[_document("d1", t1, ESC_TITLE), _document("d2", t2, "第二份")],
        themes={
            "eco": {"d1": ["d1/2"], "d2": ["d2/3"]},
            "reform": {"d1": ["d1/1"], "d2": ["d2/2"]},
        },
    )
    for render in (render_json, render_markdown, render_html, render_csv):
        assert render(report) == render(again)


def test_markdown_escapes_and_terminal_is_safe(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    md = render_markdown(report)
    assert "建设\\<b\\>美丽\\</b\\>中国行动\\|计划" in md
    # Issue 17: titles are made safe wherever text leaves the program, a file too.
    assert "\x1b" not in md and "␛" in md
    shown = render_markdown(report, for_terminal=True)
    assert "\x1b" not in shown and "\x07" not in shown
    assert "␛" in shown and "␇" in shown
    assert md_escape("a|b*c_d") == "a\\|b\\*c\\_d"


def test_csv_guards_against_formulas(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    rows = list(csv.reader(io.StringIO(render_csv(report))))
    assert rows[0][:4] == ["text", "kind", "length", "docs"]
    cells = [row[0] for row in rows[1:]]
    assert "'=推进改革创新工作" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for row in rows for c in row)
    assert (
        csv_cell("-1") == "'-1"
        and csv_cell("@SUM(A1)") == "'@SUM(A1)"
        and csv_cell("两新") == "两新"
    )
    overlap_rows = list(csv.reader(io.StringIO(render_csv(report, table="overlap"))))
    assert len(overlap_rows) == 2  # header + the one pair
    occ_rows = list(csv.reader(io.StringIO(render_csv(report, table="occurrences"))))
    assert len(occ_rows) == 1 + sum(len(p.occurrences) for p in report.phrase_set.phrases)
    change_rows = list(csv.reader(io.StringIO(render_csv(report, table="changes"))))
    assert change_rows[0] == [  # issue 11: the documents' labels beside their ids
        "from", "to", "from_label", "to_label", "change", "rank", "text", "kind", "count",
        "elsewhere",
    ]
    with pytest.raises(ValueError):
        render_csv(report, table="nope")


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_standalone_and_escaped(small: tuple[PhraseReport, dict[str, str]]) -> None:
    report, _ = small
    page = render_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;美丽&lt;/b&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert "b" not in parser.tags and "script" not in parser.tags
    assert "建设<b>美丽</b>中国行动|计划" in "".join(parser.text)
    assert "<link" not in page and "http" not in page  # nothing loaded from elsewhere


def test_empty_report_renders_everywhere() -> None:
    report = build_report(find_shared_phrases({}))
    jsonschema.validate(json.loads(render_json(report)), SCHEMA)
    assert "0 documents" in render_markdown(report)
    assert render_csv(report).startswith("text,kind,length,docs")
    assert "</html>" in render_html(report)


def test_seed_report(seed_files: dict[str, Path]) -> None:
    docs = [
        build_document(path.read_text("utf-8"), doc_id=key, path=str(path))
        for key, path in sorted(seed_files.items())
    ]
    ps = find_shared_phrases({d.id: d.text for d in docs})
    report = build_report(ps, documents=docs)
    data = json.loads(render_json(report))
    # jsonschema needs ~1.5 s for all 1,600 phrases: validate a slice of them here (the small
    # report above is validated whole) and check every span directly
    jsonschema.validate({**data, "phrases": data["phrases"][:150]}, SCHEMA)
    text = {d.id: d.text for d in docs}
    for phrase in data["phrases"]:
        for occ in phrase["occurrences"]:
            assert text[occ["doc"]][occ["span"][0] : occ["span"][1]] == phrase["text"]
    assert len(data["overlap"]) == 10  # 5 documents, every pair once
    assert [(c["from"], c["to"]) for c in data["changes"]] == [
        ("000", "001"),
        ("001", "002"),
        ("002", "003"),
        ("003", "004"),
    ]
    assert all(o["section"] for p in data["phrases"] for o in p["occurrences"])
    top = [p.text for p in top_phrases(report, kind="substantive")]
    assert "放管服" in top[:5]  # in all five seeds (quoted in four)
    assert all(p.kind != "formulaic" for p in top_phrases(report, kind="substantive"))
    md = render_markdown(report)
    assert "| 放管服 | slogan | 5 |" in md


# --------------------------------------------------------------------------- the strict loader


@pytest.fixture(scope="module")
def seed_export(
    seed_files: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A phrases.json written by the tool from seeds 000 (d1) and 002 (d2), with the
    normalized texts of the two documents."""
    out = tmp_path_factory.mktemp("export") / "phrases.json"
    paths = [str(seed_files["000"]), str(seed_files["002"])]
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "phrases", *paths, "--format", "json", "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    texts = {
        doc_id: build_document(Path(path).read_text("utf-8"), doc_id=doc_id, path=path).text
        for doc_id, path in zip(("d1", "d2"), paths, strict=True)
    }
    return out, texts


def test_load_phrases_reads_a_real_export(seed_export: tuple[Path, dict[str, str]]) -> None:
    path, texts = seed_export
    data = load_phrases(path, texts=texts)
    assert load_phrases(path.read_text("utf-8")) == data  # the text itself
    assert load_phrases(path.read_bytes()) == data  # or its bytes
    assert load_phrases(str(path)) == data  # a path as a string
    assert [d["id"] for d in data["documents"]] == ["d1", "d2"]
    assert data["documents"][0]["path"].endswith("000_fa4a5ba1074ac6cc.txt")
    phrases = {p["text"]: p for p in data["phrases"]}
    # grep counts in the seeds (000 → 002): 乡村振兴 4 → 2, quoted “乡村振兴” in 002;
    # 放管服 1 → 2, quoted every time; 社会治理现代化 1 → 2
    assert phrases["乡村振兴"]["kind"] == "slogan"
    assert phrases["乡村振兴"]["counts"] == {"d1": 4, "d2": 2}
    assert phrases["放管服"]["kind"] == "slogan"
    assert phrases["放管服"]["counts"] == {"d1": 1, "d2": 2}
    assert phrases["社会治理现代化"]["counts"] == {"d1": 1, "d2": 2}
    for phrase in data["phrases"]:
        for occ in phrase["occurrences"]:
            start, end = occ["span"]
            assert texts[occ["doc"]][start:end] == phrase["text"]
    ((row,),) = [data["overlap"]]
    assert (row["a"], row["b"]) == ("d1", "d2")
    ((change,),) = [data["changes"]]
    # 双招双引 ×5 and 红色物业 ×3 appear in 002 only; 十三五 and 城市双修 only in 000
    units = {u["text"]: u for u in change["new_units"]}
    assert len(units["双招双引"]["spans"]) == 5
    assert len(units["红色物业"]["spans"]) == 3
    assert {"十三五", "城市双修"} <= set(change["dropped"])


def _damaged(path: Path, tmp_path: Path, damage: Callable[[dict[str, Any]], None]) -> Path:
    data = json.loads(path.read_text("utf-8"))
    damage(data)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return broken


def _first_occurrence(data: dict[str, Any]) -> dict[str, Any]:
    occ: dict[str, Any] = data["phrases"][0]["occurrences"][0]
    return occ


DAMAGE: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "schema": (lambda d: d.update(schema="policydiff/phrases@2"), "schema is"),
    "missing field": (lambda d: d.pop("phrases"), "has no field 'phrases'"),
    "unknown field": (lambda d: d.update(extra=1), "unknown field 'extra'"),
    "kind": (lambda d: d["phrases"][0].update(kind="boilerplate"), "kind must be"),
    "unknown document": (
        lambda d: _first_occurrence(d).update(doc="d3"),
        "'d3' names no listed document",
    ),
    "span type": (lambda d: _first_occurrence(d).update(span=[True, 5]), "two integers"),
    "span length": (
        lambda d: _first_occurrence(d)["span"].__setitem__(1, 10**6),
        "is not [start, end) of its text",
    ),
    "negative span": (
        lambda d: _first_occurrence(d).update(span=[-1, 21]),
        "is not [start, end) of its text",
    ),
    "counts": (lambda d: d["phrases"][0]["counts"].update(d1=7), "counts do not match"),
    "length": (lambda d: d["phrases"][0].update(length=99), "number of Han characters"),
    "duplicate id": (
        lambda d: d["documents"].append(dict(d["documents"][0])),
        "is listed twice",
    ),
    "sha256": (lambda d: d["documents"][0].update(sha256="xyz"), "sha256 must be"),
    "share": (lambda d: d["overlap"][0].update(jaccard=1.5), "jaccard must be a number"),
    "units": (lambda d: d["changes"][0]["new_units"].pop(0), "new_units do not match new"),
    "unit span": (
        lambda d: d["changes"][0]["new_units"][0]["spans"].append([5, 4]),
        "span [5, 4] is not",
    ),
    "elsewhere": (
        lambda d: d["changes"][0]["new_units"][0].update(elsewhere="yes"),
        "elsewhere must be",
    ),
    "theme": (
        lambda d: d["themes"].append({"theme": 3, "phrases": []}),
        "theme must be a string",
    ),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_load_phrases_refuses_damage(
    name: str, seed_export: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, _ = seed_export
    damage, reason = DAMAGE[name]
    broken = _damaged(path, tmp_path, damage)
    with pytest.raises(ExportError) as caught:
        load_phrases(broken)
    message = str(caught.value)
    assert message.startswith(str(broken)) and "\n" not in message
    assert reason in message


def test_load_phrases_refuses_a_span_that_moved_or_runs_past_the_text(
    seed_export: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    path, texts = seed_export

    def shift(data: dict[str, Any]) -> None:
        span = _first_occurrence(data)["span"]
        span[0], span[1] = span[0] + 1, span[1] + 1

    moved = _damaged(path, tmp_path, shift)
    load_phrases(moved)  # the same length: only the document text shows the damage
    with pytest.raises(ExportError, match="is not the phrase"):
        load_phrases(moved, texts=texts)
    with pytest.raises(ExportError, match="ends past the document"):
        load_phrases(path, texts={"d1": texts["d1"][:100], "d2": texts["d2"]})


def test_load_phrases_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    refusals = {
        '{"schema": "policydiff/phrases@1", "schema": 1}': "duplicate key",
        "[1, 2]": "not a policydiff phrases export",
        "{": "invalid JSON",
        '{"schema": NaN}': "NaN is not allowed",
    }
    for text, reason in refusals.items():
        with pytest.raises(ExportError, match=reason):
            load_phrases(text)
    with pytest.raises(ExportError, match=r"no such file|not found|does not exist"):
        load_phrases(tmp_path / "missing.json")
    empty = build_report(find_shared_phrases({}))
    assert load_phrases(render_json(empty))["phrases"] == []
