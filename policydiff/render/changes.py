"""The change report shown: terminal text, Markdown, an HTML page and CSV.

Every indicator and formulation is cited as ``file:line`` of the source file
(``policydiff.citations``) with its section id. Lists of formulations show the ``TOP`` best
ranked (the JSON has them all). Document text is made safe for where it goes: terminal text
through ``cli._out`` (``textsafe``), Markdown through ``md_escape``, HTML through
``page.escape``, CSV through ``table_csv``.
"""

from __future__ import annotations

from collections.abc import Sequence

from policydiff.changes.model import (
    ChangeReport,
    Distinctive,
    DocumentRef,
    Entry,
    Figure,
    Indicator,
)
from policydiff.records import Table
from policydiff.render.page import back_link, escape, page_end, page_head, plural
from policydiff.render.phrases import md_escape, table_csv
from policydiff.render.rows import fit_width, text_width

TOP = 30
"""Formulations listed in text, Markdown and HTML (each list)."""

ARROWS = {
    "raised": "↑", "lowered": "↓", "unchanged": "=", "changed": "≠", "new": "+", "dropped": "−",
}
DIRECTION_ZH = {
    "raised": "提高", "lowered": "降低", "unchanged": "持平", "changed": "变化", "new": "新增",
    "dropped": "删去",
}
NAME_CHARS = 20
"""Characters of an indicator's name shown in the terminal (longer ones end in …)."""
MD_SENTENCE_CHARS = 80
"""Characters of a sentence shown around a figure or formulation in Markdown."""
SENTENCE_CHARS = 48
"""Characters of a sentence shown around a formulation in the terminal."""


def _cut(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: chars - 1] + "…"


def excerpt(
    sentence: str, term: str, chars: int = SENTENCE_CHARS, at: int | None = None
) -> str:
    """The part of ``sentence`` around ``term`` (at ``at``, else its first occurrence), at most
    ``chars`` characters."""
    if len(sentence) <= chars:
        return sentence
    if at is None:
        at = max(0, sentence.find(term))
    start = max(0, min(at - chars // 3, len(sentence) - chars))
    part = sentence[start : start + chars]
    return ("…" if start else "") + part + ("…" if start + chars < len(sentence) else "")


def _theme_names(report: ChangeReport) -> dict[str, str]:
    return {row.theme: row.name for row in report.themes}


def _side(fig: Figure | None) -> str:
    return fig.value if fig is not None else "—"


def _where(fig: Figure | None) -> str:
    return fig.citation.where if fig is not None else ""


def _heading(report: ChangeReport) -> str:
    kind = "new follows old" if report.kind == "series" else "peers: what is distinctive of each"
    return f"{report.old.label} → {report.new.label} ({kind})"


# --------------------------------------------------------------------------- text


def render_text(report: ChangeReport, *, top: int = TOP) -> str:
    """The report for a terminal: indicators with ``file:line`` of both sides, the top new,
    dropped and renamed formulations, the themes most changed first."""
    out = [_heading(report), f"  old: {report.old.file}   new: {report.new.file}", ""]
    out += _text_indicators(report)
    titles = _list_titles(report)
    for title, entries in ((titles[0], report.new_formulations),
                           (titles[1], report.dropped_formulations)):
        out += ["", f"{title} (top {min(top, len(entries))} of {len(entries)})"]
        width = max((text_width(e.text) for e in entries[:top]), default=0)
        for rank, e in enumerate(entries[:top], 1):
            out.append(f"  {rank:>2}. {fit_width(e.text, width)}  {e.citation.where}  {e.section}  "
                       f"{excerpt(e.sentence, e.text)}")
    if report.renamed:
        out += ["", f"Renamed formulations ({len(report.renamed)})"]
        for pair in report.renamed[:top]:
            out.append(f"  {pair.old.text} → {pair.new.text}   {pair.old.citation.where} → "
                       f"{pair.new.citation.where}")
    out += ["", "Themes, most changed first", *_text_themes(report)]
    out += [f"note: {note}" for note in report.notes]
    return "\n".join(out) + "\n"


def _text_indicators(report: ChangeReport) -> list[str]:
    rows = report.indicators
    changed = len(report.changed_indicators())
    out = [f"Targets and indicators: {len(rows)}, {changed} changed"]
    if not rows:
        return out
    names = _theme_names(report)
    cells = [
        (f"{ARROWS[i.direction]} {i.direction}", _cut(i.name, NAME_CHARS), _side(i.old),
         _side(i.new),
         names.get(i.theme, i.theme), _where(i.old), _where(i.new))
        for i in rows
    ]
    head = ("", "indicator", report.old.label, report.new.label, "theme", "old line",
            "new line")
    widths = [max(text_width(row[k]) for row in (head, *cells)) for k in range(len(head))]
    for row in (head, *cells):
        out.append("  " + "  ".join(fit_width(cell, w) for cell, w in zip(row, widths, strict=True))
                   .rstrip())
    return out


def _text_themes(report: ChangeReport) -> list[str]:
    head = ("theme", "targets", "new", "dropped", "renamed", "rewritten", "sections +/−")
    cells = [
        (row.name, str(row.targets), str(row.new), str(row.dropped), str(row.renamed),
         f"{row.rewritten:.0%}", f"+{len(row.sections_added)} −{len(row.sections_removed)}")
        for row in report.themes
    ]
    widths = [max(text_width(row[k]) for row in (head, *cells)) for k in range(len(head))]
    return ["  " + "  ".join(fit_width(c, w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in (head, *cells)]


def _named(ref: DocumentRef) -> list[str]:
    """How a side is named in a header, the same way for both: its label, then its title when
    it has a title line (a document without one is named by its label and file only)."""
    return [ref.label, ref.title] if ref.title and ref.title != ref.label else [ref.label]


def _list_titles(report: ChangeReport) -> tuple[str, str]:
    if report.kind == "series":
        return "New formulations", "Dropped formulations"
    return (f"Distinctive of {report.new.label}", f"Distinctive of {report.old.label}")


# --------------------------------------------------------------------------- Markdown


def render_markdown(report: ChangeReport, *, top: int = TOP) -> str:
    """The report as Markdown: the same tables as the text, with each side's sentence."""
    out = [f"# {md_escape(_heading(report))}", "",
           *(f"- {side}: {', '.join(md_escape(part) for part in _named(ref))} "
             f"(`{md_escape(ref.file)}`)"
             for side, ref in (("old", report.old), ("new", report.new))),
           ""]
    names = _theme_names(report)
    out += [f"## Targets and indicators ({len(report.indicators)}, "
            f"{len(report.changed_indicators())} changed)", "",
            f"| indicator | {md_escape(report.old.label)} | {md_escape(report.new.label)} | "
            "change | theme | where (old → new) | sentence (new, else old) |",
            "|---|---|---|---|---|---|---|"]
    for ind in report.indicators:
        shown = ind.new or ind.old
        sentence = ""
        if shown is not None:
            sentence = md_escape(excerpt(shown.sentence, shown.value, MD_SENTENCE_CHARS, shown.at))
        where = " → ".join(w for w in (_where(ind.old), _where(ind.new)) if w)
        out.append(f"| {md_escape(ind.name)} | {md_escape(_side(ind.old))} | "
                   f"{md_escape(_side(ind.new))} | {ARROWS[ind.direction]} {ind.direction} | "
                   f"{md_escape(names.get(ind.theme, ind.theme))} | {md_escape(where)} | "
                   f"{sentence} |")
    titles = _list_titles(report)
    for title, entries in ((titles[0], report.new_formulations),
                           (titles[1], report.dropped_formulations)):
        out += ["", f"## {md_escape(title)} (top {min(top, len(entries))} of {len(entries)})",
                "", *_md_entries(entries[:top])]
    if report.renamed:
        out += ["", f"## Renamed formulations ({len(report.renamed)})", "",
                "| from | to | where (old → new) |", "|---|---|---|"]
        out += [f"| {md_escape(p.old.text)} | {md_escape(p.new.text)} | "
                f"{md_escape(p.old.citation.where)} → {md_escape(p.new.citation.where)} |"
                for p in report.renamed[:top]]
    out += ["", "## Themes, most changed first", "",
            "| theme | targets | new | dropped | renamed | rewritten | sections added | "
            "sections removed |", "|---|---|---|---|---|---|---|---|"]
    out += [f"| {md_escape(r.name)} | {r.targets} | {r.new} | {r.dropped} | {r.renamed} | "
            f"{r.rewritten:.0%} | {', '.join(r.sections_added)} | "
            f"{', '.join(r.sections_removed)} |" for r in report.themes]
    out += [f"\n_note: {md_escape(note)}_" for note in report.notes]
    return "\n".join(out) + "\n"


def _md_entries(entries: Sequence[Entry]) -> list[str]:
    if not entries:
        return ["(none)"]
    out = ["| # | formulation | score | where | section | sentence |",
           "|---|---|---|---|---|---|"]
    out += [f"| {rank} | {md_escape(e.text)} | {e.score:.2f} | "
            f"{md_escape(e.citation.where)} | {e.section} | "
            f"{md_escape(excerpt(e.sentence, e.text, MD_SENTENCE_CHARS))} |"
            for rank, e in enumerate(entries, 1)]
    return out


# --------------------------------------------------------------------------- HTML

CSS = """
td.dir { white-space: nowrap; } td.value { white-space: nowrap; font-weight: 600; }
tr.raised td.dir { color: #0b6b2b; } tr.lowered td.dir { color: #a3141e; }
tr.new td.dir { color: #0b57a4; } tr.dropped td.dir { color: #6a4b00; }
tr.unchanged td { color: #555; } td.where { font-family: ui-monospace, monospace;
  font-size: 0.85em; white-space: nowrap; } td.sentence { font-size: 0.9em; min-width: 20em; }
mark { background: #fff2a8; }
@media (max-width: 40em) { td.sentence { min-width: 14em; } }
"""


def render_html(report: ChangeReport, *, top: int = TOP, index: str | None = None) -> str:
    """The report as a page of its own (``render.page``'s shell; ``index``: the link back)."""
    title = f"Changes: {_heading(report)}"
    out = page_head(title, CSS) + back_link(index)
    out.append(f"<h1>{escape(title)}</h1>")
    out.append(f'<p class="meta">old: {_html_doc(report.old)} · new: {_html_doc(report.new)} · '
               f"{plural(len(report.indicators), 'indicator')}, "
               f"{len(report.changed_indicators())} changed</p>")
    out += _html_indicators(report)
    titles = _list_titles(report)
    for title_text, entries in ((titles[0], report.new_formulations),
                                (titles[1], report.dropped_formulations)):
        out.append(f"<h2>{escape(title_text)} <span class=\"meta\">(top "
                   f"{min(top, len(entries))} of {len(entries)})</span></h2>")
        out += _html_entries(entries[:top])
    if report.renamed:
        out.append(f"<h2>Renamed formulations ({len(report.renamed)})</h2>")
        out.append('<div class="scroll"><table class="grid"><thead><tr><th>from</th><th>to</th>'
                   "<th>where</th></tr></thead><tbody>")
        out += [f"<tr><td>{escape(p.old.text)}</td><td>{escape(p.new.text)}</td>"
                f'<td class="where">{escape(p.old.citation.where)} → '
                f"{escape(p.new.citation.where)}</td></tr>" for p in report.renamed[:top]]
        out.append("</tbody></table></div>")
    out += _html_themes(report)
    out += [f'<p class="note">{escape(note)}</p>' for note in report.notes]
    out += page_end()
    return "\n".join(out)


HTML_SENTENCE_CHARS = 90
"""Characters of a sentence shown around a figure or formulation on the page (the whole
sentence is the cell's tooltip)."""


def _html_doc(ref: DocumentRef) -> str:
    return f"{', '.join(escape(part) for part in _named(ref))} <code>{escape(ref.file)}</code>"


def _marked(
    sentence: str, term: str, chars: int = HTML_SENTENCE_CHARS, at: int | None = None
) -> str:
    """The part of ``sentence`` around ``term`` (at ``at``, else its first occurrence), with
    ``term`` marked."""
    if at is None or sentence[at : at + len(term)] != term:
        at = sentence.find(term) if term else -1
    if at < 0:
        return escape(excerpt(sentence, term, chars))
    start = max(0, min(at - chars // 3, len(sentence) - chars))
    end = min(len(sentence), start + chars)
    lead, tail = ("…" if start else ""), ("…" if end < len(sentence) else "")
    return (f"{lead}{escape(sentence[start:at])}<mark>{escape(term)}</mark>"
            f"{escape(sentence[at + len(term) : end])}{tail}")


def _html_indicators(report: ChangeReport) -> list[str]:
    names = _theme_names(report)
    out = ['<h2 id="indicators">Targets and indicators</h2>',
           '<div class="scroll"><table class="grid indicators"><thead><tr><th>indicator</th>'
           f"<th>{escape(report.old.label)}</th><th>{escape(report.new.label)}</th>"
           "<th>change</th><th>theme</th><th>where</th><th>sentence</th></tr></thead><tbody>"]
    for ind in report.indicators:
        sentences = [_marked(fig.sentence, fig.value, at=fig.at) for fig in (ind.old, ind.new)
                     if fig]
        where = "<br>".join(escape(_where(fig)) for fig in (ind.old, ind.new) if fig)
        full = "\n".join(fig.sentence for fig in (ind.old, ind.new) if fig)
        out.append(
            f'<tr class="{ind.direction}"><td>{escape(ind.name)}</td>'
            f'<td class="value">{escape(_side(ind.old))}</td>'
            f'<td class="value">{escape(_side(ind.new))}</td>'
            f'<td class="dir">{ARROWS[ind.direction]} {DIRECTION_ZH[ind.direction]}</td>'
            f"<td>{escape(names.get(ind.theme, ind.theme))}</td>"
            f'<td class="where">{where}</td>'
            f'<td class="sentence" title="{escape(full)}">{"<hr>".join(sentences)}</td></tr>'
        )
    out.append("</tbody></table></div>")
    return out


def _html_entries(entries: Sequence[Entry]) -> list[str]:
    if not entries:
        return ['<p class="meta">(none)</p>']
    out = ['<div class="scroll"><table class="grid"><thead><tr><th class="num">#</th>'
           "<th>formulation</th><th class=\"num\">score</th><th>where</th><th>section</th>"
           "<th>sentence</th></tr></thead><tbody>"]
    out += [f'<tr><td class="num">{rank}</td><td>{escape(e.text)}</td>'
            f'<td class="num">{e.score:.2f}</td><td class="where">'
            f"{escape(e.citation.where)}</td><td class=\"id\">{escape(e.section)}</td>"
            f'<td class="sentence" title="{escape(e.sentence)}">{_marked(e.sentence, e.text)}'
            "</td></tr>"
            for rank, e in enumerate(entries, 1)]
    out.append("</tbody></table></div>")
    return out


def _html_themes(report: ChangeReport) -> list[str]:
    out = ['<h2 id="themes">Themes, most changed first</h2>',
           '<div class="scroll"><table class="grid"><thead><tr><th>theme</th>'
           '<th class="num">targets</th><th class="num">new</th><th class="num">dropped</th>'
           '<th class="num">renamed</th><th class="num">rewritten</th><th>sections added</th>'
           "<th>sections removed</th></tr></thead><tbody>"]
    out += [f"<tr><td>{escape(r.name)}</td><td class=\"num\">{r.targets}</td>"
            f'<td class="num">{r.new}</td><td class="num">{r.dropped}</td>'
            f'<td class="num">{r.renamed}</td><td class="num">{r.rewritten:.0%}</td>'
            f'<td class="id">{escape(", ".join(r.sections_added))}</td>'
            f'<td class="id">{escape(", ".join(r.sections_removed))}</td></tr>'
            for r in report.themes]
    out.append("</tbody></table></div>")
    return out


# --------------------------------------------------------------------------- CSV

INDICATOR_COLUMNS = (
    "indicator", "theme", "direction",
    "old_value", "old_file", "old_line", "old_section", "old_sentence",
    "new_value", "new_file", "new_line", "new_section", "new_sentence",
)


def indicator_table(report: ChangeReport) -> Table:
    """The indicators as a table of plain rows (one per indicator)."""
    rows = []
    for ind in report.indicators:
        row: dict[str, object] = {"indicator": ind.name, "theme": ind.theme,
                                  "direction": ind.direction}
        for side, fig in (("old", ind.old), ("new", ind.new)):
            row.update(_figure_cells(side, fig))
        rows.append(row)
    return Table(INDICATOR_COLUMNS, rows)


def _figure_cells(side: str, fig: Figure | None) -> dict[str, object]:
    if fig is None:
        return {f"{side}_{k}": None for k in ("value", "file", "line", "section", "sentence")}
    return {f"{side}_value": fig.value, f"{side}_file": fig.citation.file,
            f"{side}_line": fig.citation.line, f"{side}_section": fig.section,
            f"{side}_sentence": fig.sentence}


def render_csv(report: ChangeReport, *, bom: bool = False) -> str:
    """The indicators table as CSV (``render.phrases.table_csv``)."""
    return table_csv(indicator_table(report), bom=bom)


def indicator_line(ind: Indicator) -> str:
    """One indicator in a line: ``赤字率 3% → 4%左右 (raised)``."""
    return f"{ind.name} {_side(ind.old)} → {_side(ind.new)} ({ind.direction})"


# --------------------------------------------------------------------------- peers


def render_distinctive_markdown(items: Sequence[Distinctive]) -> str:
    """What is distinctive of each of a set of peers, as Markdown."""
    out = [f"# What is distinctive of each document ({len(items)} documents)", "",
           "Formulations of each document that the other documents do not have, ranked; each "
           "cited as file:line.", ""]
    for item in items:
        out += [f"## {md_escape(item.document.label)} (`{md_escape(item.document.file)}`)", "",
                *_md_entries(item.entries), ""]
    return "\n".join(out)


def render_distinctive_html(items: Sequence[Distinctive], *, index: str | None = None) -> str:
    """What is distinctive of each of a set of peers, as a page."""
    title = f"What is distinctive of each document ({len(items)} documents)"
    out = page_head(title, CSS) + back_link(index)
    out.append(f"<h1>{escape(title)}</h1>")
    out.append('<p class="meta">Formulations of each document that the other documents do not '
               "have, ranked; each cited by its source line.</p>")
    out.append('<nav class="links">' + " · ".join(
        f'<a href="#{escape(item.document.id)}">{escape(item.document.label)}</a>'
        for item in items) + "</nav>")
    for item in items:
        out.append(f'<h2 id="{escape(item.document.id)}">{escape(item.document.label)} '
                   f'<span class="meta">{escape(item.document.file)}</span></h2>')
        out += _html_entries(item.entries)
    out += page_end()
    return "\n".join(out)
