"""Make document text safe to show on a terminal: the one table of what counts as unsafe.

Document text is untrusted. A report can contain (by accident or by design) escape sequences
that retitle the window, clear the screen or write the clipboard (``ESC ]52;…``), a C1 ``CSI``
(U+009B) that some terminals obey like ``ESC [``, a carriage return that lets ``安全\\r危险``
overwrite what was printed, or bidi overrides that show text in a different order than it is
stored. ``visible`` replaces every such character with a visible placeholder, so the reader sees
that something was there and the terminal obeys nothing.

Rules:
- Replaced: every C0 control except ``\\n`` and ``\\t`` (so NUL, BEL, BS, CR, ESC, …) by its
  Unicode control picture (U+2400 + code: ESC → ``␛``, NUL → ``␀``, CR → ``␍``); DEL by ``␡``;
  every C1 control (U+0080–U+009F), the bidi embedding/override/isolate controls (U+202A–U+202E,
  U+2066–U+2069) and lone surrogates (U+D800–U+DFFF, which cannot be encoded for a terminal and
  would crash the writer) by a readable code such as ``⟨U+009B⟩``.
- Kept: everything else, including ``\\n``, ``\\t``, CJK text, zero-width spaces (harmless on a
  terminal; normalization decides about them) and the *literal* text ``\\u001b`` (six ordinary
  characters).
- Each replaced character yields exactly one placeholder, so nothing disappears silently, and
  ``visible`` is idempotent: placeholders are themselves safe.
"""

from __future__ import annotations

import re

__all__ = ["has_unsafe", "one_line", "visible"]


def _placeholder(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"⟨U+{code:04X}⟩"


_UNSAFE_RANGES: tuple[tuple[int, int], ...] = (
    (0x00, 0x08),  # C0 controls before tab
    (0x0B, 0x1F),  # C0 controls after newline
    (0x7F, 0x9F),  # DEL and the C1 controls
    (0x202A, 0x202E),  # bidi embeddings and overrides
    (0x2066, 0x2069),  # bidi isolates
    (0xD800, 0xDFFF),  # surrogates (only ever lone ones in a str)
)
"""Code point ranges of the unsafe characters: the one list both the table and the regex
are made from."""

_TABLE: dict[int, str] = {
    code: _placeholder(code) for low, high in _UNSAFE_RANGES for code in range(low, high + 1)
}

_UNSAFE_RE = re.compile(
    "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _UNSAFE_RANGES) + "]"
)


def has_unsafe(text: str) -> bool:
    """True when ``text`` holds a character that ``visible`` would replace."""
    return _UNSAFE_RE.search(text) is not None


def visible(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible placeholder (see module doc).

    Safe text (the usual case) is returned as is, without copying. Otherwise only the matches
    are replaced, from the prebuilt table: on a 230k-character report with 200 escapes this
    takes under 1 ms, where ``str.translate`` takes about 20 ms (it looks up every character).
    """
    if _UNSAFE_RE.search(text) is None:
        return text
    return _UNSAFE_RE.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    return _TABLE[ord(match.group())]


_LINE_BREAKS = {0x0A: "\u240a", 0x09: "\u2409"}


def one_line(text: str) -> str:
    """``visible(text)`` with newlines and tabs shown too (``␊``, ``␉``): a file name or a
    value quoted in a one-line message."""
    return visible(text).translate(_LINE_BREAKS)
