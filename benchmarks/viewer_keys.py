"""Viewer speed for issue 15: the first screen with a warm cache, and key -> repaint for every
key the viewer has (moving, changes, hits, the text as written, inline layout, list, filters,
sorting, phrase panel).

Run: ``.venv/bin/python benchmarks/viewer_keys.py [--size 120x36] [FILE ...]`` (default: the
national 2024 and 2025 reports of the shared corpus, else the first two seeds).

Each measurement runs in a fresh Python process, headless. The first process warms the
per-document caches (and the result cache); the next three are timed from process start to
the first frame written after the first pair's diff is on screen. Then each key is pressed
``PRESSES`` times, a key-repeat interval apart, each timed from the key event to the first
frame the app hands its driver that shows what the key asked for: the state the key changes has
changed, the row's diff is on screen, and the panes' text is laid out for the widths the panes
have in that frame (a frame that shows the old layout clipped or padded, waiting for a resize
to lay it out again, does not count). Frames are timestamped, and checked, in
``App._display``.

Baselines, measured in the same run: a bare Textual app whose one key updates a ``Static``
(its first frame from process start: the least a first screen can cost; its key -> repaint: the
least a key can cost, on this machine under its current load), and, with ``BASE_TREE=<checkout>``,
the same first screen of the viewer of that checkout (runs interleaved). ``RUNS`` first screens
(default 5); ``FIRST_ONLY=1`` skips the keys. Targets: first
screen <= 1 s, key -> repaint <= 50 ms median. Figures are printed, not asserted.
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
CORPUS = ROOT.parent / "shared" / "corpus"
PRESSES = int(os.environ.get("PRESSES", "12"))
RUNS = int(os.environ.get("RUNS", "5"))

CHILD = r"""
import asyncio, json, sys, time
start = float(sys.argv[1])
presses = int(sys.argv[2])
width, height = (int(v) for v in sys.argv[3].split("x"))
from textual import events
from policydiff_tui.app import make_app

KEYS = {  # key -> what it changes (read before and after)
    "down": lambda m: m.shown_diff_key,
    "n": lambda m: (m.shown_diff_key, m.side_by_side.change_index),
    "o": lambda m: m.original,
    "u": lambda m: id(m.side_by_side.current_layout),
    "l": lambda m: m.section_list.display,
    "v": lambda m: (m.row_filter, m.shown_diff_key),
    "z": lambda m: (m.sort_by_change, m.shown_diff_key),
    "f": lambda m: (m.phrase_panel.display, id(m.side_by_side.current_layout)),
    "period": lambda m: (m.hit_index, m.shown_diff_key),
}

async def main():
    app = make_app(sys.argv[4:] or None, palette="256")
    main = None
    frames = []  # (time, whether the frame shows what the key asked for, laid out right)
    display = app._display
    probe = [lambda: True]

    def timed_display(screen, renderable):
        frames.append((time.perf_counter(), probe[0]()))
        return display(screen, renderable)

    app._display = timed_display
    out = {}

    def shown(main):
        return main.current is not None and main.shown_diff_key == main._diff_key(main.current)

    def laid_out(main):
        # the panes' text is wrapped for the widths they have in this frame (not a layout of
        # before, clipped or padded, waiting for a resize to be laid out again)
        sbs = main.side_by_side
        a, b = sbs.panes
        return sbs.diff is None or (sbs._widths[0] == a.text_width
                                    and (sbs.inline or sbs._widths[1] == b.text_width))

    async def good_frame(after, limit=5.0):
        # the first frame written after ``after`` that the probe found right (a key that
        # changes nothing on screen gets none: then the time it was given up). ``after`` may
        # be 0.0 (any frame), so the limit counts from now, not from ``after``
        end = max(after, time.perf_counter()) + limit
        while time.perf_counter() < end:
            for when, ok in frames:
                if when >= after and ok:
                    return when
            await asyncio.sleep(0.0005)
        return time.perf_counter()

    async def idle(limit=10.0):
        end = time.perf_counter() + limit
        while main.query_one("WorkStatus").busy and time.perf_counter() < end:
            await asyncio.sleep(0.005)

    async with app.run_test(size=(width, height)) as pilot:
        main = app.main
        probe[0] = lambda: shown(main)
        frame = await good_frame(0.0, 60.0)
        out["first_screen"] = time.time() - (time.perf_counter() - frame) - start
        out["first_cpu"] = time.process_time()  # CPU of this process so far (less load-bound)
        if presses:
            await idle(60)
            from policydiff_tui.search import find_hits
            session = main.session
            texts = {d: session.search_texts(d) for d in (main.left, main.right)}
            main.search_query, main.search_forms = "发展", ("发展",)
            main.search_hits = find_hits(texts, ["发展"])
            for key, state in KEYS.items():
                times = []
                for _ in range(presses):
                    await idle()
                    before = state(main)
                    probe[0] = lambda: (state(main) != before and shown(main)
                                        and laid_out(main))
                    frames.clear()
                    t = time.perf_counter()
                    app.post_message(events.Key(key, None))
                    frame = await good_frame(t)
                    probe[0] = lambda: True
                    times.append(frame - t)
                    await asyncio.sleep(0.06)
                out[key] = times
                print(key, file=sys.stderr, flush=True)
    print("RESULT " + json.dumps(out), flush=True)

asyncio.run(main())
"""

BASELINE = r"""
import asyncio, json, sys, time
from textual import events
from textual.app import App
from textual.widgets import Static

class Bare(App):
    BINDINGS = [("n", "bump", "bump")]
    count = 0
    def compose(self):
        yield Static("0", id="s")
    def action_bump(self):
        self.count += 1
        self.query_one("#s", Static).update(str(self.count))

async def main():
    start = float(sys.argv[2])
    app = Bare()
    frames = []
    display = app._display
    def timed(screen, renderable):
        frames.append(time.perf_counter())
        return display(screen, renderable)
    app._display = timed
    times = []
    async with app.run_test(size=(120, 36)):
        while not frames:
            await asyncio.sleep(0.0005)
        first = time.time() - (time.perf_counter() - frames[0]) - start
        await asyncio.sleep(0.3)
        for _ in range(int(sys.argv[1])):
            before = app.count
            t = time.perf_counter()
            app.post_message(events.Key("n", None))
            while app.count == before:
                await asyncio.sleep(0.0005)
            while not frames or frames[-1] < time.perf_counter() - 0.0:
                await asyncio.sleep(0.0005)
                if frames and frames[-1] > t:
                    break
            times.append(frames[-1] - t)
            await asyncio.sleep(0.06)
    print("RESULT " + json.dumps({"first_frame": first, "keys": times}), flush=True)

asyncio.run(main())
"""


def child(code: str, *args: str, root: Path = ROOT) -> object:
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{root / 'tui'}"}
    proc = subprocess.run([sys.executable, "-c", code, *args], cwd=root, capture_output=True,
                          text=True, env=env, timeout=600)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise SystemExit(f"benchmark child failed:\n{proc.stdout}\n{proc.stderr}")


def viewer(files: list[str], presses: int, size: str,
           root: Path = ROOT) -> dict[str, list[float] | float]:
    found = child(CHILD, str(time.time()), str(presses), size, *files, root=root)
    assert isinstance(found, dict)
    return found


def bare(presses: int) -> dict[str, list[float] | float]:
    found = child(BASELINE, str(presses), str(time.time()))
    assert isinstance(found, dict)
    return found


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    args = sys.argv[1:]
    size = "120x36"
    if args[:1] == ["--size"]:
        size, args = args[1], args[2:]
    files = args
    if not files:
        national = [CORPUS / "national-2024.txt", CORPUS / "national-2025.txt"]
        seeds = sorted((ROOT / "seeds").glob("*.txt"))[:2]
        files = [str(p) for p in (national if all(p.exists() for p in national) else seeds)]
    print(f"inputs: {', '.join(Path(f).name for f in files)}; terminal {size}; "
          f"load average {os.getloadavg()[0]:.2f}")
    base_root = Path(os.environ["BASE_TREE"]) if os.environ.get("BASE_TREE") else None
    viewer(files, 0, size)  # warms the caches
    if base_root:
        viewer(files, 0, size, base_root)  # the other tree has its own cache entries
    firsts: list[float] = []
    base_firsts: list[float] = []
    empty: list[float] = []
    cpu: list[float] = []
    base_cpu: list[float] = []
    for _ in range(RUNS):  # interleaved: every run meets the same load
        run = viewer(files, 0, size)
        firsts.append(float(run["first_screen"]))  # type: ignore[arg-type]
        cpu.append(float(run["first_cpu"]))  # type: ignore[arg-type]
        empty.append(float(bare(0)["first_frame"]))  # type: ignore[arg-type]
        if base_root:
            run = viewer(files, 0, size, base_root)
            base_firsts.append(float(run["first_screen"]))  # type: ignore[arg-type]
            base_cpu.append(float(run["first_cpu"]))  # type: ignore[arg-type]
    load = os.getloadavg()[0]
    med, med_empty = statistics.median(firsts), statistics.median(empty)
    print("first screen, warm cache, new process: "
          + ", ".join(f"{f:.2f} s" for f in firsts)
          + f"  (median {med:.2f} s; target <= 1 s; load average now {load:.2f})")
    print("baseline: a bare Textual app's first frame, new process: "
          + ", ".join(f"{f:.2f} s" for f in empty)
          + f"  (median {med_empty:.2f} s; ratio {med / med_empty:.1f}x)")
    print(f"  CPU time of the process at the first screen: median {statistics.median(cpu):.2f} s")
    if base_root:
        med_base = statistics.median(base_firsts)
        print(f"baseline tree {base_root}: first screen "
              + ", ".join(f"{f:.2f} s" for f in base_firsts)
              + f"  (median {med_base:.2f} s; ratio {med / med_base:.2f}x)")
        cpu_base = statistics.median(base_cpu)
        print(f"  CPU time: median {cpu_base:.2f} s "
              f"(ratio {statistics.median(cpu) / cpu_base:.2f}x)")
    if os.environ.get("FIRST_ONLY"):
        return
    baseline = bare(PRESSES * 2)["keys"]
    assert isinstance(baseline, list)
    base = median_ms(baseline)
    print(f"baseline: a bare Textual app, key -> repaint median {base:.1f} ms")
    run = viewer(files, PRESSES, size)
    print(f"{'key':<8} {'median':>8} {'p90':>8} {'max':>8}  ratio to baseline  (target <= 50 ms)")
    for key, values in run.items():
        if not isinstance(values, list):
            continue
        ordered = sorted(values)
        p90 = ordered[int(0.9 * (len(ordered) - 1))] * 1000
        med = median_ms(values)
        print(f"{key:<8} {med:7.1f}ms {p90:7.1f}ms {ordered[-1] * 1000:7.1f}ms  "
              f"{med / base if base else 0:5.1f}x")


if __name__ == "__main__":
    main()
