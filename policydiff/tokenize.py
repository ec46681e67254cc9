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

import os
import threading
import unicodedata
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


def _load() -> Any:
    """Build the private jieba tokenizer (dictionary, cache, user dictionary)."""
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    cache_dir = _cache_dir()
    if cache_dir is not None:
        tokenizer.tmp_dir = cache_dir
        tokenizer.cache_file = "jieba.cache"
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


def is_word_char(char: str) -> bool:
    """True for a letter or digit of any script (CJK ideographs included); False otherwise."""
    return unicodedata.category(char)[0] in "LN"


def is_word_token(token: str) -> bool:
    """True when the token contains at least one letter or digit (not pure punctuation/space)."""
    return any(unicodedata.category(char)[0] in "LN" for char in token)
