"""Files that are not input documents, and options (issue 17, classes 1 and 7).

Every file the tool opens besides its inputs (a themes file, an overrides file, a cache entry,
jieba's dictionary cache) goes through ``files.read_file``: a regular file only, a size limit
for its kind, never more than the limit read. Here each is replaced by what a careless or
hostile user could put there (a device, a FIFO, a link to either, a 3 GB sparse file, a file
one byte over its limit, a folder, a dangling link), and the command must refuse in one line
(or, for a cache entry, ignore it and give the same result) within a time and memory budget
that the test enforces itself: a timeout and an address-space cap (``RLIMIT_AS``) on the child,
and its peak RSS from ``wait4``. Options and option-like inputs (a themes TOML nested 20,000
deep, a 500-character term, ``--depth -1``, 1,001 documents, ``--all-pairs`` over 70 ...) must
each be refused in one line naming the option or file.
"""

from __future__ import annotations

import os
import random
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from policydiff.files import KINDS

from .cases import POLICY_HANS
from .figures import Figures
from .harness import CliResult, is_crash, message_problems, run_cli

BUDGET_S = 20.0
"""Seconds a refusal (or a run past a bad cache entry) may take: reading two small reports."""
PEAK_MB = 400.0
"""Peak RSS a refusal may reach (a normal run on the small pair peaks near 150 MB)."""
CAP_MB = 2_000
"""The child's address space: /dev/zero read to its end used to grow to 23 GB."""

Maker = Callable[[Path], None]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link(target: str) -> Maker:
    def make(path: Path) -> None:
        os.symlink(target, path)

    return make


def _link_to_fifo(path: Path) -> None:
    os.mkfifo(path.with_name(path.name + ".fifo"))
    os.symlink(path.name + ".fifo", path)


def _sparse(size: int) -> Maker:
    def make(path: Path) -> None:
        with open(path, "wb") as handle:
            handle.truncate(size)

    return make


def _over_limit(kind: str) -> Maker:
    def make(path: Path) -> None:
        path.write_bytes(b"#" * (KINDS[kind].limit + 1))

    return make


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    here = os.getcwd()
    os.chdir(path.parent)  # a relative name: the full path may be too long for AF_UNIX
    try:
        server.bind(path.name)
    finally:
        os.chdir(here)
    server.close()  # the file stays a socket


def _hostile_files(kind: str) -> list[tuple[str, Maker]]:
    return [
        ("dev-zero", _link("/dev/zero")),  # the path given is a link to the device
        ("fifo", _fifo),
        ("link-to-fifo", _link_to_fifo),
        ("link-to-urandom", _link("/dev/urandom")),
        ("sparse-3gb", _sparse(3 << 30)),
        ("one-byte-over", _over_limit(kind)),
        ("folder", lambda p: p.mkdir()),
        ("dangling-link", _link("/nonexistent/policydiff/x.toml")),
        ("socket", _socket),
    ]


def _pair(folder: Path) -> list[str]:
    (folder / "a.txt").write_text(POLICY_HANS, "utf-8")
    (folder / "b.txt").write_text(POLICY_HANS.replace("5.2%", "5.5%"), "utf-8")
    return ["a.txt", "b.txt"]


def _check_bounded(result: CliResult, figures: Figures, what: str) -> str:
    where = f"{what}: {result.describe()} ({result.seconds:.1f} s, {result.peak_mb:.0f} MB)"
    figures.timed(name=what, size="small", path="reader", seconds=result.seconds,
                  peak_mb=result.peak_mb)
    if result.timed_out or result.seconds > BUDGET_S or result.peak_mb > PEAK_MB:
        figures.bad("hangs", where)
    if is_crash(result):
        figures.bad("crashes", where)
    assert not result.timed_out and not is_crash(result), where
    assert result.seconds <= BUDGET_S and result.peak_mb <= PEAK_MB, where
    return where


@pytest.mark.parametrize("option,kind", [("--themes", "themes"), ("--overrides", "overrides")])
@pytest.mark.parametrize("hostile", _hostile_files("themes"), ids=lambda h: h[0])
def test_a_hostile_config_file_is_refused_in_bounds(
    option: str, kind: str, hostile: tuple[str, Maker], tmp_path: Path,
    env: dict[str, str], figures: Figures,
) -> None:
    name, make = hostile
    if name == "one-byte-over":
        make = _over_limit(kind)
    docs = _pair(tmp_path)
    make(tmp_path / "cfg.toml")
    result = run_cli(["align", *docs, option, "cfg.toml"], env=env, cwd=tmp_path,
                     timeout=2 * BUDGET_S, memory_mb=CAP_MB)
    figures.tried(f"{kind}-{name}")
    where = _check_bounded(result, figures, f"{option} {name}")
    problems = message_problems(result, ["cfg.toml"])
    if problems:
        figures.bad("bad_messages", f"{'; '.join(problems)}: {where}")
    assert not problems, where


@pytest.mark.parametrize("hostile", _hostile_files("cache"), ids=lambda h: h[0])
def test_a_hostile_cache_entry_is_a_miss(
    hostile: tuple[str, Maker], tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    """Every entry of a warm cache (documents, tokens, alignments, outputs, jieba's
    dictionary) replaced: the same output as without a cache, in bounds, and the entries
    that can be replaced are regular files again afterwards."""
    name, make = hostile
    if name == "one-byte-over":
        make = _sparse(KINDS["cache"].limit + 1)  # the real size, without writing 300 MB
    docs = _pair(tmp_path)
    cache = tmp_path / "cache"
    warm = dict(env, POLICYDIFF_CACHE_DIR=str(cache / "policydiff"),
                XDG_CACHE_HOME=str(cache / "xdg"))
    first = run_cli(["align", *docs], env=warm, cwd=tmp_path)
    assert first.returncode == 0, first.describe()
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert len(entries) >= 4, entries  # two documents, two token lists, the alignment...
    for entry in entries:
        entry.unlink()
        make(entry)
    again = run_cli(["align", *docs], env=warm, cwd=tmp_path, timeout=2 * BUDGET_S,
                    memory_mb=CAP_MB)
    figures.tried(f"cache-{name}")
    where = _check_bounded(again, figures, f"cache entry {name}")
    if again.returncode != 0 or again.stdout != first.stdout:
        figures.bad("wrong_outcomes", f"cache entry {name}: other output: {where}")
    assert again.returncode == 0 and again.stdout == first.stdout, where
    if name != "folder":
        # Written anew (under the same key, or a new one if the code changed in between).
        for kind in ("documents", "tokens", "alignments"):
            folder = cache / "policydiff" / kind
            assert any(p.is_file() and not p.is_symlink() for p in folder.rglob("*.json")), kind


def _deep_arrays(depth: int) -> str:
    return "x = " + "[" * depth + "]" * depth + "\n"


def _deep_inline(depth: int) -> str:
    return "x = " + "{a = " * depth + "1" + "}" * depth + "\n"


def _theme(terms: str, *, count: int = 1) -> str:
    return "".join(
        f'[[theme]]\nid = "t{k}"\nname = "题{k}"\nname_en = "t{k}"\n[theme.terms]\n{terms}\n'
        for k in range(count)
    )


def _themes_cases() -> list[tuple[str, str]]:
    rng = random.Random(17)
    word = "".join(rng.choice("发展改革创新开放协调绿色共享") for _ in range(500))
    return [
        ("arrays-20000-deep", _deep_arrays(20_000)),
        ("arrays-3000-deep", _deep_arrays(3_000)),
        ("inline-tables-20000-deep", _deep_inline(20_000)),
        ("inline-tables-5000-deep", _deep_inline(5_000)),
        ("term-of-500-chars", _theme(f'"{word}" = 1.0')),
        ("term-of-51-chars", _theme(f'"{word[:51]}" = 1.0')),
        ("terms-of-5000-chars", _theme(f'"{word * 10}" = 0.5\n"{word[:9]}" = 0.5')),
        ("600-themes", _theme('"发展" = 1.0', count=600)),
        ("25000-terms", _theme("\n".join(f'"词{k}" = 0.5' for k in range(25_000)))),
    ]


@pytest.mark.parametrize("case", _themes_cases(), ids=lambda c: c[0])
def test_a_pathological_themes_file_is_refused_in_one_line(
    case: tuple[str, str], tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    name, text = case
    docs = _pair(tmp_path)
    (tmp_path / "t.toml").write_text(text, "utf-8")
    result = run_cli(["align", *docs, "--themes", "t.toml"], env=env, cwd=tmp_path,
                     timeout=2 * BUDGET_S, memory_mb=CAP_MB)
    figures.tried(f"themes-{name}")
    where = _check_bounded(result, figures, f"themes {name}")
    problems = message_problems(result, ["t.toml"])
    if problems:
        figures.bad("bad_messages", f"{'; '.join(problems)}: {where}")
    assert not problems, where


def _options_cases() -> list[tuple[str, list[str], str]]:
    """(name, argv after the command, what the message must name)."""
    return [
        ("depth-minus-one", ["sections", "a.txt", "--depth", "-1"], "-1"),
        ("depth-huge", ["sections", "a.txt", "--depth", "100000"], "100000"),
        ("width-huge", ["diff", "a.txt", "b.txt", "--width", "100000000"], "100000000"),
        ("width-negative", ["diff", "a.txt", "b.txt", "--width", "-5"], "-5"),
        ("top-zero", ["changes", "a.txt", "b.txt", "--top", "0"], "0"),
        ("min-chars-one", ["phrases", "a.txt", "b.txt", "--min-chars", "1"], "--min-chars"),
        ("min-chars-huge", ["phrases", "a.txt", "b.txt", "--min-chars", "99999999"],
         "--min-chars"),
        ("threshold-nan", ["align", "a.txt", "b.txt", "--threshold", "nan"], "--threshold"),
        ("threshold-two", ["align", "a.txt", "b.txt", "--threshold", "2"], "--threshold"),
        ("threshold-negative", ["align", "a.txt", "b.txt", "--threshold", "-0.1"],
         "--threshold"),
        ("encoding-long", ["align", "a.txt", "b.txt", "--encoding", "g" * 200], "--encoding"),
        ("label-long", ["align", "a.txt", "b.txt", "--label", "标" * 500, "--label", "x"],
         "--label"),
        ("1001-documents", ["align", *(["a.txt", "b.txt"] * 500), "a.txt"], "1,001 documents"),
        ("all-pairs-70", ["align", *(["a.txt", "b.txt"] * 35), "--all-pairs"], "--all-pairs"),
    ]


@pytest.mark.parametrize("case", _options_cases(), ids=lambda c: c[0])
def test_an_option_out_of_range_is_refused_in_one_line(
    case: tuple[str, list[str], str], tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    name, argv, named = case
    _pair(tmp_path)
    result = run_cli(argv, env=env, cwd=tmp_path, timeout=2 * BUDGET_S, memory_mb=CAP_MB)
    figures.tried(f"option-{name}")
    where = _check_bounded(result, figures, f"option {name}")
    ok = result.returncode == 2 and len(result.problem_lines) == 1 and named in (
        result.problem_lines[0] if result.problem_lines else "")
    if not ok:
        figures.bad("bad_messages", f"option {name}: {where}")
    assert ok, where


@pytest.mark.parametrize("columns", ["100000000", "-3", "abc", "0", "99999"])
def test_a_huge_or_odd_columns_keeps_the_output_bounded(
    columns: str, tmp_path: Path, env: dict[str, str], figures: Figures
) -> None:
    docs = _pair(tmp_path)
    result = run_cli(["diff", *docs], env=dict(env, COLUMNS=columns), cwd=tmp_path,
                     timeout=2 * BUDGET_S, memory_mb=CAP_MB)
    figures.tried(f"columns-{columns}")
    where = _check_bounded(result, figures, f"COLUMNS={columns}")
    assert result.returncode in (0, 1), where
    widest = max(len(line) for line in result.stdout.decode("utf-8").splitlines())
    assert widest <= 2 * 1000, f"a line of {widest} characters: {where}"


def test_the_reader_never_reads_past_its_limit(tmp_path: Path) -> None:
    """A file that grows while it is read is refused, and at most limit + 1 bytes are read
    (checked on a real file the size check passed: it grows between the check and the read)."""
    from policydiff import files
    from policydiff.errors import InputError

    path = tmp_path / "t.toml"
    path.write_bytes(b"x" * 10)
    real_fstat = os.fstat

    def growing(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        with open(path, "ab") as handle:  # the file grows after the descriptor was checked
            handle.write(b"y" * 5_000)
        return info

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "fstat", growing)
    try:
        with pytest.raises(InputError, match=r"over the 0\.001 MB limit"):
            files.read_file(path, "themes", limit=1_000)
    finally:
        mp.undo()
