"""files: writes are safe (atomic, never over an input, a link or a device).

Every file is made in tmp_path.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from policydiff.errors import OutputError
from policydiff.files import write_atomic

# ------------------------------------------------------------------------------------------
# write_atomic


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".policydiff-")]


def test_write_creates_folders_and_keeps_newlines(tmp_path: Path) -> None:
    target = tmp_path / "out" / "deep" / "对照.json"
    assert write_atomic(target, "政府\r\n工作\n") == target
    assert target.read_bytes() == "政府\r\n工作\n".encode()  # UTF-8, no BOM, CRLF untouched
    write_atomic(tmp_path / "raw.bin", b"\x00\xff")
    assert (tmp_path / "raw.bin").read_bytes() == b"\x00\xff"
    assert leftovers(target.parent) == [] and leftovers(tmp_path) == []


def test_write_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    with pytest.raises(OutputError, match=r"out\.txt: already exists; pass --force"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert leftovers(tmp_path) == []


def test_write_never_over_an_input(tmp_path: Path) -> None:
    source = tmp_path / "in" / "report.txt"
    source.parent.mkdir()
    source.write_bytes(b"original")
    (tmp_path / "alias").symlink_to(source.parent)
    os.link(source, tmp_path / "hard.txt")
    spellings = [
        source,
        tmp_path / "in" / ".." / "in" / "report.txt",
        tmp_path / "alias" / "report.txt",
        tmp_path / "hard.txt",
    ]
    for target in spellings:
        with pytest.raises(OutputError, match="is an input file"):
            write_atomic(target, "x", force=True, protect=[str(source)])
    assert source.read_bytes() == b"original"


def test_write_refuses_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")
    link = tmp_path / "out.txt"
    link.symlink_to(outside)
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_atomic(link, "x", force=True)
    assert outside.read_bytes() == b"keep"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere" / "file.txt")
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_atomic(dangling, "x")
    assert not (tmp_path / "nowhere").exists()


def test_write_reports_blocked_folders(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError, match=r"cannot create the folder .*a file is in the way"):
        write_atomic(blocker / "sub" / "out.txt", "x")
    with pytest.raises(OutputError, match="is a folder"):
        write_atomic(tmp_path, "x", force=True)


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_write_failure_leaves_original_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"original")

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(f"policydiff.files.os.{failing}", boom)
    with pytest.raises(OutputError, match=r"could not write it .*nothing was changed"):
        write_atomic(target, "new", force=True)
    monkeypatch.undo()
    assert target.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


def test_write_without_force_loses_a_race_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file that appears between the check and the rename is not overwritten."""
    target = tmp_path / "out.txt"
    real_fsync: Callable[[int], None] = os.fsync

    def racing_fsync(fd: int) -> None:
        real_fsync(fd)
        if not target.exists():
            target.write_bytes(b"theirs")

    monkeypatch.setattr("policydiff.files.os.fsync", racing_fsync)
    with pytest.raises(OutputError, match="already exists"):
        write_atomic(target, "ours")
    monkeypatch.undo()
    assert target.read_bytes() == b"theirs"
    assert leftovers(tmp_path) == []


_FORKING_RENDER = """
import multiprocessing, sys, time
from pathlib import Path
from policydiff import files

def work(x):
    time.sleep(0.01)
    return x

def render():
    with multiprocessing.get_context("fork").Pool(2) as pool:  # exit = terminate: SIGTERM
        return str(pool.map(work, range(4)))

files.write_set(Path(sys.argv[1]), {"a.txt": render, "b.txt": render})
print("written")
"""


def test_a_pool_forked_while_a_set_is_written_ends_on_sigterm(tmp_path: Path) -> None:
    """A renderer that forks a worker pool (the phrase report's new/dropped pool does) runs
    while write_set catches SIGTERM; the pool's workers inherit that handler, and
    ``Pool.__exit__`` terminates them with SIGTERM. They must simply end: with the handler
    raising in them, each worker printed a traceback and a full test run hung on one of them.
    """
    import subprocess
    import sys

    script = tmp_path / "render.py"
    script.write_text(_FORKING_RENDER, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "written"
    assert "_Signalled" not in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "[0, 1, 2, 3]"
