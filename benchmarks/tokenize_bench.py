"""The segmenters compared: rjieba (the default) against jieba (the fallback); prints figures.

Run: ``.venv/bin/python benchmarks/tokenize_bench.py [CORPUS_DIR]`` (default ../shared/corpus;
needs both rjieba and jieba installed, e.g. the ``test`` extra).

Measured, in one run, on the normalized text of every corpus document (the 51 top-level
files and the 49 of ``bulk/``, 100 in all, the text the pipeline cuts):
- loading each segmenter with the policy terms, in a fresh process (import, dictionary, user
  dictionary), median of 3 interleaved runs; jieba with its dictionary cache file warm;
- cutting all documents, best of 3 interleaved runs, and the ratio jieba / rjieba;
- how many documents and tokens differ between the two (expected: none).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policydiff.document import load_document  # noqa: E402
from policydiff.tokenize import JIEBA, RJIEBA, Segmenter, load_segmenter  # noqa: E402

LOAD = (
    "import sys, time\n"
    "sys.path.insert(0, {root!r})\n"
    "start = time.perf_counter()\n"
    "from policydiff.tokenize import load_segmenter\n"
    "load_segmenter({name!r}).cut('预热')\n"
    "print(time.perf_counter() - start)\n"
)


def load_seconds(name: str) -> float:
    code = LOAD.format(root=str(ROOT), name=name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout)


def cut_all(segmenter: Segmenter, texts: list[str]) -> tuple[float, list[list[str]]]:
    start = time.perf_counter()
    tokens = [segmenter.cut(text) for text in texts]
    return time.perf_counter() - start, tokens


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    paths = sorted(corpus.glob("*.txt")) + sorted(corpus.glob("bulk/*/*.txt"))
    texts = [load_document(path, cache=False).text for path in paths]
    chars = sum(len(text) for text in texts)
    print(f"{len(texts)} documents, {chars / 1e6:.2f} M characters (normalized text)")

    loads: dict[str, list[float]] = {RJIEBA: [], JIEBA: []}
    load_seconds(JIEBA)  # writes jieba's dictionary cache file if it is missing
    for _ in range(3):
        for name in (RJIEBA, JIEBA):
            loads[name].append(load_seconds(name))

    segmenters = {name: load_segmenter(name) for name in (RJIEBA, JIEBA)}
    cuts: dict[str, list[float]] = {RJIEBA: [], JIEBA: []}
    tokens: dict[str, list[list[str]]] = {}
    for _ in range(3):
        for name, segmenter in segmenters.items():
            seconds, tokens[name] = cut_all(segmenter, texts)
            cuts[name].append(seconds)

    for name in (JIEBA, RJIEBA):
        print(f"  {name:7} load {statistics.median(loads[name]):.3f} s (fresh process, median "
              f"of 3)   cut {min(cuts[name]):.3f} s (best of 3)")
    ratio_cut = min(cuts[JIEBA]) / min(cuts[RJIEBA])
    ratio_all = (statistics.median(loads[JIEBA]) + min(cuts[JIEBA])) / (
        statistics.median(loads[RJIEBA]) + min(cuts[RJIEBA]))
    print(f"  jieba / rjieba: cutting {ratio_cut:.1f}x, load + cutting {ratio_all:.1f}x")
    differing = [p.name for p, a, b in zip(paths, tokens[JIEBA], tokens[RJIEBA], strict=True)
                 if a != b]
    total = sum(len(t) for t in tokens[RJIEBA])
    print(f"  {total / 1e6:.2f} M tokens; documents whose tokens differ: {len(differing)}"
          + (f" ({', '.join(differing[:5])})" if differing else ""))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
