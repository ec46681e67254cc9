"""The change report as JSON (schema ``policydiff/changes@1``): writer, schema and strict
loader.

Deterministic (``jsontext.dumps``: keys in a fixed order, floats rounded, UTF-8, one
trailing newline). The JSON Schema ships as ``policydiff/data/changes.schema.json`` and is
documented in ``docs/changes.md``. Lines and columns are the source file's, 1-based.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policydiff import __version__
from policydiff.changes.model import (
    DIRECTIONS,
    KINDS,
    ChangeReport,
    DocumentRef,
    Entry,
    Figure,
    ThemeChange,
)

CHANGES_SCHEMA = "policydiff/changes@1"
SCHEMA_FILE = "changes.schema.json"


def _document(ref: DocumentRef, role: str) -> dict[str, Any]:
    return {"id": ref.id, "label": ref.label, "title": ref.title, "path": ref.path,
            "file": ref.file, "role": role}


def figure_json(fig: Figure | None) -> dict[str, Any] | None:
    if fig is None:
        return None
    return {
        "value": fig.value,
        "amount": fig.amount,
        "unit": fig.unit,
        "qualifier": fig.qualifier,
        "name": fig.name,
        "sentence": fig.sentence,
        "section": fig.section,
        "line": fig.citation.line,
        "column": fig.citation.column,
        "span": list(fig.span),
    }


def entry_json(entry: Entry) -> dict[str, Any]:
    return {
        "text": entry.text,
        "score": round(entry.score, 4),
        "sentence": entry.sentence,
        "section": entry.section,
        "line": entry.citation.line,
        "column": entry.citation.column,
        "theme": entry.theme,
    }


def _theme(row: ThemeChange) -> dict[str, Any]:
    return {
        "theme": row.theme,
        "name": row.name,
        "targets": row.targets,
        "new": row.new,
        "dropped": row.dropped,
        "renamed": row.renamed,
        "rewritten": round(row.rewritten, 4),
        "chars": row.chars,
        "sections_added": list(row.sections_added),
        "sections_removed": list(row.sections_removed),
    }


def changes_json(report: ChangeReport) -> dict[str, Any]:
    """The report as a ``policydiff/changes@1`` document (plain data)."""
    return {
        "schema": CHANGES_SCHEMA,
        "generator": {"name": "policydiff", "version": __version__},
        "kind": report.kind,
        "documents": [_document(report.old, "old"), _document(report.new, "new")],
        "indicators": [
            {
                "name": ind.name,
                "theme": ind.theme,
                "direction": ind.direction,
                "from": figure_json(ind.old),
                "to": figure_json(ind.new),
            }
            for ind in report.indicators
        ],
        "new": [entry_json(e) for e in report.new_formulations],
        "dropped": [entry_json(e) for e in report.dropped_formulations],
        "renamed": [{"from": entry_json(r.old), "to": entry_json(r.new)} for r in report.renamed],
        "themes": [_theme(row) for row in report.themes],
        "notes": list(report.notes),
    }


def render_json(report: ChangeReport) -> str:
    from policydiff.formats.jsontext import dumps

    return dumps(changes_json(report))


def changes_schema() -> dict[str, Any]:
    """The JSON Schema of ``policydiff/changes@1``."""
    from policydiff.formats.jsontext import load_schema

    return load_schema(SCHEMA_FILE)


# --------------------------------------------------------------------------- loader

MAX_EXPORT_BYTES = 100_000_000
"""The largest change report ``load_changes`` reads."""
_EXPECTED = "pass a change report written by `policydiff changes A B --format json`"
_DIRECTIONS = frozenset(DIRECTIONS)


def load_changes(source: str | Path | bytes) -> dict[str, Any]:
    """Read a change report back, strictly: malformed or lenient JSON, another schema, or a
    shape that does not fit (documents, directions, figures, entries, themes) raise
    ``ExportError`` with one line naming the file."""
    from policydiff.errors import ExportError
    from policydiff.formats.jsontext import load_export

    data, name = load_export(source, schema=CHANGES_SCHEMA, what="change report",
                             expected=_EXPECTED, max_bytes=MAX_EXPORT_BYTES)
    problem = _problem(data)
    if problem:
        raise ExportError(f"{name}: {problem}; the file was edited or damaged: {_EXPECTED}")
    return data


def _problem(data: dict[str, Any]) -> str:
    """What is wrong with the shape of a change report ("" when nothing)."""
    docs = data.get("documents")
    if not isinstance(docs, list) or [d.get("role") if isinstance(d, dict) else None
                                      for d in docs] != ["old", "new"]:
        return "documents must be the old and the new document"
    if data.get("kind") not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    for key in ("indicators", "new", "dropped", "renamed", "themes"):
        if not isinstance(data.get(key), list):
            return f"{key} must be a list"
    for k, ind in enumerate(data["indicators"]):
        where = f"indicators[{k}]"
        if not isinstance(ind, dict) or ind.get("direction") not in _DIRECTIONS:
            return f"{where}: direction must be one of {', '.join(sorted(_DIRECTIONS))}"
        sides = [ind.get("from"), ind.get("to")]
        if all(side is None for side in sides) or not all(
            side is None or _is_cited(side, "value") for side in sides
        ):
            return f"{where}: from and to must be null or a figure with value, section, line"
    entries = [*data["new"], *data["dropped"]]
    entries += [side for pair in data["renamed"] if isinstance(pair, dict)
                for side in (pair.get("from"), pair.get("to"))]
    if not all(_is_cited(entry, "text") for entry in entries):
        return "every formulation needs text, section and a line from 1"
    if not all(isinstance(row, dict) and isinstance(row.get("theme"), str)
               for row in data["themes"]):
        return "every theme row needs its theme"
    return ""


def _is_cited(value: Any, text_key: str) -> bool:
    if not isinstance(value, dict):
        return False
    line = value.get("line")
    return (isinstance(value.get(text_key), str) and bool(value[text_key])
            and isinstance(value.get("section"), str) and isinstance(line, int)
            and not isinstance(line, bool) and line >= 1)
