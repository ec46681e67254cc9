"""Output paths: every way a write could go wrong, through the commands that write (``align
--json``, ``diff -o``, ``phrases -o``, ``compare -o``).

Each case runs in a fresh folder next to an "outside" folder; both are snapshotted (type,
link target, content, mode of every entry) before and after. An accepted write may change
only the paths the case allows; a refused one changes nothing; inputs never change; no
temporary file is left behind. Anything else counts as an unsafe write.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from .cases import POLICY_HANS
from .figures import Figures
from .harness import is_crash, message_problems, run_cli

Setup = Callable[[Path, Path], list[str]]
"""``setup(folder, outside) -> argv`` prepares the folder and returns the command line."""

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass(frozen=True)
class OutputCase:
    name: str
    setup: Setup
    expect: str  # "accept" or "refuse"
    fragment: str = ""
    may_change: tuple[str, ...] = ()  # paths (relative to the case folder's parent) to allow
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def _align(out: str, *extra: str) -> list[str]:
    """``align a.txt b.txt --json OUT``; the case folder also holds an empty folder ``out``."""
    return ["align", "a.txt", "b.txt", "--json", out, *extra]


def _link(name: str, target: Path | str) -> Setup:
    def setup(folder: Path, outside: Path) -> list[str]:
        os.symlink(target if isinstance(target, str) else outside / target, folder / name)
        return _align(name, "--force")

    return setup


def _existing(force: bool) -> Setup:
    def setup(folder: Path, outside: Path) -> list[str]:
        (folder / "x.json").write_text("old\n", "utf-8")
        return _align("x.json", *(["--force"] if force else []))

    return setup


def _existing_report(folder: Path, outside: Path) -> list[str]:
    (folder / "p.md").write_text("mine\n", "utf-8")
    return ["phrases", "a.txt", "b.txt", "-o", "p.md"]


def _hard_link(folder: Path, outside: Path) -> list[str]:
    os.link(folder / "a.txt", folder / "h.json")
    return _align("h.json", "--force")


def _outside_existing_link(folder: Path, outside: Path) -> list[str]:
    (outside / "target.json").write_text("keep me\n", "utf-8")
    os.symlink(outside / "target.json", folder / "link.json")
    return _align("link.json", "--force")


def _fifo(folder: Path, outside: Path) -> list[str]:
    os.mkfifo(folder / "p.json")
    return ["phrases", "a.txt", "b.txt", "-o", "p.json", "--force"]


def _read_only(folder: Path, outside: Path) -> list[str]:
    (folder / "ro").mkdir()
    os.chmod(folder / "ro", 0o555)
    return _align("ro/x.json")


def _compare_into_used_folder(folder: Path, outside: Path) -> list[str]:
    (folder / "out").mkdir(exist_ok=True)
    (folder / "out" / "phrases.md").write_text("mine\n", "utf-8")
    return ["compare", "a.txt", "b.txt", "-o", "out"]


def _hostile_titles(folder: Path, outside: Path) -> list[str]:
    """Titles that look like paths: the first line of each document is its title."""
    body = POLICY_HANS.split("\n", 1)[1]
    (folder / "a.txt").write_text("../../escape/政府工作报告\n" + body, "utf-8")
    (folder / "b.txt").write_text("/etc/政府工作报告\n" + body.replace("5.2%", "5.5%"), "utf-8")
    return ["compare", "a.txt", "b.txt", "-o", "out"]


OUTPUT_CASES = (
    OutputCase("output-is-an-input", lambda f, o: _align("a.txt"), "refuse", "is an input file"),
    OutputCase("output-is-an-input-forced", lambda f, o: _align("./a.txt", "--force"), "refuse",
               "is an input file"),
    OutputCase("output-is-a-hard-link-to-an-input", _hard_link, "refuse", "is an input file"),
    OutputCase("output-is-a-link-to-an-input", _link("s.json", "a.txt"), "refuse",
               "symbolic link"),
    OutputCase("diff-output-is-an-input",
               lambda f, o: ["diff", "a.txt", "b.txt", "-o", "b.txt", "--force"], "refuse",
               "is an input file"),
    OutputCase("existing-without-force", _existing(False), "refuse", "already exists"),
    OutputCase("existing-with-force", _existing(True), "accept", may_change=("case/x.json",)),
    OutputCase("phrases-existing-without-force", _existing_report, "refuse", "already exists"),
    OutputCase("link-pointing-outside", _link("link.json", Path("target.json")), "refuse",
               "symbolic link"),
    OutputCase("link-to-an-existing-file-outside", _outside_existing_link, "refuse",
               "symbolic link"),
    OutputCase("dangling-link", _link("dangling.json", "/nonexistent/policydiff/x.json"),
               "refuse", "symbolic link"),
    OutputCase("missing-folders-are-created", lambda f, o: _align("new/sub/x.json"), "accept",
               may_change=("case/new", "case/new/sub", "case/new/sub/x.json")),
    OutputCase("folder-on-a-read-only-file-system", lambda f, o: _align("/proc/self/x.json"),
               "refuse", "cannot write in the folder"),
    OutputCase("read-only-folder", _read_only, "refuse", "permission denied",
               marks=(pytest.mark.skipif(IS_ROOT, reason="root writes into a 0555 folder"),)),
    OutputCase("file-in-the-way", lambda f, o: _align("a.txt/x.json"), "refuse",
               "a file is in the way"),
    OutputCase("output-is-a-fifo", _fifo, "refuse", "device, pipe or socket"),
    OutputCase("output-is-a-folder", lambda f, o: _align("out", "--force"), "refuse",
               "is a folder"),
    OutputCase("output-ends-in-dot-dot", lambda f, o: _align("new/..", "--force"), "refuse",
               "names a folder"),
    OutputCase("name-of-300-bytes", lambda f, o: _align("政" * 100 + ".json"), "refuse",
               "shorter name"),
    OutputCase("compare-into-a-used-folder", _compare_into_used_folder, "refuse",
               "already holds"),
    OutputCase("titles-with-slashes-and-dots", _hostile_titles, "accept",
               may_change=("case/out", *(f"case/out/{n}" for n in (
                   # compare's output set (issue 11): exports, pages, the report tables
                   "alignment.json", "phrases.json", "phrases.md", "diff-d1-d2.html",
                   "index.html", "phrases.html", "documents.csv", "alignment.csv",
                   "themes.csv", "phrases.csv", "occurrences.csv", "overlap.csv",
                   "changes.csv",
                   # the change report of the pair (issue 13)
                   "changes-d1-d2.html", "changes-d1-d2.md", "changes-d1-d2.json",
                   ".policydiff.json")))),  # the manifest of the set (issue 17, class 5)
)


def _snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root``: kind, and link target / content digest / mode."""
    entries: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            key = str(path.relative_to(root))
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                entries[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode):
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                entries[key] = ("file", digest, stat.S_IMODE(info.st_mode))
            elif stat.S_ISDIR(info.st_mode):
                entries[key] = ("dir", stat.S_IMODE(info.st_mode))
            else:
                entries[key] = ("other", stat.S_IFMT(info.st_mode))
    return entries


@pytest.mark.parametrize(
    "case", [pytest.param(c, marks=c.marks, id=c.name) for c in OUTPUT_CASES]
)
def test_output_path(
    case: OutputCase, sandbox: Path, env: dict[str, str], figures: Figures
) -> None:
    base = sandbox / "outputs" / case.name
    folder, outside = base / "case", base / "outside"
    folder.mkdir(parents=True)
    outside.mkdir()
    (folder / "a.txt").write_text(POLICY_HANS, "utf-8")
    (folder / "b.txt").write_text(POLICY_HANS.replace("5.2%", "5.5%"), "utf-8")
    (folder / "out").mkdir()
    argv = case.setup(folder, outside)
    inputs = {name: (folder / name).read_bytes() for name in ("a.txt", "b.txt")}
    before = _snapshot(base)
    result = run_cli(argv, env=env, cwd=folder, timeout=90)
    for ro in folder.rglob("ro"):
        os.chmod(ro, 0o755)
    after = _snapshot(base)
    figures.tried(f"output-{case.name}")
    where = result.describe()
    if result.timed_out:
        figures.bad("hangs", where)
    if is_crash(result):
        figures.bad("crashes", where)

    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    accepted = case.expect == "accept" and result.returncode in (0, 1)
    allowed = set(case.may_change) if accepted else set()
    unsafe = [k for k in changed if k not in allowed]
    unsafe += [k for k in after if ".policydiff-" in k]  # a temporary file left behind
    unsafe += [n for n, data in inputs.items() if (folder / n).read_bytes() != data]
    figures.bad("unsafe_writes", f"{case.name}: {unsafe}", len(unsafe))
    assert not unsafe, (where, unsafe)

    got = "refuse" if result.returncode == 2 else "accept" if result.returncode in (0, 1) else "?"
    if got != case.expect:
        figures.bad("wrong_outcomes", f"output {case.name}: {got}: {where}")
    assert got == case.expect, where
    if case.expect == "refuse":
        given = argv[argv.index("--json" if "--json" in argv else "-o") + 1]
        problems = message_problems(result, [given, str(Path(given)), Path(given).name])
        if case.fragment not in " ".join(result.problem_lines):
            problems.append(f"no {case.fragment!r}")
        if problems:
            figures.bad("bad_messages", f"{'; '.join(problems)}: {where}")
        assert not problems, where
    else:
        assert set(case.may_change) <= set(after), (set(case.may_change) - set(after))
