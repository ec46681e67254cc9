"""A compare's outputs as one set (issue 17, class 5): the previous results stay as they were
until the new set is complete, every target is checked before anything is written, stale files
of the tool's own making (the manifest's) are removed and nothing else, SIGTERM mid-write and
a full disk leave the previous set intact, parallel ``--force`` runs never mix.

The writer is ``outputs.write_outputs`` (``files.write_set``), driven by generated sets (names,
sizes, which file is blocked, where the run is stopped) in this process or, where a signal or a
second process is the point, in a child; the CLI cases run ``compare`` itself. Every entry of
the folder is snapshotted (``test_outputs._snapshot``) before and after: a change the case does
not allow is an unsafe write.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from policydiff.errors import OutputError
from policydiff.files import MANIFEST
from policydiff.outputs import Outputs, write_outputs

from .cases import POLICY_HANS
from .figures import Figures
from .harness import ROOT, is_crash, message_problems, run_cli
from .test_outputs import _snapshot

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _set(rng: random.Random, pages: int, marker: str) -> dict[str, Callable[[], str]]:
    """A compare-like set: pair pages, the index, a few tables, each holding ``marker``."""
    names = [f"diff-d1-d{i}.html" for i in range(2, pages + 2)]
    names += ["index.html", "alignment.json", "documents.csv", "phrases.md"]
    def render(name: str) -> Callable[[], str]:
        return lambda: f"{marker} {name} " + "政" * rng.randrange(1, 400)

    return {name: render(name) for name in names}


def _unsafe(before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]],
            allowed: set[str]) -> list[str]:
    changed = [k for k in before.keys() | after.keys() if before.get(k) != after.get(k)]
    bad = [k for k in changed if k not in allowed]
    return sorted(bad + [k for k in after if ".policydiff-" in k])  # a temporary folder left


def _blockers() -> list[tuple[str, Callable[[Path], None], str]]:
    """(what, make the blocked target, refusal fragment)."""
    return [
        ("folder", lambda p: p.mkdir(), "is a folder"),
        ("fifo", lambda p: os.mkfifo(p), "device, pipe or socket"),
        ("link", lambda p: os.symlink("/etc/hostname", p), "symbolic link"),
        ("dangling-link", lambda p: os.symlink("/nonexistent/x", p), "symbolic link"),
    ]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("blocker", _blockers(), ids=lambda b: b[0])
def test_a_blocked_target_changes_nothing(
    seed: int, blocker: tuple[str, Callable[[Path], None], str], tmp_path: Path,
    figures: Figures,
) -> None:
    rng = random.Random(seed)
    what, block, fragment = blocker
    out = tmp_path / "out"
    write_outputs(out, Outputs(_set(rng, rng.randrange(1, 6), "old")))
    new = _set(rng, rng.randrange(1, 6), "new")
    victim = rng.choice(sorted(new))
    target = out / victim
    if target.exists():
        target.unlink()
    block(target)
    before = _snapshot(tmp_path)
    with pytest.raises(OutputError) as refused:
        write_outputs(out, Outputs(new), force=True)
    figures.tried(f"set-blocked-{what}")
    message = str(refused.value)
    unsafe = _unsafe(before, _snapshot(tmp_path), set())
    figures.bad("unsafe_writes", f"blocked {what}: {unsafe}", len(unsafe))
    assert not unsafe
    assert fragment in message and victim in message and "\n" not in message, message


def test_an_input_among_the_targets_is_refused_before_anything_is_written(
    tmp_path: Path, figures: Figures
) -> None:
    out = tmp_path / "out"
    write_outputs(out, Outputs(_set(random.Random(1), 3, "old")))
    (out / "a.txt").write_text(POLICY_HANS, "utf-8")
    before = _snapshot(tmp_path)
    new = dict(_set(random.Random(2), 3, "new"), **{"a.txt": lambda: "overwritten"})
    with pytest.raises(OutputError, match="is an input file"):
        write_outputs(out, Outputs(new), force=True, protect=[out / "a.txt"])
    figures.tried("set-input-target")
    unsafe = _unsafe(before, _snapshot(tmp_path), set())
    figures.bad("unsafe_writes", f"input among targets: {unsafe}", len(unsafe))
    assert not unsafe


@pytest.mark.parametrize("seed", range(4))
def test_stale_pages_of_a_larger_run_go_and_nothing_else(
    seed: int, tmp_path: Path, figures: Figures
) -> None:
    rng = random.Random(seed)
    out = tmp_path / "out"
    large, small = rng.randrange(4, 9), rng.randrange(1, 4)
    write_outputs(out, Outputs(_set(rng, large, "large")))
    # Files the tool did not write, some with names it could have written.
    theirs = {"notes.txt": "mine", "diff-d7-d9.html": "my own page", "index.html.bak": "x"}
    for name, text in theirs.items():
        (out / name).write_text(text, "utf-8")
    write_outputs(out, Outputs(_set(rng, small, "small")), force=True)
    figures.tried("set-stale")
    left = sorted(os.listdir(out))
    pages = sorted(n for n in left if n.startswith("diff-d1-"))
    stale = [n for n in pages if n not in {f"diff-d1-d{i}.html" for i in range(2, small + 2)}]
    lost = [n for n, text in theirs.items() if (out / n).read_text("utf-8") != text]
    figures.bad("unsafe_writes", f"stale kept {stale}, theirs lost {lost}", len(stale) + len(lost))
    assert not stale and not lost, left
    assert len(pages) == small
    assert all((out / n).read_text("utf-8").startswith("small") for n in pages)


def test_a_viewer_export_into_a_compare_folder_removes_nothing(tmp_path: Path) -> None:
    """Only a compare's set (with an index) makes pair pages stale: the viewer's three files
    written with --force into a compare's folder leave its pages."""
    out = tmp_path / "out"
    write_outputs(out, Outputs(_set(random.Random(3), 3, "compare")))
    export = {n: (lambda: "export") for n in ("alignment.json", "phrases.json", "phrases.md")}
    write_outputs(out, Outputs(export), force=True)
    assert {f"diff-d1-d{i}.html" for i in (2, 3, 4)} <= set(os.listdir(out))


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (root only): a full disk for real."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not IS_ROOT:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


@pytest.mark.parametrize("size_kb", [300, 700, 2000])
def test_a_full_disk_keeps_the_previous_set_and_the_rerun_works(
    size_kb: int, small_disk: Path, figures: Figures
) -> None:
    out = small_disk / "out"
    write_outputs(out, Outputs(_set(random.Random(4), 3, "old")))
    before = _snapshot(small_disk)
    huge = dict(_set(random.Random(5), 3, "new"),
                **{"phrases.json": lambda: "x" * (size_kb * 1024)})
    with pytest.raises(OutputError) as refused:
        write_outputs(out, Outputs(huge), force=True)
    figures.tried(f"set-full-disk-{size_kb}")
    assert "no space left" in str(refused.value) and "\n" not in str(refused.value)
    unsafe = _unsafe(before, _snapshot(small_disk), set())
    figures.bad("unsafe_writes", f"full disk: {unsafe}", len(unsafe))
    assert not unsafe
    write_outputs(out, Outputs(_set(random.Random(6), 2, "rerun")), force=True)
    assert (out / "index.html").read_text("utf-8").startswith("rerun")


_WRITER = """
import sys, time
from pathlib import Path
from policydiff.outputs import Outputs, write_outputs
folder, marker, delay, started = sys.argv[1], sys.argv[2], float(sys.argv[3]), Path(sys.argv[4])
def render(name):
    def text():
        started.write_text(name)
        time.sleep(delay)
        return f"{marker} {name}"
    return text
names = [f"diff-d1-d{i}.html" for i in range(2, 6)] + ["index.html", "documents.csv"]
write_outputs(folder, Outputs({n: render(n) for n in names}), force=True)
"""


def _writer(folder: Path, marker: str, delay: float, started: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder), marker, str(delay), str(started)],
        env=env, stderr=subprocess.PIPE,
    )


def _wait_for(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


@pytest.mark.parametrize("after_files", [1, 3, 6])
def test_sigterm_mid_write_leaves_the_previous_set(
    after_files: int, tmp_path: Path, figures: Figures
) -> None:
    out = tmp_path / "out"
    write_outputs(out, Outputs(_set(random.Random(7), 2, "old")))
    before = _snapshot(tmp_path)
    started = tmp_path / "started"
    child = _writer(out, "new", 0.3, started)
    _wait_for(started)
    time.sleep(0.3 * (after_files - 1) + 0.1)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=30)
    started.unlink()
    figures.tried(f"set-sigterm-{after_files}")
    unsafe = _unsafe(before, _snapshot(tmp_path), set())
    figures.bad("unsafe_writes", f"SIGTERM after {after_files}: {unsafe}", len(unsafe))
    if b"Traceback" in err:
        figures.bad("crashes", f"SIGTERM: {err.decode(errors='replace')[-300:]}")
    assert child.returncode == -signal.SIGTERM, err
    assert not unsafe and b"Traceback" not in err


@pytest.mark.parametrize("runs", [2, 4])
def test_parallel_forced_runs_leave_one_whole_set(
    runs: int, tmp_path: Path, figures: Figures
) -> None:
    out = tmp_path / "out"
    children = [_writer(out, f"run{k}", 0.05 * (k + 1), tmp_path / f"s{k}") for k in range(runs)]
    for child in children:
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    figures.tried(f"set-parallel-{runs}")
    markers = {(out / n).read_text("utf-8").split()[0] for n in os.listdir(out) if n != MANIFEST}
    leftovers = [n for n in os.listdir(out) if ".policydiff-" in n]
    figures.bad("unsafe_writes", f"{runs} parallel runs mixed: {markers} {leftovers}",
                (len(markers) - 1) + len(leftovers))
    assert len(markers) == 1 and not leftovers, (markers, leftovers)


def _docs(folder: Path, count: int) -> list[str]:
    names = []
    for k in range(count):
        path = folder / f"r{k}.txt"
        path.write_text(POLICY_HANS.replace("5.2%", f"5.{k}%"), "utf-8")
        names.append(path.name)
    return names


def test_compare_rerun_smaller_removes_its_stale_pages(
    tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    """``compare`` of four documents, then of two into the same folder with --force: the
    pages of the pairs that are gone are removed, a user's file in the folder stays."""
    docs = _docs(tmp_path, 4)
    first = run_cli(["compare", *docs, "-o", "out"], env=env, cwd=tmp_path, timeout=120)
    assert first.returncode == 0, first.describe()
    assert (tmp_path / "out" / "diff-d3-d4.html").exists()
    (tmp_path / "out" / "notes.txt").write_text("mine", "utf-8")
    second = run_cli(["compare", *docs[:2], "-o", "out", "--force"], env=env, cwd=tmp_path,
                     timeout=120)
    figures.tried("compare-rerun-smaller")
    if is_crash(second):
        figures.bad("crashes", second.describe())
    assert second.returncode == 0, second.describe()
    pages = sorted(n for n in os.listdir(tmp_path / "out") if n.startswith("diff-"))
    assert pages == ["diff-d1-d2.html"]
    assert (tmp_path / "out" / "notes.txt").read_text("utf-8") == "mine"


def test_compare_with_one_blocked_target_keeps_the_previous_results(
    tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    docs = _docs(tmp_path, 2)
    first = run_cli(["compare", *docs, "-o", "out"], env=env, cwd=tmp_path, timeout=120)
    assert first.returncode == 0, first.describe()
    (tmp_path / "out" / "phrases.md").unlink()
    (tmp_path / "out" / "phrases.md").mkdir()
    before = _snapshot(tmp_path / "out")
    (tmp_path / docs[1]).write_text(POLICY_HANS.replace("5.2%", "9.9%"), "utf-8")
    second = run_cli(["compare", *docs, "-o", "out", "--force"], env=env, cwd=tmp_path,
                     timeout=120)
    figures.tried("compare-blocked-target")
    problems = message_problems(second, ["out/phrases.md", "phrases.md"])
    if problems:
        figures.bad("bad_messages", f"{'; '.join(problems)}: {second.describe()}")
    unsafe = _unsafe(before, _snapshot(tmp_path / "out"), set())
    figures.bad("unsafe_writes", f"compare blocked target: {unsafe}", len(unsafe))
    assert not problems and not unsafe, (second.describe(), unsafe)
