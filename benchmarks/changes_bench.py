"""What the change report costs (issue 13), against baselines measured in the same run.

Run from the project root::

    .venv/bin/python benchmarks/changes_bench.py            # national 2024/2025 and 31 provinces
    .venv/bin/python benchmarks/changes_bench.py --quick    # national 2024/2025 only

Prints, never asserts:

- national 2024 -> 2025: the comparison itself (read, align, section diffs: the baseline),
  then the indicators table and the whole change report, and their ratio to the baseline;
- the 31 provincial reports of 2026 (peers): the comparison's alignments (baseline) and the
  peers' report (each document's distinctive formulations against the other 30);
- hostile input: the figure pattern over 80,000 digits in groups of three (``123 456 …``)
  against a plain ``\\d+`` scan of the same text (before the pattern refused to start inside
  a number this took 150 s).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from policydiff.comparison import Comparison

T = TypeVar("T")
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", Path(__file__).resolve().parents[2]
                             / "shared" / "corpus"))


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def line(what: str, seconds: float, base: float | None = None) -> None:
    ratio = f"  ({seconds / base:.2f} x baseline)" if base else ""
    print(f"  {what:<40} {seconds:8.3f} s{ratio}")


def national() -> None:
    from policydiff.changes.build import change_report
    from policydiff.changes.indicators import indicators
    from policydiff.comparison import compare
    from policydiff.config import Config

    paths = [CORPUS / "national-2024.txt", CORPUS / "national-2025.txt"]

    def base() -> Comparison:
        comparison = compare(paths, Config(cache=False))
        comparison.alignments()
        comparison.section_diffs("d1", "d2")
        return comparison

    comparison, t_base = timed(base)
    a, b = comparison.documents
    table, t_ind = timed(lambda: indicators(a, b, comparison.themes))
    _, t_rep = timed(lambda: change_report(comparison, "d1", "d2"))
    print("national 2024 -> 2025")
    line("baseline: read, align, section diffs", t_base)
    line(f"indicators table ({len(table)} rows)", t_ind, t_base)
    line("change report (all of it)", t_rep, t_base)


def provinces() -> None:
    from policydiff.changes.build import distinctive_report
    from policydiff.comparison import compare
    from policydiff.config import Config

    paths = sorted(glob.glob(str(CORPUS / "prov-2026-*.txt")))

    def base() -> Comparison:
        comparison = compare(paths, Config())
        comparison.alignments()
        return comparison

    comparison, t_base = timed(base)
    items, t_peers = timed(lambda: distinctive_report(comparison))
    print(f"{len(paths)} provincial reports of 2026 (peers)")
    line("baseline: read and align (cache on)", t_base)
    line(f"peers' report ({len(items)} documents)", t_peers, t_base)


def hostile() -> None:
    from policydiff.changes.indicators import FIGURE_RE

    text = "123 456 " * 10_000
    _, t_plain = timed(lambda: list(re.finditer(r"\d+", text)))
    _, t_fig = timed(lambda: list(FIGURE_RE.finditer(text)))
    print("80,000 grouped digits")
    line("baseline: \\d+ scan", t_plain)
    line("figure pattern", t_fig, max(t_plain, 1e-9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="national 2024/2025 only")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}; hostile input only")
    else:
        national()
        if not args.quick:
            provinces()
    hostile()


if __name__ == "__main__":
    main()
