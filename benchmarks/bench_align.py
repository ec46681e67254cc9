"""Alignment speed on real documents; prints figures and ratios against a baseline.

Run: ``.venv/bin/python benchmarks/bench_align.py [CORPUS_DIR]`` (default ../shared/corpus).

Measured, in one run:
- reading + normalizing + segmenting + classifying the 31 provincial reports of 2026;
- building per-document alignment features (tokens, TF-IDF, themes) once;
- all 465 pairwise alignments with those features;
- national 2024 vs 2025: one alignment after segmentation;
- baseline: the same pairs aligned with ``align()``, which rebuilds the features for every pair
  (what a naive caller would do), on a sample of pairs; reported as a ratio per pair.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policydiff.align import align, align_features  # noqa: E402
from policydiff.comparison import compare  # noqa: E402
from policydiff.config import Config  # noqa: E402
from policydiff.tokenize import tokenize  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    tokenize("预热")  # load jieba outside the timings

    pair, t = timed(lambda: compare([corpus / "national-2024.txt", corpus / "national-2025.txt"],
                                    Config(cache=False)))
    _, t_feat = timed(lambda: (pair.features("d1"), pair.features("d2")))
    times = []
    for _ in range(5):
        pair._alignments.clear()
        _, t_one = timed(lambda: pair.alignment("d1", "d2"))
        times.append(t_one)
    print("national 2024 vs 2025")
    print(f"  load (read, normalize, segment, themes, tokens)  {t:7.2f} s")
    print(f"  features (TF-IDF)                        {t_feat:7.2f} s")
    print(f"  one alignment, median of 5               {statistics.median(times) * 1000:7.1f} ms")

    paths = sorted(corpus.glob("prov-2026-*.txt"))
    comparison, t_load = timed(lambda: compare(paths, Config(cache=False)))
    _, t_feat = timed(lambda: [comparison.features(d.id) for d in comparison.documents])
    alignments, t_all = timed(comparison.alignments)
    sections = sum(len(d.sections) for d in comparison.documents)
    per_pair = t_all / len(alignments)
    print(f"31 provincial reports ({sections} sections)")
    print(f"  load                                     {t_load:7.2f} s")
    print(f"  features                                 {t_feat:7.2f} s")
    print(f"  {len(alignments)} pairwise alignments              {t_all:7.2f} s "
          f"({per_pair * 1000:.1f} ms per pair)")

    sample = comparison.pairs[:10]
    docs = {d.id: d for d in comparison.documents}
    _, t_base = timed(lambda: [align(docs[a], docs[b]) for a, b in sample])
    _, t_ours = timed(lambda: [align_features(comparison.features(a), comparison.features(b))
                               for a, b in sample])
    print("baseline: features rebuilt per pair (align()) vs cached features, 10 pairs")
    print(f"  baseline {t_base / 10 * 1000:.1f} ms/pair, cached {t_ours / 10 * 1000:.1f} ms/pair, "
          f"ratio {t_base / t_ours:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
