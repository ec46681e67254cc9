"""Corpus mode at scale (issue 16): build and mine a synthetic corpus, printed as figures.

Run (from the project root)::

    .venv/bin/python benchmarks/corpus_scale.py                    # 1,000 and 2,000 documents
    .venv/bin/python benchmarks/corpus_scale.py --sizes 1000 5000  # the issue's target
    .venv/bin/python benchmarks/corpus_scale.py --scheduler tcp://host:8786

A synthetic corpus of N documents is written to a temporary folder (never kept): document k
is issuer k mod N/10 (a province, the national level, or a prefecture of one) in year
2016 + k div (N/10); it takes a window of ``--lines`` paragraphs of one corpus report (its
headings come along) and swaps a fifth of them for paragraphs of other reports, so that a
series shares much and peers share some; a manifest CSV gives path, year, region, level.

Each size is two ``policydiff corpus`` processes as a user runs them: ``build --manifest``
(``--no-cache``: nothing is read from the per-document cache) and ``phrases --format csv``,
timed for wall time and CPU time (the process and its workers; CPU time does not depend on
what else loads the machine), with the peak memory of the process tree (its workers included,
``bench.TreeSampler``) and the load average before and after. Printed: seconds, CPU
seconds, characters, peak MB and load per stage and size; the growth exponent of the total
wall and CPU time from the first to the last size (log t2/t1 / log n2/n1; linear is
1.0, the target is at most 1.15); the projection to 60,000 documents from the last size at
that exponent. Targets (issue 16): 5,000 documents in at most 15 minutes on 2 cores with at
most 4 GB. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import corpus_documents, python_env, run_process

PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏",
             "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西",
             "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆")


def issuer(k: int) -> tuple[str, str]:
    """Region and level of issuer ``k``: the national level, the provinces, then prefectures
    (numbered within a province)."""
    if k == 0:
        return "全国", "national"
    if k <= len(PROVINCES):
        return PROVINCES[k - 1], "province"
    province = PROVINCES[k % len(PROVINCES)]
    return f"{province}第{k}市", "prefecture"


def synthesize(folder: Path, count: int, lines: int, seed: int = 16) -> tuple[Path, int]:
    """``count`` documents and their manifest in ``folder``; the manifest and the number of
    characters."""
    sources = [p.read_text("utf-8").splitlines() for p in corpus_documents()]
    sources = [[x for x in s if x.strip()] for s in sources]
    sources = [s for s in sources if len(s) >= lines]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    issuers = max(1, count // 10)
    rows = []
    chars = 0
    for k in range(count):
        who, year = k % issuers, 2016 + k // issuers
        region, level = issuer(who)
        base = sources[who % len(sources)]
        start = rng.randrange(0, len(base) - lines + 1)
        body = base[start : start + lines]
        for i in rng.sample(range(len(body)), len(body) // 5):
            body[i] = rng.choice(rng.choice(sources))
        text = f"{year}年{region}政府工作报告\n" + "\n".join(body) + "\n"
        name = f"doc-{who:04d}-{year}.txt"
        (folder / name).write_text(text, "utf-8")
        chars += len(text)
        rows.append([name, str(year), region, level])
    manifest = folder / "manifest.csv"
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "year", "region", "level"])
        writer.writerows(rows)
    return manifest, chars


def measure(count: int, lines: int, scheduler: str | None, tmp: Path) -> dict[str, Any]:
    manifest, chars = synthesize(tmp / f"docs-{count}", count, lines)
    env = python_env(tmp / f"cache-{count}")
    store = tmp / f"store-{count}"
    extra = ["--scheduler", scheduler] if scheduler else []
    build = timed([sys.executable, "-m", "policydiff", "corpus", "build", "--manifest",
                   str(manifest), "-o", str(store), "--no-cache", *extra], env)
    phrases = timed([sys.executable, "-m", "policydiff", "corpus", "phrases", str(store),
                     "--format", "csv", "-o", str(tmp / f"phrases-{count}.csv"), *extra], env)
    for name, result in (("build", build), ("phrases", phrases)):
        if result["returncode"] != 0:
            raise SystemExit(f"{name} of {count} documents failed: {result['stderr']}")
    found = sum(1 for _ in (tmp / f"phrases-{count}.csv").open(encoding="utf-8")) - 1
    return {"documents": count, "characters": chars, "build_s": build["seconds"],
            "phrases_s": phrases["seconds"], "build_mb": build["peak_tree_mb"],
            "phrases_mb": phrases["peak_tree_mb"], "phrases": found,
            "build_cpu": build["cpu"], "phrases_cpu": phrases["cpu"],
            "build_load": build["load"], "phrases_load": phrases["load"]}


def timed(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """``run_process`` with the CPU seconds of the process and its workers (children reaped
    by it count in its own children's time; load-independent, unlike the wall time) and the
    1-minute load average before and after."""
    before_load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = run_process(args, env, sample=True, timeout=7200)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    result["load"] = f"{before_load:.1f}-{os.getloadavg()[0]:.1f}"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--lines", type=int, default=30, help="paragraphs per document")
    parser.add_argument("--scheduler", help="a dask.distributed scheduler address")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="corpus-scale-") as folder:
        for count in args.sizes:
            result = measure(count, args.lines, args.scheduler, Path(folder))
            results.append(result)
            print(f"{count:>6} documents, {result['characters'] / 1e6:6.1f} M characters: "
                  f"build {result['build_s']:7.1f} s, CPU {result['build_cpu']:7.1f} s (peak "
                  f"{result['build_mb']:6.0f} MB, load {result['build_load']}), "
                  f"phrases {result['phrases_s']:7.1f} s, CPU {result['phrases_cpu']:7.1f} s "
                  f"(peak {result['phrases_mb']:6.0f} MB, load {result['phrases_load']}),"
                  f" {result['phrases']:,} phrases; total "
                  f"{result['build_s'] + result['phrases_s']:7.1f} s", flush=True)
    if len(results) >= 2:
        first, last = results[0], results[-1]
        total = [r["build_s"] + r["phrases_s"] for r in (first, last)]
        ratio = last["documents"] / first["documents"]
        exponent = math.log(total[1] / total[0]) / math.log(ratio)
        for unit, suffix in (("wall", "s"), ("CPU", "cpu")):
            parts = {stage: math.log(last[f"{stage}_{suffix}"] / first[f"{stage}_{suffix}"])
                     / math.log(ratio) for stage in ("build", "phrases")}
            sums = [r[f"build_{suffix}"] + r[f"phrases_{suffix}"] for r in (first, last)]
            print(f"growth {first['documents']} -> {last['documents']} documents, {unit} time: "
                  f"exponent {math.log(sums[1] / sums[0]) / math.log(ratio):.2f} (build "
                  f"{parts['build']:.2f}, phrases {parts['phrases']:.2f}; target <= 1.15)")
        cpu = [r["build_cpu"] + r["phrases_cpu"] for r in (first, last)]
        cpu_exponent = math.log(cpu[1] / cpu[0]) / math.log(ratio)
        for unit, value, power in (("wall", total[1], exponent), ("CPU", cpu[1], cpu_exponent)):
            projected = value * (60_000 / last["documents"]) ** max(power, 1.0)
            print(f"projection to 60,000 documents from the {unit} time at its exponent (at "
                  f"least linear): {projected / 3600:.1f} hours"
                  + (" of CPU (divide by the worker cores)" if unit == "CPU" else ""))


if __name__ == "__main__":
    main()
