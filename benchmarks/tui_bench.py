"""Viewer speed: time to the first screen with content, and key press to repaint.

Run: ``.venv/bin/python benchmarks/tui_bench.py [FILE ...]`` (default: the bundled seeds).

Measured, each in a fresh (cold) Python process, headless, at 120x36, with and without the
core's per-document token cache (``Config(cache=False)``, as ``--no-cache`` gives):
- first screen: from starting the process to the first frame written after the section list
  was filled and the first pair's diff laid out (imports, reading, jieba's dictionary,
  alignment, diff, rendering);
- browsing: ``down`` is sent N times, a key repeat interval apart; each is timed from the key
  event to the first frame written after the new pair's diff was laid out;
- change navigation: the same for ``n`` (next change, then the next changed pair).
Frames are timestamped where the app hands them to its driver (``App._display``).
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
from typing import cast

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, time
start = float(sys.argv[1])
from textual import events
from policydiff.config import Config
from policydiff_tui.app import make_app

async def main():
    config = Config(cache=False) if sys.argv[3] == "no-cache" else None
    app = make_app(sys.argv[4:] or None, config=config)
    frames = []
    display = app._display

    def timed_display(screen, renderable):
        frames.append(time.perf_counter())
        return display(screen, renderable)

    app._display = timed_display
    out = {}

    def shown(main):
        return main.current is not None and main.shown_diff_key == main._diff_key(main.current)

    async def next_frame(after):
        while not frames or frames[-1] < after:
            await asyncio.sleep(0.0005)
        return frames[-1]

    async with app.run_test(size=(120, 36)) as pilot:
        main = app.main
        while not shown(main):
            await asyncio.sleep(0.002)
        frame = await next_frame(time.perf_counter())
        out["first_screen"] = time.time() - (time.perf_counter() - frame) - start
        out["rows"] = len(main.rows)
        # let the startup workers (phrase mining) finish so they do not skew browsing
        while main.query_one("WorkStatus").busy:
            await asyncio.sleep(0.01)
        for key in ("down", "n"):
            times = []
            main.section_list.select_index(0)
            await pilot.pause(0.2)
            for _ in range(int(sys.argv[2])):
                before = (main.shown_diff_key, main.side_by_side.change_index)
                t = time.perf_counter()
                app.post_message(events.Key(key, None))
                while (main.shown_diff_key, main.side_by_side.change_index) == before:
                    await asyncio.sleep(0.0005)
                frame = await next_frame(time.perf_counter())
                times.append(frame - t)
                await asyncio.sleep(0.06)  # about a key repeat interval
            out[key] = times
    print("RESULT " + json.dumps(out), flush=True)

asyncio.run(main())
"""


def run_once(files: list[str], presses: int, *, cache: bool = True) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tui'}"}
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(start), str(presses), "cache" if cache else "no-cache",
         *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
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
    uncached = [run_once(files, 0, cache=False) for _ in range(3)]
    runs = [run_once(files, 30) for _ in range(3)]
    print(f"inputs: {label}; {runs[0]['rows']} rows in the first pair's list")
    for name, group in (("no token cache (first time these files are seen)", uncached),
                        ("token cache warm (any later opening)", runs)):
        firsts = [float(r["first_screen"]) for r in group]  # type: ignore[arg-type]
        print(
            f"first screen with content, cold process, {name}: "
            + ", ".join(f"{f:.2f} s" for f in firsts)
            + f"  (median {statistics.median(firsts):.2f} s; target < 2 s)"
        )
    downs = [v for r in runs for v in cast("list[float]", r["down"])]
    print(f"down (next pair), key to repaint, {len(downs)} presses: {ms(downs)}  (target < 100 ms)")
    ns = [v for r in runs for v in cast("list[float]", r["n"])]
    print(f"n (next change), key to repaint, {len(ns)} presses: {ms(ns)}  (target < 100 ms)")


if __name__ == "__main__":
    main()
