"""The command line as a user runs it: subprocesses on the seeds, exit codes, files written."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from policydiff.formats.alignment import alignment_schema


def run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args],
        capture_output=True, text=True, timeout=300, cwd=cwd,
    )


def test_core_never_imports_the_ui():
    code = (
        "import importlib, pkgutil, sys, policydiff\n"
        "for m in pkgutil.iter_modules(policydiff.__path__):\n"
        "    importlib.import_module('policydiff.' + m.name)\n"
        "viewer = ('textual', 'rich', 'policydiff_tui')\n"
        "bad = [n for n in sys.modules if n.split('.')[0] in viewer]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_help_does_not_load_heavy_modules():
    code = (
        "import sys\nfrom policydiff.cli import build_parser\nbuild_parser()\n"
        "heavy = ('jieba', 'rjieba', 'opencc', 'textual', 'numpy')\n"
        "heavy = [n for n in heavy if n in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_sections_json(seed_files):
    proc = run("sections", str(seed_files["002"]), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    top = [s for s in data["sections"] if s["level"] == 1 and s["kind"] == "heading"]
    assert [s["label"] for s in top] == ["一、", "二、", "一、", "四、"]
    assert data["encoding"] == "utf-8" and data["script"] == "hans"


def test_align_json_to_stdout_validates(seed_files):
    jsonschema = pytest.importorskip("jsonschema")
    proc = run("align", str(seed_files["000"]), str(seed_files["003"]), "--json", "-")
    assert proc.returncode == 0, proc.stderr  # success, although the two reports differ
    data = json.loads(proc.stdout)
    jsonschema.validate(data, alignment_schema())
    assert len(data["pairs"]) == 1


def test_compare_writes_outputs_and_refuses_to_overwrite(tmp_path, seed_files):
    out = tmp_path / "out"
    args = ["compare", str(seed_files["000"]), str(seed_files["002"]), "-o", str(out)]
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    # issue 11: every table as CSV too (other outputs, such as the HTML pages, may join them)
    tables = ("documents", "alignment", "themes", "phrases", "occurrences", "overlap", "changes")
    expected = {"alignment.json", "diff-d1-d2.html", "phrases.json", "phrases.md"}
    assert expected | {f"{t}.csv" for t in tables} <= set(names), names
    assert "2 documents" in proc.stdout
    again = run(*args)
    assert again.returncode == 2
    assert "--force" in again.stderr and again.stderr.count("\n") == 1
    assert run(*args, "--force").returncode == 0


def test_compare_never_overwrites_an_input(tmp_path, seed_files):
    target = tmp_path / "alignment.json"
    target.write_text("我是输入", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_bytes(seed_files["000"].read_bytes())
    proc = run("align", str(target), str(other), "--json", str(target), "--force")
    assert proc.returncode == 2
    assert target.read_text(encoding="utf-8") == "我是输入"


def test_diff_exit_codes_and_formats(tmp_path, seed_files):
    same = run("diff", str(seed_files["002"]), str(seed_files["002"]))
    assert same.returncode == 0, same.stderr
    assert "no differences" in same.stdout
    differ = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--width", "80")
    assert differ.returncode == 1
    # Not a terminal: no colour codes, inline markers instead.
    assert "\x1b[" not in differ.stdout and ("[-" in differ.stdout or "{+" in differ.stdout)
    page = tmp_path / "diff.html"
    html = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--format", "html",
               "-o", str(page))
    assert html.returncode == 1 and page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    js = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--format", "json",
             "--section", "d1/3.1")
    data = json.loads(js.stdout)
    assert [(p["a"], p["b"]) for p in data["pairs"]] == [("d1/3.1", "d2/3.6.1")]


def test_diff_json_opcodes_rebuild_the_sections(seed_files):
    from policydiff.comparison import compare

    proc = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--format", "json")
    data = json.loads(proc.stdout)
    comparison = compare([seed_files["000"], seed_files["002"]])
    a, b = comparison.documents
    for pair in data["pairs"]:
        rebuilt = "".join(
            (a.text[op[1]:op[2]] if op[0] == "equal" else b.text[op[3]:op[4]])
            for op in pair["opcodes"]
        )
        assert rebuilt == b.text[pair["span_b"][0]:pair["span_b"][1]]


def test_unknown_section_is_a_clear_error(seed_files):
    proc = run("diff", str(seed_files["000"]), str(seed_files["002"]), "--section", "d1/99")
    assert proc.returncode == 2
    assert proc.stderr.startswith("policydiff: --section d1/99") and "Traceback" not in proc.stderr


def test_phrases_json(tmp_path, seed_files):
    out = tmp_path / "p.json"
    proc = run("phrases", str(seed_files["001"]), str(seed_files["003"]), str(seed_files["004"]),
               "--format", "json", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "policydiff/phrases@1"
    texts = {p["text"]: p["kind"] for p in data["phrases"]}
    assert texts.get("习近平新时代中国特色社会主义思想") == "formulaic"


def test_missing_file_is_one_line_exit_2(tmp_path):
    proc = run("sections", str(tmp_path / "nope.txt"))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "nope.txt" in proc.stderr


def test_exit_code_option_says_whether_documents_differ(tmp_path, seed_files):
    """compare and align exit 0 when they did their job (scripts with `set -e` and
    `check=True` must not see a failure); --exit-code makes them say 1 when the documents
    differ, 0 when they do not, like `git diff --exit-code`. Seeds 000 and 003 are different
    reports; a file against a byte-identical copy of itself does not differ."""
    a, b = str(seed_files["000"]), str(seed_files["003"])
    copy = tmp_path / "copy.txt"
    copy.write_bytes(seed_files["000"].read_bytes())
    assert run("align", a, b).returncode == 0
    assert run("align", a, b, "--exit-code").returncode == 1
    assert run("align", a, str(copy), "--exit-code").returncode == 0
    out = tmp_path / "out"
    assert run("compare", a, b, "-o", str(out), "--exit-code").returncode == 1
    assert run("compare", a, str(copy), "-o", str(tmp_path / "same"), "--exit-code").returncode == 0
    assert "--exit-code" in run("compare", "--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sections", "{a}", "--depth", "-1"], "--depth: -1 is not between 1 and 50"),
        (["diff", "{a}", "{b}", "--width", "100000000"], "--width: 100000000 is not between"),
        (["diff", "{a}", "{b}", "--width", "wide"], "--width: invalid int value: 'wide'"),
        (["phrases", "{a}", "{b}", "--min-chars", "1000"], "--min-chars 1000: must be at most"),
    ],
)
def test_options_out_of_range_are_one_line(seed_files, args, message):
    """Every number an option takes has a range; outside it: one line, exit 2, before any
    work (a 100,000,000-column diff wrote gigabytes)."""
    values = {"a": str(seed_files["000"]), "b": str(seed_files["002"])}
    proc = run(*[a.format(**values) for a in args])
    assert proc.returncode == 2
    assert message in proc.stderr and proc.stderr.count("\n") == 1
    assert proc.stdout == ""


def test_a_huge_columns_value_is_capped(seed_files):
    """COLUMNS=100000000 (set by a careless script) gives lines of at most 1,000 columns."""
    import os

    env = {**os.environ, "COLUMNS": "100000000"}
    proc = subprocess.run(
        [sys.executable, "-m", "policydiff", "diff", str(seed_files["000"]),
         str(seed_files["002"])], capture_output=True, text=True, timeout=300, env=env,
    )
    assert proc.returncode == 1, proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= 1000


def test_a_hostile_file_name_is_safe_in_a_pipe(tmp_path):
    """A report without a title line takes its title from its file name. A name holding an
    OSC sequence and a right-to-left override must not go out raw anywhere: not through a pipe
    (`sections F | cat`), not in phrases.md, not in the alignment JSON."""
    body = "一、加强生态环境保护\n推进绿色低碳发展，建设美丽中国。\n二、扩大内需\n提振消费。\n"
    name = tmp_path / "r\x1b]0;pwned\x07\u202eport.txt"
    name.write_text(body, encoding="utf-8")
    other = tmp_path / "plain.txt"
    other.write_text(body.replace("提振消费", "扩大有效投资"), encoding="utf-8")
    unsafe = ("\x1b", "\x07", "\u202e")
    sections = run("sections", str(name))
    assert sections.returncode == 0, sections.stderr
    assert not any(ch in sections.stdout for ch in unsafe)
    phrases = run("phrases", str(name), str(other))
    assert phrases.returncode == 0, phrases.stderr
    assert not any(ch in phrases.stdout for ch in unsafe)
    exported = run("align", str(name), str(other), "--json", "-")
    assert exported.returncode == 0, exported.stderr
    assert not any(ch in exported.stdout for ch in unsafe)
    assert "pwned" in sections.stdout  # shown, with placeholders, not dropped
