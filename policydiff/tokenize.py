"""Word tokens for Chinese policy text: jieba, wrapped so that it behaves.

Why a wrapper: jieba logs to stderr, keeps a global tokenizer and writes its dictionary cache into
the shared temp directory. Here it is imported and loaded lazily on the first call (importing
``policydiff`` stays fast), with its logger silenced, a private ``jieba.Tokenizer`` instance, its
cache in the user cache directory and the policy-term dictionary ``data/userdict.txt`` loaded
once, so that 放管服, 新质生产力 or 碳达峰 stay single tokens.

Rules:
- Tokens tile the text: ``''.join(tokenize(t)) == t`` for every string, including whitespace,
  newlines, emoji, control characters and the empty string (which has no tokens). Each
  whitespace character is a token of its own; so is each punctuation mark, except inside a
  dictionary word (``人工智能+``).
- The HMM new-word guesser is OFF. On the 2024 and 2025 national reports it is only 1.05x
  faster without it (RESEARCH-NOTES: 1.1-1.3x); what decides is that for diffing,
  dictionary-only cuts are stable: an unknown word becomes single characters on both sides
  instead of a guessed "word" whose boundaries depend on the neighbouring characters (which
  turns a one-character edit into a whole-word replacement). Policy terms that must stay whole
  belong in the user dictionary.
- Nothing is memoized across calls: callers that tokenize the same text twice keep the result.
- Thread-safe: the first call loads the dictionary under a lock (about 0.5-0.8 s cold,
  less with a warm cache file).
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import threading
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

Span = tuple[int, int]

USE_HMM = False
"""jieba's HMM new-word discovery; off (see the module docstring for the measurement)."""

_lock = threading.Lock()
_tokenizer: Any = None


def _cache_dir() -> str | None:
    """The user cache directory, created if needed; None when it cannot be written."""
    try:
        import platformdirs

        path = platformdirs.user_cache_dir("policydiff")
        os.makedirs(path, exist_ok=True)
        if not os.access(path, os.W_OK | os.X_OK):
            return None
        return path
    except Exception:
        return None


def _import_jieba() -> Any:
    """Import jieba without letting it import ``pkg_resources``.

    Why: jieba 0.42.1 imports ``pkg_resources`` (about 0.2 s and a deprecation warning) only to
    open its own data files; when that import fails it opens the same files from its package
    directory. Blocking the import is undone at once, and skipped when ``pkg_resources`` is
    already loaded.
    """
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        import jieba

        return jieba
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if "pkg_resources" in sys.modules and sys.modules["pkg_resources"] is None:
            del sys.modules["pkg_resources"]
    return jieba


def _read_dict_cache(tokenizer: Any, path: str) -> bool:
    """Fill ``tokenizer`` from jieba's own dictionary cache file; False when there is none.

    Why not ``tokenizer.initialize()``: jieba reads the file with ``marshal.load`` on the open
    file, which reads it in tiny pieces (about 1 s for its 9 MB); ``marshal.loads`` of the whole
    file gives the same ``(FREQ, total)`` in about 0.3 s. A file that does not hold that pair is
    left for ``initialize()`` to rebuild.
    """
    try:
        with open(path, "rb") as handle:
            freq, total = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if not isinstance(freq, dict) or not isinstance(total, int) or not freq:
        return False
    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.initialized = True
    return True


def _load() -> Any:
    """Build the private jieba tokenizer (dictionary, cache, user dictionary)."""
    jieba = _import_jieba()
    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    cache_dir = _cache_dir()
    if cache_dir is not None:
        tokenizer.tmp_dir = cache_dir
        tokenizer.cache_file = "jieba.cache"
        if not _read_dict_cache(tokenizer, os.path.join(cache_dir, "jieba.cache")):
            tokenizer.initialize()
    else:
        # No writable cache directory: build the prefix dictionary in memory rather than let
        # jieba fall back to the shared temp directory.
        with tokenizer.get_dict_file() as dict_file:
            tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(dict_file)
        tokenizer.initialized = True
    for word, freq, tag in policy_terms():
        tokenizer.add_word(word, freq, tag)
    return tokenizer


def policy_terms() -> list[tuple[str, int, str | None]]:
    """The user dictionary ``data/userdict.txt`` as ``(word, freq, tag)``.

    jieba's own loader has no comments; here blank lines and lines starting with ``#`` are
    skipped so that the data file can explain itself. A line without a frequency gets 2000.
    """
    path = resources.files("policydiff.data").joinpath("userdict.txt")
    terms: list[tuple[str, int, str | None]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        freq = int(fields[1]) if len(fields) > 1 else 2000
        terms.append((fields[0], freq, fields[2] if len(fields) > 2 else None))
    return terms


def get_tokenizer() -> Any:
    """The loaded private ``jieba.Tokenizer``; loads it on the first call.

    Call it from a worker thread to warm up before the first diff (the TUI does).
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _load()
    return _tokenizer


def _cut(text: str) -> Iterator[str]:
    return get_tokenizer().cut(text, HMM=USE_HMM)  # type: ignore[no-any-return]


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word tokens that join back to exactly ``text``."""
    if not text:
        return []
    tokens = list(_cut(text))
    if "".join(tokens) != text:
        # jieba has always been lossless in testing; if a future version is not, prefer
        # character tokens to silently corrupting offsets.
        return list(text)
    return tokens


def tokenize_spans(text: str) -> list[Span]:
    """The ``(start, end)`` character span of every token of ``text``, in order, tiling it."""
    spans: list[Span] = []
    pos = 0
    for token in tokenize(text):
        end = pos + len(token)
        spans.append((pos, end))
        pos = end
    return spans


_JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]")
"""One character of the runs jieba cuts as a whole (its ``re_han_default``, one character).

jieba's own class, not a ``policydiff.chars`` one: its Han range stops at U+9FD5, and it puts
ASCII letters, digits and ``+#&._%-`` in the same runs."""


def is_stable_cut(text: str, pos: int) -> bool:
    """True when cutting ``text`` at ``pos`` does not change the tokens on either side.

    jieba splits text into runs of Han letters, ASCII letters, digits and ``+#&._%-`` and cuts
    each run on its own; every other character is a token by itself, except ``\r\n``, which
    stays one token. So where the characters on both sides of ``pos`` are not both inside one
    such run (and ``pos`` does not split ``\r\n``), ``tokenize(text[a:pos])`` and
    ``tokenize(text[pos:b])`` are exactly the tokens of ``tokenize(text)`` in those ranges.
    This lets a caller that tokenized a whole document take the tokens of a section from
    them instead of tokenizing again. The ends of the text are always stable.
    """
    if pos <= 0 or pos >= len(text):
        return True
    before, after = text[pos - 1], text[pos]
    if before == "\r" and after == "\n":
        return False
    return not (_JIEBA_BLOCK.match(before) and _JIEBA_BLOCK.match(after))
