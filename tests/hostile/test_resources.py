"""Bounded resources: time and peak memory (the child's own ``ru_maxrss``) of the commands on
large inputs, with the per-document cache off so that every run does all the work.

Targets (ROBUSTNESS.md, invariant 10): a 1 MB pair finishes in seconds, a 10 MB document in
under a minute. A run over its budget counts as a hang; a run past its timeout is killed. A
pair too large to align (10,000 × 10,000 sections) is refused with a message, not left to
exhaust memory. By default the 10 MB document is normalized and segmented; with
``POLICYDIFF_SLOW=1`` it also goes through align, diff, phrases and compare (about five
minutes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases import BY_NAME, one_megabyte_line
from .figures import Figures
from .harness import CliResult, is_crash, message_problems, run_cli

BUDGET_S = {"1MB": 20.0, "600KB": 30.0, "10MB": 60.0}


@pytest.fixture(scope="module")
def big(sandbox: Path, inputs: dict[str, Path]) -> dict[str, Path]:
    """The large cases, plus an edited copy of each to form a pair."""
    folder = sandbox / "resources"
    folder.mkdir()
    line = one_megabyte_line()
    edited = line[:300_000] + "新增加的一句话。" + line[300_000:].replace("改革", "革新", 50)
    (folder / "line-b.txt").write_text(edited, "utf-8")
    headings = inputs["str-10000-headings"].read_text("utf-8")
    (folder / "headings-b.txt").write_text(headings.replace("推进第1", "加快第1"), "utf-8")
    return {"line-a": inputs["str-1mb-line"], "line-b": folder / "line-b.txt",
            "headings-a": inputs["str-10000-headings"], "headings-b": folder / "headings-b.txt",
            "10mb": inputs["str-10mb"], "ref": inputs["ref"], "folder": folder}


def _run(figures: Figures, big: dict[str, Path], env: dict[str, str], name: str, size: str,
         argv: list[str], budget: float | None = None) -> CliResult:
    budget = budget or BUDGET_S[size]
    cold = dict(env, POLICYDIFF_NO_CACHE="1")
    result = run_cli(argv, env=cold, cwd=big["folder"], timeout=2 * budget)
    figures.tried(name)
    figures.timed(name=name, size=size, path=argv[0], seconds=result.seconds,
                  peak_mb=result.peak_mb)
    where = f"{result.describe()} ({result.seconds:.1f} s, {result.peak_mb:.0f} MB)"
    if result.timed_out or result.seconds > budget:
        figures.bad("hangs", f"over {budget:.0f} s: {where}")
    if is_crash(result):
        figures.bad("crashes", where)
    assert not result.timed_out and not is_crash(result), where
    assert result.seconds <= budget, where
    return result


@pytest.mark.parametrize("command", ["normalize", "sections"])
def test_10_mb_document_is_read_in_bounded_time(
    command: str, big: dict[str, Path], env: dict[str, str], figures: Figures
) -> None:
    result = _run(figures, big, env, "str-10mb", "10MB", [command, str(big["10mb"])])
    assert result.returncode == 0, result.describe()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["align", "diff", "phrases", "compare"])
def test_10_mb_document_against_a_report(
    command: str, big: dict[str, Path], env: dict[str, str], figures: Figures
) -> None:
    extra = ["-o", str(big["folder"] / "out-10mb")] if command == "compare" else []
    # compare does what align, diff and phrases do, and writes four files: 50 s on an idle
    # machine, so it gets half a minute more than one command.
    result = _run(figures, big, env, "str-10mb", "10MB",
                  [command, str(big["10mb"]), str(big["ref"]), *extra],
                  budget=90.0 if command == "compare" else None)
    assert result.returncode in (0, 1), result.describe()


@pytest.mark.parametrize("command", ["diff", "compare"])
def test_1_mb_single_line_pair(
    command: str, big: dict[str, Path], env: dict[str, str], figures: Figures
) -> None:
    extra = ["-o", str(big["folder"] / "out-1mb")] if command == "compare" else []
    result = _run(figures, big, env, "str-1mb-line", "1MB",
                  [command, str(big["line-a"]), str(big["line-b"]), *extra])
    # diff: 1 = differences; compare: 0 = done (it exits 1 only with --exit-code)
    assert result.returncode == (1 if command == "diff" else 0), result.describe()


def test_10000_headings_against_a_report(
    big: dict[str, Path], env: dict[str, str], figures: Figures
) -> None:
    result = _run(figures, big, env, "str-10000-headings", "600KB",
                  ["align", str(big["headings-a"]), str(big["ref"])])
    assert result.returncode == 0, result.describe()
    assert BY_NAME["str-10000-headings"].headings == 10_000


def test_10000_by_10000_sections_is_refused_not_exhausted(
    big: dict[str, Path], env: dict[str, str], figures: Figures
) -> None:
    result = _run(figures, big, env, "str-10000-headings", "600KB",
                  ["align", str(big["headings-a"]), str(big["headings-b"])])
    problems = message_problems(result, ["d1 and d2"])
    if "too many to align" not in " ".join(result.problem_lines):
        problems.append("no 'too many to align'")
    if problems:
        figures.bad("bad_messages", f"{'; '.join(problems)}: {result.describe()}")
    assert not problems, result.describe()
    assert result.peak_mb < 1000, f"{result.peak_mb:.0f} MB before refusing"
