"""The targets of issue 12, measured as a user runs the tool and printed as ratios.

Run (from the project root)::

    .venv/bin/python benchmarks/targets.py                  # everything, about 8 minutes
    .venv/bin/python benchmarks/targets.py --quick          # two documents only
    .venv/bin/python benchmarks/targets.py --synthetic 300  # a smaller synthetic run

Every figure is a new ``policydiff`` process (``python -m policydiff``), with bytecode caching
on and a temporary cache folder, timed for wall time and for CPU time (the process and its
pool workers: the children's rusage), and the peak memory of the process tree (the sum of
proportional set sizes, ``bench.TreeSampler``). Nothing is asserted: the figures are printed
next to their targets, and written to ``bench-results/targets.json``.

- two documents (national 2024/2025): the baseline is a pure-Python ``difflib`` character
  diff of the whole pair (``SequenceMatcher(None, a, b, autojunk=False)``, as the issue
  measured it), timed in this process, interleaved with the runs; ``compare --no-cache``
  (cold) and a repeat run (documents and results cached) as ratios to it, CPU and wall;
- 31 provincial reports: ``compare`` and ``phrases``, wall on this machine's cores;
- the 100 corpus documents: ``compare``, wall and peak memory;
- growth: CPU of ``compare`` on every other corpus document (50) and all 100;
- a synthetic corpus of ``--synthetic`` documents (default 1,000) made by recombining the
  paragraphs of the corpus (series of 10 years for 100 issuers; written to a temporary
  folder, never kept), and 100 of them, for the growth exponent of CPU time;
- identity: the outputs of two documents and of ``--all-pairs`` (31 provinces) against the
  code before this work (``--baseline-rev``, default the commit before issue 12's changes,
  extracted with ``git archive`` and run the same way), byte for byte after removing the
  ``label`` fields that issue 11 added to the documents of both JSON formats.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import CORPUS, ROOT, TreeSampler, corpus_documents

BASELINE_REV = "3857320"
"""The last commit before the work on issue 12 (pair selection, result cache, …)."""

TARGETS = {
    "cold_ratio": 0.5, "repeat_ratio": 0.2, "provinces_compare": 5.0, "provinces_phrases": 3.0,
    "corpus_compare": 20.0, "corpus_peak_mb": 1024.0, "growth_50_100": 2.3, "synthetic": 240.0,
}


def run(args: Sequence[str], env: dict[str, str], cwd: Path = ROOT) -> dict[str, Any]:
    """One process: wall and CPU seconds (its own and its children's), peak tree MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        _, stderr = proc.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:4])}… failed ({proc.returncode}):\n{stderr[-2000:]}")
    return {"wall": wall, "cpu": cpu, "peak_mb": sampler.peak_kb / 1024}


def environment(cache: Path, pythonpath: Path = ROOT) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath), "POLICYDIFF_CACHE_DIR": str(cache)}
    env.pop("POLICYDIFF_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def pd(*args: str) -> list[str]:
    return [sys.executable, "-m", "policydiff", *args]


def char_diff(a: str, b: str) -> dict[str, float]:
    import difflib

    start, cpu = time.perf_counter(), time.process_time()
    difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}


def two_documents(tmp: Path, repeat: int) -> dict[str, Any]:
    pair = [CORPUS / "national-2024.txt", CORPUS / "national-2025.txt"]
    texts = [p.read_text("utf-8") for p in pair]
    env = environment(tmp / "cache-two")
    cmd = pd("compare", *map(str, pair), "-o", str(tmp / "out-two"), "--force")
    run(cmd, env)  # bytecode, documents and results cached
    base, cold, warm = [], [], []
    for _ in range(repeat):  # interleaved, medians
        base.append(char_diff(*texts))
        cold.append(run([*cmd, "--no-cache"], env))
        warm.append(run(cmd, env))

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    out = {name: {k: median(rows, k) for k in ("wall", "cpu")}
           for name, rows in (("difflib", base), ("cold", cold), ("repeat", warm))}
    for name in ("cold", "repeat"):
        out[name]["ratio_cpu"] = out[name]["cpu"] / out["difflib"]["cpu"]
        out[name]["ratio_wall"] = out[name]["wall"] / out["difflib"]["wall"]
    return out


STAGES_CHILD = """
import gc, sys, time
cpu = time.process_time
marks = [("interpreter start", cpu())]
import policydiff.cli, policydiff.comparison, policydiff.outputs
# imported where they compute (a repeat run needs none): counted here, not in their stages
import policydiff.align, policydiff.normalize, policydiff.phrases.mining, policydiff.report
import policydiff.phrases.novelty, policydiff.phrases.location, policydiff.phrases.overlaps
marks.append(("imports", cpu()))
from policydiff.tokenize import get_tokenizer
get_tokenizer()
marks.append(("segmenter load", cpu()))
from policydiff.cli import config_from_args, build_parser
args = build_parser().parse_args(["compare", *sys.argv[1:], "--no-cache"])
comparison = policydiff.comparison.compare(sys.argv[1:], config_from_args(args))
gc.freeze()
marks.append(("read, normalize, segment, themes, tokenize", cpu()))
comparison.alignments()
marks.append(("align", cpu()))
outputs = policydiff.outputs.comparison_outputs(comparison)
stage = {"phrases.json": "phrases (mining, new/dropped, report)"}
for name, render in outputs.files.items():
    render()
    label = stage.get(name) or ("change report (with its section diffs)"
        if name.startswith("changes-") and not any(m[0].startswith("change") for m in marks)
        else "other outputs (rendered, not written)")
    marks.append((label, cpu()))
import json
out, last = dict.fromkeys([m[0] for m in marks if not m[0].startswith("other")], 0.0), 0.0
for label, at in marks:
    out[label] = out.get(label, 0.0) + at - last
    last = at
print(json.dumps(out))
"""
"""A fresh process doing what a cold two-document ``compare`` does, stage by stage (CPU
seconds; nothing written to disk). Prints one JSON object."""


def two_stages(repeat: int) -> dict[str, float]:
    """Median CPU seconds per stage of a cold ``compare`` of national 2024/2025 (fresh
    processes, bytecode cached), so that the ratio to the baseline can be read as its parts."""
    pair = [str(CORPUS / "national-2024.txt"), str(CORPUS / "national-2025.txt")]
    env = environment(Path(tempfile.gettempdir()) / "policydiff-targets-stages")
    rows = []
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", STAGES_CHILD, *pair], cwd=ROOT, env=env,
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    return {label: statistics.median(r.get(label, 0.0) for r in rows) for label in rows[0]}


def many(tmp: Path) -> dict[str, Any]:
    env = environment(tmp / "cache-many")
    provinces = [str(p) for p in sorted(CORPUS.glob("prov-2026-*.txt"))]
    corpus = [str(p) for p in corpus_documents()]
    run(pd("compare", *provinces[:2], "-o", str(tmp / "warm"), "--force"), env)  # bytecode
    out: dict[str, Any] = {}
    out["provinces_compare"] = run(pd("compare", "--no-cache", *provinces, "-o",
                                      str(tmp / "out-prov"), "--force"), env)
    out["provinces_phrases"] = run(pd("phrases", "--no-cache", *provinces, "-o",
                                      str(tmp / "prov.md"), "--force"), env)
    out["corpus50"] = run(pd("compare", "--no-cache", *corpus[::2], "-o",
                             str(tmp / "out-50"), "--force"), env)
    out["corpus"] = run(pd("compare", "--no-cache", *corpus, "-o", str(tmp / "out-100"),
                           "--force"), env)
    out["corpus"]["documents"] = len(corpus)
    out["growth_50_100"] = out["corpus"]["cpu"] / out["corpus50"]["cpu"]
    return out


def synthesize(folder: Path, count: int, seed: int = 12) -> list[Path]:
    """``count`` documents recombined from the corpus's paragraphs: issuer k, year y takes a
    window of a source report's lines (its headings come along) and swaps a fifth of them
    for lines of other reports, so a series shares much and peers share some."""
    sources = [p.read_text("utf-8").splitlines() for p in corpus_documents()]
    sources = [lines for lines in sources if len(lines) >= 40]
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    issuers = max(1, count // 10)
    for k in range(count):
        issuer, year = k % issuers, 2016 + k // issuers
        base = sources[issuer % len(sources)]
        size = min(len(base), 120)
        start = rng.randrange(0, len(base) - size + 1)
        lines = base[start : start + size]
        for i in rng.sample(range(len(lines)), len(lines) // 5):
            other = rng.choice(sources)
            lines[i] = rng.choice(other)
        path = folder / f"synth-{issuer:03d}-{year}.txt"
        path.write_text(f"{year}年第{issuer}号地区政府工作报告\n" + "\n".join(lines) + "\n",
                        "utf-8")
        paths.append(path)
    return paths


def synthetic(tmp: Path, count: int) -> dict[str, Any]:
    env = environment(tmp / "cache-synth")
    small = synthesize(tmp / "synth-small", 100)
    large = synthesize(tmp / "synth-large", count)
    out: dict[str, Any] = {"documents": count,
                           "characters": sum(p.stat().st_size for p in large) // 3}
    out["small"] = run(pd("compare", "--no-cache", *map(str, small), "-o",
                          str(tmp / "out-s100"), "--force"), env)
    out["large"] = run(pd("compare", "--no-cache", *map(str, large), "-o",
                          str(tmp / "out-s1000"), "--force"), env)
    out["exponent"] = math.log(out["large"]["cpu"] / out["small"]["cpu"]) / math.log(count / 100)
    return out


MINING_BASELINE_REV = "e7768b2"
"""The last commit before phrase mining was bounded (one suffix array with Python lists of
every position; periodic runs not collapsed)."""
MINING_BASELINE_MAX = 300
"""The baseline is not run above this many documents (1,000 took 9 GB and was stopped)."""


def extract(tmp: Path, rev: str) -> Path:
    """``rev``'s ``policydiff`` package in a folder of its own (to run it the same way)."""
    old = tmp / f"code-{rev}"
    if not old.exists():
        old.mkdir()
        archive = subprocess.run(["git", "archive", rev, "policydiff"], cwd=ROOT,
                                 capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    return old


MINING_CHILD = """
import sys
from pathlib import Path
from policydiff.comparison import compare
from policydiff.report import build_report
from policydiff.render.phrases import render_markdown
paths = Path(sys.argv[1]).read_text("utf-8").split("\\n")
comparison = compare(paths)
built = build_report(comparison.phrases(), documents=comparison.documents, with_changes=False,
                     themes=dict(comparison.theme_matrix()))
Path(sys.argv[2]).write_text(render_markdown(built), "utf-8")
"""
"""What the phrase-mining figures run: the library as ``phrases --no-changes`` uses it (the
command line refuses more than 300 documents), without the cache."""


def mining(
    tmp: Path, sizes: Sequence[int], rev: str, keep: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """The phrase report (shared phrases, overlap, sections, themes, Markdown: not the JSON
    writer, which holds every occurrence as a dict; no new/dropped phrases) on synthetic corpora
    of ``sizes`` documents, now and with ``rev`` (up to ``MINING_BASELINE_MAX``); and the
    repetition of issue 17 class 2 (``发展改革`` x 4,900 against ``改革发展`` x 4,900),
    ``phrases`` and ``compare``, now and with ``rev``."""
    old = extract(tmp, rev)
    out: dict[str, Any] = {"sizes": {}, "repetition": {}}
    for count in sizes:
        paths = [str(p) for p in synthesize(tmp / f"mine-{count}", count)]
        row: dict[str, Any] = {"characters": sum(Path(p).stat().st_size for p in paths) // 3}
        for who, code in (("now", ROOT), ("before", old)):
            if who == "before" and count > MINING_BASELINE_MAX:
                continue
            env = {**environment(tmp / f"cache-mine-{who}", code), "POLICYDIFF_NO_CACHE": "1"}
            listing = tmp / f"mine-{count}.list"
            listing.write_text("\n".join(paths), "utf-8")
            try:
                row[who] = run([sys.executable, "-c", MINING_CHILD, str(listing),
                                str(tmp / f"mine-{who}.md")], env, code)
            except SystemExit as exc:  # the baseline may run out of memory: say so, go on
                row[who] = {"error": str(exc)[:300]}
        out["sizes"][count] = row
        keep(out)
    rep = tmp / "repetition"
    rep.mkdir(exist_ok=True)
    (rep / "a.txt").write_text("发展改革" * 4900 + "\n", "utf-8")
    (rep / "b.txt").write_text("改革发展" * 4900 + "\n", "utf-8")
    files = [str(rep / "a.txt"), str(rep / "b.txt")]
    for who, code in (("now", ROOT), ("before", old)):
        env = environment(tmp / f"cache-rep-{who}", code)
        out["repetition"][who] = {
            "phrases": run(pd("phrases", "--no-cache", *files, "-o", str(rep / f"{who}.md"),
                              "--force"), env, code),
            "compare": run(pd("compare", "--no-cache", *files, "-o", str(rep / f"out-{who}"),
                              "--force"), env, code),
        }
    return out


def mining_report(m: dict[str, Any], rev: str) -> None:
    print(f"\nPhrase report without new/dropped phrases (library, no cache; synthetic corpora; "
          f"before = "
          f"{rev})")
    sizes = sorted(m["sizes"], key=int)
    for count in sizes:
        row = m["sizes"][count]
        now = row["now"]
        line = (f"  {int(count):>5,} documents {row['characters'] / 1e6:5.1f} M characters: "
                f"{now['wall']:7.1f} s wall {now['cpu']:7.1f} s CPU {now['peak_mb']:6.0f} MB "
                f"({now['peak_mb'] / (row['characters'] / 1e6):5.0f} MB per M characters)")
        if "error" in row.get("before", {}):
            line += f"; before: {row['before']['error']}"
        elif "before" in row:
            before = row["before"]
            line += (f"; before {before['cpu']:.1f} s CPU {before['peak_mb']:.0f} MB = "
                     f"x{now['cpu'] / before['cpu']:.2f} CPU, "
                     f"x{now['peak_mb'] / before['peak_mb']:.2f} memory")
        print(line)
    if len(sizes) >= 2:
        a, b = m["sizes"][sizes[0]], m["sizes"][sizes[-1]]
        scale = math.log(b["characters"] / a["characters"])
        print(f"  growth exponents from {int(sizes[0]):,} to {int(sizes[-1]):,} documents "
              f"(in characters): CPU {math.log(b['now']['cpu'] / a['now']['cpu']) / scale:.2f}, "
              f"peak memory {math.log(b['now']['peak_mb'] / a['now']['peak_mb']) / scale:.2f}"
              " (1 = linear)")
    rep = m["repetition"]
    print("  issue 17 class 2 (发展改革 x 4,900 against 改革发展 x 4,900; target ~2 s, ~300 MB):")
    for command in ("phrases", "compare"):
        now, before = rep["now"][command], rep["before"][command]
        print(f"    {command:<8} now {now['wall']:5.1f} s wall {now['cpu']:5.1f} s CPU "
              f"{now['peak_mb']:5.0f} MB; before {before['wall']:5.1f} s wall "
              f"{before['peak_mb']:5.0f} MB = x{now['cpu'] / before['cpu']:.2f} CPU")


REPORT_CHILD = """
import json, os, resource, sys, time
from pathlib import Path
def cpu():
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
marks, last = [], cpu()
def mark(stage):
    global last
    now = cpu()
    marks.append([stage, now - last, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  os.getloadavg()[0]])
    last = now
from policydiff.comparison import compare
from policydiff.formats.phrases import render_json
from policydiff.render.phrases import render_html, render_markdown, table_csv
from policydiff import records
comparison = compare(Path(sys.argv[1]).read_text("utf-8").split("\\n"))
mark("load (read .. tokenize)")
comparison.pairs
mark("pair choice")
comparison.phrases()
mark("phrase mining")
report = comparison.phrase_report()
mark("phrase report (locate, themes, overlap, new/dropped)")
size = len(render_json(report))
mark("phrases.json")
render_markdown(report), render_html(report)
mark("phrases.md, phrases.html")
for name in records.REPORT_TABLES:
    table_csv(records.table(name, comparison, report=report))
mark("report CSV tables")
print(json.dumps({"marks": marks, "json_chars": size, "changes": len(report.changes),
                  "occurrences": sum(len(p.occurrences) for p in report.phrase_set.phrases)}))
"""
"""What the phrase-report figures run: what ``compare`` does for its phrase outputs, stage by
stage, in the library (the command line refuses more than 300 documents): CPU seconds of the
process and its workers, the process's peak RSS after each stage, the load average."""


def phrase_report_stages(tmp: Path, sizes: Sequence[int], rev: str | None) -> dict[str, Any]:
    """``REPORT_CHILD`` on synthetic corpora of ``sizes`` documents, with this code and with
    ``rev``'s (when given), one process each (loading, cold, is timed apart)."""
    out: dict[str, Any] = {}
    codes = [("now", ROOT)] + ([("before", extract(tmp, rev))] if rev else [])
    for count in sizes:
        paths = [str(p) for p in synthesize(tmp / f"report-{count}", count)]
        listing = tmp / f"report-{count}.list"
        listing.write_text("\n".join(paths), "utf-8")
        for who, code in codes:
            env = {**environment(tmp / f"cache-report-{who}", code), "OMP_NUM_THREADS": "1"}
            proc = subprocess.run([sys.executable, "-c", REPORT_CHILD, str(listing)], cwd=code,
                                  env=env, capture_output=True, text=True)  # fmt: skip
            if proc.returncode:
                raise SystemExit(f"phrase report of {count} documents failed:\n"
                                 f"{proc.stderr[-2000:]}")  # fmt: skip
            out.setdefault(str(count), {})[who] = json.loads(proc.stdout.splitlines()[-1])
    return out


def phrase_report_report(r: dict[str, Any], rev: str | None) -> None:
    print(f"\nPhrase outputs of compare, stage by stage (library; CPU s of the process and its "
          f"workers, peak RSS of the process, load average; before = {rev or '-'})")
    sizes = sorted(r, key=int)
    for count in sizes:
        for who, row in r[count].items():
            total = sum(m[1] for m in row["marks"][1:])  # loading apart
            print(f"  {int(count):>5,} documents, {who:<6}: {total:7.1f} s CPU without loading; "
                  f"{row['occurrences']:,} occurrences, {row['changes']} new/dropped pairs, "
                  f"phrases.json {row['json_chars'] / 1e6:.0f} M characters")
            for stage, seconds, peak, load in row["marks"]:
                print(f"      {stage:<54}{seconds:7.1f} s  peak {peak:6.0f} MB  load {load:.1f}")
    if len(sizes) >= 2:
        first, last = r[sizes[0]], r[sizes[-1]]
        for who in last:
            if who not in first:
                continue
            a, b = (sum(m[1] for m in x[who]["marks"][1:]) for x in (first, last))
            power = math.log(b / a) / math.log(int(sizes[-1]) / int(sizes[0]))
            print(f"  growth exponent {int(sizes[0]):,} -> {int(sizes[-1]):,} documents ({who}),"
                  f" CPU without loading: {power:.2f} (1 = linear)")


def identity(tmp: Path, rev: str) -> dict[str, Any]:
    """Outputs of the current code against ``rev``'s on two documents and --all-pairs."""
    old = tmp / "baseline"
    old.mkdir()
    archive = subprocess.run(["git", "archive", rev, "policydiff"], cwd=ROOT,
                             capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    pair = [str(CORPUS / "national-2024.txt"), str(CORPUS / "national-2025.txt")]
    provinces = [str(p) for p in sorted(CORPUS.glob("prov-2026-*.txt"))]
    out: dict[str, Any] = {}
    for name, files, new_options in (("two documents", pair, []),
                                     ("31 provinces --all-pairs", provinces, ["--all-pairs"])):
        folders = {}
        for who, path, options in (("before", old, []), ("now", ROOT, new_options)):
            folders[who] = tmp / f"id-{who}-{len(files)}"
            run(pd("compare", "--no-cache", *files, *options, "-o", str(folders[who]),
                   "--force"), environment(tmp / f"cache-{who}", path), cwd=path)
        out[name] = compare_outputs(folders["before"], folders["now"])
    return out


def compare_outputs(before: Path, now: Path) -> dict[str, str]:
    """Per file of ``before``: identical, identical without labels, or different."""
    verdict = {}
    for path in sorted(before.iterdir()):
        if path.suffix not in (".json", ".md", ".html"):
            continue
        other = now / path.name
        if not other.exists():
            verdict[path.name] = "missing"
        elif path.read_bytes() == other.read_bytes():
            verdict[path.name] = "identical"
        elif path.suffix == ".json" and _without_labels(path) == _without_labels(other):
            verdict[path.name] = "identical but documents[].label (issue 11)"
        else:
            verdict[path.name] = "DIFFERENT"
    return verdict


def _without_labels(path: Path) -> str:
    data = json.loads(path.read_text("utf-8"))
    for doc in data.get("documents", []):
        if isinstance(doc, dict):
            doc.pop("label", None)
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def report(results: dict[str, Any]) -> None:
    print(f"issue 12 targets  {results['when']}  load average at start {results['load']}, "
          f"at end {results['load_end']}  ({os.cpu_count()} cores)")
    two = results.get("two")
    if two:
        print("\nTwo documents (national 2024/2025), medians of interleaved runs")
        print(f"  baseline: difflib character diff (autojunk off) {two['difflib']['wall']:.2f} s "
              f"wall, {two['difflib']['cpu']:.2f} s CPU")
        for name, target in (("cold", "cold_ratio"), ("repeat", "repeat_ratio")):
            row = two[name]
            print(f"  compare, {name:<6} {row['wall']:.2f} s wall {row['cpu']:.2f} s CPU = "
                  f"{row['ratio_wall']:.2f}x wall, {row['ratio_cpu']:.2f}x CPU of the baseline"
                  f"   (target <= {TARGETS[target]}x)")
    stages = results.get("two_stages")
    if stages and two:
        base = two["difflib"]["cpu"]
        print("  where the cold run's CPU goes (median of fresh processes; x of the baseline):")
        for label, cpu in stages.items():
            print(f"    {label:<46}{cpu:6.3f} s  x{cpu / base:.2f}")
        print(f"    {'sum':<46}{sum(stages.values()):6.3f} s  x{sum(stages.values()) / base:.2f}")
    m = results.get("many")
    if m:
        print("\nMany documents (no cache)")
        for key, what in (("provinces_compare", "31 provinces, compare"),
                          ("provinces_phrases", "31 provinces, phrases"),
                          ("corpus50", "50 corpus documents, compare"),
                          ("corpus", "100 corpus documents, compare")):
            row = m[key]
            limit = TARGETS.get(key)
            print(f"  {what:<32}{row['wall']:7.2f} s wall {row['cpu']:7.2f} s CPU "
                  f"{row['peak_mb']:6.0f} MB" + (f"   (target <= {limit} s wall)" if limit
                                                  else ""))
        print(f"  100 documents: peak {m['corpus']['peak_mb']:.0f} MB (target <= 1024 MB); "
              f"CPU from 50 to 100 documents x{m['growth_50_100']:.2f} (target <= 2.3)")
    s = results.get("synthetic")
    if s:
        print(f"\nSynthetic corpus (recombined corpus paragraphs, about {s['characters']:,} "
              "characters)")
        print(f"  100 documents   {s['small']['wall']:7.1f} s wall {s['small']['cpu']:7.1f} s CPU "
              f"{s['small']['peak_mb']:6.0f} MB")
        print(f"  {s['documents']:,} documents {s['large']['wall']:7.1f} s wall "
              f"{s['large']['cpu']:7.1f} s CPU {s['large']['peak_mb']:6.0f} MB   "
              f"(target <= {TARGETS['synthetic']:.0f} s)")
        print(f"  growth exponent of CPU time: {s['exponent']:.2f} (1 = linear)")
    if results.get("mining"):
        mining_report(results["mining"], results.get("mining_rev", MINING_BASELINE_REV))
    ident = results.get("identity")
    if ident:
        print(f"\nOutputs against {results['baseline_rev']} (before this work)")
        for name, files in ident.items():
            print(f"  {name}: " + "; ".join(f"{f} {v}" for f, v in files.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="two documents only")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--synthetic", type=int, default=1000, help="0: skip")
    parser.add_argument("--baseline-rev", default=BASELINE_REV)
    parser.add_argument("--mining", default="100,300,1000",
                        help="synthetic corpus sizes for the phrase-mining figures (0: skip)")
    parser.add_argument("--mining-rev", default=MINING_BASELINE_REV)
    parser.add_argument("--only-mining", action="store_true",
                        help="the phrase-mining figures only")
    parser.add_argument("--phrase-report", default="",
                        help="synthetic corpus sizes for the stages of compare's phrase outputs "
                             "(e.g. 200,1000); only these figures are then measured")
    parser.add_argument("--report-rev", default="",
                        help="also run the phrase-report stages with this revision's code")
    parser.add_argument("--no-identity", action="store_true")
    parser.add_argument("--json", default=str(ROOT / "bench-results" / "targets.json"))
    args = parser.parse_args(argv)
    if not (CORPUS / "national-2024.txt").is_file():
        print(f"corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"), "baseline_rev": args.baseline_rev,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)

    def keep(key: str, value: Any) -> None:  # figures so far, in case a later stage fails
        results[key] = value
        out.write_text(json.dumps(results, indent=2), "utf-8")

    with tempfile.TemporaryDirectory(prefix="policydiff-targets-") as name:
        tmp = Path(name)
        if args.phrase_report:
            sizes = [int(x) for x in args.phrase_report.split(",")]
            keep("phrase_report", phrase_report_stages(tmp, sizes, args.report_rev or None))
            phrase_report_report(results["phrase_report"], args.report_rev or None)
            print(f"load average at the end {os.getloadavg()}")
            return 0
        sizes = [int(x) for x in args.mining.split(",") if int(x)]
        if sizes and not args.quick:
            print(f"... phrase mining {sizes}", file=sys.stderr, flush=True)
            results["mining_rev"] = args.mining_rev
            keep("mining", mining(tmp, sizes, args.mining_rev,
                                  lambda part: keep("mining", part)))
        if args.only_mining:
            args.quick = args.no_identity = True
        else:
            print("... two documents", file=sys.stderr, flush=True)
            keep("two", two_documents(tmp, args.repeat))
            keep("two_stages", two_stages(args.repeat))
        if not args.quick:
            print("... many documents", file=sys.stderr, flush=True)
            keep("many", many(tmp))
        if not args.no_identity:
            print("... identity", file=sys.stderr, flush=True)
            keep("identity", identity(tmp, args.baseline_rev))
        if not args.quick and args.synthetic:
            print(f"... synthetic {args.synthetic}", file=sys.stderr, flush=True)
            keep("synthetic", synthetic(tmp, args.synthetic))
    keep("load_end", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    report(results)
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
