"""The benchmark suite: per-stage times and peak memory, cold start-up, baselines, growth.

Run (from the project root)::

    .venv/bin/python benchmarks/bench.py                # everything, about 10 minutes
    .venv/bin/python benchmarks/bench.py --quick        # two seeds and national 2024/2025 only
    .venv/bin/python benchmarks/bench.py --scenarios provinces --repeat 3 --json out.json

It prints tables and writes the same figures as JSON (``--json``, default
``bench-results/bench.json``, which git ignores). Figures are printed, never asserted: this is
not part of the test run (``tests/test_bench.py`` only smoke-runs it on a tiny configuration).

What is measured, per scenario (two seeds; national 2024 vs 2025; the 31 provincial reports of
2026; every other document, and all ~100 documents, of ../shared/corpus):

- stages, in one fresh process without the cache: read, normalize, segment, themes, tokenize
  (jieba's dictionary load included, and shown apart), align (all pairs; in a process pool
  from ``compare.POOL_MIN_PAIRS`` pairs, as ``compare`` does), diff (the section diffs of the
  pairs that get a page, ``outputs.page_pairs``: every pair up to ``outputs.MAX_HTML_PAIRS``
  pairs, else the aligned consecutive pairs of each series), phrases (shared phrases and the phrase
  report) and export (alignment JSON, phrase JSON and Markdown, HTML diffs as ``compare``
  writes them); peak memory of that process and of its pool workers;
- end to end: ``policydiff compare`` as a user runs it, in a new process, first without the
  cache (``--no-cache``) and then with a warm cache; wall time and peak memory (the sum of
  the proportional set sizes of the process and its pool workers, sampled every 50 ms from
  /proc, so that pages the forked workers share are counted once);
- cold start-up, each in a new process, median of ``--repeat``: ``policydiff --help``;
  ``policydiff compare`` on two seeds without and with a warm cache; the viewer's first
  screen with content (``benchmarks/tui_bench.py``), without and with a warm cache;
- baselines, on the same pair and in the same process: a whole-document character diff with
  pure-Python ``difflib.SequenceMatcher`` (its defaults, as a script would call it), and our
  own token diff of the aligned sections with pure ``difflib`` in place of ``cdifflib``;
  reported as ratios to our figures;
- growth: how each stage's time grows from every other corpus document (50) to all of them
  (per document for everything but alignment; per pair for alignment).

The cache used here is a temporary folder (``POLICYDIFF_CACHE_DIR``), never the user's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CORPUS = Path(os.environ.get("POLICYDIFF_CORPUS", ROOT.parent / "shared" / "corpus"))
STAGES = ("read", "normalize", "segment", "themes", "tokenize", "align", "diff", "phrases",
          "export")


# --------------------------------------------------------------------------- inputs


def corpus_documents() -> list[Path]:
    return sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("bulk/*/*.txt"))


SCENARIOS: dict[str, tuple[str, Callable[[], list[Path]]]] = {
    "seeds2": ("two seeds", lambda: [SEEDS / "000_fa4a5ba1074ac6cc.txt",
                                     SEEDS / "001_377fd206c21df32a.txt"]),
    "national": ("national 2024 vs 2025", lambda: [CORPUS / "national-2024.txt",
                                                   CORPUS / "national-2025.txt"]),
    "provinces": ("31 provincial reports", lambda: sorted(CORPUS.glob("prov-2026-*.txt"))),
    "corpus50": ("every other corpus document", lambda: corpus_documents()[::2]),
    "corpus": ("all corpus documents", corpus_documents),
}
QUICK = ("seeds2", "national")
END_TO_END = ("provinces", "corpus")  # scenarios also run as `policydiff compare` end to end


def available(name: str) -> bool:
    paths = SCENARIOS[name][1]()
    return len(paths) >= 2 and all(p.is_file() for p in paths)


# --------------------------------------------------------------------------- stages (child)


def staged(paths: Sequence[Path], *, baselines: bool) -> dict[str, Any]:
    """Run the ``compare`` pipeline stage by stage in this process; return the figures.

    Document loading runs in this process (no pool) so each stage is timed where it runs: the
    stage functions of ``policydiff.document`` are wrapped with timers.
    """
    os.environ["POLICYDIFF_NO_CACHE"] = "1"
    import policydiff.decode as decode
    import policydiff.document as document
    import policydiff.normalize as normalize
    import policydiff.segment as segment
    from policydiff import comparison as compare_module
    from policydiff import report
    from policydiff.config import Config
    from policydiff.formats.alignment import alignment_json
    from policydiff.formats.jsontext import dumps
    from policydiff.formats.phrases import render_json
    from policydiff.outputs import MAX_HTML_PAIRS, page_pairs
    from policydiff.phrases import novelty, overlaps
    from policydiff.records import MAX_CHANGE_DOCUMENTS
    from policydiff.render.html import diff_html
    from policydiff.render.phrases import render_markdown
    from policydiff.themes import load_themes
    from policydiff.tokenize import get_tokenizer

    times: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    cpu: dict[str, float] = dict.fromkeys(STAGES, 0.0)

    def cpu_now() -> float:
        """CPU seconds of this process and of its finished pool workers."""
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def timer(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start, start_cpu = time.perf_counter(), cpu_now()
            try:
                return fn(*args, **kwargs)
            finally:
                times[stage] += time.perf_counter() - start
                cpu[stage] += cpu_now() - start_cpu

        return timed

    def run_stage(stage: str, fn: Callable[[], Any]) -> None:
        timer(stage, fn)()

    decode.read_text = timer("read", decode.read_text)  # type: ignore[assignment]
    normalize.normalize = timer("normalize", normalize.normalize)  # type: ignore[assignment]
    segment.segment = timer("segment", segment.segment)  # type: ignore[assignment]
    document._with_themes = timer("themes", document._with_themes)  # type: ignore[assignment]
    document.tokenize_document = timer(  # type: ignore[assignment]
        "tokenize", document.tokenize_document
    )
    compare_module.POOL_MIN_DOCUMENTS = 10**9

    start = time.perf_counter()
    run_stage("tokenize", get_tokenizer)
    jieba_load = time.perf_counter() - start

    themes = load_themes()
    start = time.perf_counter()
    docs, tokens = compare_module.load_corpus(paths, Config(cache=False), themes=themes)
    loading = time.perf_counter() - start
    comparison = compare_module.Comparison(docs, themes, Config(cache=False), _tokens=tokens)
    pairs = comparison.pairs

    run_stage("align", comparison.alignments)

    all_pairs_diffed = len(pairs) <= MAX_HTML_PAIRS
    diff_pairs = page_pairs(comparison)  # what compare writes a page for
    def diff() -> None:
        for a, b in diff_pairs:
            comparison.section_diffs(a, b)
            if not all_pairs_diffed:
                comparison._diffs.clear()  # compare keeps none of these: neither do we

    run_stage("diff", diff)
    overlap = {"seconds": 0.0, "cpu": 0.0}
    original_overlap = overlaps.overlap_matrix  # report.build_report imports it when called

    def timed_overlap(*args: Any, **kwargs: Any) -> Any:
        start, start_cpu = time.perf_counter(), cpu_now()
        try:
            return original_overlap(*args, **kwargs)
        finally:
            overlap["seconds"] += time.perf_counter() - start
            overlap["cpu"] += cpu_now() - start_cpu

    overlaps.overlap_matrix = timed_overlap  # type: ignore[assignment]
    built: list[Any] = []
    series = comparison.change_series(small=MAX_CHANGE_DOCUMENTS)
    changes = {"seconds": 0.0, "cpu": 0.0}
    original_changes = novelty.changes_of

    def timed_changes(*args: Any, **kwargs: Any) -> Any:
        start, start_cpu = time.perf_counter(), cpu_now()
        try:
            return original_changes(*args, **kwargs)
        finally:
            changes["seconds"] += time.perf_counter() - start
            changes["cpu"] += cpu_now() - start_cpu

    novelty.changes_of = timed_changes  # type: ignore[assignment]
    run_stage("phrases", lambda: built.append(report.build_report(
        comparison.phrases(),
        documents=comparison.documents,
        with_changes=bool(series),
        series=series,
        themes=dict(comparison.theme_matrix()),
    )))

    def export() -> None:
        dumps(alignment_json(comparison))
        render_json(built[0])
        render_markdown(built[0])
        for a, b in diff_pairs:
            diff_html(comparison, a, b)

    run_stage("export", export)

    usage_self = resource.getrusage(resource.RUSAGE_SELF)
    usage_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out: dict[str, Any] = {
        "documents": len(docs),
        "characters": sum(len(d.text) for d in docs),
        "sections": sum(len(d.sections) for d in docs),
        "pairs": len(pairs),
        "diff_pairs": len(diff_pairs),
        "diff_pairs_kind": "all pairs" if all_pairs_diffed else "consecutive pairs of a series",
        "stages": times,
        "cpu": cpu,
        "cpu_total": sum(cpu.values()),
        "jieba_load": jieba_load,
        "overlap": overlap,
        "changes": changes,
        "change_pairs": sum(max(0, len(run) - 1) for run in series),
        "phrases_found": len(comparison.phrases().phrases),
        "occurrences": sum(len(p.occurrences) for p in comparison.phrases().phrases),
        "load_other": loading - sum(times[s] for s in STAGES[:5]) + jieba_load,
        "total": sum(times.values()),
        "peak_rss_mb": usage_self.ru_maxrss / 1024,
        "peak_rss_worker_mb": usage_children.ru_maxrss / 1024,
        "workers": compare_module.worker_count(),
    }
    if baselines and len(docs) == 2:
        out["baselines"] = _baselines(comparison)
    return out


def _baselines(comparison: Any) -> dict[str, Any]:
    """Pure-difflib baselines on the pair d1-d2 (see the module docstring)."""
    import difflib

    from policydiff import diff as diff_module

    a, b = comparison.document("d1").text, comparison.document("d2").text
    start = time.perf_counter()
    opcodes = difflib.SequenceMatcher(None, a, b).get_opcodes()
    char_diff = time.perf_counter() - start

    from policydiff.comparison import Comparison

    def section_diffs() -> tuple[float, list[Any]]:
        fresh = Comparison(comparison.documents, comparison.themes, comparison.config,
                           _tokens=comparison._tokens)
        fresh._alignments = dict(comparison._alignments)
        start = time.perf_counter()
        diffs = fresh.section_diffs("d1", "d2")
        return time.perf_counter() - start, diffs

    original = diff_module.matcher_type
    fast_times, slow_times = [], []
    for _ in range(3):  # alternating, best of three: neither side pays for a warm-up
        seconds, fast = section_diffs()
        fast_times.append(seconds)
        diff_module.matcher_type = lambda: difflib.SequenceMatcher  # type: ignore[assignment]
        try:
            seconds, slow = section_diffs()
        finally:
            diff_module.matcher_type = original  # type: ignore[method-assign]
        slow_times.append(seconds)
    return {
        "char_difflib": char_diff,
        "char_difflib_opcodes": len(opcodes),
        "token_cdifflib": min(fast_times),
        "token_difflib": min(slow_times),
        "sections_diffed": len(fast),
        "coarse_cdifflib": sum(sd.diff.coarse for sd in fast),
        "coarse_difflib": sum(sd.diff.coarse for sd in slow),
        "same_opcodes": [sd.diff.opcodes for sd in fast] == [sd.diff.opcodes for sd in slow],
    }


# --------------------------------------------------------------------------- processes (parent)


class TreeSampler:
    """Samples the resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self._tree_rss())
            self._stop.wait(self.interval)

    def _tree_rss(self) -> int:
        """KB of memory of ``pid`` and its descendants: the sum of their proportional set sizes
        (pages shared by forked pool workers counted once overall), or of their resident sizes
        where /proc/N/smaps_rollup cannot be read."""
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            pid = int(entry.name)
            parents[pid] = int(fields[1])  # ppid
            rss[pid] = int(fields[21]) * PAGE_KB  # rss, in pages
        total = 0
        for pid, kb in rss.items():
            node = pid
            while node and node != self.pid:
                node = parents.get(node, 0)
            if node == self.pid:
                total += _pss_kb(pid) or kb
        return total


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def run_process(args: Sequence[str], env: dict[str, str], *, sample: bool = False,
                timeout: float = 1800) -> dict[str, Any]:
    """Run a command; wall time, exit code, peak RSS (largest process; tree total if sampled)."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(args), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(proc.pid) if sample and sys.platform == "linux" else None
    if sampler:
        sampler.__enter__()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    finally:
        if sampler:
            sampler.__exit__()
    wall = time.perf_counter() - start
    result: dict[str, Any] = {"seconds": wall, "returncode": proc.returncode,
                              "stdout": stdout, "stderr": stderr}
    if sampler:
        result["peak_tree_mb"] = sampler.peak_kb / 1024
    return result


def python_env(cache_dir: Path) -> dict[str, str]:
    """The environment of every measured process: our temporary cache, and bytecode caching
    on (as in any normal install; some sandboxes set PYTHONDONTWRITEBYTECODE, which makes
    every start compile our modules again: about 0.1 s)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "POLICYDIFF_CACHE_DIR": str(cache_dir)}
    env.pop("POLICYDIFF_NO_CACHE", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm_bytecode(cache_dir: Path) -> None:
    """Import every module once, so that measured starts find compiled bytecode."""
    code = ("import policydiff.cli, policydiff.comparison, policydiff.report, "
            "policydiff.render.html, policydiff.formats.alignment, policydiff.normalize, "
            "policydiff.segment, policydiff.tokenize, policydiff.align, policydiff.phrases.mining, "
            "policydiff.phrases.novelty, "
            "jieba, policydiff_tui.app")
    run_process([sys.executable, "-c", code], python_env(cache_dir))


def policydiff_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "policydiff", *args]


def child_stages(name: str, cache_dir: Path, *, baselines: bool) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--child-out",
               str(out)] + (["--baselines"] if baselines else [])
        run = run_process(cmd, python_env(cache_dir), sample=True)
        if run["returncode"] != 0:
            raise SystemExit(f"stage run {name} failed:\n{run['stderr']}")
        figures = json.loads(out.read_text("utf-8"))
    finally:
        out.unlink(missing_ok=True)
    figures["peak_tree_mb"] = run.get("peak_tree_mb")
    return figures


def end_to_end(paths: Sequence[Path], cache_dir: Path, out_dir: Path) -> dict[str, Any]:
    """``policydiff compare`` without the cache, then warming it, then with it."""
    env = python_env(cache_dir)
    files = [str(p) for p in paths]
    cmd = policydiff_cmd("compare", *files, "-o", str(out_dir), "--force")
    results: dict[str, Any] = {}
    uncached = run_process([*cmd, "--no-cache"], env, sample=True)
    _check(uncached, "compare --no-cache")
    run_process(cmd, env)  # fills the cache
    cached = run_process(cmd, env, sample=True)
    _check(cached, "compare (cached)")
    for label, run in (("uncached", uncached), ("cached", cached)):
        results[label] = {"seconds": run["seconds"], "peak_tree_mb": run.get("peak_tree_mb")}
    return results


def _check(run: dict[str, Any], what: str) -> None:
    if run["returncode"] not in (0, 1):
        raise SystemExit(f"{what} failed ({run['returncode']}):\n{run['stderr']}")


def cold_start(repeat: int, cache_dir: Path, out_dir: Path, *, viewer: bool) -> dict[str, Any]:
    env = python_env(cache_dir)
    seeds = [str(p) for p in SCENARIOS["seeds2"][1]()]
    compare = policydiff_cmd("compare", *seeds, "-o", str(out_dir), "--force")
    figures: dict[str, list[float]] = {"help": [], "compare_uncached": [], "compare_cached": []}
    for _ in range(repeat):
        run = run_process(policydiff_cmd("--help"), env)
        _check(run, "--help")
        figures["help"].append(run["seconds"])
        run = run_process([*compare, "--no-cache"], env)
        _check(run, "compare --no-cache")
        figures["compare_uncached"].append(run["seconds"])
    run_process(compare, env)  # warm the cache
    for _ in range(repeat):
        run = run_process(compare, env)
        _check(run, "compare")
        figures["compare_cached"].append(run["seconds"])
    if viewer:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        os.environ["POLICYDIFF_CACHE_DIR"] = str(cache_dir)
        from tui_bench import run_once

        def first_screen(cache: bool) -> float:
            return float(str(run_once(seeds, 0, cache=cache)["first_screen"]))

        figures["viewer_uncached"] = [first_screen(False) for _ in range(repeat)]
        first_screen(True)  # warm
        figures["viewer_cached"] = [first_screen(True) for _ in range(repeat)]
    return {name: {"runs": values, "median": statistics.median(values)}
            for name, values in figures.items()}


# --------------------------------------------------------------------------- report


TARGETS = {
    "help": 0.3,
    "compare_uncached": 1.5,
    "compare_cached": 0.5,
    "viewer_uncached": 2.0,
    "viewer_cached": 2.0,
}


def print_report(results: dict[str, Any]) -> None:
    env = results["environment"]
    print(f"policydiff benchmarks  {env['when']}  python {env['python']}  "
          f"{env['cores']} cores  load average at start {env['load_average']}")
    stage_rows = results["scenarios"]
    if stage_rows:
        print("\nStages (one process, no cache; seconds; align uses the process pool)")
        header = f"{'scenario':<24}{'docs':>5}{'pairs':>6}" + "".join(
            f"{s:>10}" for s in STAGES) + f"{'total':>9}{'cpu':>8}{'peak MB':>9}{'workers':>9}"
        print(header)
        print("-" * len(header))
        for name, row in stage_rows.items():
            stages = row["stages"]
            print(f"{SCENARIOS[name][0]:<24}{row['documents']:>5}{row['pairs']:>6}"
                  + "".join(f"{stages[s]:>10.2f}" for s in STAGES)
                  + f"{row['total']:>9.2f}{row['cpu_total']:>8.1f}"
                  + f"{row['peak_tree_mb'] or row['peak_rss_mb']:>9.0f}"
                  + f"{row['peak_rss_worker_mb']:>9.0f}")
        print("  tokenize includes loading jieba's dictionary: "
              + ", ".join(f"{name} {row['jieba_load']:.2f} s" for name, row in stage_rows.items()))
        print("  diff: " + ", ".join(f"{name} {row['diff_pairs']} {row['diff_pairs_kind']}"
                                     for name, row in stage_rows.items()))
        print("  phrases includes the pairwise phrase overlap matrix: " + ", ".join(
            f"{name} {row['overlap']['seconds']:.2f} s" for name, row in stage_rows.items()))
        print("  shared phrases found (occurrences): " + ", ".join(
            f"{name} {row['phrases_found']} ({row['occurrences']})"
            for name, row in stage_rows.items()))
        print("  align per pair: " + ", ".join(
            f"{name} {row['stages']['align'] / row['pairs'] * 1000:.1f} ms"
            for name, row in stage_rows.items()))
        print("  cpu: CPU seconds of the process and its pool workers (wall time above; on a "
              "busy machine the difference is waiting)")
        print("  peak MB: the process and its pool workers together (sampled, shared pages once); "
              "workers: the largest pool worker (resident)")
    e2e = results["end_to_end"]
    if e2e:
        print("\n`policydiff compare` end to end (new process; seconds, peak MB of all processes)")
        targets = {"provinces": "target < 30 s", "corpus": "target < 120 s, < 2048 MB"}
        for name, row in e2e.items():
            print(f"  {SCENARIOS[name][0]:<26} no cache {row['uncached']['seconds']:7.2f} s "
                  f"{row['uncached']['peak_tree_mb']:6.0f} MB   warm cache "
                  f"{row['cached']['seconds']:7.2f} s {row['cached']['peak_tree_mb']:6.0f} MB"
                  f"   ({targets.get(name, '')})")
    cold = results["cold_start"]
    if cold:
        print("\nCold start (new process each run; median of runs, seconds)")
        labels = {
            "help": "policydiff --help",
            "compare_uncached": "compare two seeds, no cache",
            "compare_cached": "compare two seeds, warm cache",
            "viewer_uncached": "viewer first screen, no cache",
            "viewer_cached": "viewer first screen, warm cache",
        }
        for name, row in cold.items():
            runs = ", ".join(f"{v:.2f}" for v in row["runs"])
            print(f"  {labels[name]:<32}{row['median']:7.2f}   target < {TARGETS[name]}   "
                  f"(runs: {runs})")
    for name, row in stage_rows.items():
        base = row.get("baselines")
        if not base:
            continue
        print(f"\nBaselines on {SCENARIOS[name][0]} (same process)")
        print(f"  whole-document character diff, difflib.SequenceMatcher: "
              f"{base['char_difflib']:.2f} s = {base['char_difflib'] / row['total']:.1f}x our "
              f"whole pipeline ({row['total']:.2f} s), "
              f"{base['char_difflib'] / max(row['stages']['diff'], 1e-9):.1f}x our diff stage")
        print(f"  token diff of {base['sections_diffed']} aligned sections: pure difflib "
              f"{base['token_difflib']:.3f} s vs cdifflib {base['token_cdifflib']:.3f} s = "
              f"{base['token_difflib'] / max(base['token_cdifflib'], 1e-9):.1f}x "
              f"(same opcodes: {base['same_opcodes']}; coarse fallbacks "
              f"{base['coarse_difflib']} vs {base['coarse_cdifflib']})")
    growth = results.get("growth")
    if growth:
        print(f"\nGrowth from {growth['from']} to {growth['to']} documents "
              f"(x{growth['doc_ratio']:.2f} documents, x{growth['char_ratio']:.2f} characters, "
              f"x{growth['pair_ratio']:.2f} pairs); CPU time ratio per stage (target: at most the "
              "document ratio; align per pair about 1)")
        print("  " + ", ".join(f"{s} x{r:.2f}" for s, r in growth["stage_ratios"].items())
              + f"; align per pair x{growth['align_per_pair_ratio']:.2f}")
        print("  (export includes the alignment JSON, which lists every pair's matches; phrases "
              "the overlap matrix, one entry per pair)")


def growth_of(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    """CPU time ratios (wall time on a shared machine measures the neighbours too)."""
    ratios = {
        s: large["cpu"][s] / small["cpu"][s]
        for s in STAGES
        if s != "align" and small["cpu"][s] > 0
    }
    if small["overlap"]["cpu"] > 0:  # phrase mining without the pairwise overlap matrix
        ratios["phrases w/o overlap"] = (
            (large["cpu"]["phrases"] - large["overlap"]["cpu"])
            / (small["cpu"]["phrases"] - small["overlap"]["cpu"])
        )
        ratios["... per occurrence"] = ratios["phrases w/o overlap"] / (
            large["occurrences"] / small["occurrences"]
        )
    return {
        "from": small["documents"],
        "to": large["documents"],
        "doc_ratio": large["documents"] / small["documents"],
        "char_ratio": large["characters"] / small["characters"],
        "pair_ratio": large["pairs"] / small["pairs"],
        "stage_ratios": ratios,
        "align_per_pair_ratio": (large["cpu"]["align"] / large["pairs"])
        / (small["cpu"]["align"] / small["pairs"]),
    }


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="only the two-document scenarios, no end-to-end runs of many")
    parser.add_argument("--scenarios", help="comma-separated: " + ", ".join(SCENARIOS))
    parser.add_argument("--repeat", type=int, default=5, help="cold-start runs (median)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start runs")
    parser.add_argument("--no-viewer", action="store_true", help="skip the viewer runs")
    parser.add_argument("--no-end-to-end", action="store_true",
                        help="skip `policydiff compare` runs of many documents")
    parser.add_argument("--json", default=str(ROOT / "bench-results" / "bench.json"),
                        help="where to write the JSON (default: bench-results/bench.json)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    parser.add_argument("--baselines", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        sys.path.insert(0, str(ROOT))
        figures = staged(SCENARIOS[args.child][1](), baselines=args.baselines)
        Path(args.child_out).write_text(json.dumps(figures), "utf-8")
        return 0

    if args.scenarios:
        names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
        unknown = [n for n in names if n not in SCENARIOS]
        if unknown:
            parser.error(f"unknown scenario(s): {', '.join(unknown)}")
    else:
        names = list(QUICK if args.quick else SCENARIOS)
    skipped = [n for n in names if not available(n)]
    names = [n for n in names if n not in skipped]
    if skipped:
        print(f"skipped (inputs not found): {', '.join(skipped)}", file=sys.stderr)

    results: dict[str, Any] = {
        "environment": {
            "when": time.strftime("%Y-%m-%d %H:%M"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cores": os.cpu_count(),
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        },
        "scenarios": {},
        "end_to_end": {},
        "cold_start": {},
    }
    with tempfile.TemporaryDirectory(prefix="policydiff-bench-") as tmp:
        cache_dir = Path(tmp) / "cache"
        warm_bytecode(cache_dir)
        for name in names:
            print(f"... stages: {SCENARIOS[name][0]}", file=sys.stderr, flush=True)
            results["scenarios"][name] = child_stages(
                name, cache_dir, baselines=name in ("seeds2", "national")
            )
        if not (args.quick or args.no_end_to_end):
            for name in (n for n in END_TO_END if n in names):
                print(f"... end to end: {SCENARIOS[name][0]}", file=sys.stderr, flush=True)
                results["end_to_end"][name] = end_to_end(
                    SCENARIOS[name][1](), cache_dir, Path(tmp) / f"out-{name}"
                )
        if not args.no_cold:
            print("... cold start", file=sys.stderr, flush=True)
            results["cold_start"] = cold_start(
                args.repeat, cache_dir, Path(tmp) / "out-cold", viewer=not args.no_viewer
            )
    if "corpus50" in results["scenarios"] and "corpus" in results["scenarios"]:
        results["growth"] = growth_of(results["scenarios"]["corpus50"],
                                      results["scenarios"]["corpus"])
    print_report(results)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, indent=2), "utf-8")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
