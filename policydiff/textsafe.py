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

__all__ = ["has_unsafe", "visible"]


def _placeholder(code: int) -> str:
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"⟨U+{code:04X}⟩"


_UNSAFE_CODES: tuple[int, ...] = (
    *(c for c in range(0x20) if c not in (0x09, 0x0A)),
    0x7F,
    *range(0x80, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *range(0xD800, 0xE000),
)

_TABLE: dict[int, str] = {code: _placeholder(code) for code in _UNSAFE_CODES}

_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


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
