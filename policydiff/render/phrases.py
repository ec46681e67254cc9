"""The phrase-overlap report as Markdown, CSV and HTML (the model is ``policydiff.report``;
the JSON export is ``policydiff.formats.phrases``). Escaping rules in ``policydiff.report``."""

from __future__ import annotations

import csv
import io
import re
from operator import itemgetter

from policydiff.phrases.model import Phrase
from policydiff.records import Table
from policydiff.report import (
    SUBSTANTIVE,
    TOP,
    PhraseReport,
    distinctive_by_doc,
    top_phrases,
)

LIST_SEP = "；"
"""Separator of inline phrase lists: phrases may contain 、 and ， but never ； (a sentence
barrier in ``phrases``)."""


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


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def md_escape(text: str) -> str:
    """Escape Markdown syntax so document text shows literally (newlines become spaces), and
    show every character a terminal would act on as a placeholder (``textsafe.visible``): a
    file name holding an escape sequence must not reach whoever runs ``cat phrases.md``."""
    from policydiff.textsafe import visible

    return _MD_SPECIAL.sub(r"\\\1", visible(text).replace("\r", " ").replace("\n", " "))


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
    for note in ps.coarse:  # the work bound was reached: say where the list is coarse
        lines += ["", f"Coarse: {e(note)}"]
    lines += ["", "## Documents", "", "| id | title | path |", "|---|---|---|"]
    for d in report.documents:
        lines.append(f"| {e(d.id)} | {e(d.title)} | {e(d.path)} |")
    lines += _md_overlap(report)
    lines += _md_phrase_tables(report, top)
    lines += ["", "## Distinctive of each document", ""]
    lines.append("Longest phrases a document shares with only one other document.")
    for doc, phrases in distinctive_by_doc(report).items():
        lines += ["", f"### {e(doc)}", ""]
        if not phrases:
            lines.append("(none)")
        for p in phrases:
            other = next(d for d in p.docs if d != doc)
            lines.append(f"- {e(p.text)} (with {e(other)})")
    lines += _md_changes(report, top)
    if report.themes:
        lines += ["", "## Shared phrases by theme", ""]
        for t in report.themes:
            lines.append(f"- {e(t.theme)}: " + LIST_SEP.join(e(x) for x in t.phrases[:top]))

    out = "\n".join(lines).rstrip("\n") + "\n"
    if for_terminal:
        from policydiff.textsafe import visible

        out = visible(out)
    return out


def every_pair(report: PhraseReport) -> bool:
    """Whether the report's overlap holds every pair of its documents (a matrix), rather than
    the pairs a comparison of many documents aligned (a list:
    ``records.MAX_OVERLAP_DOCUMENTS``)."""
    n = len(report.phrase_set.doc_ids)
    return len(report.overlaps) == n * (n - 1) // 2


def _md_overlap(report: PhraseReport) -> list[str]:
    """The overlap matrix: Jaccard and the row document's coverage, per pair (a list of the
    pairs when the report holds only some: ``every_pair``)."""
    e = md_escape
    lines = ["", "## Overlap", ""]
    if not every_pair(report):
        lines.append(f"The {len(report.overlaps)} aligned pairs (not every pair of so many "
                     "documents): Jaccard of the phrase sets; coverage: share of each")
        lines.append("document's Han characters inside phrases it shares with the other.")
        lines += ["", "| a | b | Jaccard | coverage a | coverage b | shared |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {e(o.a)} | {e(o.b)} | {o.jaccard:.2f} | {_pct(o.coverage_a)} | "
                  f"{_pct(o.coverage_b)} | {o.shared} |" for o in report.overlaps]
        return lines
    lines.append("Jaccard of the phrase sets; coverage: share of the row document's Han")
    lines.append("characters inside phrases it shares with the column document.")
    lines.append("")
    ids = report.phrase_set.doc_ids
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
    return lines


def _md_phrase_tables(report: PhraseReport, top: int) -> list[str]:
    """The tables of top substantive, formulaic and slogan phrases."""
    e = md_escape
    lines = [
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
    return lines


def _md_changes(report: PhraseReport, top: int) -> list[str]:
    """New and dropped phrases per consecutive pair (nothing when they were not computed)."""
    e = md_escape
    lines: list[str] = []
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
    return lines


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that no spreadsheet runs as a formula (a leading apostrophe if needed)."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render_csv(report: PhraseReport, *, table: str = "phrases", bom: bool = False) -> str:
    """One table of the report as CSV (``\\n`` line ends, header first); the rows are
    ``policydiff.records``' (the same as the Python API's), documents named by their labels.

    ``table``: ``phrases`` (text, kind, length, number of documents, then one count column per
    document, named by its label), ``occurrences`` (one row per occurrence), ``overlap`` (one
    row per pair) or ``changes`` (one row per new or dropped phrase). Another name raises
    ``ValueError``. ``bom``: start with a byte-order mark (what Excel needs to read UTF-8).
    """
    from policydiff.records import REPORT_TABLES
    from policydiff.records import table as build

    if table not in REPORT_TABLES:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(REPORT_TABLES)}")
    return table_csv(build(table, report=report), bom=bom)


def table_csv(table: Table, *, bom: bool = False) -> str:
    """A ``records.Table`` as CSV: a header of its columns, one line per row, ``\\n`` line
    ends; None is an empty cell; cells a spreadsheet would run as formulas are guarded
    (``csv_cell``). ``bom``: start with U+FEFF, which UTF-8 encodes as the byte-order mark
    Excel needs to read UTF-8 (write the result as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in table.columns])
    split = len(table.columns) if table.counts_from is None else table.counts_from
    head, counts = table.columns[:split], table.columns[split:]
    # count cells as they are: csv writes an int >= 0 as str() does, and it needs no guard
    tail = itemgetter(*counts) if len(counts) > 1 else (lambda row: (row[counts[0]],))
    for row in table.rows:
        cells = ["" if row[c] is None else csv_cell(row[c]) for c in head]
        writer.writerow([*cells, *tail(row)] if counts else cells)
    return ("\ufeff" if bom else "") + buffer.getvalue()


# --------------------------------------------------------------------------- HTML

_CSS = """
.slogan { color: #a0522d; } .formulaic { color: #777; } .distinctive { color: #1f5fa8; }
ol.units, ul.units { columns: 16em auto; column-gap: 2em; }
"""


def render_html(report: PhraseReport, *, top: int = TOP, index: str | None = None) -> str:
    """The report as one standalone HTML page (the rules of ``policydiff.render.page``:
    inline CSS, no scripts, every text escaped); documents named by their labels. ``index``:
    the index page to link back to (``compare`` writes both)."""
    from policydiff.render.page import back_link, escape, page_end, page_head

    h = escape
    ps = report.phrase_set
    name = {d.id: d.name for d in report.documents}
    parts = page_head("policydiff: shared phrases", _CSS) + back_link(index)
    parts += [
        "<h1>Shared phrases</h1>",
        f"<p>{len(ps.doc_ids)} documents, {len(ps.phrases)} shared phrases (at least "
        f"{ps.min_chars} Han characters, in at least {ps.min_docs} documents).</p>",
        *(f'<p class="meta">Coarse: {h(note)}</p>' for note in ps.coarse),
        '<h2>Documents</h2><div class="scroll"><table class="grid"><tr><th>id</th>'
        "<th>document</th><th>title</th><th>path</th></tr>",
    ]
    for d in report.documents:
        parts.append(f'<tr><td class="id">{h(d.id)}</td><td>{h(d.name)}</td><td>{h(d.title)}</td>'
                     f'<td class="path">{h(d.path)}</td></tr>')
    parts.append("</table></div><h2>Overlap</h2>")  # the overlap's first line continues it
    if every_pair(report):
        _html_overlap_matrix(report, name, parts)
    else:
        _html_overlap_list(report, name, parts)

    def phrase_table(title: str, phrases: list[Phrase]) -> None:
        parts.append(f'<h2>{h(title)}</h2><div class="scroll"><table class="grid"><tr>'
                     "<th>phrase</th><th>kind</th><th>docs</th><th>where</th></tr>")
        for p in phrases:
            parts.append(
                f'<tr><td class="{p.kind}">{h(p.text)}</td><td>{p.kind}</td>'
                f'<td class="num">{len(p.counts)}</td><td>{h(_where(p))}</td></tr>'
            )
        parts.append("</table></div>")

    phrase_table("Top shared phrases", top_phrases(report, limit=top, kind=SUBSTANTIVE))
    phrase_table("Formulaic phrases", top_phrases(report, limit=top, kind="formulaic"))
    phrase_table("Slogans (quoted terms)", top_phrases(report, limit=top, kind="slogan"))
    parts.append("<h2>Distinctive of each document</h2>")
    for doc, phrases in distinctive_by_doc(report).items():
        items = "".join(
            f"<li>{h(p.text)} (with {h(name.get(other, other))})</li>"
            for p in phrases for other in [next(d for d in p.docs if d != doc)]
        )
        parts.append(f'<h3>{h(name.get(doc, doc))}</h3><ul class="units">'
                     f"{items or '<li>(none)</li>'}</ul>")
    if report.changes:
        parts.append("<h2>New and dropped phrases</h2>")
        for c in report.changes:
            parts.append(f"<h3>{h(name.get(c.from_doc, c.from_doc))} → "
                         f"{h(name.get(c.to_doc, c.to_doc))}</h3>")
            for label, units in (("New", c.new), ("Dropped", c.dropped)):
                items = "".join(
                    f'<li class="{u.kind}">{h(u.text)}{f" ×{u.count}" if u.count > 1 else ""}</li>'
                    for u in units[:top]
                )
                parts.append(f'<p>{label} ({len(units)}):</p><ol class="units">{items}</ol>')
    if report.themes:
        parts.append("<h2>Shared phrases by theme</h2><ul>")
        for t in report.themes:
            parts.append(f"<li>{h(t.theme)}: {h(LIST_SEP.join(t.phrases[:top]))}</li>")
        parts.append("</ul>")
    return "\n".join(parts + page_end())


def _html_overlap_matrix(report: PhraseReport, name: dict[str, str], parts: list[str]) -> None:
    """The overlap as a matrix of every pair (Jaccard, coverage of the row document)."""
    from policydiff.render.page import escape as h

    ids = report.phrase_set.doc_ids
    parts[-1] += ('<p class="meta">Jaccard of the phrase sets; below it the share of the row '
                  "document's Han characters inside phrases it shares with the column document."
                  '</p><div class="scroll"><table class="grid"><tr><th></th>')
    parts += [f"<th>{h(name.get(i, i))}</th>" for i in ids]
    parts.append("</tr>")
    pair = {(o.a, o.b): o for o in report.overlaps}
    for a in ids:
        parts.append(f'<tr><th scope="row">{h(name.get(a, a))}</th>')
        for b in ids:
            if a == b:
                parts.append("<td>—</td>")
                continue
            o = pair.get((a, b)) or pair[(b, a)]
            cov = o.coverage_a if o.a == a else o.coverage_b
            parts.append(f'<td class="num">J {o.jaccard:.2f}<br>{_pct(cov)}</td>')
        parts.append("</tr>")
    parts.append("</table></div>")


def _html_overlap_list(report: PhraseReport, name: dict[str, str], parts: list[str]) -> None:
    """The overlap as a list of the pairs the report holds (too many documents for a matrix of
    every pair: ``every_pair``)."""
    from policydiff.render.page import escape as h

    parts[-1] += (f'<p class="meta">The {len(report.overlaps)} aligned pairs (not every pair '
                  "of so many documents): Jaccard of the phrase sets; coverage: the share of "
                  "each document's Han characters inside phrases it shares with the other.</p>"
                  '<div class="scroll"><table class="grid"><tr><th>a</th><th>b</th>'
                  "<th>Jaccard</th><th>coverage a</th><th>coverage b</th><th>shared</th></tr>")
    for o in report.overlaps:
        parts.append(f"<tr><td>{h(name.get(o.a, o.a))}</td><td>{h(name.get(o.b, o.b))}</td>"
                     f'<td class="num">{o.jaccard:.2f}</td><td class="num">'
                     f'{_pct(o.coverage_a)}</td><td class="num">{_pct(o.coverage_b)}</td>'
                     f'<td class="num">{o.shared}</td></tr>')
    parts.append("</table></div>")
