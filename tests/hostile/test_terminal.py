"""What reaches a real terminal: every command run on a pseudo-terminal with a document full
of escape sequences, C1 controls and markup, under a file name that holds escapes too.

Counted: raw canary bytes in everything the program wrote (must be 0) and visible placeholders
(at least one where a hostile file name is shown). The viewer is run the same way, and also
while a worker reads a 10 MB document: it must give the terminal back soon after ``q``.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .cases import BY_NAME, Case
from .figures import Figures
from .harness import PtyResult, placeholders, raw_canaries, run_in_pty

pytest.importorskip("pty")

HOSTILE_STEM = "evil\x1b]0;PWNED\x07\x9b31m"
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@dataclass(frozen=True)
class Terminal:
    """The files of the terminal tests and the environment of a user's terminal."""

    folder: Path
    hostile: Path  # ctl-escapes under a file name holding escapes
    markup: Path
    edited: Path
    pdf: Path  # a PDF under a hostile name
    ref: Path
    env: dict[str, str]

    def argv(self, parts: list[str]) -> list[str]:
        names = {"folder": self.folder, "hostile": self.hostile, "markup": self.markup,
                 "edited": self.edited, "pdf": self.pdf, "ref": self.ref}
        return [part.format(**names) for part in parts]


@pytest.fixture(scope="module")
def terminal(sandbox: Path, env: dict[str, str], inputs: dict[str, Path]) -> Terminal:
    folder = sandbox / "terminal"
    folder.mkdir()
    hostile = folder / f"{HOSTILE_STEM}.txt"
    shutil.copy(inputs["ctl-escapes"], hostile)
    markup = folder / "markup.txt"
    shutil.copy(inputs["ctl-markup"], markup)
    edited = folder / "markup-edited.txt"  # the same clauses, one word changed in each part
    edited.write_text(
        markup.read_text("utf-8").replace("点击", "点按").replace("其余", "其他"), "utf-8"
    )
    pdf = folder / f"{HOSTILE_STEM}.pdf"
    pdf.write_bytes(PDF_BYTES)
    tty_env = {k: v for k, v in env.items() if k != "NO_COLOR"}  # colour on, as for a user
    tty_env["TERM"] = "xterm-256color"
    tty_env["PAGER"] = "cat"  # long output would wait in less for a key (cat: no pager)
    return Terminal(folder, hostile, markup, edited, pdf, inputs["ref"], tty_env)


COMMANDS = {
    "normalize": ["normalize", "{hostile}"],
    "sections": ["sections", "{hostile}"],
    "align": ["align", "{hostile}", "{ref}"],
    "diff": ["diff", "{hostile}", "{ref}"],
    "diff-inline": ["diff", "--inline", "{markup}", "{edited}"],
    "diff-side-by-side": ["diff", "--width", "140", "{markup}", "{edited}"],
    "phrases": ["phrases", "{hostile}", "{ref}"],
    "compare": ["compare", "{hostile}", "{ref}", "-o", "{folder}/out"],
    "refusal": ["sections", "{pdf}"],
}
# Where the hostile file name must show up, made visible.
SHOWS_NAME = {"sections", "align", "compare", "refusal"}


def _record(figures: Figures, case: Case, what: str, result: PtyResult) -> int:
    figures.tried(case.name)
    raw = raw_canaries(result.output)
    figures.bad("raw_control_bytes_on_terminal", f"{what}: {raw} raw canaries", raw)
    shown = placeholders(result.output)
    figures.placeholders_seen += shown
    if result.code is None:
        figures.bad("hangs", f"{what} on a terminal did not end")
    elif result.code not in (0, 1, 2):
        figures.bad("crashes", f"{what} on a terminal exited {result.code}")
    if b"Traceback" in result.output:
        figures.bad("crashes", f"{what} on a terminal printed a traceback")
    return shown


@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_on_a_terminal(name: str, terminal: Terminal, figures: Figures) -> None:
    result = run_in_pty([sys.executable, "-m", "policydiff", *terminal.argv(COMMANDS[name])],
                        env=terminal.env, cwd=terminal.folder, timeout=90)
    case = BY_NAME["ctl-markup" if name.startswith("diff-") else "ctl-escapes"]
    shown = _record(figures, case, f"{name} on a pty", result)
    assert result.code in ((2,) if name == "refusal" else (0, 1)), result.output[-500:]
    assert raw_canaries(result.output) == 0
    if name in SHOWS_NAME:
        assert shown >= 1, "the hostile file name was not shown with placeholders"
    if name.startswith("diff-"):
        text = result.output.decode("utf-8", "replace")
        assert "[@click=app.quit]" in text and "[/b]" in text, text[-800:]


def test_viewer_on_a_terminal(terminal: Terminal, figures: Figures) -> None:
    argv = [sys.executable, "-m", "policydiff", "view", str(terminal.hostile),
            str(terminal.markup)]
    result = run_in_pty(argv, env=terminal.env, cwd=terminal.folder, keys=b"q",
                        wait_for="␛".encode(), timeout=90)
    shown = _record(figures, BY_NAME["ctl-escapes"], "view on a pty", result)
    assert result.code == 0, result.output[-500:]
    assert raw_canaries(result.output) == 0
    assert shown >= 1


def test_viewer_answers_a_key_while_reading_10_mb(
    terminal: Terminal, inputs: dict[str, Path], figures: Figures
) -> None:
    """``q`` pressed while a worker reads a 10 MB document gives the terminal back within a few
    seconds (the process may finish the step it is in before it ends)."""
    env = dict(terminal.env, POLICYDIFF_NO_CACHE="1")
    argv = [sys.executable, "-m", "policydiff", "view", str(inputs["str-10mb"]),
            str(inputs["ref"])]
    result = run_in_pty(argv, env=env, cwd=terminal.folder, keys=b"q",
                        wait_for=b"policydiff", timeout=120)
    _record(figures, BY_NAME["str-10mb"], "view of 10 MB on a pty", result)
    assert result.typed_at is not None and result.released_at is not None, result.output[-300:]
    answer = result.released_at - result.typed_at
    figures.timed(name="str-10mb", size="10MB", path="view: q while loading", seconds=answer)
    if answer > 5.0:
        figures.bad("hangs", f"view took {answer:.1f} s to answer q while loading 10 MB")
    assert answer < 5.0
    assert result.code == 0
