"""What finding which other reports hold a text costs the formulations (issue 13), against the
previous way measured in the same run.

Run from the project root::

    .venv/bin/python benchmarks/formulations_bench.py [--repeat 3]

Prints, never asserts. ``formulations._Index.having`` answers "which other reports contain
this text" for every candidate and word (about 1,300 questions for national 2024 -> 2025 with
its 49 context reports, 8,000 for the peers' report of 31 provinces). The baseline is the
previous index, kept here: the folded texts joined into one string, scanned by ``str.find``
for each question. The current index (``formulations._Corpus``, shared by every report of one
``Evidence``) keeps a bit mask of the reports holding each two characters in a row, searches
only the reports holding all of a text's, and keeps each answer for every later report. Both
are run in turn (interleaved, CPU time; the answers the current one kept are forgotten before
each run, so that they do not help it) on:

- ``formulation_changes`` of national 2024 -> 2025 with the 49 other reports of the corpus as
  context (what ``policydiff changes`` does by default);
- ``distinctive_formulations`` of each of the first 8 provincial reports of 2026 against the
  other 30 (part of the peers' report ``compare`` writes).

The results of the two must be the same (checked); the load average is printed beside them.
"""

from __future__ import annotations

import argparse
import bisect
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from policydiff.changes import formulations
from policydiff.changes.context import beside
from policydiff.config import Config
from policydiff.document import load_document
from policydiff.model import Document

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


class ScanIndex(formulations._Index):
    """The previous ``_Index``: the folded texts joined, one ``str.find`` scan per report
    found."""

    def __init__(self, rest: Sequence[formulations._Other]) -> None:
        super().__init__(rest)
        self.starts: list[int] = []
        parts, pos = [], 0
        for other in self.rest:
            self.starts.append(pos)
            parts.append(other.folded)
            pos += len(other.folded) + 1
        self.joined = "\x00".join(parts)

    def having(self, folded: str) -> list[formulations._Other]:
        out: list[formulations._Other] = []
        if not folded:
            return list(self.rest)
        pos = self.joined.find(folded)
        while pos >= 0:
            k = bisect.bisect_right(self.starts, pos) - 1
            out.append(self.rest[k])
            nxt = self.starts[k + 1] if k + 1 < len(self.starts) else len(self.joined)
            pos = self.joined.find(folded, nxt)
        return out

    def holds(self, folded: str) -> bool:
        return folded in self.joined


def _cpu(run: Callable[[], object]) -> tuple[float, object]:
    start = time.process_time()
    out = run()
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS}")
        return
    config = Config()
    a, b = str(CORPUS / "national-2024.txt"), str(CORPUS / "national-2025.txt")
    old, new = load_document(a, doc_id="d1"), load_document(b, doc_id="d2")
    context = [load_document(p, doc_id=f"c{k}") for k, p in enumerate(beside(a, b).paths)]
    provinces = [load_document(p, doc_id=f"p{k}")
                 for k, p in enumerate(sorted(CORPUS.glob("prov-2026-*.txt")))]
    evidence = formulations.Evidence(cache=config.cache)  # readings shared: the index is timed

    def series() -> object:
        found = formulations.formulation_changes(
            old, new, others=context, config=config, evidence=evidence)
        return [f.text for f in found.new], [f.text for f in found.dropped]

    def peers() -> object:
        out = []
        for doc in provinces[:8]:
            rest: list[Document] = [d for d in provinces if d is not doc]
            out.append([f.text for f in formulations.distinctive_formulations(
                doc, rest, config=config, evidence=evidence)])
        return out

    current = formulations._Index
    series(), peers()  # read every document once, for both
    for name, run in (("national 2024 -> 2025, 49 others", series),
                      ("8 provinces among 31", peers)):
        times: dict[str, list[float]] = {"scan (baseline)": [], "pairs (current)": []}
        results = {}
        for _ in range(args.repeat):
            for label, index in (("scan (baseline)", ScanIndex), ("pairs (current)", current)):
                formulations._Index = index  # type: ignore[misc]
                evidence._corpus._found.clear()  # answers kept by the previous run
                try:
                    seconds, results[label] = _cpu(run)
                finally:
                    formulations._Index = current  # type: ignore[misc]
                times[label].append(seconds)
        same = results["scan (baseline)"] == results["pairs (current)"]
        base, cur = min(times["scan (baseline)"]), min(times["pairs (current)"])
        print(f"{name}: baseline {base:.2f} s CPU, current {cur:.2f} s CPU, "
              f"ratio {base / cur:.1f}x, same results: {same}, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
