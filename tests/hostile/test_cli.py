"""Every command on the hostile inputs, as a subprocess (``python -m policydiff …``).

The matrix: ``normalize``, ``sections`` and ``align`` (against a clean report) get every case;
``diff``, ``phrases``, ``compare`` and ``view`` get every refused case (a refusal must look
the same from every command) and a few accepted cases of each class. ``view`` of an accepted
input needs a terminal and is run in ``test_terminal.py``; the 10 MB and 10,000-heading
documents are in ``test_resources.py``.

The whole matrix runs once, two commands at a time, in a session fixture; each test then checks
one run: exit code (0/1 accepted, 2 refused), the one-line message, warnings, and no crash.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from policydiff.files import MANIFEST
from policydiff.records import TABLES

from .cases import CASES, Case
from .figures import Figures
from .harness import CliResult, is_crash, message_problems, raw_canaries, run_cli, visible_names

ONE_FILE = ("normalize", "sections")
EVERY_CASE = (*ONE_FILE, "align")
SOME_CASES = ("diff", "phrases", "compare", "view")
REPRESENTATIVE = frozenset({
    "enc-utf16le", "enc-big5", "enc-gb18030-4byte",
    "deg-empty", "deg-one-char", "deg-no-headings",
    "ctl-escapes", "ctl-markup", "ctl-cr-overwrite",
    "mix-simplified-traditional", "mix-mojibake-utf8-as-gbk",
    "str-1mb-line", "str-crlf", "str-deep-nesting", "str-marker-every-line",
})  # fmt: skip
IN_OTHER_FILES = frozenset({"str-10mb", "str-10000-headings"})
# What a command exits with on an accepted input: 0, or 1 when the documents differ.
ACCEPTED_CODES = {"normalize": {0}, "sections": {0}, "phrases": {0}, "align": {0},
                  "diff": {0, 1}, "compare": {0}}


def _matrix() -> list[tuple[Case, str]]:
    rows = []
    for case in CASES:
        if case.name in IN_OTHER_FILES:
            continue
        commands = list(EVERY_CASE)
        if case.expect == "refuse" or case.name in REPRESENTATIVE:
            commands += [c for c in SOME_CASES if c != "view" or case.expect == "refuse"]
        rows += [(case, command) for command in commands]
    return rows


MATRIX = _matrix()


def _argv(command: str, path: Path, ref: Path, out: Path) -> list[str]:
    if command in ONE_FILE:
        return [command, str(path)]
    if command == "compare":
        return [command, str(path), str(ref), "-o", str(out)]
    return [command, str(path), str(ref)]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def results(
    inputs: dict[str, Path], env: dict[str, str], sandbox: Path, figures: Figures
) -> dict[tuple[str, str], CliResult]:
    """Run the whole matrix (two at a time); check that no input changed and that nothing
    but the compare outputs appeared in the working folder."""
    work = sandbox / "cli"
    work.mkdir()
    before = _digests(inputs["ref"].parent)

    def run(row: tuple[Case, str]) -> tuple[tuple[str, str], CliResult]:
        case, command = row
        out = work / f"out-{case.name}"
        argv = _argv(command, inputs[case.name], inputs["ref"], out)
        return (case.name, command), run_cli(argv, env=env, cwd=work)

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = dict(pool.map(run, MATRIX))
    changed = [name for name, digest in _digests(inputs["ref"].parent).items()
               if before.get(name) != digest]
    figures.bad("unsafe_writes", f"inputs changed by the CLI: {changed}", len(changed))
    allowed = {"alignment.json", "phrases.json", "phrases.md", "diff-d1-d2.html"}
    # issue 11: every table as CSV, the index page and the phrase page
    allowed |= {f"{table}.csv" for table in TABLES} | {"index.html", "phrases.html"}
    # issue 13: the change report of the pair
    allowed |= {f"changes-d1-d2.{ext}" for ext in ("html", "md", "json")}
    allowed |= {MANIFEST}  # issue 17: the list of the set's files (files.write_set)
    stray = [p for p in work.rglob("*")
             if p.is_file() and not (p.parent.name.startswith("out-") and p.name in allowed)]
    figures.bad("unsafe_writes", f"unexpected files written: {stray[:5]}", len(stray))
    assert not changed and not stray
    return done


@pytest.mark.parametrize(
    ("case", "command"), MATRIX, ids=[f"{c.name}-{cmd}" for c, cmd in MATRIX]
)
def test_command_on_hostile_input(
    case: Case, command: str, results: dict[tuple[str, str], CliResult],
    inputs: dict[str, Path], figures: Figures,
) -> None:
    result = results[(case.name, command)]
    figures.tried(case.name)
    figures.timed(name=case.name, size=case.size, path=command, seconds=result.seconds,
                  peak_mb=result.peak_mb)
    where = result.describe()
    if result.timed_out:
        figures.bad("hangs", where)
    if is_crash(result):
        figures.bad("crashes", where)
    raw = raw_canaries(result.stderr)
    figures.bad("raw_control_bytes_on_terminal", f"stderr of {where}", raw)
    assert not result.timed_out and not is_crash(result) and raw == 0, where

    path = inputs[case.name]
    own_warnings = [w for w in result.warnings if path.name in w and "same content as" not in w]
    if case.expect == "refuse":
        got = "refuse" if result.returncode == 2 else "accept"
    elif result.returncode in ACCEPTED_CODES[command]:
        got = "warn" if any(case.fragment in w for w in own_warnings) and case.fragment else (
            "accept" if not own_warnings else "warn (unexpected)")
    else:
        got = f"exit {result.returncode}"
    if got != case.expect:
        figures.bad("wrong_outcomes", f"{got} instead of {case.expect}: {where}")
    assert got == case.expect, where

    if case.expect == "refuse":
        problems = message_problems(result, visible_names(path))
        if case.fragment not in " ".join(result.problem_lines):
            problems.append(f"no {case.fragment!r} in the message")
        if problems:
            figures.bad("bad_messages", f"{'; '.join(problems)}: {where}")
        assert not problems, where
    else:
        assert result.problem_lines == [], where


# Option values a user can get wrong: one line naming the option (or the file), exit code 2.
OPTION_ERRORS = (
    (["align", "{ref}", "{ref}", "--threshold", "nan"], "--threshold nan: must be between 0 and 1"),
    (["phrases", "{ref}", "{ref}", "--min-chars", "1"], "--min-chars 1: must be at least 2"),
    (["align", "{ref}", "{ref}", "--ref", "d9"], "--ref d9: not one of the documents"),
    (["diff", "{ref}", "{ref}", "--section", "d1/99"], "--section d1/99: no aligned pair"),
    (["align", "{ref}", "{ref}", "--themes", "{pdf}"], "themes file is not UTF-8"),
    (["align", "{ref}", "{ref}", "--themes", "{ref}"], "invalid TOML"),
    (["normalize", "{ref}", "--encoding", "hex"], "unknown text encoding 'hex'"),
    (["normalize", "{ref}", "--encoding", "utf-32"], "not valid utf-32"),
    # issue 11: an input may be a device or a pipe (/dev/stdin, <(…)); a theme file may not
    (["align", "{ref}", "{ref}", "--themes", "/dev/null"], "/dev/null: not a regular file"),
    (["align", "{ref}", "{ref}", "--label", "a", "--label", "b", "--label", "c"],
     "3 labels for 2 documents"),
    (["normalize", "{folder}"], "is a folder, not a file"),
    (["view", "{ref}"], "view needs at least two documents"),
    (["view", "{ref}", "{ref}", "--from", "{ref}"], "give either files or --from"),
    (["view", "--from", "{ref}"], "invalid JSON"),
    (["diff", "{ref}"], "the following arguments are required: FILE"),
    (["sections", "--depth", "x", "{ref}"], "argument --depth: invalid int value: 'x'"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["phrases", "--format", "pdf", "{ref}", "{ref}"], "invalid choice: 'pdf'"),
)


@pytest.mark.parametrize(("argv", "fragment"), OPTION_ERRORS, ids=[" ".join(a) for a, _ in
                                                                    OPTION_ERRORS])
def test_option_errors_are_one_line(
    argv: list[str], fragment: str, inputs: dict[str, Path], env: dict[str, str],
    sandbox: Path, figures: Figures,
) -> None:
    names = {"ref": inputs["ref"], "pdf": inputs["bin-pdf"], "folder": inputs["ref"].parent}
    args = [part.format(**names) for part in argv]
    result = run_cli(args, env=env, cwd=sandbox, timeout=60)
    figures.tried("options")
    where = result.describe()
    if is_crash(result) or result.timed_out:
        figures.bad("crashes", where)
    lines = result.problem_lines
    ok = result.returncode == 2 and len(lines) == 1 and re.match(r"policydiff( \w+)?: ", lines[0])
    if not ok or fragment not in lines[0]:
        figures.bad("bad_messages", where)
    assert ok and fragment in lines[0], where


FORMATS = (("diff", "json"), ("diff", "html"), ("diff", "text"), ("phrases", "json"),
           ("phrases", "csv"), ("phrases", "html"), ("phrases", "md"))


@pytest.mark.parametrize(("command", "fmt"), FORMATS, ids=[f"{c}-{f}" for c, f in FORMATS])
def test_every_output_format_keeps_hostile_text_inert(
    command: str, fmt: str, sandbox: Path, env: dict[str, str], figures: Figures
) -> None:
    """Markup, HTML and escape sequences in a document come out as text in every format: JSON
    that parses, HTML without the document's tags, no raw escape byte."""
    folder = sandbox / "formats"
    folder.mkdir(exist_ok=True)
    a, b = folder / "a.txt", folder / "b.txt"
    body = "第一，<script>alert(1)</script>标题[/b]\n正文“引号”&amp;\x1b[2J[@click=app.quit]。\n"
    a.write_text(body + "第二，其余保持原样的部分。\n", "utf-8")
    b.write_text(body.replace("正文", "正文改") + "第二，其余保持原样的部分。\n", "utf-8")
    result = run_cli([command, "--format", fmt, str(a), str(b)], env=env, cwd=folder)
    figures.tried(f"format-{command}-{fmt}")
    if is_crash(result) or result.timed_out:
        figures.bad("crashes", result.describe())
    assert result.returncode == (1 if command == "diff" else 0), result.describe()
    out = result.stdout.decode("utf-8")
    raw = raw_canaries(result.stdout) + out.count("\x1b")
    figures.bad("raw_control_bytes_on_terminal", f"{command} --format {fmt}", raw)
    assert raw == 0
    if fmt == "html":
        assert "<script>" not in out
        assert "&lt;script&gt;" in out or command == "phrases"  # not a shared phrase
    if fmt == "json":
        json.loads(out)
    if command == "diff" and fmt != "json":
        assert "[@click=app.quit]" in out
