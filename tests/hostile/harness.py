"""Running hostile inputs: the CLI as a subprocess (with time and peak memory), a pty for what
reaches a terminal, and the invariant checks of ROBUSTNESS.md as counting functions.

Each check returns how many things were wrong (0 when the invariant holds), so that a test can
both assert on it and add it to the session figures.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policydiff.align import Alignment
from policydiff.diff import Opcode, TextDiff
from policydiff.model import Document
from policydiff.normalize import NormalText
from policydiff.phrases import PhraseSet

from .cases import RAW_CANARIES

ROOT = Path(__file__).resolve().parents[2]
CLI_TIMEOUT = 120.0
ADVICE_WORDS = (
    "pass", "check", "choose", "use", "remove", "restore", "save", "extract", "run", "convert",
    "re-run", "put", "compare", "give", "repair", "leave", "split", "re-export", "unpack",
)


@dataclass(frozen=True)
class CliResult:
    args: tuple[str, ...]
    returncode: int | None
    stdout: bytes
    stderr: bytes
    seconds: float
    peak_mb: float
    timed_out: bool

    @property
    def err_lines(self) -> list[str]:
        return self.stderr.decode("utf-8", "replace").splitlines()

    @property
    def problem_lines(self) -> list[str]:
        """stderr lines other than warnings and ``wrote`` notes."""
        return [
            line for line in self.err_lines
            if not line.startswith(("policydiff: warning:", "policydiff: wrote "))
            and not (line.startswith("policydiff: ") and " pairs: no HTML diffs" in line)
            and not (line.startswith("policydiff: ") and " documents: aligning " in line)
        ]

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.err_lines if line.startswith("policydiff: warning:")]

    def describe(self) -> str:
        tail = " | ".join(self.err_lines[-2:])[:300]
        return f"policydiff {' '.join(self.args)} -> {self.returncode}: {tail}"


def cli_env(cache_dir: Path) -> dict[str, str]:
    """The environment of every subprocess: the repo on the path, caches kept in ``cache_dir``
    (so nothing outside the test's folders is written), no colour, a fixed width."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYDIFF_", "PYTEST_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        POLICYDIFF_CACHE_DIR=str(cache_dir / "policydiff"),
        XDG_CACHE_HOME=str(cache_dir / "xdg"),
        NO_COLOR="1",
        COLUMNS="120",
        LINES="40",
        PYTHONFAULTHANDLER="1",
    )
    return env


def _address_space_limit(memory_mb: int | None) -> Callable[[], None] | None:
    """A ``preexec_fn`` capping the child's address space at ``memory_mb`` (so a run that
    would grow without bound dies at the cap instead of taking the machine with it)."""
    if memory_mb is None:
        return None

    def limit() -> None:
        import resource

        cap = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    return limit


def run_cli(
    args: Sequence[str], *, env: dict[str, str], cwd: Path, timeout: float = CLI_TIMEOUT,
    memory_mb: int | None = None,
) -> CliResult:
    """``python -m policydiff ARGS`` with stdin closed; its own peak RSS from ``wait4``;
    ``memory_mb`` caps its address space (``RLIMIT_AS``).

    Output goes to files (no pipe can fill up), and the child is reaped here with ``wait4`` so
    that its resource usage is its own, not that of every child so far.
    """
    out_path = cwd / f".cli-{os.getpid()}-{time.monotonic_ns()}"
    usage_path = Path(f"{out_path}.rss")
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-S", "-c", _LAUNCHER, str(usage_path), "-m", "policydiff", *args],
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, cwd=cwd, env=env,
            start_new_session=True, preexec_fn=_address_space_limit(memory_mb),
        )
        deadline = start + timeout
        timed_out = False
        status = rusage = None
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                _, status, rusage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    os.unlink(f"{out_path}.out")
    os.unlink(f"{out_path}.err")
    try:
        peak_kb = int(usage_path.read_text(encoding="ascii"))
        usage_path.unlink()
    except (OSError, ValueError):  # killed at the timeout before the launcher wrote it
        peak_kb = rusage.ru_maxrss
    return CliResult(
        tuple(args), None if timed_out else proc.returncode, stdout, stderr, seconds,
        peak_kb / 1024, timed_out,
    )


_LAUNCHER = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w", encoding="ascii") as out:
    out.write(str(usage.ru_maxrss))
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""How ``run_cli`` starts the CLI: a small process forks it and reports its peak RSS. Linux
records the high-water RSS of the memory a process had before ``exec`` in its peak, so a CLI
forked straight from a long pytest process (760 MB after a thousand tests) reported that as
its own peak; forked from this launcher, the peak is the CLI's own (and its pool workers')."""


@dataclass(frozen=True)
class PtyResult:
    """What a program did on a terminal: exit code (None: killed at the timeout), every byte it
    wrote, and when (seconds from the start) the keys were typed, the full-screen mode was
    left (``ESC [?1049l``) and the process ended."""

    code: int | None
    output: bytes
    typed_at: float | None
    released_at: float | None
    ended_at: float | None


RELEASE_SCREEN = b"\x1b[?1049l"


def run_in_pty(
    argv: Sequence[str], *, env: dict[str, str], cwd: Path, keys: bytes = b"",
    wait_for: bytes | None = None, timeout: float = 60.0, size: tuple[int, int] = (36, 120),
) -> PtyResult:
    """Run ``argv`` on a fresh pseudo-terminal. ``keys`` are typed once ``wait_for`` has
    appeared in the output (or at once); a program still running at ``timeout`` is killed."""
    import fcntl
    import pty
    import struct
    import termios

    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.chdir(cwd)
        os.execve(argv[0], list(argv), env)
    output = b""
    code: int | None = None
    typed_at = released_at = ended_at = None
    mark = 0
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        while time.monotonic() - start < timeout:
            if keys and typed_at is None and (wait_for is None or wait_for in output):
                time.sleep(0.5)
                os.write(fd, keys)
                typed_at = time.monotonic() - start
                mark = len(output)
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    chunk = b""
                if chunk:
                    output += chunk
                    if (typed_at is not None and released_at is None
                            and RELEASE_SCREEN in output[max(0, mark - 8):]):
                        released_at = time.monotonic() - start
                    continue
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                ended_at = time.monotonic() - start
                pid = 0
                break
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)
    return PtyResult(code, output, typed_at, released_at, ended_at)


def raw_canaries(data: bytes) -> int:
    """How many raw terminal-control canaries (escape sequences, C1 CSI, NUL) are in ``data``."""
    return sum(data.count(canary) for canary in RAW_CANARIES)


PLACEHOLDERS = ("␛", "␀", "␇", "⟨U+009B⟩")


def placeholders(data: bytes) -> int:
    text = data.decode("utf-8", "replace")
    return sum(text.count(p) for p in PLACEHOLDERS)


# ---------------------------------------------------------------------------------------------
# Invariants, as counts of what is wrong


def offset_map_errors(normal: NormalText) -> int:
    """Normalized characters without a valid, non-decreasing source span (invariant 2)."""
    starts = np.asarray(normal.starts, dtype=np.int64)
    ends = np.asarray(normal.ends, dtype=np.int64)
    size = len(normal.source)
    if len(starts) != len(normal.text) or len(ends) != len(starts):
        return max(1, abs(len(starts) - len(normal.text)))
    if not len(starts):
        return 0
    bad = (starts >= ends) | (ends > size) | (starts < 0)
    bad[1:] |= (np.diff(starts) < 0) | (np.diff(ends) < 0)
    return int(bad.sum())


def _is_han_array(text: str) -> np.ndarray:
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    return ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0x20000) & (codes <= 0x3134F)) | (
        (codes >= 0xF900) & (codes <= 0xFAFF)
    )


def han_characters_lost(normal: NormalText) -> int:
    """Han characters of the source that reach the normalized text through no character's
    span and that no recorded change accounts for (removed without saying so)."""
    source = normal.source
    if not source:
        return 0
    size = len(source)
    cover = np.zeros(size + 1, dtype=np.int64)
    changes = (tuple(c.source_span[0] for c in normal.changes),
               tuple(c.source_span[1] for c in normal.changes))
    for starts, ends in ((normal.starts, normal.ends), changes):
        np.add.at(cover, np.asarray(starts, dtype=np.int64), 1)
        np.add.at(cover, np.asarray(ends, dtype=np.int64), -1)
    covered = np.cumsum(cover)[:size] > 0
    return int((_is_han_array(source) & ~covered).sum())


def tiling_errors(doc: Document) -> int:
    """Characters of the normalized text not covered exactly once by the sections' own text
    (heading plus body up to the first child) — invariant 3."""
    pos = 0
    errors = 0
    for sec in doc.sections:
        start, mid, end = sec.heading_span[0], sec.heading_span[1], sec.body_span[1]
        if sec.body_span[0] != mid or not start <= mid <= end:
            errors += 1
        errors += abs(start - pos)
        pos = max(pos, end)
    return errors + abs(len(doc.text) - pos)


def alignment_errors(al: Alignment, doc_a: Document, doc_b: Document) -> int:
    """Sections of either side not listed exactly once as matched (one-to-one, or as the extra
    partner of a split/merge) or unmatched — invariant 4."""
    seen_a: dict[str, int] = {}
    seen_b: dict[str, int] = {}
    for m in al.matches:
        if m.kind in ("match", "merge"):
            seen_a[m.a] = seen_a.get(m.a, 0) + 1
        if m.kind in ("match", "split"):
            seen_b[m.b] = seen_b.get(m.b, 0) + 1
    for sid in al.unmatched_a:
        seen_a[sid] = seen_a.get(sid, 0) + 1
    for sid in al.unmatched_b:
        seen_b[sid] = seen_b.get(sid, 0) + 1
    errors = 0
    for seen, doc in ((seen_a, doc_a), (seen_b, doc_b)):
        ids = [s.id for s in doc.sections]
        errors += sum(1 for sid in ids if seen.get(sid) != 1)
        errors += len(set(seen) - set(ids))
    return errors


def diff_errors(diff: TextDiff) -> int:
    """Opcodes that do not tile both texts or whose application to A does not give B
    (invariant 5); each replace run's character refinement must tile that run the same way."""
    a, b = diff.a, diff.b
    errors = _run_errors(diff.opcodes, a, b, (0, len(a)), (0, len(b)))
    for op in diff.opcodes:
        if op.tag == "replace":
            inside = diff.refinement(op)
            errors += _run_errors(inside, a, b, (op.a_start, op.a_end), (op.b_start, op.b_end))
    return errors


def _run_errors(
    ops: Sequence[Opcode], a: str, b: str, span_a: tuple[int, int], span_b: tuple[int, int]
) -> int:
    if not ops:
        return int(span_a[0] != span_a[1] or span_b[0] != span_b[1])
    errors = 0
    pa, pb = span_a[0], span_b[0]
    rebuilt = []
    for op in ops:
        if op.a_start != pa or op.b_start != pb:
            errors += 1
        sa = slice(op.a_start, op.a_end)
        sb = slice(op.b_start, op.b_end)
        if op.tag == "equal" and a[sa] != b[sb]:
            errors += 1
        rebuilt.append(a[sa] if op.tag == "equal" else b[sb])
        pa, pb = op.a_end, op.b_end
    if (pa, pb) != (span_a[1], span_b[1]) or "".join(rebuilt) != b[span_b[0] : span_b[1]]:
        errors += 1
    return errors


def phrase_errors(phrase_set: PhraseSet, texts: dict[str, str]) -> int:
    """Occurrences whose reported offsets do not hold the phrase (invariant 6)."""
    errors = 0
    for phrase in phrase_set.phrases:
        for occ in phrase.occurrences:
            start, end = occ.span
            if texts[occ.doc][start:end] != phrase.text:
                errors += 1
    return errors


# ---------------------------------------------------------------------------------------------
# Messages


def message_problems(result: CliResult, names: Iterable[str]) -> list[str]:
    """What is wrong with a refusal: not exit code 2, not exactly one line, no ``policydiff:``
    prefix, none of ``names`` (the file, as the user typed it) in it, no advice after ``;``,
    or a traceback."""
    problems = []
    if result.returncode != 2:
        problems.append(f"exit code {result.returncode}, not 2")
    lines = result.problem_lines
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, not 1")
    if b"Traceback" in result.stderr:
        problems.append("a traceback")
    if lines:
        line = lines[-1]
        if not line.startswith("policydiff: "):
            problems.append("no 'policydiff:' prefix")
        if not any(name in line for name in names):
            problems.append(f"does not name {list(names)}")
        advice = line.rsplit(";", 1)[-1] if ";" in line else ""
        if not any(re.search(rf"\b{re.escape(word)}\b", advice) for word in ADVICE_WORDS):
            problems.append("says nothing to do")
    return problems


def is_crash(result: CliResult) -> bool:
    """An uncaught exception (a traceback or our 'internal error' line) or an exit code other
    than 0, 1 and 2 (a signal, a Python fatal error)."""
    return (
        (result.returncode is not None and result.returncode not in (0, 1, 2))
        or b"Traceback" in result.stderr
        or b"internal error" in result.stderr
        or b"Fatal Python error" in result.stderr
    )


def visible_names(path: Path) -> list[str]:
    """How a file name may appear in a message: as given, or its base name."""
    return [str(path), path.name]


def printable(text: str) -> str:
    return "".join(ch if unicodedata.category(ch)[0] != "C" else f"\\x{ord(ch):02x}" for ch in text)
