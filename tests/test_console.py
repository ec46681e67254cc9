"""What the command line writes to a real terminal and to a pipe (``policydiff/console.py``).

The commands run as subprocesses on a pseudo-terminal (``pty.openpty``: stdin, stdout and
stderr on the slave, ``TERM=xterm-256color``, 140 columns, 36 rows) or with pipes, and the
tests look at the bytes: colour codes as real ESC sequences (never as ``␛``), no colour where
the user or the pipe says no, the pager only on a terminal, the progress bar only on a
terminal's stderr, and at most one warning line per document.

The progress bar normally waits one second before it shows; ``POLICYDIFF_PROGRESS_DELAY=0``
shows it at once (no test sleeps).
"""

from __future__ import annotations

import io
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policydiff.comparison import Comparison
from policydiff.console import Console, ProgressBar, color_wanted, pager_command, screen_rows
from policydiff.diff import diff_texts
from policydiff.render.terminal import SGR, render_inline, render_side_by_side

pty = pytest.importorskip("pty")

ROWS, COLUMNS = 36, 140
SGR_RE = re.compile(rb"\x1b\[([0-9;]*)m")
KNOWN_SGR = {value.encode() for value in SGR.values()} | {b"0"}
TIMEOUT = 240.0


def _env(**extra: str) -> dict[str, str]:
    """A user's environment: no colour or pager settings of the test runner's own."""
    drop = ("NO_COLOR", "FORCE_COLOR", "CI", "PAGER", "POLICYDIFF_PAGER", "LESS",
            "POLICYDIFF_PROGRESS_DELAY", "COLUMNS", "LINES")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def _set_size(fd: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))


def _drain(fd: int, into: bytearray) -> bool:
    """Read what is there; False once the other side is closed."""
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: every slave descriptor is closed
        return False
    into.extend(chunk)
    return bool(chunk)


def on_pty(
    *args: str, env: dict[str, str], cwd: Path, stderr_apart: bool = False
) -> tuple[int, bytes, bytes]:
    """Run ``policydiff ARGS`` with stdin, stdout and stderr on a pseudo-terminal (stderr on
    a second one with ``stderr_apart``, to tell the two apart); returns the exit code, the
    bytes of the terminal (stdout's) and those of stderr's terminal (empty unless apart)."""
    master, slave = pty.openpty()
    _set_size(slave)
    masters = [master]
    err_slave = slave
    if stderr_apart:
        err_master, err_slave = pty.openpty()
        _set_size(err_slave)
        masters.append(err_master)
    proc = subprocess.Popen(
        [sys.executable, "-m", "policydiff", *args],
        stdin=slave, stdout=slave, stderr=err_slave, env=env, cwd=cwd, start_new_session=True,
    )
    os.close(slave)
    if stderr_apart:
        os.close(err_slave)
    data = [bytearray() for _ in masters]
    open_fds = dict(zip(masters, data, strict=True))
    deadline = time.monotonic() + TIMEOUT
    try:
        while open_fds and time.monotonic() < deadline:
            ready, _, _ = select.select(list(open_fds), [], [], 0.1)
            for fd in ready:
                if not _drain(fd, open_fds[fd]):
                    del open_fds[fd]
            if not ready and proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for fd in masters:
            os.close(fd)
    return code, bytes(data[0]), bytes(data[1]) if stderr_apart else b""


def in_pipe(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff", *args], capture_output=True, env=env, cwd=cwd,
        stdin=subprocess.DEVNULL, timeout=TIMEOUT,
    )


@pytest.fixture
def pair(seed_files: dict[str, Path]) -> tuple[str, str]:
    return str(seed_files["000"]), str(seed_files["002"])


def _only_known_styles(data: bytes) -> None:
    """Every ESC in ``data`` starts one of the renderer's SGR sequences (or its reset)."""
    params = SGR_RE.findall(data)
    assert params, "no colour codes"
    assert set(params) <= KNOWN_SGR, set(params) - KNOWN_SGR
    assert data.count(b"\x1b") == len(params), "an escape that is not one of our styles"


# --------------------------------------------------------------------------- colour


def test_diff_on_a_terminal_has_real_colour_codes(pair: tuple[str, str], tmp_path: Path) -> None:
    code, screen, _ = on_pty("diff", *pair, env=_env(PAGER="cat"), cwd=tmp_path)
    assert code == 1, screen[-400:]
    assert "␛".encode() not in screen  # the bug: colour codes shown as ␛[31;9m
    _only_known_styles(screen)
    assert b"\x1b[31;9m" in screen and b"\x1b[32m" in screen  # deleted and inserted text
    assert b"[-" not in screen and b"{+" not in screen  # colour replaces the brackets
    assert "⇄".encode() in screen and b"Traceback" not in screen


@pytest.mark.parametrize(
    ("extra", "args"),
    [({"NO_COLOR": "1"}, ()), ({"NO_COLOR": ""}, ()), ({}, ("--color=never",)),
     ({"FORCE_COLOR": "1"}, ("--color", "never")), ({"TERM": "dumb"}, ())],
    ids=["NO_COLOR=1", "NO_COLOR-empty", "--color=never", "never-beats-FORCE_COLOR", "dumb"],
)
def test_no_colour_on_a_terminal_when_asked(
    extra: dict[str, str], args: tuple[str, ...], pair: tuple[str, str], tmp_path: Path
) -> None:
    code, screen, _ = on_pty("diff", *pair, *args, env=_env(PAGER="cat", **extra), cwd=tmp_path)
    assert code == 1
    assert b"\x1b" not in screen
    assert b"[-" in screen and b"{+" in screen  # the markers of plain output instead


@pytest.mark.parametrize(
    ("extra", "args", "coloured"),
    [({}, (), False), ({}, ("--color=always",), True), ({"FORCE_COLOR": "1"}, (), True),
     ({"FORCE_COLOR": "0"}, (), False), ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, (), False),
     ({"NO_COLOR": "1"}, ("--color=always",), True)],
    ids=["plain", "--color=always", "FORCE_COLOR=1", "FORCE_COLOR=0", "NO_COLOR-beats-FORCE",
         "always-beats-NO_COLOR"],
)
def test_colour_in_a_pipe(
    extra: dict[str, str], args: tuple[str, ...], coloured: bool,
    pair: tuple[str, str], tmp_path: Path,
) -> None:
    proc = in_pipe("diff", *pair, *args, env=_env(**extra), cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "␛".encode() not in proc.stdout
    if coloured:
        _only_known_styles(proc.stdout)
    else:
        assert b"\x1b" not in proc.stdout and b"[-" in proc.stdout


def test_plain_output_is_the_same_on_a_terminal_and_in_a_pipe(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    """Without colour the terminal gets the pipe's text (line ends aside): the renderer's
    markers, nothing escaped twice."""
    args = ("diff", *pair, "--width", "140", "--color=never")
    _, screen, _ = on_pty(*args, env=_env(PAGER="cat"), cwd=tmp_path)
    piped = in_pipe(*args, env=_env(), cwd=tmp_path).stdout
    assert screen.replace(b"\r\n", b"\n") == piped


def test_global_options_go_before_or_after_the_command(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    after = in_pipe("diff", *pair, "--color=always", env=_env(), cwd=tmp_path)
    before = in_pipe("--color=always", "diff", *pair, env=_env(), cwd=tmp_path)
    assert after.returncode == before.returncode == 1
    assert after.stdout == before.stdout and b"\x1b[" in after.stdout
    bad = in_pipe("diff", *pair, "--color=sometimes", env=_env(), cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count(b"\n") == 1
    assert b"--color" in bad.stderr and b"always" in bad.stderr


def test_escapes_in_a_document_are_shown_not_obeyed_in_colour(tmp_path: Path) -> None:
    """A document's control characters never reach the terminal raw, with colour on: the
    only escapes on the screen are the styles. (Normalization drops the controls, so the
    diff shows ``]0;PWNED[2J``; the renderers' own escaping is the next test.)"""
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("一、总体要求\n坚持稳中求进工作总基调，推动高质量发展。\n", encoding="utf-8")
    new.write_text(
        "一、总体要求\n坚持稳中求进\x1b]0;PWNED\x07\x1b[2J工作总基调，推动经济高质量发展。\n",
        encoding="utf-8",
    )
    code, screen, _ = on_pty("diff", str(old), str(new), "--no-cache",
                             env=_env(PAGER="cat"), cwd=tmp_path)
    assert code == 1, screen
    assert b"\x1b]0;" not in screen and b"\x1b[2J" not in screen and b"\x07" not in screen
    text = screen.decode("utf-8")
    assert "\x1b[32m]0;PWNED[2J\x1b[0m" in text  # the inserted text, in green
    _only_known_styles(screen)


def test_the_renderers_escape_before_they_style() -> None:
    diff = diff_texts("稳健的货币政策要灵活适度", "适度宽松的\x1b[2J货币政策要灵活")
    for text in (render_side_by_side(diff, color=True, width=100),
                 render_inline(diff, color=True, width=80)):
        data = text.encode("utf-8")
        assert "␛[2J" in text and b"\x1b[2J" not in data
        _only_known_styles(data)
    plain = render_inline(diff, color=False, width=80)
    assert "\x1b" not in plain and "␛[2J" in plain


def test_colour_decision() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty, pipe = Tty(), io.StringIO()
    term = {"TERM": "xterm"}
    assert color_wanted("auto", tty, term) and not color_wanted("auto", pipe, term)
    assert not color_wanted("auto", tty, {**term, "NO_COLOR": ""})
    assert color_wanted("auto", pipe, {"FORCE_COLOR": "3"})
    assert not color_wanted("auto", pipe, {"FORCE_COLOR": ""})
    assert not color_wanted("auto", tty, {"TERM": "dumb"})
    assert color_wanted("always", pipe, {"NO_COLOR": "1"})
    assert not color_wanted("never", tty, {"FORCE_COLOR": "1"})


# --------------------------------------------------------------------------- pager


def _recording_pager(folder: Path) -> tuple[str, Path, Path]:
    """A pager that records what it was given (and the LESS it saw) into two files."""
    paged, less = folder / "paged.txt", folder / "less.txt"
    return f"printf '%s' \"$LESS\" > '{less}'; cat > '{paged}'", paged, less


def test_long_output_on_a_terminal_goes_through_the_pager(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    command, paged, less = _recording_pager(tmp_path)
    code, screen, _ = on_pty("diff", *pair, "--color=never", env=_env(PAGER=command),
                             cwd=tmp_path)
    assert code == 1
    piped = in_pipe("diff", *pair, "--color=never", "--width", str(COLUMNS), env=_env(),
                    cwd=tmp_path)
    assert paged.read_bytes() == piped.stdout  # all of it, once, through the pager
    assert less.read_text() == "FRX"  # set for the pager, as git does
    assert b"[-" not in screen  # nothing of it written around the pager


def test_the_pager_keeps_the_users_less_and_policydiff_pager_wins(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    command, paged, less = _recording_pager(tmp_path)
    env = _env(PAGER="false", POLICYDIFF_PAGER=command, LESS="-S")
    on_pty("diff", *pair, env=env, cwd=tmp_path)
    assert less.read_text() == "-S" and b"\x1b[31;9m" in paged.read_bytes()


def test_no_pager_in_a_pipe_with_no_pager_or_for_short_output(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    command, paged, _ = _recording_pager(tmp_path)
    env = _env(PAGER=command)
    proc = in_pipe("diff", *pair, env=env, cwd=tmp_path)
    assert proc.returncode == 1 and b"[-" in proc.stdout and not paged.exists()
    code, screen, _ = on_pty("diff", *pair, "--no-pager", "--color=never", env=env,
                             cwd=tmp_path)
    assert code == 1 and b"[-" in screen and not paged.exists()
    # "no differences" is one line: shorter than the terminal, so written directly
    code, screen, _ = on_pty("diff", pair[0], pair[0], env=env, cwd=tmp_path)
    assert code == 0 and b"no differences" in screen and not paged.exists()


def test_a_pager_that_cannot_start_falls_back_to_writing(
    pair: tuple[str, str], tmp_path: Path
) -> None:
    env = _env(PAGER=str(tmp_path / "no-such-pager"))
    code, screen, _ = on_pty("diff", *pair, "--color=never", env=env, cwd=tmp_path)
    assert code == 1
    piped = in_pipe("diff", *pair, "--color=never", "--width", str(COLUMNS), env=_env(),
                    cwd=tmp_path)
    assert piped.stdout in screen.replace(b"\r\n", b"\n")


def test_stderr_lines_wait_for_the_output_they_follow() -> None:
    """``wrote …`` comes after the output it follows, also when that output is paged."""
    stdout, stderr = _Tty(), io.StringIO()
    console = Console(stdout=stdout, stderr=stderr, env={"PAGER": "cat"})
    console.error("before any output")
    console.out("summary")
    console.wrote("out/alignment.json")
    assert stderr.getvalue() == "policydiff: before any output\n" and stdout.getvalue() == ""
    console.close()
    assert stdout.getvalue() == "summary\n"
    assert stderr.getvalue().splitlines()[1:] == ["policydiff: wrote out/alignment.json"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_pager_command_and_screen_rows() -> None:
    assert pager_command({"PAGER": "cat"}) is None and pager_command({"PAGER": ""}) is None
    assert pager_command({"PAGER": "more", "POLICYDIFF_PAGER": "most"}) == "most"
    assert screen_rows("一二三四五六", columns=10, limit=99) == 2  # 12 columns of wide text
    assert screen_rows("\x1b[31mabc\x1b[0m\n\nx", columns=3, limit=99) == 3
    assert screen_rows("a\n" * 1000, columns=80, limit=36) == 36


# --------------------------------------------------------------------------- progress


def test_progress_bar_on_a_terminals_stderr_only(seed_files: dict[str, Path],
                                                 tmp_path: Path) -> None:
    args = ("compare", "--no-cache", "-o", str(tmp_path / "out"), "--force")
    env = _env(POLICYDIFF_PROGRESS_DELAY="0", PAGER="cat")
    code, screen, errors = on_pty(*args, env=env, cwd=tmp_path, stderr_apart=True)
    assert code == 0, errors[-500:]
    assert b"policydiff: reading" in errors and b"[#" in errors and b"\r" in errors
    assert b"\r\x1b[K" in errors  # erased once done
    assert b"policydiff: writing phrases.json" in errors  # the phrase report takes seconds
    assert b"reading" not in screen and b"[#" not in screen  # never on stdout
    assert b"5 documents" in screen

    for quiet_env in (_env(POLICYDIFF_PROGRESS_DELAY="0", CI="true", PAGER="cat"),):
        _, _, errors = on_pty(*args, env=quiet_env, cwd=tmp_path, stderr_apart=True)
        assert b"[#" not in errors and b"reading" not in errors
    _, _, errors = on_pty(*args, "--quiet", env=env, cwd=tmp_path, stderr_apart=True)
    assert errors == b""
    piped = in_pipe(*args, env=env, cwd=tmp_path)
    assert piped.returncode == 0 and b"[#" not in piped.stderr and b"\r" not in piped.stderr


def test_progress_bar_waits_for_its_delay() -> None:
    stream = _Tty()
    late = ProgressBar(stream, start=time.monotonic(), delay=3600.0)
    late("aligning", 3, 10)
    assert stream.getvalue() == "" and not late.shown
    now = ProgressBar(stream, start=time.monotonic(), delay=0.0)
    now("aligning", 3, 10)
    assert stream.getvalue().startswith("\rpolicydiff: aligning") and "3/10" in stream.getvalue()
    now("aligning", 10, 10)
    assert stream.getvalue().endswith("\r\x1b[K") and not now.shown


# --------------------------------------------------------------------------- warnings

# Seed 001 is traditional Chinese with the debris of a web page's pinyin annotations
# (龍?zhí)逗: a character lost as "?" followed by its pinyin). `policydiff normalize --explain`
# lists 11 warning lines for it, read by hand: ten spans (the first "mojibake at source
# 2746-2756: '批,龍?zhí)逗铀'") and "mojibake: 20 more suspect spans not listed".
SEED_001_DOUBTS = 11


def _warning_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8").splitlines()
            if line.startswith("policydiff: warning:")]


def test_one_warning_line_per_document(seed_files: dict[str, Path], tmp_path: Path) -> None:
    source = seed_files["001"].read_text(encoding="utf-8")
    assert source[2746:2756] == "批,龍?zhí)逗铀"  # the first doubt, where it says
    out = tmp_path / "out"
    proc = in_pipe("compare", "-o", str(out), env=_env(), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = _warning_lines(proc.stderr)
    for path in seed_files.values():
        assert sum(str(path) in line for line in lines) <= 1, lines
    (line,) = [line for line in lines if seed_files["001"].name in line]
    assert line == (
        f"policydiff: warning: {seed_files['001']}: {SEED_001_DOUBTS} doubts about the text "
        "(e.g. mojibake at source 2746-2756); --verbose lists them"
    )
    wrote = [line for line in proc.stderr.decode().splitlines() if "wrote" in line]
    assert len(wrote) == 1 and "alignment.json" in wrote[0]


def test_verbose_lists_every_warning_and_quiet_none(seed_files: dict[str, Path],
                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    verbose = in_pipe("compare", "-o", str(out), "--verbose", env=_env(), cwd=tmp_path)
    lines = [line for line in _warning_lines(verbose.stderr) if seed_files["001"].name in line]
    assert len(lines) == SEED_001_DOUBTS
    assert lines[0].endswith("mojibake at source 2746-2756: '批,龍?zhí)逗铀'")
    assert lines[-1].endswith("mojibake: 20 more suspect spans not listed")
    assert sum("policydiff: wrote " in line for line in verbose.stderr.decode().splitlines()) > 1

    quiet = in_pipe("compare", "-o", str(out), "--force", "--quiet", env=_env(), cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == b""
    assert b"5 documents" in quiet.stdout  # the data still comes
    again = in_pipe("compare", "-o", str(out), "-q", env=_env(), cwd=tmp_path)
    assert again.returncode == 2 and b"--force" in again.stderr  # errors still go out
    assert again.stderr.count(b"\n") == 1


def test_a_single_warning_is_shown_as_it_is(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = in_pipe("normalize", str(empty), env=_env(), cwd=tmp_path)
    (line,) = _warning_lines(proc.stderr)
    assert line.startswith(f"policydiff: warning: {empty}: ") and "doubts" not in line
    assert "no text" in line


# --------------------------------------------------------------------------- compare's summary


def _shares(comparison: Comparison) -> dict[str, float]:
    """Each pair's share of sections in a match, from the alignment's leftovers."""
    shares = {}
    for al in comparison.alignments():
        total = len(comparison.document(al.a).sections) + len(comparison.document(al.b).sections)
        shares[f"{al.a}⇄{al.b}"] = 1 - (len(al.unmatched_a) + len(al.unmatched_b)) / total
    return shares


def test_compare_summary_of_the_seeds(seed_files: dict[str, Path]) -> None:
    from policydiff.comparison import compare
    from policydiff.render.tables import compare_summary

    comparison = compare([seed_files[k] for k in sorted(seed_files)])
    rows = compare_summary(comparison, folder="out/", files=["alignment.json", "phrases.md"])
    assert rows[0] == "5 documents:"
    assert [row.split()[0] for row in rows[1:6]] == ["d1", "d2", "d3", "d4", "d5"]
    assert "2023年曲靖市麒麟区政府工作报告" in rows[2]  # seed 001's title, read in the file
    assert rows[6] == "10 pairs:"
    shares = _shares(comparison)
    pair_rows = rows[7:17]
    assert [row.split()[0] for row in pair_rows] == list(shares)
    for row in pair_rows:
        assert f"{shares[row.split()[0]]:.0%} matched" in row
    assert rows[17:] == ["results in out/: alignment.json, phrases.md"]
    with_index = compare_summary(comparison, folder="out", files=["index.html", "phrases.md"])
    assert with_index[-1].startswith("open out/index.html")
    two = compare([seed_files["000"], seed_files["002"]])
    assert compare_summary(two)[3:5] == ["1 pair:", _pair_line_of(two)]


def _pair_line_of(comparison: Comparison) -> str:
    """The one pair's line, written from its alignment here (not by the summary's code)."""
    (al,) = comparison.alignments()
    a, b = comparison.document(al.a), comparison.document(al.b)
    share = _shares(comparison)[f"{al.a}⇄{al.b}"]
    scores = [m.score for m in al.matches if m.kind == "match"]
    extra = sum(m.kind != "match" for m in al.matches)
    return (f"  d1⇄d2  {share:>4.0%} matched, mean score {sum(scores) / len(scores):.2f}  "
            f"({len(scores)} of {len(a.sections)}/{len(b.sections)} one-to-one, "
            f"{extra} split/merge)")


def test_compare_summary_of_31_provinces_is_short(corpus_dir: Path) -> None:
    from policydiff.comparison import compare
    from policydiff.render.tables import compare_summary

    paths = sorted(corpus_dir.glob("prov-2026-*.txt"))
    assert len(paths) == 31
    comparison = compare(paths)
    rows = compare_summary(comparison, folder="policydiff-out", files=["index.html"])
    assert rows[0] == "31 documents"  # counted, not listed
    shares = _shares(comparison)
    assert len(shares) > 10
    assert rows[1].startswith(f"{len(shares)} pairs, ") and rows[1].endswith("least similar:")
    named = [row.split()[0] for row in rows[2:5]]
    assert sorted(shares.values())[:3] == sorted(shares[pair] for pair in named)
    assert all("⇄" in row.split("split/merge)")[1] for row in rows[2:5])
    assert rows[5:] == ["open policydiff-out/index.html in a browser (every table, each pair's "
                        "diff)"]
