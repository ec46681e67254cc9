"""The change report as JSON (schema ``policydiff/changes@1``): writer and schema.

Deterministic (``jsontext.dumps``: keys in a fixed order, floats rounded, UTF-8, one
trailing newline). The JSON Schema ships as ``policydiff/data/changes.schema.json`` and is
documented in ``docs/changes.md``. Lines and columns are the source file's, 1-based.
"""

from __future__ import annotations

from typing import Any

from policydiff import __version__
from policydiff.changes.model import ChangeReport, DocumentRef, Entry, Figure, ThemeChange

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
