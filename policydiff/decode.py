"""Bytes to text: reading an input file and the encoding policy, in one place.

Reading follows one rule: the text is right, or the user is told what was guessed and why, or
the file is refused with a one-line message that names it and says what to do. Never silent
garbage: Big5 bytes decode *without error* as GB18030 (nonsense) and GBK bytes often decode as
Big5, so "the codec did not fail" proves nothing; what decides is whether the decoded text
reads as Chinese.

Decoding order (``decode_bytes`` without ``encoding=``):

1. Empty input is ``''`` in UTF-8, not an error.
2. A byte-order mark decides (UTF-32 and UTF-16 LE/BE, UTF-8, GB18030); the BOM is removed.
   A UTF-16 mark is scored, not trusted: a valid UTF-8 body that reads as more plausible text
   than its UTF-16 reading is UTF-8, with a doubt naming the stray mark.
3. Binary formats are refused by their signature (PDF, ZIP/docx, OLE2 doc/wps, images,
   archives) or by their bytes (runs of NUL, many control bytes).
4. When NUL bytes are present, UTF-16 without a BOM is accepted if one byte order gives
   at least 90% plausible characters (ASCII, common Chinese, punctuation). UTF-16 text of
   ASCII or Chinese always holds NUL bytes (from newlines and ASCII letters), so the test is
   only made on that evidence, and before UTF-8 (ASCII in UTF-16 is valid UTF-8 too).
5. Valid UTF-8 is UTF-8, with one exception: a mostly non-ASCII UTF-8 reading without a
   single Han character, where GB18030 or Big5 read only common Chinese characters, is
   refused as ambiguous (short GBK can be valid UTF-8 by accident: 转 is D7 AA, Hebrew ת).
6. Otherwise GB18030 and the Big5 family (Big5, CP950, Big5-HKSCS: its variants scored
   against each other, ``_family_reading``) are each tried strictly and every reading is
   scored by how common its Han characters are (``data/common_hans.txt`` and
   ``common_hant.txt``, ranked by frequency): a naive-Bayes log-likelihood of "real Chinese"
   against "mis-decoded bytes" over four classes (top-500 character, other common character,
   rare Han, odd script such as kana, Hangul, PUA or box drawing). A reading is accepted when
   its posterior is at least 0.999 against the other reading and against "neither", and no
   stretch of it (a window of 80 characters) reads as garbage, which catches files that mix
   two encodings; a line (or heading) of three or more Chinese characters that reads as garbage
   in an accepted reading is named in a doubt (a Big5 report with one GBK line). Otherwise
   the file is refused, saying what was tried and suggesting ``--encoding NAME``. Six common
   characters are enough (政府工作报告); one or two are not.

With ``encoding=`` the bytes are decoded strictly with that codec (any Python alias: ``gbk``,
``GB2312``, ``big5hkscs``, ...); binary signatures are still refused, NUL bytes are not (the
user may know the file is UTF-16).

Nothing here changes the text beyond removing a BOM: NUL bytes, CR and the like stay for
``normalize`` to handle; ``warnings`` only carry doubts about the decoding. Writing outputs is
``policydiff.files``.
"""

from __future__ import annotations

import codecs
import hashlib
import math
import os
import stat
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from policydiff.chars import HAN_RANGES, HAN_RE
from policydiff.errors import InputError
from policydiff.files import KINDS, os_reason, read_file
from policydiff.textsafe import one_line, visible

__all__ = [
    "DEFAULT_MAX_BYTES",
    "STDIN",
    "STDIN_NAME",
    "DecodedText",
    "decode_bytes",
    "input_name",
    "is_stream",
    "read_bytes",
    "read_input",
    "read_text",
    "stream_identity",
]

DEFAULT_MAX_BYTES = KINDS["input"].limit
STDIN = "-"
"""The input name that means standard input."""
STDIN_NAME = "<stdin>"
"""How standard input is named in messages and as a document's path."""
_CHUNK = 1 << 20


@dataclass(frozen=True)
class DecodedText:
    """The decoded text of one input and how sure we are about its encoding.

    ``encoding`` is a lower-case Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16-le``,
    ``gb18030``, ``big5``, ...). ``confidence`` is 1.0 when nothing was guessed (BOM, valid
    UTF-8, user override, empty file); a guess never reports more than 0.9999. ``reason`` is one
    short English phrase; ``warnings`` hold doubts worth showing to the user.
    """

    text: str
    encoding: str
    confidence: float
    reason: str
    sha256: str
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Reading files


def read_bytes(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The raw bytes of an input document that is a regular file, or ``InputError`` saying
    what is wrong with the path (``files.read_file`` of kind ``input``: a missing path, a
    folder, a device/pipe/socket, an unreadable file and a file over ``max_bytes`` are errors;
    an empty file is not; symbolic links to a regular file are followed)."""
    return read_file(path, "input", limit=max_bytes)


def read_text(
    path: str | Path, *, encoding: str | None = None, streams: bool = False
) -> DecodedText:
    """Read and decode a file (``read_bytes`` then ``decode_bytes``, named by ``path``).

    ``streams``: the path names an input document, so ``-`` (standard input), pipes and
    character devices are read too (``read_input``).
    """
    if streams:
        return decode_bytes(read_input(path), name=input_name(path), encoding=encoding)
    return decode_bytes(read_bytes(path), name=str(path), encoding=encoding)


# ---------------------------------------------------------------------------------------------
# Input documents: files, standard input, pipes


def input_name(name: str | Path) -> str:
    """How an input is named in messages and as a document's path: ``<stdin>`` for ``-``."""
    return STDIN_NAME if str(name) == STDIN else str(name)


def is_stream(name: str | Path) -> bool:
    """Whether an input can be read only once: ``-``, a pipe (``<(...)``, ``/dev/stdin`` on a
    pipe, a named FIFO) or a character device. A path that cannot be inspected is not a stream
    (reading it reports why)."""
    if str(name) == STDIN:
        return True
    try:
        mode = os.stat(os.fspath(name)).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def stream_identity(name: str | Path) -> tuple[int, int] | None:
    """``(device, inode)`` of what a stream input reads, so that the same stream named twice
    (``-`` and ``/dev/stdin``) can be told; None when it cannot be inspected."""
    try:
        info = os.fstat(0) if str(name) == STDIN else os.stat(os.fspath(name))
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def read_input(name: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input document the user named: a regular file (``read_bytes``), ``-``
    for standard input, or a pipe or character device (process substitution ``<(git show
    HEAD:a.txt)``, ``/dev/stdin``, a named FIFO).

    A stream is read in chunks until its end, and refused once it passes ``max_bytes``; like
    ``cat``, reading waits for a writer. Folders, sockets and block devices are refused.
    """
    if str(name) == STDIN:
        stdin = sys.stdin
        if stdin is None:
            raise InputError(f"{STDIN_NAME}: there is no standard input to read")
        buffer = getattr(stdin, "buffer", None)
        try:
            fileno = stdin.fileno()
        except (OSError, ValueError):
            fileno = -1
        if buffer is None or fileno < 0:
            raise InputError(f"{STDIN_NAME}: standard input cannot be read as bytes here")
        return _read_stream(buffer, STDIN_NAME, max_bytes)
    shown = one_line(str(name))
    fspath = os.fspath(name)
    try:
        mode = os.stat(fspath).st_mode
    except OSError:
        mode = 0  # read_bytes says what is wrong with the path
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        if stat.S_ISSOCK(mode) or stat.S_ISBLK(mode):
            what = "a socket" if stat.S_ISSOCK(mode) else "a disk (block device)"
            raise InputError(f"{shown}: is {what}, not a text file; pass a text file")
        return read_bytes(name, max_bytes=max_bytes)
    try:
        with open(fspath, "rb", buffering=0) as handle:
            return _read_stream(handle, shown, max_bytes)
    except PermissionError:
        raise InputError(f"{shown}: permission denied; check its permissions") from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read it ({os_reason(exc)})") from None


def _read_stream(handle: BinaryIO, shown: str, max_bytes: int) -> bytes:
    """Everything ``handle`` yields, in chunks; refused as soon as it passes ``max_bytes``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        try:
            chunk = handle.read(min(_CHUNK, max_bytes + 1 - size))
        except OSError as exc:
            raise InputError(f"{shown}: cannot read it ({os_reason(exc)})") from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise InputError(
                f"{shown}: more than the {max_bytes / 1e6:g} MB limit arrived; a report is far "
                "smaller, so check that this is the right input"
            )


def decode_bytes(data: bytes, *, name: str, encoding: str | None = None) -> DecodedText:
    """Decode ``data`` following the module's decoding order; ``name`` labels error messages.

    Raises ``InputError`` (one line, naming ``name``) for binary data, undecodable or ambiguous
    bytes, a truncated UTF-8 file, or an unknown/failing ``encoding`` override.
    """
    digest = hashlib.sha256(data).hexdigest()
    shown = one_line(name)
    if encoding is not None:
        return _decode_override(data, shown, digest, encoding)
    if not data:
        return DecodedText("", "utf-8", 1.0, "empty file", digest)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_bom(data, shown, digest, bom, codec)

    what, utf16 = _sniff(data)
    if what is not None:
        raise InputError(f"{shown}: this looks like {what}, not a text file; {_ADVICE[what]}")
    if utf16 is not None:
        codec, share = utf16
        text = data.decode(codec)
        reason = f"{codec.upper()} without BOM: NUL-byte pattern, {share:.0%} plausible characters"
        return DecodedText(text, codec, min(round(share, 4), 0.9999), reason, digest)

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        _check_accidental_utf8(data, text, shown)
        doubts = _ascii_doubts(data) + _replacement_doubts(text)
        return DecodedText(text, "utf-8", 1.0, "valid UTF-8", digest, doubts)
    if (
        utf8_error.reason == "unexpected end of data"
        and utf8_error.end == len(data)
        and _multibyte_count(data[: utf8_error.start]) >= _UTF8_EVIDENCE
    ):
        raise InputError(
            f"{shown}: UTF-8 text cut off in the middle of a character at byte "
            f"{utf8_error.start} (the file seems truncated); restore the complete file or "
            f"remove its last {len(data) - utf8_error.start} byte(s)"
        )
    return _guess_chinese(data, shown, digest, utf8_error)


# ---------------------------------------------------------------------------------------------
# Binary sniffing

_TO_TEXT = "save it as plain text (.txt, UTF-8) from Word or WPS and pass that file"
_OCR = "it holds no text to compare; run OCR on it first and pass the .txt"
_UNPACK = "unpack it and pass the .txt files inside"

# (leading bytes, what it looks like, what to do)
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "extract the text first (e.g. pdftotext) and pass the .txt"),
    (b"PK\x03\x04", "a ZIP archive (.docx/.xlsx/.zip)", _TO_TEXT),
    (b"PK\x05\x06", "a ZIP archive (.docx/.xlsx/.zip)", _TO_TEXT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 compound file (.doc/.wps/.xls)", _TO_TEXT),
    (b"{\\rtf", "an RTF document", _TO_TEXT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _OCR),
    (b"\xff\xd8\xff", "a JPEG image", _OCR),
    (b"GIF87a", "a GIF image", _OCR),
    (b"GIF89a", "a GIF image", _OCR),
    (b"II*\x00", "a TIFF image", _OCR),
    (b"MM\x00*", "a TIFF image", _OCR),
    (b"\x1f\x8b", "a gzip archive", _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", _UNPACK),
    (b"Rar!\x1a\x07", "a RAR archive", _UNPACK),
    (b"\x7fELF", "a program (ELF executable)", "pass a plain-text file"),
)
_NUL_BINARY = "binary data (NUL bytes)"
_CONTROL_BINARY = "binary data (control bytes)"
_ADVICE: dict[str, str] = {what: advice for _, what, advice in _SIGNATURES} | {
    _NUL_BINARY: "pass a plain-text file, or --encoding NAME if it is UTF-16/UTF-32 text "
    "without a byte-order mark",
    _CONTROL_BINARY: "pass a plain-text file",
}
# C0 controls that plain text does not use (tab, LF, VT, FF, CR and ESC are left out: ESC
# sequences are text to be shown safely, not a sign of a binary file).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_CONTROL_MIN = 16
_CONTROL_SHARE = 0.05
_NUL_SHARE = 0.1
_UTF16_MIN_SHARE = 0.9
_UTF16_MIN_CHARS = 4


def _sniff(data: bytes) -> tuple[str | None, tuple[str, float] | None]:
    """``(what it looks like or None, (utf-16 codec, plausible share) or None)``."""
    for magic, what, _ in _SIGNATURES:
        if data.startswith(magic):
            return what, None
    if any(data.startswith(bom) for bom, codec in _BOMS if codec.startswith("utf-")):
        return None, None
    nuls = data.count(0)
    if nuls:
        utf16 = _utf16_guess(data)
        if utf16 is not None:
            return None, utf16
        if b"\x00\x00" in data or nuls >= _NUL_SHARE * len(data):
            return _NUL_BINARY, None
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls >= _CONTROL_MIN and controls >= _CONTROL_SHARE * len(data):
        return _CONTROL_BINARY, None
    return None, None


def _utf16_guess(data: bytes) -> tuple[str, float] | None:
    """The UTF-16 byte order under which ``data`` is almost only plausible characters, if any."""
    if len(data) % 2:
        return None
    best: tuple[str, float] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if len(text) < _UTF16_MIN_CHARS:
            continue
        share = _plausible_share(text)
        if share >= _UTF16_MIN_SHARE and (best is None or share > best[1]):
            best = (codec, share)
    return best


# ---------------------------------------------------------------------------------------------
# BOMs and the user override

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x84\x31\x95\x33", "gb18030"),
)


def _decode_bom(data: bytes, shown: str, digest: str, bom: bytes, codec: str) -> DecodedText:
    body = data[len(bom) :]
    if codec.startswith("utf-16"):
        stray = _stray_utf16_bom(body, codec, digest)
        if stray is not None:
            return stray
    try:
        text = body.decode("utf-8" if codec == "utf-8-sig" else codec)
    except UnicodeDecodeError as exc:
        label = "UTF-8" if codec == "utf-8-sig" else codec.upper()
        raise InputError(
            f"{shown}: starts with a {label} byte-order mark but is not valid {label} "
            f"({exc.reason} at byte {exc.start + len(bom)}); the file is damaged or mixes "
            "encodings: repair it, or pass --encoding NAME"
        ) from None
    return DecodedText(text, codec, 1.0, "BOM", digest)


def _stray_utf16_bom(body: bytes, codec: str, digest: str) -> DecodedText | None:
    """A UTF-16 byte-order mark is scored, not trusted: when the bytes after it are valid
    UTF-8 that reads as more plausible text than the UTF-16 reading (or the UTF-16 reading
    fails), they are UTF-8 and the mark a mistake, with a doubt saying so. Real UTF-16 is not
    valid UTF-8 with more plausible characters (its ASCII holds NULs, its Chinese reads as
    common characters; a tie goes to the mark)."""
    try:
        utf8 = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    try:
        utf16: str | None = body.decode(codec)
    except UnicodeDecodeError:
        utf16 = None
    if utf16 is not None and _plausible_share(utf16) >= _plausible_share(utf8):
        return None
    doubt = (
        f"starts with a {codec.upper()} byte-order mark, but the rest is UTF-8 text (the mark is "
        "wrong and was dropped); check the text, or pass --encoding NAME"
    )
    return DecodedText(utf8, "utf-8", 0.99, f"UTF-8 after a stray {codec.upper()} BOM", digest,
                       (doubt,))


def _plausible_share(text: str) -> float:
    """The share of ``text`` that is plausible characters (ASCII, common Chinese, punctuation)."""
    if not text:
        return 0.0
    counts = _class_counts(text.translate(_class_table()))
    return (counts[_TOP] + counts[_MID] + counts[_GOOD]) / len(text)


def _decode_override(data: bytes, shown: str, digest: str, encoding: str) -> DecodedText:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise InputError(
            f"{shown}: unknown text encoding {visible(repr(encoding))}; use a name such as "
            "utf-8, gb18030, gbk, big5, big5hkscs or utf-16-le"
        )
    for magic, what, advice in _SIGNATURES:
        if data.startswith(magic):
            raise InputError(f"{shown}: this looks like {what}, not a text file; {advice}")
    codec = info.name
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex().upper() or "end of data"
        raise InputError(
            f"{shown}: not valid {codec}: {exc.reason} at byte offset {exc.start} "
            f"(0x{bad}); check --encoding, or leave it out to detect the encoding"
        ) from None
    except (UnicodeError, ValueError) as exc:
        raise InputError(
            f"{shown}: cannot decode it as {codec} ({exc}); check --encoding"
        ) from None
    text = text.removeprefix("\ufeff")
    warnings: tuple[str, ...] = ()
    counts = _class_counts(text.translate(_class_table())) if not text.isascii() else None
    if counts is not None and _scored(counts) >= _MIN_WINDOW_SCORED and _llr(counts) < 0:
        warnings = (
            f"decoded as {codec} as asked, but only {_common_share(counts):.0%} of its Chinese "
            "characters are common ones; check --encoding",
        )
    return DecodedText(text, codec, 1.0, "user override", digest, warnings)


# ---------------------------------------------------------------------------------------------
# GB18030 or Big5, by evidence

# Character classes, as the one-character codes the class table maps characters to.
_TOP, _MID, _RARE, _ODD, _GOOD = "\x01", "\x02", "\x03", "\x04", "\x05"
_SCORED = (_TOP, _MID, _RARE, _ODD)
_TOP_RANK = 500
# Share of each scored class in real Chinese (measured on the mainland corpus and on Hong Kong
# Traditional texts the lists were not built from: top 81-87%, mid 13-19%, rare 0.05-0.4%,
# odd 0-0.3%; widened for other kinds of writing) and in mis-decoded bytes (Big5 read as
# GB18030, GBK read as Big5, UTF-8 read as GB18030, random bytes: top 2-5%, rare 28-86%).
_REAL = (0.72, 0.22, 0.05, 0.01)
_GARBAGE = (0.05, 0.20, 0.50, 0.25)
_WEIGHTS = tuple(math.log(real / garbage) for real, garbage in zip(_REAL, _GARBAGE, strict=True))
_ACCEPT = 0.999
_MAX_GUESS_CONFIDENCE = 0.9999
_WINDOW = 80
_MIN_WINDOW_SCORED = 24
_UTF8_EVIDENCE = 4
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
_MIN_LINE_SCORED = 3

# Ranges of the class table (BMP only; astral characters count as neutral).
_GOOD_RANGES = (
    (0x09, 0x0A), (0x0D, 0x0D), (0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x22FF),
    (0x2460, 0x24FF), (0x25A0, 0x26FF), (0x3000, 0x303F), (0x3200, 0x33FF), (0xFF01, 0xFF60),
    (0xFFE0, 0xFFE6),
)  # fmt: skip
_RARE_RANGES = tuple((lo, hi) for lo, hi in HAN_RANGES if hi < 0x10000)  # Han of the BMP
_ODD_RANGES = (
    (0x0370, 0x04FF), (0x1100, 0x11FF), (0x2500, 0x257F), (0x2E80, 0x2FDF), (0x3040, 0x30FF),
    (0x3100, 0x312F), (0x3130, 0x318F), (0x31A0, 0x31BF), (0x31F0, 0x31FF), (0xAC00, 0xD7A3),
    (0xE000, 0xF8FF), (0xFE30, 0xFE4F), (0xFF61, 0xFF9F),
)  # fmt: skip


@dataclass(frozen=True)
class _Reading:
    """One candidate decoding: the codec, its text, class counts and log-likelihood ratio."""

    codec: str
    text: str
    classes: str
    counts: dict[str, int]
    llr: float

    @property
    def label(self) -> str:
        return _label(self.codec)


def _guess_chinese(
    data: bytes, shown: str, digest: str, utf8_error: UnicodeDecodeError
) -> DecodedText:
    readings: list[_Reading] = []
    failures: list[str] = [_utf8_failure(data, utf8_error)]
    for family in (("gb18030",), _BIG5_FAMILY):
        reading, error = _family_reading(data, family)
        if reading is not None:
            readings.append(reading)
        else:
            assert error is not None
            failures.append(_codec_failure(data, family[0], error))

    if not readings:
        raise InputError(
            f"{shown}: cannot tell the encoding: {'; '.join(failures)}; "
            "pass --encoding NAME if you know it"
        )
    readings.sort(key=lambda r: r.llr, reverse=True)
    best = readings[0]
    posterior = _posterior(best, readings)
    if posterior < _ACCEPT:
        raise InputError(f"{shown}: {_refusal(best, readings, failures)}")

    stretch = _garbage_stretch(best.classes)
    if stretch is not None:
        start = len(best.text[: stretch[0]].encode(best.codec))
        end = len(best.text[: stretch[1]].encode(best.codec))
        raise InputError(
            f"{shown}: reads as {best.label} Chinese except bytes {start}-{end}, which do not, "
            "so the file seems to mix encodings; convert every part to UTF-8, or pass "
            "--encoding NAME"
        )

    warnings: list[str] = _garbage_lines(best)
    confidence = round(min(posterior, _MAX_GUESS_CONFIDENCE), 4)
    if posterior < 0.9999:
        warnings.append(
            f"encoding guessed as {best.label} from only {_scored(best.counts)} Chinese "
            f"characters (confidence {confidence}); pass --encoding NAME if the text looks wrong"
        )
    if _multibyte_count(data[: utf8_error.start]) >= _UTF8_EVIDENCE:
        warnings.append(
            f"the first {utf8_error.start} bytes are also valid UTF-8; if they look wrong the "
            "file mixes encodings"
        )
    reason = "; ".join(
        [f"{best.label}: {_common_share(best.counts):.0%} common Chinese characters"]
        + [_describe(r) for r in readings[1:]]
        + failures[1:]
    )
    return DecodedText(best.text, best.codec, confidence, reason, digest, tuple(warnings))


def _family_reading(
    data: bytes, family: tuple[str, ...]
) -> tuple[_Reading | None, UnicodeDecodeError | None]:
    """The best strict reading of ``data`` among the variants of one family of codecs, or the
    first error when none decodes.

    Variants are scored against each other, not taken by the first strict success: the class
    score decides first (HKSCS list markers ①-⑩ ⑴-⑽ read as kana in Big5 and CP950; CP950's
    ① reads as kana in HKSCS). Between readings that score alike, the first of ``family``
    wins, except that CP950 wins over Big5 when their texts differ: they differ only in
    symbols, where CP950 (what Windows writes) gives the forms Chinese text uses (～ ￥ ﹑ ‧
    ￠ ￡ where Big5 gives ∼ ¥ ､ • ¢ £). Only the family's best competes with the other family,
    so that two variants reading alike do not halve each other's posterior. (GBK needs no
    reading of its own: every byte sequence valid in Python's GBK reads the same in GB18030.)
    """
    readings: list[_Reading] = []
    first_error: UnicodeDecodeError | None = None
    for codec in family:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        if any(reading.text == text for reading in readings):
            continue  # the same text scores the same: the earlier variant stands
        readings.append(_read(codec, text))
    if not readings:
        return None, first_error
    top = max(reading.llr for reading in readings)
    alike = [reading for reading in readings if reading.llr >= top - 1e-9]
    by_codec = {reading.codec: reading for reading in alike}
    big5, cp950 = by_codec.get("big5"), by_codec.get("cp950")
    if big5 is not None and cp950 is not None and big5.text != cp950.text:
        return cp950, None
    return alike[0], None


def _garbage_lines(best: _Reading) -> list[str]:
    """A doubt naming the lines (headings included) of a guessed reading that read as
    mis-decoded bytes although the whole does not: a Big5 report with one GBK line.

    A line is judged when it holds at least ``_MIN_LINE_SCORED`` scored characters: on the
    corpus no real line of three or more is taken for garbage, while 84% of GBK lines read as
    Big5 are (most of the rest are two-character lines). Only lines with a rare or odd
    character can read as garbage, so only those are looked at.
    """
    classes, text = best.classes, best.text  # one class code per character: same offsets
    starts: set[int] = set()
    for mark in (_RARE, _ODD):
        pos = classes.find(mark)
        while pos != -1:
            starts.add(text.rfind("\n", 0, pos) + 1)
            end = text.find("\n", pos)
            pos = classes.find(mark, end) if end != -1 else -1
    bad: list[int] = []
    for start in sorted(starts):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        counts = {mark: classes.count(mark, start, end) for mark in _SCORED}
        if _scored(counts) >= _MIN_LINE_SCORED and _llr(counts) < 0:
            bad.append(start)
    if not bad:
        return []
    numbers = [best.text.count("\n", 0, start) + 1 for start in bad[:3]]
    end = best.text.find("\n", bad[0])
    sample = _sample(best.text[bad[0] : end if end != -1 else len(best.text)])
    more = f" and {len(bad) - 3} more" if len(bad) > 3 else ""
    listed = ", ".join(str(n) for n in numbers) + more
    return [
        f"mixed encodings: {len(bad)} line(s) ({listed}) do not read as {best.label} Chinese "
        f"(line {numbers[0]}: {sample}); that part of the file seems to be in another "
        "encoding: convert it to UTF-8, or check those lines"
    ]


def _replacement_doubts(text: str) -> tuple[str, ...]:
    """A doubt about valid UTF-8 that holds U+FFFD: the text was already damaged before this
    file was written (its bytes EF BF BD, read as GBK, are the well-known 锟斤拷)."""
    count = text.count("\ufffd")
    if not count:
        return ()
    return (
        f"mojibake: {count} replacement character(s) U+FFFD: some text was lost before this "
        "file was written (as GBK these bytes read 锟斤拷); find an undamaged copy if you can",
    )


def _ascii_doubts(data: bytes) -> tuple[str, ...]:
    """A doubt about plain ASCII bytes that are also, read as UTF-16 without a byte-order mark,
    nothing but Chinese characters (``中`` in UTF-16-LE is the bytes ``-N``): a file that
    short or that odd cannot tell its encoding, so the reading is named and the way out too."""
    if not data.isascii() or len(data) % 2 or b"\n" in data:
        return ()
    for codec in ("utf-16-le", "utf-16-be"):
        text = data.decode(codec, "replace")
        if all(HAN_RE.match(ch) for ch in text):
            return (
                f"read as ASCII/UTF-8, but the bytes are also {text[:12]!r} in {codec.upper()}; "
                f"pass --encoding {codec} if that is what the file holds",
            )
    return ()


def _check_accidental_utf8(data: bytes, text: str, shown: str) -> None:
    """Refuse GBK or Big5 bytes that happen to be valid UTF-8 (ambiguous, not guessed).

    Valid UTF-8 is UTF-8, except in one corner: a GBK character whose bytes are C2-DF then
    80-BF is also a UTF-8 sequence (转 is D7 AA, UTF-8 for Hebrew ת; 全省统一 reads as
    ȫʡͳһ), so short Chinese files can be valid UTF-8 by accident. Such a file is refused when
    the UTF-8 reading has no Han character, is mostly non-ASCII, and a GB18030 or Big5 reading
    has Han characters that are all common ones. A UTF-8 file with Chinese in it, or with a few
    accented letters among ASCII (``café``), is never touched.
    """
    if text.isascii() or HAN_RE.search(text) is not None:
        return
    if 2 * (len(text) - len(text.encode("ascii", "ignore"))) < len(text):
        return
    for codec in ("gb18030", *_BIG5_FAMILY):
        try:
            reading = _read(codec, data.decode(codec))
        except UnicodeDecodeError:
            continue
        counts = reading.counts
        if _scored(counts) and counts[_RARE] == counts[_ODD] == 0:
            raise InputError(
                f"{shown}: ambiguous encoding: valid UTF-8 ({_sample(text)}) but it also reads "
                f"as Chinese in {reading.label} ({_sample(reading.text)}); pass --encoding utf-8 "
                f"or --encoding {reading.codec}"
            )


def _read(codec: str, text: str) -> _Reading:
    classes = text.translate(_class_table())
    counts = _class_counts(classes)
    return _Reading(codec, text, classes, counts, _llr(counts))


def _posterior(best: _Reading, readings: list[_Reading]) -> float:
    """P(best reading is the real text) among: each reading is real, or none is (equal priors)."""
    top = max(0.0, best.llr)
    total = math.exp(-top) + sum(math.exp(r.llr - top) for r in readings)
    return math.exp(best.llr - top) / total


def _refusal(best: _Reading, readings: list[_Reading], failures: list[str]) -> str:
    """The message body for a file whose encoding cannot be told (the guess fell short)."""
    tried = "; ".join([*failures, *(_describe(r) + " (not plausible)" for r in readings)])
    if _scored(best.counts) == 0:
        return (
            f"too little text to tell the encoding ({best.label} reads it as "
            f"{_sample(best.text)}, no Chinese characters); pass --encoding NAME if you know it"
        )
    if best.llr <= 0:
        return f"cannot tell the encoding: {tried}; pass --encoding NAME if you know it"
    rivals = [r for r in readings[1:] if r.llr > 0]
    if rivals:
        both = " and ".join(f"{r.label} ({_sample(r.text)})" for r in (best, *rivals))
        names = " or ".join(f"--encoding {r.codec}" for r in (best, *rivals))
        return f"ambiguous encoding: it reads as Chinese in {both}; pass {names}"
    return (
        f"too little text to tell the encoding ({best.label} reads it as {_sample(best.text)}, "
        f"{_scored(best.counts)} Chinese character(s)); pass --encoding NAME if you know it"
    )


def _label(codec: str) -> str:
    """How a codec is named in messages (``Big5``, ``GB18030``, ``UTF-16-LE``)."""
    return _LABELS.get(codec, codec.upper())


_LABELS = {"big5": "Big5", "big5hkscs": "Big5-HKSCS", "cp950": "CP950 (Big5)"}


def _describe(reading: _Reading) -> str:
    return f"{reading.label} {_common_share(reading.counts):.0%} common characters"


def _utf8_failure(data: bytes, exc: UnicodeDecodeError) -> str:
    if exc.start and _multibyte_count(data[: exc.start]) >= _UTF8_EVIDENCE:
        return (
            f"the first {exc.start} bytes are UTF-8 but the rest is not, so the file mixes "
            "encodings or is damaged"
        )
    return f"UTF-8 invalid at byte {exc.start} ({exc.reason})"


def _codec_failure(data: bytes, codec: str, exc: UnicodeDecodeError) -> str:
    label = _label(codec)
    if exc.start:
        counts = _class_counts(data[: exc.start].decode(codec, "replace").translate(_class_table()))
        if _scored(counts) >= _MIN_WINDOW_SCORED and _llr(counts) > 0:
            return (
                f"the first {exc.start} bytes read as {label} Chinese but the rest does not, "
                "so the file mixes encodings or is damaged"
            )
    return f"{label} invalid at byte {exc.start}"


def _garbage_stretch(classes: str) -> tuple[int, int] | None:
    """The first window of the class string that reads as mis-decoded bytes, if any.

    Windows of ``_WINDOW`` characters overlap by half, so a garbage run of about 60 characters
    or more is caught wherever it lies; windows with fewer than ``_MIN_WINDOW_SCORED`` scored
    characters (numbers, tables) are not judged. Only windows holding a rare or odd character
    can read as garbage, so only those are counted: real text has few, and this keeps the
    check to about a millisecond on a long report.
    """
    step = _WINDOW // 2
    starts: set[int] = set()
    for mark in (_RARE, _ODD):
        pos = classes.find(mark)
        while pos != -1:
            block = pos // step
            starts.update((max(0, block - 1) * step, block * step))
            pos = classes.find(mark, pos + 1)
    for start in sorted(starts):
        end = min(start + _WINDOW, len(classes))
        counts = {mark: classes.count(mark, start, end) for mark in _SCORED}
        if _scored(counts) >= _MIN_WINDOW_SCORED and _llr(counts) < 0:
            return start, end
    return None


def _class_counts(classes: str) -> dict[str, int]:
    return {mark: classes.count(mark) for mark in (*_SCORED, _GOOD)}


def _scored(counts: dict[str, int]) -> int:
    return sum(counts[mark] for mark in _SCORED)


def _llr(counts: dict[str, int]) -> float:
    return sum(counts[mark] * w for mark, w in zip(_SCORED, _WEIGHTS, strict=True))


def _common_share(counts: dict[str, int]) -> float:
    scored = _scored(counts)
    return (counts[_TOP] + counts[_MID]) / scored if scored else 0.0


def _multibyte_count(data: bytes) -> int:
    """How many UTF-8 lead bytes of multi-byte sequences ``data`` holds."""
    return len(data) - len(data.translate(None, _UTF8_LEADS))


_UTF8_LEADS = bytes(range(0xC2, 0xF5))


@lru_cache(maxsize=1)
def _common_ranks() -> dict[str, int]:
    """Frequency rank of every common character, Simplified and Traditional forms alike."""
    from importlib import resources

    folder = resources.files("policydiff.data")

    def lines(name: str) -> list[str]:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        return [line for line in text.splitlines() if line and not line.startswith("#")]

    hans, hant = lines("common_hans.txt"), lines("common_hant.txt")
    if len(hans) != len(hant):
        raise RuntimeError("policydiff/data: common_hans.txt and common_hant.txt differ in length")
    ranks: dict[str, int] = {}
    for rank, (simplified, traditional) in enumerate(zip(hans, hant, strict=True)):
        for char in (simplified, *traditional.split()):
            ranks.setdefault(char, rank)
    return ranks


@lru_cache(maxsize=1)
def _class_table() -> str:
    """A ``str.translate`` table for the BMP mapping each character to its class code.

    Characters of no class map to themselves (and the class codes themselves to NUL), so
    counting the class codes in the translated text counts the classes.
    """
    table = [chr(code) for code in range(0x10000)]
    for ranges, mark in ((_GOOD_RANGES, _GOOD), (_RARE_RANGES, _RARE), (_ODD_RANGES, _ODD)):
        for low, high in ranges:
            table[low : high + 1] = [mark] * (high - low + 1)
    for char, rank in _common_ranks().items():
        if ord(char) < 0x10000:
            table[ord(char)] = _TOP if rank < _TOP_RANK else _MID
    for mark in (*_SCORED, _GOOD):
        table[ord(mark)] = "\x00"
    return "".join(table)


# ---------------------------------------------------------------------------------------------
# Messages


def _sample(text: str, limit: int = 12) -> str:
    """The start of a decoded text, quoted, on one line and safe to print."""
    flat = " ".join(text.split())
    return "“" + visible(flat[:limit]) + ("…" if len(flat) > limit else "") + "”"
