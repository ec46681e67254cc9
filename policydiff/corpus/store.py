"""The corpus store: a folder of Parquet tables, added to part by part.

Layout (``STORE/``)::

    store.json                 format marker and the settings every document was read with
    documents/part-NNNNN.parquet   one row per document: key, path, title, year, region, level,
                               extra manifest columns (JSON), status (ok/failed), error, chars,
                               text (normalized), source (decoded), token_lengths
    sections/part-NNNNN.parquet    key, section, level, heading, start, end, source_start,
                               source_end, theme (best theme or empty)
    themes/part-NNNNN.parquet      the theme matrix: key, theme, sections, share (of the
                               document's characters in sections of that theme)
    shingles/part-NNNNN.parquet    key, hashes: the distinct 4-character shingle hashes of the
                               document (``phrases.window_hashes``), for the phrase miner
    alignments/part-NNNNN.parquet  one row per aligned pair (``corpus align``, ``align.py``)

Rules:
- A document's key is the sha256 of its bytes with the settings signature: a document seen
  before with the same settings is not read again; the same bytes under two paths are one
  document (the first path is kept).
- A document that failed is a row with ``status = failed`` and its one-line error; it is tried
  again by the next build, and a later success replaces it.
- Every part is written with ``files.write_atomic``: an interrupted build leaves the store as
  it was, or with whole new parts.
- A store made with other settings (encoding, themes, normalization) is refused when added to.
- Parts are written in row groups of ``ROW_GROUP`` rows, so that a task reads only the
  documents it works on (``Store.locate``, ``read_rows``), not the whole table.

Parts are opened by ``open_part``, not through ``files.read_file`` (the bounded reader of
every other non-input file): Parquet is read by ranges (the footer, then the row groups a
task needs), and ``read_file`` reads a whole file into memory, which for a part of thousands
of documents is what the row groups avoid. ``open_part`` applies the same rules otherwise: a
regular file (``lstat``, then the open descriptor, opened non-blocking), never through a
symbolic link, one-line ``InputError``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from policydiff.errors import InputError
from policydiff.textsafe import one_line

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from policydiff.config import Config

FORMAT = "policydiff-corpus@1"
MARKER = "store.json"
TABLES = ("documents", "sections", "themes", "shingles", "alignments")
OK = "ok"
SHINGLE_CHARS = 4
"""The shingle length stored with each document (the default shortest phrase)."""
FAILED = "failed"
ROW_GROUP = 16
"""Rows per Parquet row group (the unit a task reads)."""


def settings_signature(config: Config) -> str:
    """What a document's stored form depends on besides its bytes: the settings and the
    package version (a new version reads the documents again)."""
    from policydiff import __version__

    parts = [__version__, repr(config.encoding), repr(config.normalize),
             repr(str(config.themes_file) if config.themes_file else None)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def document_key(data: bytes, signature: str) -> str:
    """The store key of a document: its bytes and the settings."""
    digest = hashlib.sha256(data)
    digest.update(signature.encode())
    return digest.hexdigest()[:32]


@dataclass
class Store:
    """An opened store (see the module docstring)."""

    path: Path
    signature: str

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open an existing store; ``InputError`` when ``path`` is not one."""
        from policydiff.files import read_file

        folder = Path(path)
        marker = folder / MARKER
        if not os.path.lexists(marker):
            raise InputError(f"{path}: not a corpus store (no {MARKER}; make one with "
                             "`policydiff corpus build FILES... -o STORE`)")
        try:  # the one reader of non-input files: a regular file, at most 1 MB
            info = json.loads(read_file(marker, "store").decode("utf-8"))
        except (InputError, ValueError) as exc:
            raise InputError(f"{path}: unreadable corpus store ({exc})") from None
        if not isinstance(info, dict) or info.get("format") != FORMAT:
            raise InputError(f"{path}: not a {FORMAT} store")
        return cls(folder, str(info.get("settings", "")))

    @classmethod
    def create_or_open(cls, path: str | Path, signature: str) -> Store:
        """The store at ``path`` for adding documents read with ``signature``; made when it
        does not exist. ``InputError`` when it holds documents read with other settings."""
        from policydiff.files import write_atomic

        folder = Path(path)
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{path}: exists and is not a folder")
        if (folder / MARKER).exists():
            store = cls.open(folder)
            if store.signature != signature:
                raise InputError(
                    f"{path}: this store was built with other settings (encoding, themes, "
                    "normalization or policydiff version); build a new store")
            return store
        if folder.exists() and any(folder.iterdir()):
            raise InputError(f"{path}: folder exists, is not empty and is not a corpus store")
        info = {"format": FORMAT, "settings": signature}
        write_atomic(folder / MARKER, json.dumps(info) + "\n")
        return cls(folder, signature)

    def parts(self, table: str) -> list[Path]:
        """The part files of ``table``, oldest first."""
        folder = self.path / table
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir()
                      if p.name.endswith(".parquet") and not p.name.startswith("."))

    def stamp(self) -> str:
        """Changes whenever a part is added (for caches of what was read)."""
        names = [f"{p.name}:{p.stat().st_mtime_ns}" for t in TABLES for p in self.parts(t)]
        return hashlib.sha256("\n".join([str(self.path.resolve()), *names]).encode()).hexdigest()

    def write_part(self, tables: dict[str, pa.Table]) -> None:
        """Add one part to each table (tables without rows are skipped)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from policydiff.files import write_atomic

        number = max((int(p.stem.split("-")[1]) for t in TABLES for p in self.parts(t)),
                     default=-1) + 1
        for name, table in tables.items():
            if table.num_rows == 0:
                continue
            sink = pa.BufferOutputStream()
            pq.write_table(table, sink, compression="zstd", row_group_size=ROW_GROUP)
            data = sink.getvalue().to_pybytes()
            write_atomic(self.path / name / f"part-{number:05d}.parquet", data)

    def read(self, table: str, columns: list[str] | None = None, *, places: bool = False
             ) -> pd.DataFrame:
        """All rows of ``table`` (``columns`` only), parts in order; ``places``: with the
        number of each row's part and its row in it (columns ``part``, ``row``)."""
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        frames = []
        for number, path in enumerate(self.parts(table)):
            with open_part(path) as handle:
                found = pq.read_table(handle, columns=columns)
            if places:
                found = found.append_column("part", pa.array([number] * found.num_rows,
                                                             pa.int32()))
                found = found.append_column("row", pa.array(range(found.num_rows), pa.int64()))
            frames.append(found)
        if not frames:
            return pd.DataFrame(columns=[*(columns or []), *(["part", "row"] if places else [])])
        return pa.concat_tables(frames, promote_options="default").to_pandas()

    def documents(self, columns: list[str] | None = None, *, failed: bool = False,
                  places: bool = False) -> pd.DataFrame:
        """The documents, one row per key in the order they were first added: the rows that
        were read (``failed``: the rows of documents whose last attempt failed instead);
        ``places``: with the ``part`` (number in ``parts("documents")``) and ``row`` of each,
        for ``read_rows``."""
        wanted = None if columns is None else list(dict.fromkeys(["key", "status", *columns]))
        frame = self.read("documents", wanted, places=places)
        if frame.empty:
            return frame
        ok = frame[frame["status"] == OK].drop_duplicates("key", keep="first")
        if not failed:
            return ok.reset_index(drop=True)
        bad = frame[frame["status"] == FAILED].drop_duplicates("key", keep="last")
        return bad[~bad["key"].isin(ok["key"])].reset_index(drop=True)

    def known_keys(self) -> set[str]:
        """Keys of the documents read successfully."""
        return set(self.documents(["key"])["key"])


def open_part(path: Path) -> BinaryIO:
    """A part file opened for reading (the rules in the module docstring)."""
    shown = one_line(str(path))
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            raise InputError(f"{shown}: not a regular file; a store's parts are files")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise InputError(f"{shown}: cannot read this part of the store ({exc.strerror})"
                         ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(f"{shown}: not a regular file; a store's parts are files")
    return os.fdopen(fd, "rb")


def read_rows(store_path: str | Path, places: Sequence[tuple[int, int]],
              columns: list[str]) -> list[dict[str, Any]]:
    """The ``columns`` of the documents at ``places`` (``(part, row)``, from
    ``Store.documents(places=True)``), in that order, reading only their row groups."""
    import pyarrow.parquet as pq

    parts = Store(Path(store_path), "").parts("documents")
    wanted: dict[int, set[int]] = {}
    for part, row in places:
        wanted.setdefault(part, set()).add(row)
    found: dict[tuple[int, int], dict[str, Any]] = {}
    for part, rows in wanted.items():
        with open_part(parts[part]) as handle:
            reader = pq.ParquetFile(handle)
            sizes = [reader.metadata.row_group(g).num_rows
                     for g in range(reader.num_row_groups)]
            firsts = [0, *accumulate(sizes)]
            groups = sorted({bisect.bisect_right(firsts, r) - 1 for r in rows})
            table = reader.read_row_groups(groups, columns=columns).to_pylist()
        offset = 0
        for group in groups:
            for r in range(firsts[group], firsts[group + 1]):
                if r in rows:
                    found[(part, r)] = table[offset + r - firsts[group]]
            offset += sizes[group]
    return [found[place] for place in places]
