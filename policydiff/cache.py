"""The per-document cache: what was computed for a document seen before, kept on disk.

Why: reading a report is cheap, but normalizing, segmenting, classifying and above all
tokenizing it (jieba's dictionary alone takes 0.3-1 s to load) is not; a user comparing this
year's report with last year's re-reads the same files again and again. An entry holds the
result for one input, found by a key made of:

- the sha256 of the input's bytes (for tokens: of the normalized text), so an edited file is
  a new entry and a renamed or copied one is the same;
- a digest of the code and data files of the ``policydiff`` package (``code_digest``), so
  entries written by another version of the tool, or before a bug fix, are never used;
- the settings the result depends on (encoding override, normalize config, theme taxonomy,
  tokenizer), given by the caller.

Rules:
- Location: ``$POLICYDIFF_CACHE_DIR`` when set, else ``platformdirs.user_cache_dir("policydiff")``
  (``~/.cache/policydiff`` on Linux), in one sub-folder per kind of entry. Folders are created
  private to the user (mode 0700).
- ``POLICYDIFF_NO_CACHE=1`` (or ``true``/``yes``), or ``enabled=False`` (the ``--no-cache``
  option), turns the cache off: nothing is read or written.
- Safe to delete at any time, wholly or in part: a missing entry is recomputed.
- An entry is one JSON file (no pickle: nothing in it can run code), written to a temporary
  file in the same folder and renamed over the target, so a reader sees a whole entry or
  none. It carries a format name, a version and its own key; an entry that cannot be read or
  parsed, or whose format, version or key differ, is ignored and rewritten. Entries are read
  with ``files.read_file`` (kind ``cache``): a regular file, never through a symbolic link,
  at most ``files.KINDS["cache"].limit`` bytes, so a FIFO, a device or a huge sparse file put
  in place of an entry is a miss at once, not a hang; an entry that large is never written.
  Callers check the content too (lengths, spans) and treat any inconsistency as a miss.
- A cache that cannot be written (read-only disk, full disk) is not an error: the result is
  simply not kept.
- The cache only grows; entries of old versions are never read again and can be deleted with
  the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from policydiff.errors import InputError
from policydiff.files import KINDS, read_file

FORMAT = "policydiff-cache"
VERSION = 1

ENV_DIR = "POLICYDIFF_CACHE_DIR"
ENV_OFF = "POLICYDIFF_NO_CACHE"
_TRUE = frozenset({"1", "true", "yes", "on"})
_HASHED = (".py", ".txt", ".toml", ".json")


def is_enabled(enabled: bool | None = None) -> bool:
    """Whether to use the cache: ``enabled`` when given, else on unless ``POLICYDIFF_NO_CACHE``."""
    if enabled is not None:
        return enabled
    return os.environ.get(ENV_OFF, "").strip().lower() not in _TRUE


def cache_dir() -> Path:
    """The cache folder (not created here): ``$POLICYDIFF_CACHE_DIR`` or the user cache dir."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("policydiff"))


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of every module and data file of the ``policydiff`` package, subpackages
    included (``normalize/``, ``phrases/``, …).

    Any change to the code or data (a new version, a local fix, another taxonomy file shipped)
    gives a new digest and so new keys. Reading the ~60 files takes a few milliseconds.
    """
    digest = hashlib.sha256(f"{FORMAT}@{VERSION}".encode())
    for name, entry in hashed_files():
        digest.update(name.encode())
        digest.update(hashlib.sha256(entry.read_bytes()).digest())
    return digest.hexdigest()


def hashed_files() -> list[tuple[str, Traversable]]:
    """The files ``code_digest`` reads, by path inside the package, in a fixed order."""
    found: list[tuple[str, Traversable]] = []
    pending: list[tuple[str, Traversable]] = [("", resources.files("policydiff"))]
    while pending:
        prefix, folder = pending.pop()
        for entry in folder.iterdir():
            if entry.is_dir() and entry.name != "__pycache__":
                pending.append((f"{prefix}{entry.name}/", entry))
            elif entry.is_file() and entry.name.endswith(_HASHED):
                found.append((f"{prefix}{entry.name}", entry))
    return sorted(found, key=lambda item: item[0])


def make_key(*parts: str) -> str:
    """One key (hex sha256) from the given parts and ``code_digest()``."""
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(b"\x00")
        digest.update(part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _entry_path(kind: str, key: str) -> Path:
    return cache_dir() / kind / key[:2] / f"{key}.json"


def has_entry(kind: str, key: str) -> bool:
    """Whether a regular file is stored under ``kind``/``key`` (not whether it reads back:
    ``read_entry`` says that)."""
    try:
        return stat.S_ISREG(_entry_path(kind, key).lstat().st_mode)
    except OSError:
        return False


def read_entry(kind: str, key: str) -> Any | None:
    """The data stored under ``kind``/``key``, or None (missing, unreadable, corrupt, stale)."""
    try:
        raw = read_file(_entry_path(kind, key), "cache")
        entry = json.loads(raw.decode("utf-8", "surrogatepass"))
    except (InputError, OSError, ValueError, RecursionError):
        return None
    if (
        not isinstance(entry, dict)
        or entry.get("format") != FORMAT
        or entry.get("version") != VERSION
        or entry.get("kind") != kind
        or entry.get("key") != key
        or "data" not in entry
    ):
        return None
    return entry["data"]


def write_entry(kind: str, key: str, data: Any) -> bool:
    """Store ``data`` (plain JSON data) under ``kind``/``key`` atomically; False if it could not."""
    path = _entry_path(kind, key)
    entry = {"format": FORMAT, "version": VERSION, "kind": kind, "key": key, "data": data}
    try:
        payload = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode(
            "utf-8", "surrogatepass"
        )
        if len(payload) > KINDS["cache"].limit:
            return False  # it could not be read back
        _make_private_dirs(path.parent)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except (OSError, ValueError, TypeError):
        return False
    return True


def _make_private_dirs(path: Path) -> None:
    """Create ``path`` and missing parents; new folders are private to the user (0700)."""
    missing = []
    while not path.is_dir():
        missing.append(path)
        if path.parent == path:
            break
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            pass
