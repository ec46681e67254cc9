"""Analyst overrides (policydiff.overrides): pair, unpair and split survive re-runs, are
applied before the aligner fills the rest, are marked manual, and go stale when a document
changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policydiff import overrides
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.errors import ConfigError, InputError
from policydiff.formats.alignment import alignment_json


def _pair(tmp_path: Path, corpus_dir: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "national-2024.txt", tmp_path / "national-2025.txt"
    shutil.copy(corpus_dir / "national-2024.txt", a)
    shutil.copy(corpus_dir / "national-2025.txt", b)
    return a, b


def test_pair_unpair_split_round_trip(tmp_path: Path, corpus_dir: Path) -> None:
    a, b = _pair(tmp_path, corpus_dir)
    comparison = compare([a, b], Config())
    da, db = comparison.documents
    auto = {(m.a, m.b) for m in comparison.alignment("d1", "d2").matches}
    # By hand: 2024's （八）推动城乡融合和区域协调发展 is 2025's （八）推进新型城镇化和区域协调发展
    # (auto agrees: d1/3.8 ⇄ d2/3.8); unpair it and pair 2024's 一是 (macro) with 2025's 二是.
    assert ("d1/3.8", "d2/3.8") in auto
    ov = overrides.Overrides().without(da, db, "d1/3.8", "d2/3.8")
    ov = ov.with_pair(da, db, "d1/1.9", "d2/1.2")
    ov = ov.with_split(da, db, "d1/3.3", ["d2/3.1", "d2/3.5"])
    path = ov.save(tmp_path / overrides.FILE_NAME)
    loaded = overrides.load(path)
    assert set(loaded.entries) == set(ov.entries)  # read back grouped by action
    text = path.read_text(encoding="utf-8")
    assert "（八）推动城乡融合和区域协调发展，大力优化经济布局" in text and da.sha256 in text

    again = compare([a, b], Config(overrides=loaded))
    al = again.alignment("d1", "d2")
    got = {(m.a, m.b): m for m in al.matches}
    assert ("d1/3.8", "d2/3.8") not in got
    assert got[("d1/1.9", "d2/1.2")].source == "manual"
    split = [m for m in al.matches if m.a == "d1/3.3"]
    assert {m.b for m in split} == {"d2/3.1", "d2/3.5"}
    assert {m.group for m in split} == {"d1/3.3"} and {m.source for m in split} == {"manual"}
    # d2/1.2 and d2/3.1 are taken by hand: no automatic match uses them.
    assert [m for m in al.matches if m.b == "d2/1.2"] == [got[("d1/1.9", "d2/1.2")]]
    exported = alignment_json(again)["pairs"][0]["matches"]
    assert {e["source"] for e in exported if e["a"] == "d1/3.3"} == {"manual"}
    assert al.stale == ()


def test_changed_document_makes_overrides_stale(tmp_path: Path, corpus_dir: Path) -> None:
    a, b = _pair(tmp_path, corpus_dir)
    comparison = compare([a, b], Config())
    da, db = comparison.documents
    ov = overrides.Overrides().with_pair(da, db, "d1/1.9", "d2/1.2")
    ov.save(tmp_path / overrides.FILE_NAME)
    b.write_text(b.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    changed = compare([a, b], Config(overrides=overrides.load(tmp_path / overrides.FILE_NAME)))
    al = changed.alignment("d1", "d2")
    assert len(al.stale) == 1 and "changed" in al.stale[0]
    assert all(m.source == "auto" for m in al.matches)
    assert alignment_json(changed)["pairs"][0]["stale"] == list(al.stale)


def test_cli_finds_overrides_beside_documents_and_warns_stale(
    tmp_path: Path, corpus_dir: Path
) -> None:
    a, b = _pair(tmp_path, corpus_dir)
    comparison = compare([a, b], Config())
    da, db = comparison.documents
    overrides.Overrides().with_pair(da, db, "d1/1.9", "d2/1.2").save(
        tmp_path / overrides.FILE_NAME
    )
    cmd = [sys.executable, "-m", "policydiff", "align", str(a), str(b), "--no-cache"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if "[manual]" in x)
    assert "一是加大宏观调控力度" in line and "二是坚定不移全面深化改革扩大开放" in line
    b.write_text(b.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "[manual]" not in out.stdout and "not applied" in out.stderr


def test_bad_overrides_files_are_one_line_errors(tmp_path: Path) -> None:
    bad = tmp_path / "o.toml"
    bad.write_text("[[pair]]\na = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="a_file must be"):
        overrides.load(bad)
    bad.write_text("[[pear]]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown table"):
        overrides.load(bad)
    bad.write_text("not = toml = here", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        overrides.load(bad)
    with pytest.raises(InputError):
        overrides.load(tmp_path)  # a folder
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * 2_000_000)
    with pytest.raises(InputError):
        overrides.load(big)


def test_repeated_headings_are_named_by_their_parents(tmp_path: Path) -> None:
    from policydiff.document import build_document

    body = "坚持党的全面领导，推进全面从严治党，提高政府执行力和公信力，建设人民满意的政府。" * 2
    text = (
        "一、过去一年工作回顾\n（一）加强政府建设\n" + body + "\n"
        "二、今年重点任务\n（一）加强政府建设\n" + body + "\n"
    )
    doc = build_document(text, doc_id="d1", path=str(tmp_path / "a.txt"))
    twins = [s for s in doc.sections if s.heading == "加强政府建设"]
    assert len(twins) == 2
    keys = [overrides.section_key(doc, s) for s in twins]
    assert keys == [
        "一、过去一年工作回顾 / （一）加强政府建设", "二、今年重点任务 / （一）加强政府建设",
    ]
    assert [overrides.section_for(doc, k) for k in keys] == [s.id for s in twins]
    assert overrides.section_for(doc, "（一）加强政府建设") is None  # ambiguous: not applied


def test_a_hostile_heading_round_trips_through_the_file(tmp_path: Path) -> None:
    from policydiff.document import load_document

    body = "推进高质量发展，扩大有效需求，稳定就业和物价，防范化解重大风险，保持社会大局稳定。"
    heading = '一、"引号"\\反斜杠\x7f与\x1b[31m控制'
    source = tmp_path / "a.txt"
    source.write_text(f"{heading}\n{body * 2}\n", encoding="utf-8")
    doc = load_document(source, cache=False)
    sec = doc.sections[-1]
    ov = overrides.Overrides().with_pair(doc, doc, sec.id, sec.id)
    path = ov.save(tmp_path / "o.toml")
    back = overrides.load(path)
    assert back.entries == ov.entries
    fixed, stale = back.for_pair(doc, doc)
    assert fixed.pairs == ((sec.id, sec.id, "match"),) and stale == ()


def test_controls_and_quotes_in_names_are_escaped_in_the_file() -> None:
    names = ('"引号"\\反斜杠', "删除\x7f符", "换行\n与\x1b[31m转义", "\u202e反向")
    entry = overrides.Entry("split", "a.txt", "0" * 64, "b.txt", "1" * 64, ("甲",), names)
    text = overrides.Overrides((entry,)).to_toml()
    assert "\x7f" not in text and "\x1b" not in text
    assert overrides.parse(text, "x.toml").entries == (entry,)


def test_a_section_in_two_overrides_is_placed_once(tmp_path: Path, corpus_dir: Path) -> None:
    a, b = _pair(tmp_path, corpus_dir)
    comparison = compare([a, b], Config())
    da, db = comparison.documents
    first = overrides.Overrides().with_pair(da, db, "d1/1.9", "d2/1.2")
    both = overrides.Overrides(first.entries + overrides.Overrides().with_pair(
        da, db, "d1/1.9", "d2/1.3").entries)
    fixed, stale = both.for_pair(da, db)
    assert fixed.pairs == (("d1/1.9", "d2/1.2", "match"),)
    assert len(stale) == 1 and "already" in stale[0]
    al = compare([a, b], Config(overrides=both)).alignment("d1", "d2")
    assert [m.b for m in al.matches if m.a == "d1/1.9"] == ["d2/1.2"]


def test_decisions_replace_only_what_they_contradict(tmp_path: Path, corpus_dir: Path) -> None:
    """Two unpairs of one section from two partners both stay (the second used to drop the
    first, letting the aligner pair them again); a pairing replaces an earlier pairing of
    one of its sections but not an unpair of another pair; an unpair of a manual pair drops
    that pair. Sections by hand from national 2024/2025 (d1/3.8 （八）…, d2/3.8, d2/3.9)."""
    a, b = _pair(tmp_path, corpus_dir)
    comparison = compare([a, b], Config())
    da, db = comparison.documents

    def actions(ov: overrides.Overrides) -> list[tuple[str, str, str]]:
        return [(e.action, e.a[0][:12], e.b[0][:12]) for e in ov.entries]

    two = overrides.Overrides().without(da, db, "d1/3.8", "d2/3.8")
    two = two.without(da, db, "d1/3.8", "d2/3.9")
    assert [act for act, _, _ in actions(two)] == ["unpair", "unpair"]
    assert len({e.b for e in two.entries}) == 2

    paired = two.with_pair(da, db, "d1/3.8", "d2/3.10")
    assert [act for act, _, _ in actions(paired)] == ["unpair", "unpair", "pair"]
    repaired = paired.with_pair(da, db, "d1/3.8", "d2/3.7")  # d1/3.8 is placed once
    assert [act for act, _, _ in actions(repaired)] == ["unpair", "unpair", "pair"]
    assert repaired.entries[-1].b != paired.entries[-1].b

    undone = repaired.without(da, db, "d1/3.8", "d2/3.7")
    assert [act for act, _, _ in actions(undone)] == ["unpair", "unpair", "unpair"]


def test_every_section_of_a_long_report_is_found_by_its_key(corpus_dir: Path) -> None:
    # Hong Kong 2014, 109 sections (``安老`` under （三）, ``交通运输`` under （五）): every
    # section's key from the one-pass table names it and only it.
    doc = compare([corpus_dir / "hk-policy-address-2014-zht.txt"], Config()).documents[0]
    keys = overrides.section_keys(doc)
    assert len(set(keys.values())) == len(doc.sections)
    assert all(overrides.section_for(doc, k) == i for i, k in keys.items())
