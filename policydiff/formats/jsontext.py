"""JSON text as policydiff writes and reads it back: the shared part of every format.

``dumps`` writes deterministic JSON (the same data gives byte-identical text).
``load_json_strict`` reads an export back strictly.

Strict JSON loading for files policydiff exported and now reads back.

``json.loads`` is lenient where an export must not be: it keeps the last of duplicate keys,
accepts ``NaN``/``Infinity`` and turns ``1e400`` into ``inf``, and raises ``RecursionError``
(not a JSON error) on ``[`` nested 100,000 deep. ``load_json_strict`` refuses all of these
with an ``ExportError`` whose message is one line naming the file, and never lets another
exception escape for any input.

Rules:
- Input is bytes (or a bytearray/memoryview; decoded as strict UTF-8) or str. A leading UTF-8
  byte-order mark is accepted and stripped: editors on Windows add one and it carries no
  information.
- Size is checked first (``max_bytes``, counted in UTF-8 bytes for str input), then nesting
  depth (``max_depth`` arrays/objects), both before parsing.
- Syntax errors name the line and column (1-based, counted in characters).
- Duplicate keys in any object, ``NaN``/``Infinity``/``-Infinity`` and numbers that overflow a
  float are errors; integers longer than Python's digit limit are errors.
- Schema validation is not done here; see ``policydiff/data/*.schema.json``.
"""

from __future__ import annotations

import json
import math
import re
from array import array
from itertools import accumulate
from pathlib import Path
from typing import Any

from policydiff.errors import ExportError

_BOM = "\ufeff"
# Everything but the structural brackets: string literals (an unterminated one runs to the
# end of the text, so a stray quote costs one linear scan) and runs of other characters.
# Possessive quantifiers: nothing here ever needs to backtrack.
_NOT_STRUCTURE_RE = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)|[^\[\]{}"]++', re.DOTALL)
# Openers become +1 and closers -1 once the bytes are read as signed chars.
_DEPTH_TABLE = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


class _Refused(ValueError):
    """Raised from inside the json hooks; turned into an ExportError by the caller."""


def load_schema(file_name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``policydiff/data/`` (``alignment.schema.json`` …)."""
    from importlib import resources

    text = resources.files("policydiff.data").joinpath(file_name).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def check_inputs(data: dict[str, Any], export: str | Path, name: str, *, again: str) -> None:
    """Each input an export names must still be the file it was made from (same sha256).

    Relative input paths are read beside the export first, then from here. An input read from
    standard input or a pipe cannot be checked, and says so. ``again`` says how to make the
    export anew (``re-run compare``); every refusal is one ``ExportError`` line."""
    import hashlib

    from policydiff.decode import STDIN_NAME, read_bytes
    from policydiff.errors import InputError

    for doc in data["documents"]:
        shown = doc["path"]
        if shown == STDIN_NAME or shown.startswith(("/dev/fd/", "/proc/self/fd/", "/dev/stdin")):
            raise ExportError(
                f"{name}: input {shown} was read from standard input or a pipe, so it can be "
                f"neither checked nor read again; save it to a file and {again}"
            )
        doc_path = Path(shown)
        if not doc_path.is_absolute():
            doc_path = Path(export).resolve().parent / doc_path
            if not doc_path.exists():
                doc_path = Path(shown)
        try:
            # read_bytes refuses folders, devices and pipes (reading a FIFO named in a hostile
            # export would block forever).
            digest = hashlib.sha256(read_bytes(doc_path)).hexdigest()
        except InputError as exc:
            raise ExportError(
                f"{name}: input {shown} cannot be read ({exc}); put it back or {again}"
            ) from None
        if digest != doc["sha256"]:
            raise ExportError(
                f"{name}: input {shown} has changed since the export (sha256 differs); {again}"
            )


def load_export(
    source: str | Path | bytes,
    *,
    schema: str,
    what: str,
    expected: str,
    max_bytes: int,
) -> tuple[dict[str, Any], str]:
    """The first checks every format's loader makes: read the file (or take the JSON bytes
    given), load it strictly, and check it is an object of ``schema``.

    ``source`` is a path (``str`` or ``Path``), or the JSON itself as bytes. ``what`` names
    the kind of file in messages (``alignment``), ``expected`` says what to pass instead.
    Returns the data and the name messages use for the file; raises ``ExportError`` with
    one line naming the file.
    """
    from policydiff.files import read_file

    if isinstance(source, bytes):
        raw: bytes | str = source
        name = f"<{what} JSON>"
    else:
        name = _printable(str(source))
        try:
            raw = read_file(source, "export", limit=max_bytes)
        except Exception as exc:
            raise ExportError(str(exc)) from None
    try:
        data = load_json_strict(raw, name=name, max_bytes=max_bytes)
    except ExportError as exc:
        raise ExportError(f"{exc}; {expected}") from None
    if not isinstance(data, dict):
        raise ExportError(
            f"{name}: not a policydiff {what} (expected a JSON object); {expected}"
        )
    if data.get("schema") != schema:
        shown = repr(data.get("schema"))
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        raise ExportError(
            f"{name}: schema is {shown}, expected {schema!r}; re-export it with this version "
            "of policydiff"
        )
    return data, name


def load_json_strict(
    data: bytes | bytearray | memoryview | str,
    *,
    name: str,
    max_depth: int = 64,
    max_bytes: int = 200_000_000,
) -> Any:
    """Parse one JSON document strictly; raise ``ExportError`` naming ``name`` on any problem.

    ``name`` is used only in messages (usually the file path). Returns plain ``dict``,
    ``list``, ``str``, ``int``, ``float``, ``bool`` and ``None`` values, as ``json.loads``.
    """
    label = _printable(name)
    if isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
        if len(raw) > max_bytes:
            raise ExportError(f"{label}: file too large ({len(raw):,} bytes; limit {max_bytes:,})")
        skip = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        try:
            text = raw[skip:].decode("utf-8")
        except UnicodeDecodeError as exc:
            offset = skip + exc.start
            raise ExportError(
                f"{label}: not UTF-8 (byte 0x{raw[offset]:02x} at offset {offset})"
            ) from None
    elif isinstance(data, str):
        text = data[1:] if data.startswith(_BOM) else data
        # A str cannot be longer in UTF-8 than 4 bytes per character; only count when close.
        if len(text) * 4 > max_bytes:
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > max_bytes:
                raise ExportError(f"{label}: file too large ({size:,} bytes; limit {max_bytes:,})")
    else:
        raise TypeError(f"load_json_strict needs bytes or str, not {type(data).__name__}")

    depth = _max_depth(text)
    if depth > max_depth:
        raise ExportError(f"{label}: JSON nested deeper than {max_depth} levels")

    try:
        return json.loads(
            text,
            object_pairs_hook=_unique_object,
            parse_constant=_refuse_constant,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as exc:
        raise ExportError(
            f"{label}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except _Refused as exc:
        raise ExportError(f"{label}: {exc}") from None
    except ValueError as exc:  # e.g. an integer longer than sys.get_int_max_str_digits()
        raise ExportError(f"{label}: invalid JSON: {_printable(str(exc))[:200]}") from None
    except RecursionError:  # unreachable after the depth check; kept as a last guard
        raise ExportError(f"{label}: JSON nested too deeply") from None


def _max_depth(text: str) -> int:
    """The deepest array/object nesting in ``text``, ignoring brackets inside strings.

    Linear and C-speed: one regex pass deletes strings and everything else but brackets,
    the brackets left are mapped to +1/-1 and the running sum's maximum is the depth.
    Unbalanced or malformed input gives some number; the parser reports the real error
    afterwards.
    """
    if "[" not in text and "{" not in text:
        return 0
    brackets = _NOT_STRUCTURE_RE.sub("", text)
    if not brackets:
        return 0
    steps = array("b", brackets.encode("ascii").translate(_DEPTH_TABLE))
    return max(0, max(accumulate(steps)))


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"duplicate key {_printable(repr(key))[:80]} in a JSON object")
        result[key] = value
    return result


def _refuse_constant(token: str) -> Any:
    raise _Refused(f"{token} is not allowed in JSON")


def _finite_float(token: str) -> float:
    value = float(token)
    if not math.isfinite(value):
        raise _Refused(f"number {token[:40]} is out of range")
    return value


def _printable(text: str) -> str:
    """Escape control characters so that a message stays one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def dumps(data: Any) -> str:
    """Deterministic JSON text: fixed key order as built, UTF-8, 1-space indent, newline.

    Byte for byte ``json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)``, except
    that characters a terminal would act on or show reversed (C1 controls such as U+009B, the
    bidirectional overrides such as U+202E, DEL) are written as ``\\uXXXX`` escapes
    (``TERMINAL_UNSAFE``): ``cat alignment.json`` of a hostile document must not drive the
    terminal, and the JSON means the same. The text is written by ``_write_indented``: with
    ``indent`` set the standard library falls back to its pure-Python encoder, which took 12 s
    for the export of 100 documents (4,950 pairs, six million values); this takes a fifth of
    that. Anything it does not handle (a key that is not a string, a value that is not plain
    JSON data, NaN, a cycle) goes to ``json.dumps``, which then behaves as it always did.
    """
    parts: list[str] = []
    try:
        _write_indented(data, "\n", parts)
    except (_NotPlain, RecursionError):
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    else:
        parts.append("\n")
        text = "".join(parts)
    return escape_terminal_unsafe(text)


TERMINAL_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""Characters JSON may hold raw but a terminal acts on: DEL, C1 controls, bidi controls; and
lone surrogates (a file name's bytes that are not UTF-8, as Python reads them: the escape
keeps the name exact, so the export can be loaded back, and the file can be written)."""


def escape_terminal_unsafe(text: str) -> str:
    """``text`` (JSON) with every ``TERMINAL_UNSAFE`` character as a ``\\uXXXX`` escape.
    Valid because such characters can stand only inside JSON strings."""
    if TERMINAL_UNSAFE.search(text) is None:
        return text
    return TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _NotPlain(Exception):
    """A value ``_write_indented`` leaves to ``json.dumps``."""


def _write_indented(value: Any, newline: str, out: list[str]) -> None:
    """Append the JSON of ``value`` as ``json.dumps(indent=1)`` writes it at the depth whose
    line break and indentation is ``newline``. Scalars inside containers are written inline
    (most values are), which is where the speed comes from."""
    kind = type(value)
    if kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        opener = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            scalar = _scalar(item)
            if scalar is None:
                out.append(opener + _encode_string(key) + ": ")
                _write_indented(item, inner, out)
            else:
                out.append(opener + _encode_string(key) + ": " + scalar)
            opener = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        opener = "[" + inner
        for item in value:
            scalar = _scalar(item)
            if scalar is None:
                out.append(opener)
                _write_indented(item, inner, out)
            else:
                out.append(opener + scalar)
            opener = "," + inner
        out.append(newline + "]")
    else:
        scalar = _scalar(value)
        if scalar is None:
            raise _NotPlain
        out.append(scalar)


def _scalar(value: Any) -> str | None:
    """The JSON of a plain scalar; None for a container; ``_NotPlain`` for anything else."""
    kind = type(value)
    if kind is str:
        return _encode_string(value)
    if kind is float:
        if value != value or value in (_INFINITY, -_INFINITY):
            raise _NotPlain
        return float.__repr__(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is dict or kind is list or kind is tuple:
        return None
    raise _NotPlain  # subclasses and other types: json.dumps decides


_INFINITY = float("inf")
_encode_string = json.encoder.encode_basestring  # the C version where available
