"""The diff JSON (schema ``policydiff/diff@1``): which section pairs a diff covers, the writer
and a strict loader.

Written by ``policydiff diff A B --format json``. Offsets are in each document's normalized
text. The JSON Schema ships as ``policydiff/data/diff.schema.json``; ``load_diff`` also checks
what a schema cannot say (opcodes that tile their spans, one hunk per changed opcode, moves
inside them, section ids of the right document) and refuses anything else with one line naming
the file. Every pair, change (``hunks``) and move carries the line and column of each source
file (``policydiff.citations``): the fields a reader quotes (``file:line``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff.errors import ExportError

if TYPE_CHECKING:
    from policydiff.citations import Citation
    from policydiff.comparison import Comparison, SectionDiff
    from policydiff.diff import DiffOptions
    from policydiff.matches import Alignment

DIFF_SCHEMA = "policydiff/diff@1"
MAX_DIFF_BYTES = 200_000_000
"""The largest diff export ``load_diff`` reads."""
TAGS = ("equal", "replace", "delete", "insert")
KINDS = ("match", "split", "merge")
_EXPECTED = "pass a file written by `policydiff diff A B --format json`"
_DAMAGED = "the file was edited or damaged: write it again with `policydiff diff --format json`"


def selected_diffs(
    comparison: Comparison,
    a: str,
    b: str,
    section: str | None = None,
    options: DiffOptions | None = None,
) -> list[SectionDiff]:
    """The section diffs a diff of documents ``a`` and ``b`` shows: every matched pair, or the
    pairs that hold ``section`` (a ``PolicyDiffError`` when none does)."""
    diffs = comparison.section_diffs(a, b, options)
    if section is None:
        return list(diffs)
    chosen = [sd for sd in diffs if section in (sd.match.a, sd.match.b)]
    if not chosen:
        from policydiff.errors import PolicyDiffError

        raise PolicyDiffError(
            f"--section {section}: no aligned pair has that section "
            "(see `policydiff align` for the ids)"
        )
    return chosen


def diff_json(
    comparison: Comparison, selected: list[SectionDiff], al: Alignment, section: str | None
) -> dict[str, Any]:
    """Plain data of the selected diffs; offsets are in each document's normalized text, and
    every section pair, change (``hunks``) and move carries the source files' line and column
    (``policydiff.citations``)."""
    from policydiff.citations import Citer, file_name, hunk_citations

    cite_a, cite_b = Citer(comparison.document(al.a)), Citer(comparison.document(al.b))
    pairs = []
    for sd in selected:
        d = sd.diff
        a0, b0 = sd.span_a[0], sd.span_b[0]
        opcodes = [op.as_tuple() for op in d.opcodes]
        moves = [((m.a_span[0] + a0, m.a_span[1] + a0), (m.b_span[0] + b0, m.b_span[1] + b0),
                  m.text) for m in d.moves]
        pairs.append(
            {
                "a": sd.match.a,
                "b": sd.match.b,
                "kind": sd.match.kind,
                "score": sd.match.score,
                "similarity": round(d.similarity, 4),
                "coarse": d.coarse,
                "span_a": list(sd.span_a),
                "span_b": list(sd.span_b),
                "a_at": _at(cite_a.cite(sd.span_a, section="")),
                "b_at": _at(cite_b.cite(sd.span_b, section="")),
                "opcodes": [
                    [tag, i1 + a0, i2 + a0, j1 + b0, j2 + b0] for tag, i1, i2, j1, j2 in opcodes
                ],
                "hunks": [
                    {"opcode": k, "a_at": _at(at_a), "b_at": _at(at_b)}
                    for k, at_a, at_b in hunk_citations(
                        cite_a, cite_b, sd.span_a, sd.span_b, opcodes
                    )
                ],
                "moves": [
                    {"a": list(a), "b": list(b), "text": text,
                     "a_at": _at(cite_a.cite(a, section="")),
                     "b_at": _at(cite_b.cite(b, section=""))}
                    for a, b, text in moves
                ],
            }
        )
    return {
        "schema": DIFF_SCHEMA,
        "documents": [
            {"id": d.id, "path": d.path, "file": file_name(d), "sha256": d.sha256}
            for d in comparison.documents
        ],
        "pairs": pairs,
        "unmatched_a": [] if section else list(al.unmatched_a),
        "unmatched_b": [] if section else list(al.unmatched_b),
    }


def _at(citation: Citation) -> dict[str, int]:
    """A position in a source file: ``{"line", "column"}``, both 1-based."""
    return {"line": citation.line, "column": citation.column}


def diff_schema() -> dict[str, Any]:
    """The JSON Schema of ``policydiff/diff@1``."""
    from policydiff.formats.jsontext import load_schema

    return load_schema("diff.schema.json")


def load_diff(path: str | Path, *, check_inputs: bool = True) -> dict[str, Any]:
    """Read a diff export back, strictly.

    Raises ``ExportError`` (one line naming the file) for malformed JSON, a different schema
    version, a shape that does not fit (see the module doc), and, with ``check_inputs``,
    inputs whose sha256 no longer matches the file on disk.
    """
    from policydiff.formats.jsontext import check_inputs as check_inputs_of
    from policydiff.formats.jsontext import load_export

    data, name = load_export(
        path, schema=DIFF_SCHEMA, what="diff", expected=_EXPECTED, max_bytes=MAX_DIFF_BYTES
    )
    try:
        _check_shape(data, name)
    except ExportError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ExportError(
            f"{name}: not a valid diff export ({exc.__class__.__name__}: {exc}); {_EXPECTED}"
        ) from None
    if check_inputs:
        check_inputs_of(data, path, name, again="diff again")
    return data


def _is_span(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and 0 <= value[0] <= value[1]
    )


def _check_shape(data: dict[str, Any], name: str) -> None:
    """What the loader checks beyond the JSON Schema (raises on the first problem)."""
    docs = data["documents"]
    if not isinstance(docs, list) or len(docs) != 2 or not all(
        isinstance(doc, dict) and all(isinstance(doc.get(k), str) for k in ("id", "path", "sha256"))
        for doc in docs
    ):
        raise ExportError(f"{name}: documents must be two entries with id, path and sha256; "
                          f"{_EXPECTED}")
    prefixes = (docs[0]["id"] + "/", docs[1]["id"] + "/")
    for side, key in ((0, "unmatched_a"), (1, "unmatched_b")):
        if not all(isinstance(s, str) and s.startswith(prefixes[side]) for s in data[key]):
            raise ExportError(f"{name}: {key} names a section of another document; {_DAMAGED}")
    for pair in data["pairs"]:
        _check_pair(pair, prefixes, name)


def _check_pair(pair: dict[str, Any], prefixes: tuple[str, str], name: str) -> None:
    label = f"pair {str(pair['a'])[:40]!r}–{str(pair['b'])[:40]!r}"
    if not (isinstance(pair["a"], str) and pair["a"].startswith(prefixes[0])
            and isinstance(pair["b"], str) and pair["b"].startswith(prefixes[1])):
        raise ExportError(f"{name}: {label} names sections of other documents; {_DAMAGED}")
    if pair["kind"] not in KINDS or not isinstance(pair["coarse"], bool):
        raise ExportError(f"{name}: {label} has an unknown kind or coarse flag; {_DAMAGED}")
    for key in ("score", "similarity"):
        value = pair[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ExportError(f"{name}: {label} has {key} outside 0..1; {_DAMAGED}")
    if not (_is_span(pair["span_a"]) and _is_span(pair["span_b"])):
        raise ExportError(f"{name}: {label} has an invalid span; {_DAMAGED}")
    a_pos, b_pos = pair["span_a"][0], pair["span_b"][0]
    for op in pair["opcodes"]:
        if not (isinstance(op, list) and len(op) == 5 and op[0] in TAGS
                and _is_span(op[1:3]) and _is_span(op[3:5]) and (op[1], op[3]) == (a_pos, b_pos)):
            raise ExportError(f"{name}: {label}: opcodes do not tile the spans; {_DAMAGED}")
        a_pos, b_pos = op[2], op[4]
    if [a_pos, b_pos] != [pair["span_a"][1], pair["span_b"][1]]:
        raise ExportError(f"{name}: {label}: opcodes do not reach the end of the spans; "
                          f"{_DAMAGED}")
    hunks = pair.get("hunks", [])
    changes = [k for k, op in enumerate(pair["opcodes"]) if op[0] != "equal"]
    if not isinstance(hunks, list) or (hunks and [h.get("opcode") for h in hunks] != changes):
        raise ExportError(f"{name}: {label}: hunks do not match its changed opcodes; {_DAMAGED}")
    for move in pair["moves"]:
        inside = (
            _is_span(move["a"]) and _is_span(move["b"]) and isinstance(move["text"], str)
            and pair["span_a"][0] <= move["a"][0] and move["a"][1] <= pair["span_a"][1]
            and pair["span_b"][0] <= move["b"][0] and move["b"][1] <= pair["span_b"][1]
        )
        if not inside:
            raise ExportError(f"{name}: {label} has a move outside its spans; {_DAMAGED}")
