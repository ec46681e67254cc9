"""The alignment JSON export (schema ``policydiff/alignment@2``): writer, schema and strict loader.

Output is deterministic: the same inputs give byte-identical JSON (keys in a fixed order,
floats rounded, UTF-8 without escapes, one trailing newline). The JSON Schema ships as
``policydiff/data/alignment.schema.json``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff import __version__
from policydiff.errors import ExportError
from policydiff.model import Document, Section

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.matches import Match

ALIGNMENT_SCHEMA = "policydiff/alignment@2"
MAX_EXPORT_BYTES = 200_000_000
"""The largest export ``load_alignment`` reads (an export is about 8 bytes per input byte)."""
_EXPECTED = "pass an alignment.json written by `policydiff align --json` or `policydiff compare`"
_DAMAGED = "the file was edited or damaged: re-export it with `policydiff align --json`"


def section_json(sec: Section, role: str = "") -> dict[str, Any]:
    return {
        "id": sec.id,
        "parent": sec.parent,
        "level": sec.level,
        "kind": sec.kind,
        "role": role or "body",
        "label": sec.label,
        "heading": sec.heading,
        "themes": [{"id": t.id, "score": round(t.score, 4)} for t in sec.themes],
        "span": list(sec.span),
        "heading_span": list(sec.heading_span),
        "body_span": list(sec.body_span),
        "source_span": list(sec.source_span),
    }


def document_json(doc: Document) -> dict[str, Any]:
    from policydiff.roles import section_roles

    roles = section_roles(doc)
    return {
        "id": doc.id,
        "label": doc.name,
        "path": doc.path,
        "title": doc.title,
        "sha256": doc.sha256,
        "encoding": doc.encoding,
        "script": doc.script,
        "warnings": list(doc.warnings),
        "chars": len(doc.text),
        "sections": [section_json(s, roles.get(s.id, "")) for s in doc.sections],
    }


def match_json(m: Match) -> dict[str, Any]:
    from policydiff.matches import confidence

    return {
        "a": m.a,
        "b": m.b,
        "kind": m.kind,
        "source": m.source,
        "group": m.group,
        "score": m.score,
        "confidence": 1.0 if m.source == "manual" else confidence(m.score),
        "themes": list(m.themes),
        "heading_similarity": m.heading_similarity,
        "body_similarity": m.body_similarity,
        "shared_terms": list(m.shared_terms),
    }


def alignment_json(comparison: Comparison) -> dict[str, Any]:
    """The whole comparison as a ``policydiff/alignment@2`` document (plain data).

    When the pairs were selected (``policydiff.pairs``: many documents, no ``--all-pairs``),
    each pair says why it is there (``reasons``, ``similarity``) and ``pair_selection`` how
    they were chosen; an export of every pair (or of ``--ref``) has neither field.
    """
    selection = comparison.pair_selection()
    chosen = {(p.a, p.b): p for p in selection.pairs}
    pairs = []
    for al in comparison.alignments():
        why: dict[str, Any] = {}
        if selection.mode == "selected":
            choice = chosen[(al.a, al.b)]
            why = {"reasons": list(choice.reasons), "similarity": choice.similarity}
        pairs.append(
            {
                "a": al.a,
                "b": al.b,
                **why,
                "matches": [match_json(m) for m in al.matches],
                "unmatched_a": list(al.unmatched_a),
                "unmatched_b": list(al.unmatched_b),
                "reviewed_in": [match_json(m) for m in al.reviewed_in],
                "origins": [{"part": p, "from": list(parts)} for p, parts in al.origins],
                "stale": list(al.stale),
            }
        )
    out: dict[str, Any] = {
        "schema": ALIGNMENT_SCHEMA,
        "generator": {"name": "policydiff", "version": __version__},
        "themes": [{"id": t.id, "name": t.name, "name_en": t.name_en} for t in comparison.themes],
        "documents": [document_json(d) for d in comparison.documents],
        "pairs": pairs,
        "matrix": [
            {"theme": theme, "sections": cells} for theme, cells in comparison.theme_matrix()
        ],
    }
    if selection.mode == "selected":
        from policydiff.pairs import SMALL_SET

        out["pair_selection"] = {
            "mode": selection.mode,
            "documents": len(comparison.documents),
            "all_pairs": len(comparison.documents) * (len(comparison.documents) - 1) // 2,
            "small_set": SMALL_SET,
            "neighbours": selection.neighbours,
            "similarity": "tfidf-cosine",
            "series": [list(chain) for chain in selection.series],
        }
    return out


def alignment_schema() -> dict[str, Any]:
    """The JSON Schema of ``policydiff/alignment@2``."""
    from policydiff.formats.jsontext import load_schema

    return load_schema("alignment.schema.json")


def load_alignment(path: str | Path, *, check_inputs: bool = True) -> dict[str, Any]:
    """Read an alignment export back, strictly.

    Raises ``ExportError`` (one line naming the file) for malformed JSON, a different schema
    version, sections or offsets that do not fit, and — with ``check_inputs`` — inputs whose
    sha256 no longer matches the file on disk.
    """
    from policydiff.formats.jsontext import check_inputs as check_inputs_of
    from policydiff.formats.jsontext import load_export

    # The export of a 10 MB document is about 76 MB: read up to MAX_EXPORT_BYTES (the 50 MB
    # default of read_bytes is meant for input documents).
    data, name = load_export(
        path, schema=ALIGNMENT_SCHEMA, what="alignment", expected=_EXPECTED,
        max_bytes=MAX_EXPORT_BYTES,
    )
    _validate_shape(data, name)
    if check_inputs:
        check_inputs_of(data, path, name, again="re-run compare")
    return data


def _validate_shape(data: dict[str, Any], name: str) -> None:
    """Structural checks the JSON Schema cannot express: ids and offsets that must fit."""
    try:
        docs = data["documents"]
        ids: dict[str, set[str]] = {}
        for doc in docs:
            if not isinstance(doc, dict) or not all(
                isinstance(doc.get(key), str) for key in ("id", "path", "sha256")
            ):
                raise ExportError(f"{name}: a document has no id, path or sha256; {_EXPECTED}")
            chars = doc.get("chars")
            section_ids = set()
            for sec in doc["sections"]:
                start, end = sec["span"]
                if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end):
                    raise ExportError(
                        f"{name}: section {sec['id']} has an invalid span; {_DAMAGED}"
                    )
                if isinstance(chars, int) and end > chars:
                    raise ExportError(
                        f"{name}: section {sec['id']} ends at {end}, past the text ({chars}); "
                        f"{_DAMAGED}"
                    )
                section_ids.add(sec["id"])
            ids[doc["id"]] = section_ids
        for pair in data["pairs"]:
            a, b = ids[pair["a"]], ids[pair["b"]]
            for m in pair["matches"]:
                if m["a"] not in a or m["b"] not in b:
                    raise ExportError(
                        f"{name}: match {m['a']}–{m['b']} names unknown sections; {_DAMAGED}"
                    )
                if not 0.0 <= float(m["score"]) <= 1.0:
                    raise ExportError(
                        f"{name}: match {m['a']}–{m['b']} has score outside 0..1; {_DAMAGED}"
                    )
    except ExportError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ExportError(
            f"{name}: not a valid alignment export ({exc.__class__.__name__}: {exc}); {_EXPECTED}"
        ) from None
