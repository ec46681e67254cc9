"""Word tokens for Chinese policy text: rjieba (jieba-rs), or jieba as a fallback, wrapped so
that they behave.

The segmenter is **rjieba** (the Python binding of jieba-rs: abi3 wheels for every platform,
no dependencies) when it is installed, which it is by default; **jieba** (pure Python,
sdist-only, the ``jieba`` extra) is the fallback with the same interface when it is not. Both
use jieba's dictionary with the policy-term dictionary ``data/userdict.txt`` on top, so that
放管服, 新质生产力 or 碳达峰 stay single tokens, and they give identical tokens (tested on the
seeds, the corpus and generated edge strings in tests/test_tokenize.py); rjieba cuts about
10x faster. ``segmenter_signature`` names the one in use (the per-document cache key holds it).

rjieba: its module-level default instance ``rjieba._DEFAULT_JIEBA`` is used (building a second
``rjieba.Jieba()`` costs another 0.2 s and its memory); the policy terms are added to it once.
jieba: it logs to stderr, keeps a global tokenizer and writes its dictionary cache into the
shared temp directory; here it gets its logger silenced, a private ``jieba.Tokenizer`` instance
and its cache in the user cache directory. Either is imported and loaded lazily on the first
call (importing ``policydiff`` stays fast).

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
- Thread-safe: the first call loads the segmenter under a lock (rjieba about 0.2 s; jieba
  0.3-0.8 s, less with a warm cache file).
"""

from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import threading
from importlib import metadata, resources
from itertools import accumulate
from typing import Any, Protocol

Span = tuple[int, int]

USE_HMM = False
"""jieba's HMM new-word discovery; off (see the module docstring for the measurement)."""

RJIEBA, JIEBA = "rjieba", "jieba"
"""The two segmenters, by the name of their package."""


class Segmenter(Protocol):
    """What ``tokenize`` needs of a segmenter: its name and a lossless cut."""

    name: str

    def cut(self, text: str) -> list[str]: ...

    def tag(self, text: str) -> list[tuple[str, str]]: ...


class _Rjieba:
    """rjieba's default instance with the policy terms added."""

    name = RJIEBA

    def __init__(self) -> None:
        import rjieba

        self._jieba = rjieba._DEFAULT_JIEBA
        for word, freq, tag in policy_terms():
            self._jieba.add_word(word, freq, tag)

    def cut(self, text: str) -> list[str]:
        return self._jieba.cut(text, USE_HMM)

    def tag(self, text: str) -> list[tuple[str, str]]:
        return [(word, flag) for word, flag in self._jieba.tag(text, USE_HMM)]


class _Jieba:
    """A private ``jieba.Tokenizer`` with the policy terms added (the fallback)."""

    name = JIEBA

    def __init__(self) -> None:
        self._tokenizer = _load_jieba()

    def cut(self, text: str) -> list[str]:
        return list(self._tokenizer.cut(text, HMM=USE_HMM))

    def tag(self, text: str) -> list[tuple[str, str]]:
        from jieba import posseg

        tagger = posseg.POSTokenizer(self._tokenizer)
        return [(p.word, p.flag) for p in tagger.cut(text, HMM=USE_HMM)]


_lock = threading.Lock()
_tokenizer: Segmenter | None = None


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):
        return False


def segmenter_name() -> str:
    """The segmenter ``tokenize`` uses (or will use once loaded): ``"rjieba"`` when it is
    installed, else ``"jieba"``. Does not import either."""
    if _tokenizer is not None:
        return _tokenizer.name
    return RJIEBA if _installed(RJIEBA) else JIEBA


def segmenter_signature() -> str:
    """What the tokens depend on besides our own code, for cache keys: the segmenter, its
    installed version and file, and the HMM switch. Cheap: imports neither segmenter."""
    name = segmenter_name()
    install = ""
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            info = os.stat(spec.origin)
            install = f"{metadata.version(name)}:{spec.origin}:{info.st_size}:{info.st_mtime_ns}"
    except (ImportError, ValueError, OSError, metadata.PackageNotFoundError):
        pass
    return f"segmenter={name};{name}={install};hmm={USE_HMM}"


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
    from policydiff.errors import InputError
    from policydiff.files import read_file

    try:
        # The one reader of non-input files: a FIFO, a device or a huge file put there is a
        # miss at once (and removed, so that jieba's initialize() does not read it either).
        freq, total = marshal.loads(read_file(path, "cache"))
    except InputError:
        if os.path.lexists(path) and not os.path.isdir(path):
            try:
                os.unlink(path)
            except OSError:
                pass
        return False
    except (OSError, ValueError, EOFError, TypeError):
        return False
    if not isinstance(freq, dict) or not isinstance(total, int) or not freq:
        return False
    tokenizer.FREQ, tokenizer.total = freq, total
    tokenizer.initialized = True
    return True


def _load_jieba() -> Any:
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


def load_segmenter(name: str) -> Segmenter:
    """A new segmenter of that name (``RJIEBA`` or ``JIEBA``), loaded with the policy terms.
    For comparing the two (tests, benchmarks); ``tokenize`` uses ``get_tokenizer``."""
    if name == RJIEBA:
        return _Rjieba()
    if name == JIEBA:
        if not _installed(JIEBA):
            raise ImportError(
                "policydiff needs a Chinese word segmenter: pip install rjieba (or jieba)"
            )
        return _Jieba()
    raise ValueError(f"unknown segmenter {name!r}")


def get_tokenizer() -> Segmenter:
    """The loaded segmenter (``segmenter_name``); loads it on the first call.

    Call it from a worker thread to warm up before the first diff (the TUI does).
    """
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = load_segmenter(segmenter_name())
    return _tokenizer


def _cut(text: str) -> list[str]:
    return get_tokenizer().cut(text)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into word tokens that join back to exactly ``text``."""
    if not text:
        return []
    tokens = _cut(text)
    if "".join(tokens) != text:
        # both have always been lossless in testing; if a future version is not, prefer
        # character tokens to silently corrupting offsets.
        return list(text)
    return tokens


def word_class(word: str) -> str:
    """The segmenter's part-of-speech tag of one token (jieba's tag set: ``n`` noun, ``v``
    verb, ``vn`` verbal noun, ``d`` adverb, ``m`` numeral, ``ns`` place name, …; policy terms
    are ``nz``); ``x`` when the token is not one word of the dictionary. The formulation
    finder (``changes/formulations.py``) tells terms from verb phrases and numbers with it."""
    if not word:
        return "x"
    tagged = get_tokenizer().tag(word)
    return tagged[0][1] if len(tagged) == 1 else "x"


def tokenize_spans(text: str) -> list[Span]:
    """The ``(start, end)`` character span of every token of ``text``, in order, tiling it."""
    ends = list(accumulate(map(len, tokenize(text))))
    return list(zip([0, *ends[:-1]], ends, strict=True)) if ends else []


_JIEBA_ASCII = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-"
)


def _in_jieba_block(char: str) -> bool:
    r"""Whether ``char`` belongs to the runs jieba cuts as a whole: one character of its
    ``re_han_default`` class ``[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]``.

    jieba's own class, not a ``policydiff.chars`` one: its Han range stops at U+9FD5, and it
    puts ASCII letters, digits and ``+#&._%-`` in the same runs. Tested against the class as a
    regex (a compiled pattern cost every start-up a few milliseconds)."""
    return "\u4e00" <= char <= "\u9fd5" or char in _JIEBA_ASCII


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
    return not (_in_jieba_block(before) and _in_jieba_block(after))
