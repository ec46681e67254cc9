"""``corpus build``: read documents into the store, as Dask tasks.

Each task reads a few documents with the core's own stages (``document.load_document``:
decode, normalize, segment, themes; ``document.document_tokens``: tokens) and returns their
rows; the client writes them as a new part of every table (``store.py``), one part per
``DOCUMENTS_PER_PART`` inputs, so that it never holds more than that many documents' rows. A
document that fails becomes a row with its one-line error and does not stop the build.
Every input is read once, by its task, which computes its key: a document already in the
store (same bytes, same settings) is only hashed, not decoded or processed again.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policydiff.corpus.manifest import Entry, describe
from policydiff.corpus.store import (
    FAILED,
    OK,
    SHINGLE_CHARS,
    Store,
    document_key,
    settings_signature,
)

if TYPE_CHECKING:
    import pyarrow as pa

    from policydiff.config import Config
    from policydiff.corpus.run import Runner
    from policydiff.model import Document

DOCUMENTS_PER_TASK = 8
DOCUMENTS_PER_PART = 2000
"""Documents read before their part is written (bounds what the client holds)."""


@dataclass
class BuildResult:
    """What a build did."""

    added: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: int = 0
    duplicates: int = 0


@dataclass(frozen=True)
class _Task:
    entries: tuple[Entry, ...]
    config: Config
    store: str
    stamp: str


Tables = dict[str, list[dict[str, Any]]]
"""Rows by table name."""


def build_store(entries: Sequence[Entry], store_path: str, config: Config, runner: Runner
                ) -> BuildResult:
    """Add ``entries`` to the store at ``store_path`` (made when missing). Every input is read
    once, by its task: the task computes its key and skips it when the store has it."""
    store = Store.create_or_open(store_path, settings_signature(config))
    stamp = store.stamp()
    result = BuildResult()
    keys: set[str] = set()
    batches = range(0, len(entries), DOCUMENTS_PER_PART) if entries else range(1)
    for number, first in enumerate(batches, 1):
        batch = entries[first : first + DOCUMENTS_PER_PART]
        chunks = [_Task(tuple(batch[i : i + DOCUMENTS_PER_TASK]), config, str(store.path),
                        stamp) for i in range(0, len(batch), DOCUMENTS_PER_TASK)]
        stage = "reading" if len(batches) == 1 else f"reading {number}/{len(batches)}"
        tables: Tables = {"documents": [], "sections": [], "themes": [], "shingles": []}
        for part in runner.map(stage, read_chunk, chunks):
            for found in part:  # in the order of the entries
                if _count(found, keys, result):
                    for name, rows in (found or {}).items():
                        tables[name].extend(rows)
        store.write_part({name: _arrow(name, found) for name, found in tables.items()})
    return result


def _count(found: Tables | None, keys: set[str], result: BuildResult) -> bool:
    """Count one entry's outcome in ``result``; whether its rows go into the store (not when
    the store has it or an earlier entry had the same bytes)."""
    if found is None:
        result.skipped += 1
        return False
    row = found["documents"][0]
    if row["status"] != OK:
        result.failed.append((row["path"], row["error"]))
    elif row["key"] in keys:
        result.duplicates += 1
        return False
    else:
        keys.add(row["key"])
        result.added += 1
    return True


_KNOWN: dict[str, frozenset[str]] = {}


def _known(store: str, stamp: str) -> frozenset[str]:
    """The keys of the store's documents, read once per process and store state."""
    if stamp not in _KNOWN:
        _KNOWN.clear()
        _KNOWN[stamp] = frozenset(Store.open(store).known_keys())
    return _KNOWN[stamp]


def read_chunk(task: _Task) -> list[Tables | None]:
    """Per entry, the rows of its document (the task body), or None when the store has it."""
    from policydiff.decode import read_input
    from policydiff.themes import load_themes

    config = task.config
    themes = load_themes(config.themes_file)
    signature = settings_signature(config)
    known = _known(task.store, task.stamp)
    out: list[Tables | None] = []
    for entry in task.entries:
        found: Tables = {"documents": [], "sections": [], "themes": [], "shingles": []}
        key = ""
        try:
            data = read_input(entry.path)
            key = document_key(data, signature)
            if key in known:
                out.append(None)
                continue
            _read_one(entry, data, key, config, themes, found)
        except Exception as exc:  # one bad document never stops the build
            found = {"documents": [_failed_row(entry.path, key, _one_line(exc))]}
        out.append(found)
    return out


def _read_one(entry: Entry, data: bytes, key: str, config: Config, themes: Any,
              out: dict[str, list[dict[str, Any]]]) -> None:
    import numpy as np

    from policydiff.corpus.phrases import window_hashes
    from policydiff.document import document_tokens, load_document

    doc = load_document(entry.path, doc_id="d1", encoding=config.encoding,
                        config=config.normalize, themes=themes, cache=config.cache, data=data)
    tokens = document_tokens(doc, cache=config.cache)
    ends = tokens.ends.tolist()
    lengths = [e - s for s, e in zip([0, *ends][:-1], ends, strict=True)]
    year, region, level = describe(entry, doc)
    out["documents"].append({
        "key": key, "path": entry.path, "title": doc.title, "year": year, "region": region,
        "level": level, "extra": json.dumps(entry.extra, ensure_ascii=False), "status": OK,
        "error": "", "chars": len(doc.text), "text": doc.text, "source": doc.source_text,
        "token_lengths": lengths,
    })
    out["sections"].extend(_section_rows(key, doc))
    out["themes"].extend(_theme_rows(key, doc))
    hashes = np.unique(window_hashes(doc.text, SHINGLE_CHARS))
    out["shingles"].append({"key": key, "hashes": hashes.astype("<u8").tobytes()})


def _section_rows(key: str, doc: Document) -> list[dict[str, Any]]:
    return [{
        "key": key, "section": sec.id.split("/", 1)[-1], "level": sec.level,
        "heading": sec.heading, "start": sec.span[0], "end": sec.span[1],
        "source_start": sec.source_span[0], "source_end": sec.source_span[1],
        "theme": sec.themes[0].id if sec.themes else "",
    } for sec in doc.sections]


def _theme_rows(key: str, doc: Document) -> list[dict[str, Any]]:
    """The document's row of the theme matrix: per theme, the sections whose best theme it
    is and the share of the document's characters in their own text."""
    counts: dict[str, list[int]] = {}
    for sec in doc.sections:
        if sec.themes:
            start, end = sec.own_span
            entry = counts.setdefault(sec.themes[0].id, [0, 0])
            entry[0] += 1
            entry[1] += end - start
    total = max(1, len(doc.text))
    return [{"key": key, "theme": theme, "sections": n, "share": round(chars / total, 4)}
            for theme, (n, chars) in sorted(counts.items())]


def _failed_row(path: str, key: str, error: str) -> dict[str, Any]:
    return {"key": key or f"failed:{path}", "path": path, "title": "", "year": None,
            "region": "", "level": "", "extra": "{}", "status": FAILED, "error": error,
            "chars": 0, "text": "", "source": "", "token_lengths": []}


def _one_line(exc: Exception) -> str:
    from policydiff.textsafe import visible

    return visible(" ".join(str(exc).split()) or type(exc).__name__)


def _arrow(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa

    schemas = {
        "documents": pa.schema([
            ("key", pa.string()), ("path", pa.string()), ("title", pa.string()),
            ("year", pa.int32()), ("region", pa.string()), ("level", pa.string()),
            ("extra", pa.string()), ("status", pa.string()), ("error", pa.string()),
            ("chars", pa.int64()), ("text", pa.large_string()), ("source", pa.large_string()),
            ("token_lengths", pa.list_(pa.int32())),
        ]),
        "sections": pa.schema([
            ("key", pa.string()), ("section", pa.string()), ("level", pa.int32()),
            ("heading", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
            ("source_start", pa.int64()), ("source_end", pa.int64()), ("theme", pa.string()),
        ]),
        "themes": pa.schema([("key", pa.string()), ("theme", pa.string()),
                             ("sections", pa.int32()), ("share", pa.float64())]),
        "shingles": pa.schema([("key", pa.string()), ("hashes", pa.large_binary())]),
    }
    return pa.Table.from_pylist(rows, schema=schemas[name])
