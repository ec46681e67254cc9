"""What the command line writes where, and how: colour, pager, progress bar, warnings.

The one owner of the CLI's output policy; ``cli.py`` makes one ``Console`` per run from the
global options (``--color``, ``--no-pager``, ``--quiet``, ``--verbose``) and sends every line
through it. Nothing heavy is imported here (``policydiff --help`` stays fast).

Rules:
- **Colour** (``color_wanted``): ``--color=always`` and ``--color=never`` win over everything.
  ``auto`` (the default): off when ``NO_COLOR`` is set (any value, https://no-color.org); else
  on when ``FORCE_COLOR`` is set, non-empty and not ``0``; else on when stdout is a terminal
  whose ``TERM`` is not ``dumb``. Files written with ``-o`` never get colour.
- **Terminal safety**: document text printed on a terminal goes through
  ``textsafe.visible`` (an escape sequence in a report shows as ``␛[2J``). Styled text
  (``out(text, styled=True)``) was made safe by its renderer *before* the styles were added
  (``render/terminal.py``) and is written as it is: escaping it again would turn the colour
  codes themselves into ``␛[31m``. In a pipe text is written unchanged.
- **Pager** (like git): when stdout is a terminal and ``--no-pager`` is not given, the output
  of a command is collected; if it needs more rows than the terminal has, it goes through
  ``$POLICYDIFF_PAGER``, else ``$PAGER``, else ``less -R`` (run by the shell). ``LESS=FRX`` is
  set unless the user set ``LESS`` (``-F``: quit when it fits, ``-R``: colours, ``-X``: leave
  the text on the screen). An empty pager or ``cat`` means no pager. A pager that cannot be
  started (not installed, the shell says 126/127) falls back to writing the text directly.
  Lines for stderr that come after the first line of output wait until the output was shown,
  so that the order on the screen stays the order of the program (``wrote …`` after the
  summary). Never a pager in a pipe.
- **Progress bar** (``progress``): one line on stderr, redrawn in place, only when stderr is a
  terminal, not under CI (``CI`` set, not ``0``/``false``), not with ``--quiet``, and only once
  the run has taken ``PROGRESS_DELAY`` (1 s; ``POLICYDIFF_PROGRESS_DELAY`` changes it, tests
  use 0): quick runs never flash a bar. It is erased when its stage is done and before any
  other line goes to stderr.
- **Warnings** (``document_warnings``): at most one line per document: the warning itself when
  there is one, else ``policydiff: warning: FILE: N doubts about the text (e.g. mojibake at
  source 2746-2756); --verbose lists them``. ``--verbose`` prints each warning on its own line;
  ``--quiet`` prints no warnings, notes or ``wrote`` lines. Errors always go out.
- **Encodings** (``prepare_streams``): stdout and stderr never fail on a character they cannot
  encode: in GBK or CP950 (``PYTHONIOENCODING=gbk``, redirected output on Chinese Windows)
  ``⇄`` becomes ``<->``, ``…`` ``...`` and so on (``FALLBACKS``), anything else ``?``; a file
  name's undecodable bytes (lone surrogates) become ``�`` where the encoding has it.
- **Failed output**: stdout closed, or on a full disk (``/dev/full``), is one ``OutputError``
  line and exit code 2, not an internal error (a pipe whose reader left is not an error).
"""

from __future__ import annotations

import codecs
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from collections.abc import Mapping, Sequence
from typing import TextIO, cast

from policydiff.errors import OutputError
from policydiff.textsafe import one_line, visible

__all__ = [
    "COLOR_CHOICES",
    "Console",
    "ProgressBar",
    "color_wanted",
    "pager_command",
    "screen_rows",
]

COLOR_CHOICES = ("auto", "always", "never")
DEFAULT_PAGER = "less -R"
DEFAULT_LESS = "FRX"
PAGER_ENV = "POLICYDIFF_PAGER"
PROGRESS_DELAY = 1.0
"""Seconds a run must have taken before the progress bar shows."""
PROGRESS_DELAY_ENV = "POLICYDIFF_PROGRESS_DELAY"
EXAMPLE_WIDTH = 60
"""Characters of the first warning quoted in a document's one warning line."""
_SHELL_CANNOT_RUN = (126, 127)


FALLBACKS = {
    "⇄": "<->", "→": "->", "←": "<-", "↔": "<->", "…": "...", "—": "--", "–": "-",
    "“": '"', "”": '"', "‘": "'", "’": "'", "·": ".", "×": "x", "│": "|", "─": "-",
    "█": "#", "░": ".", "▏": "|", "✓": "v", "≈": "~", "≥": ">=", "≤": "<=", "±": "+-",
    "␛": "^[", "␊": "\\n", "␉": "\\t", "␀": "^@", "\ufffd": "?",
}  # fmt: skip
"""What a character the output encoding lacks is written as (others: ``?``)."""
ERRORS = "policydiff-fallback"
"""The codec error handler ``prepare_streams`` sets on stdout and stderr."""


def _fallback(exc: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    try:
        "\ufffd".encode(exc.encoding)
        lost = "\ufffd"
    except (UnicodeError, LookupError):
        lost = "?"
    chunk = exc.object[exc.start : exc.end]
    text = "".join(lost if "\ud800" <= ch <= "\udfff" else FALLBACKS.get(ch, "?") for ch in chunk)
    # Bytes, not text: the UTF-8 encoder takes only ASCII text back from a handler.
    return text.encode(exc.encoding, "replace"), exc.end


codecs.register_error(ERRORS, _fallback)


def prepare_streams() -> None:
    """Make ``sys.stdout`` and ``sys.stderr`` write any text: a character their encoding
    lacks goes out as its ``FALLBACKS`` form (see the module rules)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, OSError):
                pass


def _output_failed(exc: OSError | None) -> OutputError:
    """The one-line error for output that cannot be written (closed, full disk, …); stdout
    is pointed at /dev/null so that the interpreter's last flush does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
    if exc is None:
        return OutputError(
            "standard output is closed; run the command with its output going to a terminal, "
            "a file (> out.txt) or a pipe"
        )
    reason = (exc.strerror or exc.__class__.__name__).lower()
    return OutputError(
        f"standard output: cannot write the output ({reason}); free some space or send it "
        "elsewhere (-o FILE, or > another file)"
    )


def _set(env: Mapping[str, str], name: str, off: tuple[str, ...] = ("", "0")) -> bool:
    """Whether the variable ``name`` is set to something other than an "off" value."""
    value = env.get(name)
    return value is not None and value.strip().lower() not in off


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


def color_wanted(choice: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """Whether output to ``stream`` gets colour, for ``--color=choice`` (see module rules)."""
    env = os.environ if env is None else env
    if choice == "always":
        return True
    if choice == "never":
        return False
    if "NO_COLOR" in env:
        return False
    if _set(env, "FORCE_COLOR"):
        return True
    return _isatty(stream) and env.get("TERM", "") != "dumb"


def pager_command(env: Mapping[str, str] | None = None) -> str | None:
    """The shell command of the pager, or None for none (an empty value or ``cat``)."""
    env = os.environ if env is None else env
    for name in (PAGER_ENV, "PAGER"):
        if name in env:
            command = env[name].strip()
            break
    else:
        command = DEFAULT_PAGER if shutil.which("less") else ""
    return None if command in ("", "cat") else command


def _char_columns(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def screen_rows(text: str, columns: int, limit: int) -> int:
    """Rows ``text`` takes on a terminal ``columns`` wide (wide characters take two columns,
    ANSI SGR sequences none), counted up to ``limit``."""
    columns = max(1, columns)
    rows = 0
    for line in text.split("\n"):
        width = 0
        skipping = False
        for char in line:
            if skipping:
                skipping = char != "m"
            elif char == "\x1b":
                skipping = True
            else:
                width += 1 if char < "\u0300" else _char_columns(char)
        rows += max(1, -(-width // columns))
        if rows >= limit:
            return limit
    return rows


class ProgressBar:
    """``progress(stage, done, total)`` for ``policydiff.compare``: a bar on ``stream``,
    drawn only once ``delay`` seconds have passed since ``start``."""

    def __init__(self, stream: TextIO, *, start: float, delay: float) -> None:
        self._stream = stream
        self._start = start
        self._delay = delay
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if done >= total:
            self.clear()
            return
        if time.monotonic() - self._start < self._delay:
            return
        columns = shutil.get_terminal_size((80, 24)).columns
        width = max(10, min(30, columns - 40))
        filled = width * done // max(1, total)
        line = f"policydiff: {stage:<9} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        self._stream.write("\r" + line[: max(1, columns - 1)] + "\x1b[K")
        self._stream.flush()
        self.shown = True

    def clear(self) -> None:
        """Erase the bar (nothing when it is not shown)."""
        if self.shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self.shown = False


class _Closed:
    """Where stdout (or stderr) goes when there is none (``>&-``): every write is refused."""

    def write(self, text: str) -> int:
        raise ValueError("I/O operation on closed file")

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False


class Console:
    """The output of one run of the command line (see the module rules)."""

    def __init__(
        self,
        *,
        color: str = "auto",
        pager: bool = True,
        quiet: bool = False,
        verbose: bool = False,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        if stdout is None and stderr is None:
            prepare_streams()
        chosen = sys.stdout if stdout is None else stdout
        self.closed = chosen is None  # ">&-": Python sets sys.stdout to None
        self.stdout = chosen if chosen is not None else cast(TextIO, _Closed())
        self.stderr = sys.stderr if stderr is None else stderr
        if self.stderr is None:  # "2>&-"
            self.stderr = cast(TextIO, _Closed())
        self.env = os.environ if env is None else env
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.color = color_wanted(color, self.stdout, self.env)
        self.terminal = _isatty(self.stdout)
        self._paging = pager and self.terminal
        self._buffer: list[str] = []
        self._deferred: list[str] = []
        self._start = time.monotonic()
        self._bar: ProgressBar | None = None

    # ------------------------------------------------------------------ stdout

    def out(self, text: str, *, styled: bool = False) -> None:
        """Write ``text`` (and a newline if it has none) to stdout: made safe on a terminal
        unless ``styled`` (already safe, see the module rules); collected for the pager."""
        if self.terminal and not styled:
            text = visible(text)
        if not text.endswith("\n"):
            text += "\n"
        if self._paging:
            self._buffer.append(text)
        else:
            self._emit(text, flush=False)

    def _emit(self, text: str, *, flush: bool) -> None:
        """Write to stdout; a closed stdout or a full disk is one ``OutputError``."""
        if self.closed:
            raise _output_failed(None)
        try:
            self.stdout.write(text)
            if flush:
                self.stdout.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _output_failed(exc) from None
        except ValueError:  # "I/O operation on closed file"
            raise _output_failed(None) from None

    def close(self) -> None:
        """Show what was collected (through the pager when it is longer than the screen),
        then the stderr lines that waited for it. Idempotent."""
        text = "".join(self._buffer)
        self._buffer.clear()
        if not self.closed:
            try:
                self.stdout.flush()
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise _output_failed(exc) from None
            except ValueError:
                raise _output_failed(None) from None
        if text:
            size = shutil.get_terminal_size((80, 24))
            command = pager_command(self.env)
            if command is None or screen_rows(text, size.columns, size.lines) < size.lines:
                self._write(text)
            elif not self._page(command, text):
                self._write(text)
        deferred, self._deferred = self._deferred, []
        self._to_stderr("".join(line + "\n" for line in deferred))

    def _write(self, text: str) -> None:
        try:
            self._emit(text, flush=True)
        except BrokenPipeError:  # the reader went away: not an error of ours
            os.dup2(os.open(os.devnull, os.O_WRONLY), self.stdout.fileno())

    def _page(self, command: str, text: str) -> bool:
        """Run ``text`` through the pager; False when the pager could not be started."""
        env = dict(self.env)
        env.setdefault("LESS", DEFAULT_LESS)
        env.setdefault("LV", "-c")
        try:
            proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
        except OSError:
            return False
        data = text.encode(getattr(self.stdout, "encoding", None) or "utf-8", ERRORS)
        try:  # ^C belongs to the pager while it runs (as in git)
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread
            previous = None
        try:
            assert proc.stdin is not None
            try:
                proc.stdin.write(data)
            except BrokenPipeError:  # the user quit the pager before the end
                pass
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass
            code = proc.wait()
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)
        return code not in _SHELL_CANNOT_RUN

    # ------------------------------------------------------------------ stderr

    def _err(self, line: str) -> None:
        if self._bar is not None:
            self._bar.clear()
        if self._buffer:
            self._deferred.append(line)
            return
        self._to_stderr(line + "\n")

    def _to_stderr(self, text: str) -> None:
        """Write to stderr; when it is closed or full there is nowhere to say so: the text is
        dropped (and fd 2 pointed at /dev/null so that the interpreter's last flush passes)."""
        try:
            if text:
                self.stderr.write(text)
            self.stderr.flush()
        except (OSError, ValueError, AttributeError):
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
            except OSError:
                pass
            self.stderr = cast(TextIO, _Closed())

    def error(self, message: str) -> None:
        """``policydiff: MESSAGE`` on stderr, always (one line)."""
        self._err(f"policydiff: {one_line(message)}")

    def note(self, message: str) -> None:
        """A line of information on stderr (not with ``--quiet``)."""
        if not self.quiet:
            self._err(f"policydiff: {one_line(message)}")

    def wrote(self, path: object) -> None:
        """``policydiff: wrote PATH`` (not with ``--quiet``)."""
        if not self.quiet:
            self._err(f"policydiff: wrote {one_line(str(path))}")

    def wrote_files(self, folder: object, paths: Sequence[object]) -> None:
        """One line for the files written into ``folder`` (``--verbose``: a line each)."""
        if self.quiet or not paths:
            return
        if self.verbose or len(paths) == 1:
            for path in paths:
                self.wrote(path)
            return
        names = [os.path.basename(str(path)) for path in paths]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        self._err(f"policydiff: wrote {len(paths)} files to {one_line(str(folder))}: {shown}")

    def document_warnings(self, path: str, warnings: Sequence[str]) -> None:
        """The doubts about one document: at most one line, each with ``--verbose``, none
        with ``--quiet`` (see the module rules)."""
        if self.quiet or not warnings:
            return
        name = one_line(path)
        if self.verbose or len(warnings) == 1:
            for warning in warnings:
                self._err(f"policydiff: warning: {name}: {one_line(warning)}")
            return
        example = one_line(warnings[0]).split(": ", 1)[0]
        if len(example) > EXAMPLE_WIDTH:
            example = example[: EXAMPLE_WIDTH - 1] + "…"
        self._err(
            f"policydiff: warning: {name}: {len(warnings)} doubts about the text "
            f"(e.g. {example}); --verbose lists them"
        )

    def progress(self) -> ProgressBar | None:
        """The progress bar for ``policydiff.compare``, or None where none is wanted."""
        if self.quiet or not _isatty(self.stderr) or _set(self.env, "CI", ("", "0", "false")):
            return None
        if self._bar is None:
            try:
                delay = float(self.env.get(PROGRESS_DELAY_ENV, PROGRESS_DELAY))
            except ValueError:
                delay = PROGRESS_DELAY
            self._bar = ProgressBar(self.stderr, start=self._start, delay=delay)
        return self._bar
