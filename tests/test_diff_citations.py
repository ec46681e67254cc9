"""Every change of a diff carries the source files' line and column (issue 13, item 7): the
diff JSON (``hunks``, ``a_at``/``b_at`` of pairs and moves), the text of ``policydiff diff`` and
the Markdown export print ``file:line``. Expected positions were read from the seed files by
hand (the line quoted, the characters before the position counted with ``sed … | wc -m``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from policydiff.citations import line_list
from policydiff.comparison import compare
from policydiff.config import Config
from policydiff.errors import ExportError
from policydiff.formats.diff import diff_json, diff_schema, load_diff, selected_diffs
from policydiff.formats.jsontext import dumps


def _export(paths: list[Path], section: str | None = None) -> dict[str, Any]:
    comparison = compare(paths, Config(cache=False))
    selected = selected_diffs(comparison, "d1", "d2", section)
    return diff_json(comparison, selected, comparison.alignment("d1", "d2"), section)


def test_each_change_of_a_pair_is_cited_in_both_files(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    data = _export([seed_files["000"], seed_files["002"]], "d1/3.1")
    jsonschema.validate(data, diff_schema())
    assert [d["file"] for d in data["documents"]] == [
        "000_fa4a5ba1074ac6cc.txt", "002_18ae15f2ea8019a0.txt"]
    (pair,) = data["pairs"]
    assert (pair["a"], pair["b"]) == ("d1/3.1", "d2/3.6.1")
    # 000:4 is one long paragraph: 第三，注重精准施策…促进农业高质高效、乡村宜居宜业、农民富裕富足。
    #   一是发展现代农业。突出打好“绿色食品牌”… — 72 characters before 一是 (column 73),
    #   81 before 突出打好, where the first change starts (column 82)
    # 002:38 一是发展现代农业。把现代农业作为农业发展的根本方向… — the section starts the line;
    #   its first change, 把现代农业…, after the 9 characters of 一是发展现代农业。 (column 10)
    assert pair["a_at"] == {"line": 4, "column": 73}
    assert pair["b_at"] == {"line": 38, "column": 1}
    changed = [k for k, op in enumerate(pair["opcodes"]) if op[0] != "equal"]
    assert [h["opcode"] for h in pair["hunks"]] == changed
    first = pair["hunks"][0]
    assert first["a_at"] == {"line": 4, "column": 82}
    assert first["b_at"] == {"line": 38, "column": 10}
    # every change of this pair lies on those two lines
    assert {h["a_at"]["line"] for h in pair["hunks"]} == {4}
    assert {h["b_at"]["line"] for h in pair["hunks"]} == {38}
    path = tmp_path / "diff.json"
    path.write_text(dumps(data), encoding="utf-8")
    assert load_diff(path) == data


def _figure_changed(tmp_path: Path, seed: Path) -> tuple[Path, Path]:
    """Seed 001 and a copy of it in which 4.48萬畝 (line 20) reads 5.48萬畝."""
    old = tmp_path / seed.name
    shutil.copy(seed, old)
    new = tmp_path / "001-changed.txt"
    text = seed.read_text(encoding="utf-8")
    assert text.count("4.48") == 1
    new.write_text(text.replace("4.48", "5.48"), encoding="utf-8")
    return old, new


def test_a_changed_figure_of_a_traditional_file_is_cited_at_its_line(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    """Seed 001 is Traditional Chinese with pinyin after characters: the normalized text has
    neither, so its offsets are not the file's; the citation goes back to the file."""
    old, new = _figure_changed(tmp_path, seed_files["001"])
    data = _export([old, new])
    hunks = [h for pair in data["pairs"] for h in pair["hunks"]]
    # 001:20 現(xiàn)代農(nóng)業(yè)提質(zhì)增效。新建高標(biāo)準(zhǔn)
    #   農(nóng)田4.48萬畝 — 55 characters (pinyin included) before the 4: column 56,
    #   on both sides
    assert [(h["a_at"], h["b_at"]) for h in hunks] == [
        ({"line": 20, "column": 56}, {"line": 20, "column": 56})]


def test_diff_text_prints_file_and_line(tmp_path: Path, seed_files: dict[str, Path]) -> None:
    old, new = _figure_changed(tmp_path, seed_files["001"])
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "diff", str(old), str(new), "--no-pager"],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    assert proc.returncode == 1, proc.stderr  # the documents differ
    # the changed section is (一)強(qiáng)基固本… of 一、2022年工作回顧 (lines 19–20…);
    # the header says where it starts and the one changed line
    where = [line for line in proc.stdout.splitlines() if "changed lines" in line]
    assert len(where) == 1
    assert where[0].strip().endswith("changed lines 20 ⇄ 20")
    assert "001_377fd206c21df32a.txt:" in where[0] and "001-changed.txt:" in where[0]


def test_markdown_export_carries_the_lines(seed_files: dict[str, Path]) -> None:
    from policydiff.render.markdown import diff_markdown

    comparison = compare([seed_files["000"], seed_files["002"]], Config(cache=False))
    selected = selected_diffs(comparison, "d1", "d2", "d1/3.1")
    text = diff_markdown(comparison, selected, "d1", "d2")
    # the pair's header line: 000:4 column 73 ⇄ 002:38 (see the first test); Markdown
    # escapes the underscores of the names
    assert (r"at 000\_fa4a5ba1074ac6cc.txt:4 ⇄ 002\_18ae15f2ea8019a0.txt:38; "
            "changed lines 4 ⇄ 38") in text


def test_line_list_joins_runs() -> None:
    assert line_list([90, 81, 83, 84, 85, 81]) == "81, 83–85, 90"
    assert line_list(range(1, 40, 2), limit=3) == "1, 3, 5, …"
    assert line_list([]) == ""


def test_hunks_that_do_not_match_the_opcodes_are_refused(
    tmp_path: Path, seed_files: dict[str, Path]
) -> None:
    data = _export([seed_files["000"], seed_files["002"]], "d1/3.1")
    data["pairs"][0]["hunks"].pop()
    path = tmp_path / "diff.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ExportError, match="hunks do not match"):
        load_diff(path)
    del data["pairs"][0]["hunks"]  # an export of before (the field is additive) reads back
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_diff(path)["pairs"]
