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
