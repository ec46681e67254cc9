"""Smoke run of the benchmark suite (benchmarks/bench.py) on a tiny configuration.

The benchmarks print figures and are not part of the pass/fail run; this only checks that the
entry point still runs end to end and reports what it promises (a table and the JSON).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("read", "normalize", "segment", "themes", "tokenize", "align", "diff", "phrases",
          "export")


def test_bench_runs_on_two_seeds(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--scenarios", "seeds2",
         "--repeat", "1", "--no-viewer", "--no-end-to-end", "--json", str(out)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Stages (one process, no cache" in proc.stdout
    assert "two seeds" in proc.stdout
    assert "policydiff --help" in proc.stdout
    assert "whole-document character diff" in proc.stdout
    figures = json.loads(out.read_text("utf-8"))
    row = figures["scenarios"]["seeds2"]
    assert row["documents"] == 2 and row["pairs"] == 1
    assert set(row["stages"]) == set(STAGES)
    assert all(row["stages"][s] > 0 for s in ("normalize", "tokenize", "align", "phrases"))
    assert row["peak_rss_mb"] > 10
    assert row["baselines"]["same_opcodes"] is True
    cold = figures["cold_start"]
    assert set(cold) == {"help", "compare_uncached", "compare_cached"}
    assert all(len(cold[k]["runs"]) == 1 and cold[k]["median"] > 0 for k in cold)
