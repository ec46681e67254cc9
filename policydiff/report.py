"""The phrase-overlap report: what a set of documents shares, rendered four ways.

Why one report object: Markdown (for reading and for the terminal), JSON (schema
``policydiff/phrases@1``, for programs), CSV (for spreadsheets) and HTML (to open in a browser)
must show the same facts, so they all render one ``PhraseReport`` built once.

Rules:
- Output is deterministic: the same inputs give byte-identical output (sorted keys in JSON,
  document order everywhere else, floats rounded to 4 places).
- Document text is kept as it is in files (Markdown, CSV, JSON, HTML), escaped for each format:
  ``|``, ``*``, ``_`` … in Markdown, ``&<>"'`` in HTML. A CSV cell that a spreadsheet would read
  as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
  apostrophe.
- Text meant for a terminal (``render_markdown(..., for_terminal=True)``) passes through
  ``policydiff.textsafe.visible`` so no control sequence in a document reaches the terminal.
- An empty document set, or documents sharing nothing, give a valid report with empty tables.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policydiff.phrases import (
    Change,
    NewPhrase,
    Overlap,
    Phrase,
    PhraseSet,
    _bulk_allocation,
    changes_of,
    locate,
    overlap_matrix,
)

if TYPE_CHECKING:
    from policydiff.model import Document

SCHEMA = "policydiff/phrases@1"
GENERATOR = {"name": "policydiff", "version": "0.1.0"}
TOP = 50
"""How many phrases the Markdown/HTML "top" tables show (JSON and CSV list all)."""
LIST_SEP = "；"
"""Separator of inline phrase lists: phrases may contain 、 and ， but never ； (a sentence
barrier in ``phrases``)."""


@dataclass(frozen=True)
class DocumentInfo:
    """What the report says about a document besides its phrases."""

    id: str
    path: str = ""
    title: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class ThemePhrases:
    """The phrases shared by at least two documents inside the sections of one theme."""

    theme: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class PhraseReport:
    """Everything the phrase report shows (see the module docstring)."""

    documents: tuple[DocumentInfo, ...]
    phrase_set: PhraseSet
    overlaps: tuple[Overlap, ...]
    changes: tuple[Change, ...]
    themes: tuple[ThemePhrases, ...] = ()


def build_report(
    phrase_set: PhraseSet,
    *,
    documents: Sequence[Document] = (),
    with_changes: bool = True,
    themes: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
) -> PhraseReport:
    """Assemble the report.

    ``documents`` (optional) supply paths, titles and hashes, and let every occurrence carry
    its deepest section id (``phrases.locate``). ``with_changes`` computes new and dropped
    phrases between consecutive documents (about 0.3 s per pair of 20,000-character reports:
    worth it for a series of years, less so for 31 provinces in alphabetical order).
    ``themes`` maps a theme id to ``{doc id: [section ids]}`` (``Comparison.theme_matrix()``
    as a dict fits): the per-theme lists hold the phrases that occur, in at least two
    documents, inside those sections or their subsections, substantive ones first. It needs
    ``documents``; without them every theme list is empty.
    """
    by_id = {doc.id: doc for doc in documents}
    if documents:
        phrase_set = locate(phrase_set, documents)
    infos = tuple(
        DocumentInfo(doc_id, by_id[doc_id].path, by_id[doc_id].title, by_id[doc_id].sha256)
        if doc_id in by_id
        else DocumentInfo(doc_id)
        for doc_id in phrase_set.doc_ids
    )
    theme_lists: tuple[ThemePhrases, ...] = ()
    if themes:
        lists = _theme_phrases(phrase_set, themes, by_id)
        theme_lists = tuple(ThemePhrases(theme, lists[theme]) for theme in themes)
    return PhraseReport(
        documents=infos,
        phrase_set=phrase_set,
        overlaps=tuple(overlap_matrix(phrase_set)),
        changes=tuple(changes_of(phrase_set)) if with_changes else (),
        themes=theme_lists,
    )


def _theme_phrases(
    phrase_set: PhraseSet,
    themes: Mapping[str, Mapping[str, Sequence[str]]],
    by_id: Mapping[str, Document],
) -> dict[str, tuple[str, ...]]:
    """Per theme: the phrases with occurrences inside the theme's sections (or below them) of
    two documents; non-formulaic first, then those found in more of the theme's documents,
    longer first.

    All themes in one pass over the occurrences (a pass per theme took 4 s for 100 documents).
    """
    themes_of: dict[tuple[str, str | None], list[str]] = {}
    for theme, sections in themes.items():
        for doc_id, section_ids in sections.items():
            if doc_id not in by_id:
                continue
            wanted = set(section_ids)
            for sec in by_id[doc_id].root.walk():
                if sec.id in wanted:
                    for below in sec.walk():
                        found = themes_of.setdefault((doc_id, below.id), [])
                        if theme not in found:
                            found.append(theme)
    ranked: dict[str, list[tuple[bool, int, int, str]]] = {theme: [] for theme in themes}
    for phrase in phrase_set.phrases:
        docs: dict[str, set[str]] = {}
        for occ in phrase.occurrences:
            for theme in themes_of.get((occ.doc, occ.section), ()):
                docs.setdefault(theme, set()).add(occ.doc)
        for theme, found_in in docs.items():
            if len(found_in) >= 2:
                ranked[theme].append(
                    (phrase.kind == "formulaic", -len(found_in), -phrase.han_length, phrase.text)
                )
    return {theme: tuple(text for *_, text in sorted(rows)) for theme, rows in ranked.items()}


# --------------------------------------------------------------------------- selections


_QUOTES = "“”「」『』"

SUBSTANTIVE = "substantive"
"""``top_phrases`` kind filter meaning "slogan or distinctive" (everything but formulaic)."""


def top_phrases(report: PhraseReport, *, limit: int = TOP, kind: str | None = None) -> list[Phrase]:
    """The phrases a reader should see first: in most documents, then longest.

    ``kind`` keeps one kind only (``SUBSTANTIVE``: all but formulaic; ``None``: all).
    A phrase inside a longer listed phrase found in the same documents adds nothing and is
    skipped (以习近平 under 以习近平新时代中国特色社会主义思想为指导), and so is a quoted variant
    of a listed phrase (“千万工程” after 千万工程).
    """
    chosen: list[Phrase] = []
    seen: set[str] = set()
    for phrase in report.phrase_set.phrases:  # already by docs desc, length desc
        if kind == SUBSTANTIVE:
            if phrase.kind == "formulaic":
                continue
        elif kind is not None and phrase.kind != kind:
            continue
        docs = phrase.docs
        bare = phrase.text.strip(_QUOTES)
        if bare in seen or any(phrase.text in c.text and c.docs == docs for c in chosen):
            continue
        seen.add(bare)
        chosen.append(phrase)
        if len(chosen) >= limit:
            break
    return chosen


def distinctive_by_doc(report: PhraseReport, *, limit: int = 10) -> dict[str, list[Phrase]]:
    """Per document, its longest non-formulaic phrases shared with exactly one other document.

    With ``min_docs=2`` no phrase belongs to one document alone; what marks a document is what
    it shares with only one other.
    """
    out: dict[str, list[Phrase]] = {}
    for doc in report.phrase_set.doc_ids:
        pool = sorted(
            report.phrase_set.distinctive_of(doc, max_docs=2),
            key=lambda p: (-p.han_length, p.text),
        )
        out[doc] = pool[:limit]
    return out


def _where(phrase: Phrase, limit: int = 6) -> str:
    parts = []
    for doc, count in phrase.counts[:limit]:
        sections = sorted({o.section for o in phrase.occurrences if o.doc == doc and o.section})
        label = f"{doc}×{count}" if count > 1 else doc
        if sections:
            label += " (" + ", ".join(sections[:3]) + ("…" if len(sections) > 3 else "") + ")"
        parts.append(label)
    if len(phrase.counts) > limit:
        parts.append(f"+{len(phrase.counts) - limit}")
    return "; ".join(parts)


# --------------------------------------------------------------------------- JSON


def _r(value: float) -> float:
    return round(value, 4)


def report_dict(report: PhraseReport) -> dict[str, Any]:
    """The report as plain data in the ``policydiff/phrases@1`` shape."""
    return {
        "schema": SCHEMA,
        "generator": dict(GENERATOR),
        "min_chars": report.phrase_set.min_chars,
        "min_docs": report.phrase_set.min_docs,
        "documents": [
            {"id": d.id, "path": d.path, "title": d.title, "sha256": d.sha256}
            for d in report.documents
        ],
        "phrases": [
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
        ],
        "overlap": [
            {
                "a": o.a,
                "b": o.b,
                "jaccard": _r(o.jaccard),
                "coverage_a": _r(o.coverage_a),
                "coverage_b": _r(o.coverage_b),
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
    }


def _unit(unit: NewPhrase) -> dict[str, Any]:
    return {
        "text": unit.text,
        "kind": unit.kind,
        "spans": [list(s) for s in unit.spans],
        "elsewhere": unit.elsewhere,
    }


def render_json(report: PhraseReport) -> str:
    """The report as compact JSON (not ASCII-escaped, sorted keys, newline at the end): one
    line, because occurrence lists make an indented file several times larger."""
    with _bulk_allocation():  # half a million small dicts: the collector only slows it down
        data = report_dict(report)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax so document text shows literally (newlines become spaces)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def render_markdown(report: PhraseReport, *, top: int = TOP, for_terminal: bool = False) -> str:
    """The report as Markdown: documents, overlap matrix, top shared phrases, slogans,
    phrases distinctive of each document, new/dropped phrases, per-theme phrases.

    ``for_terminal``: pass the result through ``textsafe.visible`` (do this whenever it is
    printed rather than written to a file).
    """
    ps = report.phrase_set
    e = md_escape
    lines = ["# Shared phrases", ""]
    lines.append(
        f"{len(ps.doc_ids)} documents, {len(ps.phrases)} shared phrases "
        f"(at least {ps.min_chars} Han characters, in at least {ps.min_docs} documents)."
    )
    lines += ["", "## Documents", "", "| id | title | path |", "|---|---|---|"]
    for d in report.documents:
        lines.append(f"| {e(d.id)} | {e(d.title)} | {e(d.path)} |")

    lines += ["", "## Overlap", ""]
    lines.append("Jaccard of the phrase sets; coverage: share of the row document's Han")
    lines.append("characters inside phrases it shares with the column document.")
    lines.append("")
    ids = ps.doc_ids
    pair = {(o.a, o.b): o for o in report.overlaps}
    lines.append("| | " + " | ".join(e(i) for i in ids) + " |")
    lines.append("|---" * (len(ids) + 1) + "|")
    for a in ids:
        cells = []
        for b in ids:
            if a == b:
                cells.append("—")
            elif (a, b) in pair:
                o = pair[(a, b)]
                cells.append(f"J {o.jaccard:.2f} / {_pct(o.coverage_a)}")
            else:
                o = pair[(b, a)]
                cells.append(f"J {o.jaccard:.2f} / {_pct(o.coverage_b)}")
        lines.append(f"| {e(a)} | " + " | ".join(cells) + " |")

    lines += [
        "",
        "## Top shared phrases",
        "",
        "| phrase | kind | docs | where |",
        "|---|---|---|---|",
    ]
    for p in top_phrases(report, limit=top, kind=SUBSTANTIVE):
        lines.append(f"| {e(p.text)} | {p.kind} | {len(p.counts)} | {e(_where(p))} |")

    lines += ["", "## Formulaic phrases", "", "| phrase | docs | where |", "|---|---|---|"]
    for p in top_phrases(report, limit=top, kind="formulaic"):
        lines.append(f"| {e(p.text)} | {len(p.counts)} | {e(_where(p))} |")

    lines += ["", "## Slogans (quoted terms)", "", "| slogan | docs | where |", "|---|---|---|"]
    for p in top_phrases(report, limit=top, kind="slogan"):
        lines.append(f"| {e(p.text)} | {len(p.counts)} | {e(_where(p))} |")

    lines += ["", "## Distinctive of each document", ""]
    lines.append("Longest phrases a document shares with only one other document.")
    for doc, phrases in distinctive_by_doc(report).items():
        lines += ["", f"### {e(doc)}", ""]
        if not phrases:
            lines.append("(none)")
        for p in phrases:
            other = next(d for d in p.docs if d != doc)
            lines.append(f"- {e(p.text)} (with {e(other)})")

    if report.changes:
        lines += ["", "## New and dropped phrases", ""]
        for c in report.changes:
            lines += [f"### {e(c.from_doc)} → {e(c.to_doc)}", ""]
            lines.append(
                f"New ({len(c.new)}): "
                + LIST_SEP.join(
                    e(u.text) + (f"×{u.count}" if u.count > 1 else "") for u in c.new[:top]
                )
            )
            lines.append("")
            lines.append(
                f"Dropped ({len(c.dropped)}): "
                + LIST_SEP.join(
                    e(u.text) + (f"×{u.count}" if u.count > 1 else "") for u in c.dropped[:top]
                )
            )
            lines.append("")

    if report.themes:
        lines += ["", "## Shared phrases by theme", ""]
        for t in report.themes:
            lines.append(f"- {e(t.theme)}: " + LIST_SEP.join(e(x) for x in t.phrases[:top]))

    out = "\n".join(lines).rstrip("\n") + "\n"
    if for_terminal:
        from policydiff.textsafe import visible

        out = visible(out)
    return out


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula (a leading apostrophe if needed)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: PhraseReport, *, table: str = "phrases") -> str:
    """One table of the report as CSV (``\\n`` line ends, header first).

    ``table``: ``phrases`` (text, kind, length, number of documents, then one count column per
    document), ``occurrences`` (one row per occurrence), ``overlap`` (one row per pair) or
    ``changes`` (one row per new or dropped phrase). Another name raises ``ValueError``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = report.phrase_set.doc_ids
    rows: list[list[object]]
    if table == "phrases":
        rows = [["text", "kind", "length", "docs", *ids]]
        for p in report.phrase_set.phrases:
            counts = dict(p.counts)
            rows.append(
                [p.text, p.kind, p.han_length, len(counts), *(counts.get(d, 0) for d in ids)]
            )
    elif table == "occurrences":
        rows = [["text", "kind", "doc", "section", "start", "end"]]
        for p in report.phrase_set.phrases:
            for occ in p.occurrences:
                rows.append([p.text, p.kind, occ.doc, occ.section or "", occ.span[0], occ.span[1]])
    elif table == "overlap":
        rows = [["a", "b", "jaccard", "coverage_a", "coverage_b", "shared"]]
        for ov in report.overlaps:
            rows.append(
                [ov.a, ov.b, _r(ov.jaccard), _r(ov.coverage_a), _r(ov.coverage_b), ov.shared]
            )
    elif table == "changes":
        rows = [["from", "to", "change", "rank", "text", "kind", "count", "elsewhere"]]
        for c in report.changes:
            for label, units in (("new", c.new), ("dropped", c.dropped)):
                for rank, u in enumerate(units, 1):
                    rows.append(
                        [c.from_doc, c.to_doc, label, rank, u.text, u.kind, u.count, u.elsewhere]
                    )
    else:
        raise ValueError(f"unknown table {table!r}")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;line-height:1.5}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;
vertical-align:top}th{background:#f3f3f3}.slogan{color:#a0522d}.formulaic{color:#777}
.distinctive{color:#1f5fa8}td.num{text-align:right}
"""


def render_html(report: PhraseReport, *, top: int = TOP) -> str:
    """The report as one standalone HTML page (inline CSS, no scripts, every text escaped)."""
    h = html.escape
    ps = report.phrase_set
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans"><head><meta charset="utf-8">',
        "<title>policydiff: shared phrases</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Shared phrases</h1>",
        f"<p>{len(ps.doc_ids)} documents, {len(ps.phrases)} shared phrases (at least "
        f"{ps.min_chars} Han characters, in at least {ps.min_docs} documents).</p>",
        "<h2>Documents</h2><table><tr><th>id</th><th>title</th><th>path</th></tr>",
    ]
    for d in report.documents:
        parts.append(f"<tr><td>{h(d.id)}</td><td>{h(d.title)}</td><td>{h(d.path)}</td></tr>")
    parts.append("</table><h2>Overlap</h2><table><tr><th></th>")
    parts += [f"<th>{h(i)}</th>" for i in ps.doc_ids]
    parts.append("</tr>")
    pair = {(o.a, o.b): o for o in report.overlaps}
    for a in ps.doc_ids:
        parts.append(f"<tr><th>{h(a)}</th>")
        for b in ps.doc_ids:
            if a == b:
                parts.append("<td>—</td>")
                continue
            o = pair.get((a, b)) or pair[(b, a)]
            cov = o.coverage_a if o.a == a else o.coverage_b
            parts.append(f'<td class="num">J {o.jaccard:.2f}<br>{_pct(cov)}</td>')
        parts.append("</tr>")
    parts.append("</table>")

    def phrase_table(title: str, phrases: list[Phrase]) -> None:
        parts.append(f"<h2>{h(title)}</h2><table><tr><th>phrase</th><th>kind</th>")
        parts.append("<th>docs</th><th>where</th></tr>")
        for p in phrases:
            parts.append(
                f'<tr><td class="{p.kind}">{h(p.text)}</td><td>{p.kind}</td>'
                f'<td class="num">{len(p.counts)}</td><td>{h(_where(p))}</td></tr>'
            )
        parts.append("</table>")

    phrase_table("Top shared phrases", top_phrases(report, limit=top, kind=SUBSTANTIVE))
    phrase_table("Formulaic phrases", top_phrases(report, limit=top, kind="formulaic"))
    phrase_table("Slogans (quoted terms)", top_phrases(report, limit=top, kind="slogan"))
    parts.append("<h2>Distinctive of each document</h2>")
    for doc, phrases in distinctive_by_doc(report).items():
        items = "".join(
            f"<li>{h(p.text)} (with {h(next(d for d in p.docs if d != doc))})</li>" for p in phrases
        )
        parts.append(f"<h3>{h(doc)}</h3><ul>{items or '<li>(none)</li>'}</ul>")
    if report.changes:
        parts.append("<h2>New and dropped phrases</h2>")
        for c in report.changes:
            parts.append(f"<h3>{h(c.from_doc)} → {h(c.to_doc)}</h3>")
            for label, units in (("New", c.new), ("Dropped", c.dropped)):
                items = "".join(
                    f'<li class="{u.kind}">{h(u.text)}{f" ×{u.count}" if u.count > 1 else ""}</li>'
                    for u in units[:top]
                )
                parts.append(f"<p>{label} ({len(units)}):</p><ol>{items}</ol>")
    if report.themes:
        parts.append("<h2>Shared phrases by theme</h2><ul>")
        for t in report.themes:
            parts.append(f"<li>{h(t.theme)}: {h(LIST_SEP.join(t.phrases[:top]))}</li>")
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
