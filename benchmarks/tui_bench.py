"""Viewer speed: time to the first screen with content, and key press to repaint.

Run: ``.venv/bin/python benchmarks/tui_bench.py [FILE ...]`` (default: the bundled seeds).

Measured, each in a fresh (cold) Python process, headless, at 120x36:
- first screen: from starting the process to the moment the section list is filled and the
  first pair's diff is on screen (imports, reading, jieba's dictionary, alignment, diff);
- browsing: after that, ``down`` is pressed N times; each press is timed from the key to the
  screen having repainted with the new pair's diff (medians and worst case reported);
- change navigation: ``n`` pressed N times, key to repaint.
The figures are printed, not asserted: the targets are < 2 s and < 100 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, time
start = float(sys.argv[1])
from tui.app import make_app

async def main():
    app = make_app(sys.argv[3:] or None)
    out = {}
    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main
        while not (main.current is not None and main.shown_diff_key == main._diff_key(main.current)):
            await asyncio.sleep(0.005)
        await pilot.pause()
        out["first_screen"] = time.time() - start
        out["rows"] = len(main.rows)
        # let the startup workers (phrases, prefetch) finish so they do not skew browsing
        while main.query_one("WorkStatus").busy:
            await asyncio.sleep(0.01)
        presses = []
        for _ in range(int(sys.argv[2])):
            t = time.perf_counter()
            await pilot.press("down")
            while not (main.current is not None
                       and main.shown_diff_key == main._diff_key(main.current)):
                await asyncio.sleep(0.001)
            await pilot.pause()
            presses.append(time.perf_counter() - t)
        out["down"] = presses
        changes = []
        main.section_list.select_index(0)
        await pilot.pause()
        for _ in range(int(sys.argv[2])):
            t = time.perf_counter()
            await pilot.press("n")
            while not (main.current is not None
                       and main.shown_diff_key == main._diff_key(main.current)):
                await asyncio.sleep(0.001)
            await pilot.pause()
            changes.append(time.perf_counter() - t)
        out["n"] = changes
    print("RESULT " + json.dumps(out), flush=True)

asyncio.run(main())
"""


def run_once(files: list[str], presses: int) -> dict[str, object]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(start), str(presses), *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])  # type: ignore[no-any-return]
    raise SystemExit(f"benchmark child failed:\n{proc.stdout}\n{proc.stderr}")


def ms(values: list[float]) -> str:
    return (
        f"median {statistics.median(values) * 1000:.0f} ms, "
        f"p90 {sorted(values)[int(0.9 * (len(values) - 1))] * 1000:.0f} ms, "
        f"max {max(values) * 1000:.0f} ms"
    )


def main() -> None:
    files = sys.argv[1:]
    label = ", ".join(Path(f).name for f in files) if files else "the five seeds"
    runs = [run_once(files, 30) for _ in range(3)]
    firsts = [float(r["first_screen"]) for r in runs]  # type: ignore[arg-type]
    print(f"inputs: {label}; {runs[0]['rows']} rows in the first pair's list")
    print(
        "first screen with content (cold process): "
        + ", ".join(f"{f:.2f} s" for f in firsts)
        + f"  (median {statistics.median(firsts):.2f} s; target < 2 s)"
    )
    downs = [v for r in runs for v in r["down"]]  # type: ignore[union-attr]
    print(f"down (next pair), key to repaint, {len(downs)} presses: {ms(downs)}  (target < 100 ms)")
    ns = [v for r in runs for v in r["n"]]  # type: ignore[union-attr]
    print(f"n (next change), key to repaint, {len(ns)} presses: {ms(ns)}  (target < 100 ms)")


if __name__ == "__main__":
    main()
