"""Issue 17, class 2: pathological repetition must not cost gigabytes.

Two 59 KB documents of one repeated four-character word (``发展改革`` × 4,900 against
``改革发展`` × 4,900) took 20 s and 2.3 GB in ``phrases``, 29 s and 4 GB in ``compare``,
growing with the number of repeats. Phrase mining now has a bound in work and memory that does
not depend on how repetitive the text is: periodic runs are collapsed to their first two units,
and an occurrence budget leaves out the most frequent repeats beyond it; either way the phrase
set says so (``PhraseSet.coarse``, ``"coarse"`` in phrases.json, a warning on stderr).

Each case runs in a child process with an address-space limit (so a regression fails here
instead of taking the machine) and reports its own CPU time and peak RSS; the budgets below
are asserted on those figures (about 10x what the cases take on the 2-core reference machine
for the work, and 300 MB of memory, the issue's bound).
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from .harness import ROOT, run_cli

MEMORY_LIMIT = 2 * 1024**3
"""Address space of a child: far above the budget, far below what the old miner took."""
PEAK_MB = 300
MINING_CPU = 2.0
"""CPU seconds the phrase mining of a periodic case may take (it takes about 0.1 s)."""
BUDGET_CPU = 6.0
"""CPU seconds for a repetitive case that is not periodic (cut by the occurrence budget)."""

_CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    from policydiff.phrases import find_shared_phrases

    case = json.load(open(sys.argv[1], encoding="utf-8"))
    texts, spans = {}, {}
    for doc, words in case["docs"].items():
        texts[doc] = "".join(words)
        at, spans[doc] = 0, []
        for word in words:
            spans[doc].append((at, at + len(word)))
            at += len(word)
    start = time.process_time()
    found = find_shared_phrases(texts, word_spans=spans)
    cpu = time.process_time() - start
    exact = all(texts[o.doc][o.span[0]:o.span[1]] == p.text
                for p in found.phrases for o in p.occurrences)
    print(json.dumps({
        "cpu": cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "phrases": {p.text: [[o.doc, *o.span] for o in p.occurrences] for p in found.phrases},
        "coarse": list(found.coarse),
        "exact": exact,
    }, ensure_ascii=False))
    """
)


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (120, 120))


def mine(tmp_path: Path, docs: dict[str, list[str]]) -> dict[str, Any]:
    """Phrase mining of ``docs`` (document id -> its words, which are also its word spans) in
    a child process under the limits; its figures and phrases."""
    case = tmp_path / f"case-{len(list(tmp_path.iterdir()))}.json"
    case.write_text(json.dumps({"docs": docs}, ensure_ascii=False), "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(case)], capture_output=True, text=True, env=env,
        preexec_fn=_limits, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result: dict[str, Any] = json.loads(proc.stdout)
    assert result["exact"], "an occurrence is not its phrase's text"
    return result


def assert_bounded(result: dict[str, Any], cpu: float = MINING_CPU) -> None:
    assert result["cpu"] <= cpu, f"mining took {result['cpu']:.2f} s CPU"
    assert result["peak_mb"] <= PEAK_MB, f"peak {result['peak_mb']:.0f} MB"


def test_the_example_is_collapsed_flagged_and_small(tmp_path: Path) -> None:
    """The issue's example: each document is one periodic run; only its first two units
    (发展改革发展改革, 改革发展改革发展) take part, so the shared phrases are those of these eight
    characters, worked out by hand below, and both runs are named in ``coarse``."""
    result = mine(tmp_path, {"d1": ["发展", "改革"] * 4900, "d2": ["改革", "发展"] * 4900})
    assert_bounded(result)
    assert result["phrases"] == {
        "发展改革发展": [["d1", 0, 6], ["d2", 2, 8]],
        "改革发展改革": [["d1", 2, 8], ["d2", 0, 6]],
        "发展改革": [["d1", 0, 4], ["d1", 4, 8], ["d2", 2, 6]],
        "改革发展": [["d1", 2, 6], ["d2", 0, 4], ["d2", 4, 8]],
    }
    assert result["coarse"] == [
        "d1: characters 0–19600 repeat “发展改革” 4,900 times; phrases use only its first 8 "
        "characters",
        "d2: characters 0–19600 repeat “改革发展” 4,900 times; phrases use only its first 8 "
        "characters",
    ]


def test_twice_as_many_repeats_give_the_same_phrases(tmp_path: Path) -> None:
    """The work does not grow with the number of repeats: 9,800 units give the same phrases
    as 4,900 (only the run lengths in the notes change), within the same budget."""
    small = mine(tmp_path, {"d1": ["发展", "改革"] * 4900, "d2": ["改革", "发展"] * 4900})
    large = mine(tmp_path, {"d1": ["发展", "改革"] * 9800, "d2": ["改革", "发展"] * 9800})
    assert_bounded(large)
    assert large["phrases"] == small["phrases"]
    assert "repeat “发展改革” 9,800 times" in large["coarse"][0]


@pytest.mark.parametrize(
    ("unit", "period"),
    [
        (["改革"], 2),
        (["好"], 1),
        (["推进", "改革", "发展", "，"], 7),  # a comma is no barrier: the run goes on
        (["坚持", "稳中求进", "工作", "总基调", "，", "完整", "准确", "全面", "贯彻", "新",
          "发展", "理念", "，", "加快", "构建", "新"], 31),
    ],
)
def test_runs_of_other_units_are_collapsed(
    tmp_path: Path, unit: list[str], period: int
) -> None:
    """Units of 1 to 31 characters (at most ``MAX_PERIOD``), 20,000 characters of each in two
    documents: bounded, and each run named with its unit and period."""
    assert len("".join(unit)) == period
    times = 20_000 // period
    result = mine(tmp_path, {"d1": unit * times, "d2": ["前言", *unit * times]})
    assert_bounded(result)
    assert len(result["coarse"]) == 2
    assert f"“{''.join(unit)}” {times:,} times" in result["coarse"][0]
    assert result["coarse"][1].startswith(f"d2: characters 2–{2 + times * period} ")
    assert len(result["phrases"]) <= 4 * period  # phrases of 2 units, nothing more


def test_a_run_inside_a_report_leaves_the_rest_alone(tmp_path: Path) -> None:
    """A periodic run between two ordinary paragraphs: the paragraphs' shared sentence is still
    a phrase, at the offsets counted by hand (the run starts at 12 in d1, at 14 in d2)."""
    before = ["全面", "推进", "乡村", "振兴", "战略", "。", "\n"]  # 12 characters
    after = ["\n", "加快", "建设", "现代化", "产业", "体系", "。"]
    d1 = [*before, *["发展", "改革"] * 3000, *after]
    d2 = ["前言", *before, *["改革", "发展"] * 3000, *after]
    result = mine(tmp_path, {"d1": d1, "d2": d2})
    assert_bounded(result)
    # 全面推进乡村振兴战略 is d1[0:10] and d2[2:12]
    assert result["phrases"]["全面推进乡村振兴战略"] == [["d1", 0, 10], ["d2", 2, 12]]
    # after the run (d1: 12 + 12,000 characters and a newline; d2: 2 more): 加快建设现代化产业体系
    assert result["phrases"]["加快建设现代化产业体系"] == [["d1", 12013, 12024],
                                                      ["d2", 12015, 12026]]  # fmt: skip
    assert len(result["coarse"]) == 2


def test_many_documents_and_many_runs(tmp_path: Path) -> None:
    """Twenty documents of 300 short runs each (one per line): bounded, and the notes name ten
    runs, then count the others."""
    rng = random.Random(17)
    docs = {}
    for d in range(20):
        words: list[str] = []
        for _ in range(300):
            words += rng.choice([["发展", "改革"], ["改革", "开放"], ["创新"]]) * 40 + ["\n"]
        docs[f"d{d + 1}"] = words
    result = mine(tmp_path, docs)
    assert_bounded(result, cpu=BUDGET_CPU)
    assert len(result["coarse"]) == 11
    assert result["coarse"][-1] == "5,990 more such runs"


def test_repetition_without_a_period_hits_the_budget(tmp_path: Path) -> None:
    """Two words in random order (a shuffled text is not periodic): the repeats shared by the
    two documents have far more occurrences than a report's; the most frequent are left out
    and the phrase set says so."""
    rng = random.Random(5)
    docs = {d: [rng.choice(["发展", "改革"]) for _ in range(9800)] for d in ("d1", "d2")}
    result = mine(tmp_path, docs)
    assert_bounded(result, cpu=BUDGET_CPU)
    assert len(result["coarse"]) == 1
    assert result["coarse"][0].startswith("the texts are too repetitive: ")
    assert result["coarse"][0].endswith("; the phrase list is incomplete")
    occurrences = sum(len(v) for v in result["phrases"].values())
    assert occurrences <= 2 * (20_000 + 2 * 39_202)  # the budget, for repeats and lookups


def test_a_long_unit_repeated_is_not_collapsed_and_stays_cheap(tmp_path: Path) -> None:
    """A 45-character clause (longer than ``MAX_PERIOD``, no sentence end) repeated 500 times
    is not collapsed, and needs no budget: a repeat is maximal only where its occurrences are
    preceded by different characters, which here happens only where the clause starts the
    document (d1) or follows 前言 (d2), so every phrase starts with the clause's first word."""
    clause = ["坚持", "稳中求进", "工作", "总基调", "，", "完整", "准确", "全面", "贯彻", "新",
              "发展", "理念", "，", "加快", "构建", "新", "发展", "格局", "，", "着力", "推动",
              "高质量", "发展"]  # fmt: skip
    assert len("".join(clause)) == 45
    result = mine(tmp_path, {"d1": clause * 500, "d2": ["前言", *clause * 500]})
    assert_bounded(result)
    assert result["coarse"] == []
    assert result["phrases"] and all(text.startswith("坚持稳中求进") for text in result["phrases"])


def test_the_command_line_says_the_list_is_coarse(tmp_path: Path, env: dict[str, str]) -> None:
    """``phrases`` and ``compare`` on the issue's two files: within the memory budget, a
    warning on stderr, ``coarse`` in phrases.json (and the export still loads)."""
    from policydiff.formats.phrases import load_phrases

    (tmp_path / "a.txt").write_text("发展改革" * 4900 + "\n", "utf-8")
    (tmp_path / "b.txt").write_text("改革发展" * 4900 + "\n", "utf-8")
    res = run_cli(["phrases", "--no-cache", "--format", "json", "-o", "p.json", "a.txt",
                   "b.txt"], env=env, cwd=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.describe()
    assert res.peak_mb <= PEAK_MB
    assert any("the phrase list is coarse" in line for line in res.warnings), res.err_lines
    data = load_phrases(tmp_path / "p.json")
    assert [note.split(":")[0] for note in data["coarse"]] == ["d1", "d2"]
    res = run_cli(["compare", "--no-cache", "-o", "out", "a.txt", "b.txt"], env=env,
                  cwd=tmp_path)  # fmt: skip
    assert res.returncode in (0, 1), res.describe()
    assert res.peak_mb <= PEAK_MB
    assert len(load_phrases(tmp_path / "out" / "phrases.json")["coarse"]) == 2
