"""The phrases JSON export (schema ``policydiff/phrases@1``): writer and strict loader.

The writer (``render_json``) turns a ``policydiff.report.PhraseReport`` into compact JSON:
not ASCII-escaped, sorted keys, one line and a newline, floats rounded to 4 places. The JSON
Schema ships as ``policydiff/data/phrases.schema.json`` (``phrases_schema``).

The loader (``load_phrases``) reads such an export back and refuses, with an ``ExportError``
whose message is one line naming the file, anything the writer would not have written: JSON
that ``formats.jsontext.load_json_strict`` refuses, another schema, a missing or unknown
field, a value of the wrong type, an id that names no document, a span that is not
``[start, end)`` with ``0 <= start < end`` and ``end - start`` the length of its text (inside
the document too, when its text is given), counts that disagree with the occurrences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from policydiff import __version__
from policydiff.errors import ExportError
from policydiff.phrases.model import KINDS, NewPhrase, bulk_allocation, han_count
from policydiff.report import PhraseReport, rounded

SCHEMA = "policydiff/phrases@1"
SCHEMA_FILE = "phrases.schema.json"
"""The JSON Schema of ``SCHEMA``, in ``policydiff/data/``."""
MAX_EXPORT_BYTES = 200_000_000
"""The largest export ``load_phrases`` reads."""
_EXPECTED = "pass a phrases.json written by `policydiff phrases --format json` or `compare`"
_DAMAGED = "the file was edited or damaged: re-export it with `policydiff phrases --format json`"
_SHA256_RE = re.compile(r"(?:[0-9a-f]{64})?")

# --------------------------------------------------------------------------- writer


def report_dict(report: PhraseReport, *, phrases: bool = True) -> dict[str, Any]:
    """The report as plain data in the ``policydiff/phrases@1`` shape (``phrases=False``:
    without the ``phrases`` list, which ``render_json`` writes itself)."""
    data = {
        "schema": SCHEMA,
        "generator": {"name": "policydiff", "version": __version__},
        "min_chars": report.phrase_set.min_chars,
        "min_docs": report.phrase_set.min_docs,
        "documents": [
            {"id": d.id, "label": d.name, "path": d.path, "title": d.title, "sha256": d.sha256}
            for d in report.documents
        ],
        "overlap": [
            {
                "a": o.a,
                "b": o.b,
                "jaccard": rounded(o.jaccard),
                "coverage_a": rounded(o.coverage_a),
                "coverage_b": rounded(o.coverage_b),
                "shared": o.shared,
            }
            for o in report.overlaps
        ],
        "changes": [
            {
                "from": c.from_doc,
                "to": c.to_doc,
                "new": [u.text for u in c.new],
                "dropped": [u.text for u in c.dropped],
                "new_units": [_unit(u) for u in c.new],
                "dropped_units": [_unit(u) for u in c.dropped],
            }
            for c in report.changes
        ],
        "themes": [{"theme": t.theme, "phrases": list(t.phrases)} for t in report.themes],
    } | _coarse(report)
    if phrases:
        data["phrases"] = [
            {
                "text": p.text,
                "kind": p.kind,
                "length": p.han_length,
                "counts": dict(p.counts),
                "occurrences": [
                    {"doc": o.doc, "section": o.section, "span": list(o.span)}
                    for o in p.occurrences
                ],
            }
            for p in report.phrase_set.phrases
        ]
    return data


def _coarse(report: PhraseReport) -> dict[str, Any]:
    """``{"coarse": [notes]}`` when the work bound of phrase mining made the list coarse
    (``PhraseSet.coarse``); nothing otherwise, so the exports of ordinary documents do not
    change."""
    notes = report.phrase_set.coarse
    return {"coarse": list(notes)} if notes else {}


def _unit(unit: NewPhrase) -> dict[str, Any]:
    return {
        "text": unit.text,
        "kind": unit.kind,
        "spans": [list(s) for s in unit.spans],
        "elsewhere": unit.elsewhere,
    }


def render_json(report: PhraseReport) -> str:
    """The report as compact JSON (not ASCII-escaped, sorted keys, newline at the end): one
    line, because occurrence lists make an indented file several times larger.

    Byte for byte ``json.dumps(report_dict(report), ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))``, but the phrases are written straight from the report
    (``_phrases_json``): 1,000 documents have 7 million occurrences, and a dict each took
    gigabytes and most of the time."""
    with bulk_allocation():
        data = report_dict(report, phrases=False)
    pieces = ["{"]
    for k, key in enumerate(sorted([*data, "phrases"])):
        pieces.append(f"{',' if k else ''}{_dumps(key)}:")
        if key == "phrases":
            _phrase_pieces(report, pieces)
        else:
            pieces.append(_dumps(data[key]))
    pieces.append("}\n")
    return "".join(pieces)  # one copy: a piece holding Han text is 2 bytes a character


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _phrase_pieces(report: PhraseReport, pieces: list[str]) -> None:
    """``report_dict``'s phrase list as ``_dumps`` writes it (keys in sorted order: counts,
    kind, length, occurrences, text; an occurrence's doc, section, span), appended to
    ``pieces``: per phrase, everything up to its text (ids and numbers: one byte a character)
    and its text."""
    names: dict[str | None, str] = {}  # document and section ids, each encoded once

    def name(value: str | None) -> str:
        found = names.get(value)
        if found is None:
            found = names[value] = _dumps(value)
        return found

    pieces.append("[")
    for k, p in enumerate(report.phrase_set.phrases):
        occurrences = []
        for o in p.occurrences:
            start, end = o.span
            span = (f"[{start},{end}]" if type(start) is int and type(end) is int
                    else _dumps(list(o.span)))
            occurrences.append(f'{{"doc":{name(o.doc)},"section":{name(o.section)},"span":{span}}}')
        pieces.append(
            f'{"," if k else ""}{{"counts":{_dumps(dict(p.counts))},"kind":{_dumps(p.kind)},'
            f'"length":{_dumps(p.han_length)},"occurrences":[{",".join(occurrences)}],"text":'
        )
        pieces.append(f"{_dumps(p.text)}}}")
    pieces.append("]")


def phrases_schema() -> dict[str, Any]:
    """The JSON Schema of ``policydiff/phrases@1``."""
    from policydiff.formats.jsontext import load_schema

    return load_schema(SCHEMA_FILE)


# --------------------------------------------------------------------------- loader


class _Damaged(Exception):
    """A check failed; the caller adds the file name and the advice."""


def load_phrases(
    source: str | Path | bytes, *, texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Read a phrases export back, strictly, and return it as plain data.

    ``source`` is the path of the file (a ``Path``, or a ``str`` that does not begin with
    ``{`` or ``[``), the JSON text itself (a ``str`` beginning with one, after white space) or
    its bytes. ``texts`` (optional) maps document ids to their normalized text: every span must
    then lie inside its document and cover exactly its phrase. Raises ``ExportError`` (one
    line naming the file) for anything the writer would not have written (module docstring).
    """
    from policydiff.formats.jsontext import load_export

    if isinstance(source, str) and source.lstrip().lstrip("\ufeff").startswith(("{", "[")):
        source = source.encode("utf-8", "surrogatepass")  # the JSON text itself
    data, name = load_export(
        source, schema=SCHEMA, what="phrases export", expected=_EXPECTED,
        max_bytes=MAX_EXPORT_BYTES,
    )
    try:
        _check(data, texts)
    except _Damaged as exc:
        raise ExportError(f"{name}: {exc}; {_DAMAGED}") from None
    return data


def _check(data: dict[str, Any], texts: Mapping[str, str] | None) -> None:
    """Every check of the shape of an export (each failure is one ``_Damaged``)."""
    _fields(
        data,
        "the export",
        required=("schema", "documents", "phrases", "overlap", "changes"),
        optional=("generator", "min_chars", "min_docs", "themes", "coarse"),
    )
    if "coarse" in data:
        _strings(data["coarse"], "coarse", min_length=1)
    if "generator" in data:
        generator = data["generator"]
        _fields(generator, "generator", required=("name", "version"), optional=())
        _expect(all(isinstance(generator[k], str) for k in ("name", "version")),
                "generator: name and version must be strings")
    for key in ("min_chars", "min_docs"):
        if key in data:
            _expect(_is_int(data[key]) and data[key] >= 1, f"{key} must be an integer >= 1")
    ids = _check_documents(_list(data["documents"], "documents"))
    if texts is not None:
        missing = [i for i in ids if i not in texts]
        _expect(not missing, f"no text given for document {_shown(missing[:1])[1:-1]}")
    for k, phrase in enumerate(_list(data["phrases"], "phrases")):
        _check_phrase(phrase, f"phrase {k}", ids, texts)
    for k, row in enumerate(_list(data["overlap"], "overlap")):
        _check_overlap(row, f"overlap row {k}", ids)
    for k, change in enumerate(_list(data["changes"], "changes")):
        _check_change(change, f"change {k}", ids, texts)
    for k, theme in enumerate(_list(data.get("themes", []), "themes")):
        where = f"theme {k}"
        _fields(theme, where, required=("theme", "phrases"), optional=())
        _expect(isinstance(theme["theme"], str), f"{where}: theme must be a string")
        _strings(theme["phrases"], f"{where}: phrases", min_length=0)


def _check_documents(docs: list[Any]) -> list[str]:
    """The document ids, in order (non-empty, unique)."""
    ids: list[str] = []
    for k, doc in enumerate(docs):
        where = f"document {k}"
        _fields(doc, where, required=("id", "path", "sha256"), optional=("title", "label"))
        _expect(isinstance(doc["id"], str) and doc["id"] != "", f"{where}: id must be a "
                "non-empty string")
        _expect(doc["id"] not in ids, f"{where}: id {_shown(doc['id'])} is listed twice")
        _expect(isinstance(doc["path"], str) and isinstance(doc.get("title", ""), str),
                f"{where}: path and title must be strings")
        _expect(isinstance(doc.get("label", "-"), str) and doc.get("label", "-") != "",
                f"{where}: label must be a non-empty string")
        sha = doc["sha256"]
        _expect(isinstance(sha, str) and _SHA256_RE.fullmatch(sha) is not None,
                f"{where}: sha256 must be 64 lowercase hex digits or empty")
        ids.append(doc["id"])
    return ids


def _check_phrase(
    phrase: Any, where: str, ids: list[str], texts: Mapping[str, str] | None
) -> None:
    _fields(phrase, where, required=("text", "kind", "occurrences"),
            optional=("length", "counts"))
    text = phrase["text"]
    _expect(isinstance(text, str) and text != "", f"{where}: text must be a non-empty string")
    _expect(phrase["kind"] in KINDS, f"{where}: kind must be one of {', '.join(KINDS)}")
    if "length" in phrase:
        _expect(_is_int(phrase["length"]) and phrase["length"] == han_count(text),
                f"{where}: length is not the number of Han characters of its text")
    occurrences = _list(phrase["occurrences"], f"{where}: occurrences")
    _expect(bool(occurrences), f"{where}: has no occurrences")
    found: dict[str, int] = {}
    for n, occ in enumerate(occurrences):
        at = f"{where}, occurrence {n}"
        _fields(occ, at, required=("doc", "span"), optional=("section",))
        doc = _known(occ["doc"], ids, at)
        section = occ.get("section")
        _expect(section is None or isinstance(section, str), f"{at}: section must be a string "
                "or null")
        _span(occ["span"], text, doc, texts, at)
        found[doc] = found.get(doc, 0) + 1
    if "counts" in phrase:
        counts = phrase["counts"]
        _expect(isinstance(counts, dict) and all(_is_int(v) for v in counts.values())
                and counts == found,
                f"{where}: counts do not match its occurrences")


def _check_overlap(row: Any, where: str, ids: list[str]) -> None:
    shares = ("jaccard", "coverage_a", "coverage_b")
    _fields(row, where, required=("a", "b", *shares), optional=("shared",))
    _known(row["a"], ids, f"{where}: a")
    _known(row["b"], ids, f"{where}: b")
    for key in shares:
        value = row[key]
        _expect(isinstance(value, int | float) and not isinstance(value, bool)
                and 0 <= value <= 1, f"{where}: {key} must be a number in 0..1")
    if "shared" in row:
        _expect(_is_int(row["shared"]) and row["shared"] >= 0,
                f"{where}: shared must be an integer >= 0")


def _check_change(
    change: Any, where: str, ids: list[str], texts: Mapping[str, str] | None
) -> None:
    _fields(change, where, required=("from", "to", "new", "dropped"),
            optional=("new_units", "dropped_units"))
    sides = {"new": _known(change["to"], ids, f"{where}: to"),
             "dropped": _known(change["from"], ids, f"{where}: from")}
    for side, doc in sides.items():
        listed = _strings(change[side], f"{where}: {side}", min_length=1)
        key = f"{side}_units"
        if key not in change:
            continue
        units = _list(change[key], f"{where}: {key}")
        for n, unit in enumerate(units):
            at = f"{where}, {key} {n}"
            _fields(unit, at, required=("text", "kind", "spans"), optional=("elsewhere",))
            text = unit["text"]
            _expect(isinstance(text, str) and text != "", f"{at}: text must be a non-empty "
                    "string")
            _expect(unit["kind"] in KINDS, f"{at}: kind must be one of {', '.join(KINDS)}")
            _expect(isinstance(unit.get("elsewhere", False), bool),
                    f"{at}: elsewhere must be true or false")
            for m, span in enumerate(_list(unit["spans"], f"{at}: spans")):
                _span(span, text, doc, texts, f"{at}, span {m}")
        _expect([u["text"] for u in units] == listed, f"{where}: {key} do not match {side}")


# --------------------------------------------------------------------------- checks


def _fields(obj: Any, where: str, *, required: tuple[str, ...],
            optional: tuple[str, ...]) -> None:
    """``obj`` is an object with every ``required`` key and no key outside both lists."""
    _expect(isinstance(obj, dict), f"{where} is not a JSON object")
    missing = [key for key in required if key not in obj]
    _expect(not missing, f"{where} has no field {_shown(missing[:1])[1:-1]}")
    unknown = [key for key in obj if key not in required and key not in optional]
    _expect(not unknown, f"{where} has an unknown field {_shown(unknown[:1])[1:-1]}")


def _span(value: Any, text: str, doc: str, texts: Mapping[str, str] | None, where: str) -> None:
    """``value`` is ``[start, end]`` of ``text`` in ``doc``: ``0 <= start < end`` and
    ``end - start == len(text)``; with ``texts``, inside the document and covering ``text``."""
    _expect(isinstance(value, list) and len(value) == 2 and all(_is_int(v) for v in value),
            f"{where}: span must be two integers")
    start, end = value
    _expect(0 <= start < end and end - start == len(text),
            f"{where}: span {_shown(value)} is not [start, end) of its text")
    if texts is not None:
        source = texts[doc]
        _expect(end <= len(source), f"{where}: span {_shown(value)} ends past the document "
                f"({len(source)} characters)")
        _expect(source[start:end] == text, f"{where}: the text at span {_shown(value)} is not "
                "the phrase")


def _known(value: Any, ids: list[str], where: str) -> str:
    """``value`` is one of the document ids."""
    _expect(isinstance(value, str) and value in ids, f"{where}: {_shown(value)} names no "
            "listed document")
    doc: str = value
    return doc


def _list(value: Any, where: str) -> list[Any]:
    _expect(isinstance(value, list), f"{where} is not a JSON array")
    items: list[Any] = value
    return items


def _strings(value: Any, where: str, *, min_length: int) -> list[str]:
    items = _list(value, where)
    _expect(all(isinstance(v, str) and len(v) >= min_length for v in items),
            f"{where}: every item must be a string" + (" (non-empty)" if min_length else ""))
    return items


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise _Damaged(message)


def _shown(value: Any) -> str:
    """A value as a message shows it: ``repr`` (one line, control characters escaped), cut."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
