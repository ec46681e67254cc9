"""A pair of documents as one HTML page: a table of contents, then one side-by-side table per
row of the pair.

The rows of a pair (``pair_rows``), in reading order: every matched section pair (``match``,
``split``, ``merge``) in A's order, each section only in A at its place in A, and each section
only in B right after the row of the B section that precedes it in B. A section of one side
only is shown as wholly deleted (A) or wholly inserted (B); its own text (heading and body up
to its first subsection: the subsections have rows of their own), unless that text is already
shown inside a matched pair's table, which the row then links to. Every section of both
documents has an anchor (``page.anchor``: ``d1/3.2`` -> ``#d1-3.2``) on its first row.

The table rows are ``policydiff.render.rows.side_by_side_rows`` (one ``<tr><td>…</td><td>…
</td></tr>`` each; the browser wraps the cells). Moved text is found across all the rows of the
page (``find_moves``, unmatched sections included) and marked where it left and where it
arrived, with a tooltip naming the other section. On a phone-wide screen the two columns are
stacked (A's text above B's, unchanged text once). Page rules (self-contained, escaping) in
``policydiff.render.page``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from policydiff.diff import DiffOptions, Move, TextDiff, find_moves
from policydiff.render.names import section_name
from policydiff.render.page import anchor, back_link, escape, page_end, page_head, plural
from policydiff.render.rows import COARSE_NOTE, Run, base_style, side_by_side_rows, style_name

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.model import Document, Section

HTML_TAGS = {
    "del": ('<del>', "</del>"),
    "del~": ('<span class="ctx-del">', "</span>"),
    "del+": ('<del class="strong">', "</del>"),
    "ins": ("<ins>", "</ins>"),
    "ins~": ('<span class="ctx-ins">', "</span>"),
    "ins+": ('<ins class="strong">', "</ins>"),
    "mdel": ('<del class="moved"{title}>', "</del>"),
    "mins": ('<ins class="moved"{title}>', "</ins>"),
}

_CHANGED = "del, ins, .ctx-del, .ctx-ins"

CSS = f"""
table.diff {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
table.diff th {{ text-align: left; background: #f2f2f2; padding: 0.3em 0.6em; }}
table.diff td {{ vertical-align: top; padding: 0.2em 0.6em; border-top: 1px solid #eee;
                white-space: pre-wrap; overflow-wrap: anywhere; width: 50%; line-height: 1.7; }}
table.diff td + td {{ border-left: 1px solid #ccc; }}
del {{ color: #b31d28; background: #ffeef0; }}
ins {{ color: #22863a; background: #e6ffed; text-decoration: none; }}
del.strong {{ background: #fdb8c0; color: #86181d; font-weight: bold; }}
ins.strong {{ background: #acf2bd; color: #144620; font-weight: bold; }}
.ctx-del {{ color: #b31d28; }} .ctx-ins {{ color: #22863a; }}
del.moved {{ color: #6f42c1; background: #f5f0ff; }}
ins.moved {{ color: #0366d6; background: #eef6ff; text-decoration: none; }}
section.row {{ margin-top: 1.6em; }}
section.row h2 {{ font-size: 1.1em; margin: 0 0 0.2em; }}
section.row h2 .arrow {{ color: #888; font-weight: normal; }}
.top {{ font-size: 0.85em; font-weight: normal; margin-left: 0.5em; white-space: nowrap; }}
ul.toc {{ list-style: none; padding-left: 0; margin: 0.4em 0; }}
ul.toc li {{ margin: 0.15em 0; }}
ul.toc .score {{ color: #555; font-size: 0.85em; white-space: nowrap; }}
table.docs td.what {{ color: #555; }}
.narrow {{ display: none; }}
@media (max-width: 40em) {{
  .narrow {{ display: block; }}
  table.diff, table.diff tbody, table.diff tr, table.diff td {{ display: block; width: auto; }}
  table.diff thead {{ display: none; }}
  table.diff tr {{ border-top: 1px solid #e4e4e4; padding: 0.25em 0; }}
  table.diff td {{ border: 0; border-left: 3px solid #e8a0a8; padding: 0.1em 0.5em;
                  margin: 0.1em 0; }}
  table.diff td + td {{ border-left: 3px solid #8fd19e; }}
  table.diff td:empty {{ display: none; }}
  table.diff tr:not(:has({_CHANGED})) td {{ border-left-color: #d0d0d0; }}
  table.diff tr:not(:has({_CHANGED})) td + td {{ display: none; }}
  ul.toc li {{ margin: 0.35em 0; }}
}}
"""

KIND_NOTES = {
    "split": "split: this section of A has a second partner in B",
    "merge": "merge: this section of B has a second partner in A",
}


@dataclass(frozen=True)
class Side:
    """One section named in a row's header; ``anchored``: this row carries its anchor (its
    first row on the page)."""

    section_id: str
    name: str
    level: int = 1
    anchored: bool = True


@dataclass(frozen=True)
class PageRow:
    """One row of a pair page (see the module doc).

    ``kind``: ``match``, ``split``, ``merge``, ``only-a`` or ``only-b``. ``diff`` is None when
    the section's text is already shown in the row whose anchor is ``within``. ``heading`` is
    the row's name as plain text (contents, tooltips).
    """

    kind: str
    heading: str
    diff: TextDiff | None
    left: Side | None = None
    right: Side | None = None
    score: float | None = None
    within: str = ""
    within_heading: str = ""
    size: int = 0


def _html_cell(text: str, runs: Sequence[Run], side: str, titles: dict[str, str]) -> str:
    parts: list[str] = []
    for run in runs:
        piece = escape(text[run.start : run.end])
        style = style_name(run, side)
        if not style:
            parts.append(piece)
            continue
        opening, closing = HTML_TAGS[base_style(style)]
        title = titles.get(style, "")
        parts.append(opening.format(title=f' title="{escape(title)}"' if title else ""))
        parts.append(piece)
        parts.append(closing)
    return "".join(parts)


def render_html(
    pairs: Sequence[tuple[str, TextDiff]],
    *,
    title: str,
    a_label: str = "旧",
    b_label: str = "新",
) -> str:
    """A standalone HTML page of ``(heading, diff)`` pairs: one side-by-side table each."""
    rows = [PageRow("match", heading, diff) for heading, diff in pairs]
    return render_page(rows, title=title, a_label=a_label, b_label=b_label)


def _row_id(row: PageRow, number: int) -> str:
    """Where a link to the row points: the anchor of a section it introduces, else its
    number."""
    for side in (row.left, row.right):
        if side is not None and side.anchored:
            return anchor(side.section_id)
    return f"row-{number + 1}"


def render_page(
    rows: Sequence[PageRow],
    *,
    title: str,
    a_label: str,
    b_label: str,
    intro: Sequence[str] = (),
    index: str | None = None,
) -> str:
    """The page of ``rows``: header, ``intro`` (HTML lines, already escaped), contents (when
    there is more than one row), then the rows. ``index``: the link back (None: none)."""
    diffs = [row.diff for row in rows if row.diff is not None]
    moves = find_moves(diffs)
    slot: dict[int, int] = {}  # row number -> index in ``diffs``
    for number, row in enumerate(rows):
        if row.diff is not None:
            slot[number] = len(slot)
    ids = [_row_id(row, number) for number, row in enumerate(rows)]
    heading_of = {slot[n]: rows[n].heading for n in slot}
    out = page_head(title, CSS)
    out += back_link(index)
    out.append(f"<h1>{escape(title)}</h1>")
    out += intro
    out.append(
        '<p class="legend">Key: <del>deleted</del> <ins>inserted</ins> '
        '<del class="strong">changed characters</del> <ins class="strong">changed characters</ins> '
        '<del class="moved">moved out</del> <ins class="moved">moved in</ins></p>'
    )
    out.append(
        f'<p class="note narrow">On a narrow screen each row shows {escape(a_label)} (red bar) '
        f"above {escape(b_label)} (green bar); unchanged text once (grey bar).</p>"
    )
    if len(rows) > 1:
        out += _contents(rows, ids)
    for number, row in enumerate(rows):
        titles: dict[str, str] = {}
        if number in slot:
            for k, move in enumerate(moves):
                if move.a_pair == slot[number]:
                    titles[f"mdel#{k}"] = f"moved to: {heading_of[move.b_pair]}"
                if move.b_pair == slot[number]:
                    titles[f"mins#{k}"] = f"moved from: {heading_of[move.a_pair]}"
        out += _row_html(row, ids[number], len(rows) > 1, a_label, b_label, titles, moves,
                         slot.get(number))
    out += page_end()
    return "\n".join(out)


def _contents(rows: Sequence[PageRow], ids: Sequence[str]) -> list[str]:
    """The table of contents: one entry per row, indented by section level."""
    out = ['<nav aria-label="contents"><h2 id="contents">Contents</h2><ul class="toc">']
    for row, row_id in zip(rows, ids, strict=True):
        side = row.left or row.right
        level = side.level if side is not None else 1
        tag = _tag(row)
        score = _score_text(row)
        out.append(
            f'<li style="padding-left:{1.2 * (level - 1):.1f}em">{tag}'
            f'<a href="#{row_id}">{escape(row.heading)}</a>'
            + (f' <span class="score">{escape(score)}</span>' if score else "")
            + "</li>"
        )
    out.append("</ul></nav>")
    return out


def _tag(row: PageRow) -> str:
    names = {"only-a": "deleted", "only-b": "inserted", "split": "split", "merge": "merge"}
    if row.kind not in names:
        return ""
    if row.diff is None:  # text shown inside a matched pair
        return '<span class="tag">no partner</span> '
    return f'<span class="tag {row.kind}">{names[row.kind]}</span> '


def _score_text(row: PageRow) -> str:
    if row.kind in ("only-a", "only-b"):
        return f"{row.size:,} characters" if row.size else ""
    parts = []
    if row.score is not None:
        parts.append(f"score {row.score:.2f}")
    if row.diff is not None:
        parts.append(f"same text {row.diff.similarity:.0%}")
    return " · ".join(parts)


def _side_html(side: Side) -> str:
    attribute = f' id="{anchor(side.section_id)}"' if side.anchored else ""
    return f'<span class="sec"{attribute}>{escape(side.name)}</span>'


def _row_html(
    row: PageRow,
    row_id: str,
    with_contents: bool,
    a_label: str,
    b_label: str,
    titles: dict[str, str],
    moves: Sequence[Move],
    slot: int | None,
) -> list[str]:
    """One row: its header (names with their anchors, score and similarity), then its table."""
    sides = [side for side in (row.left, row.right) if side is not None]
    numbered = ' id="' + row_id + '"' if row_id.startswith("row-") else ""
    out = [f'<section class="row {row.kind}"{numbered}>']
    if sides:
        names = ' <span class="arrow">⇄</span> '.join(_side_html(side) for side in sides)
    else:
        names = escape(row.heading)
    top = ' <a class="top" href="#contents">↑ contents</a>' if with_contents else ""
    out.append(f"<h2>{_tag(row)}{names}{top}</h2>")
    meta = []
    if row.kind == "only-a":
        meta.append(f"only in {a_label}, not in {b_label}")
    elif row.kind == "only-b":
        meta.append(f"only in {b_label}, not in {a_label}")
    elif row.kind in KIND_NOTES:
        meta.append(KIND_NOTES[row.kind])
    score = _score_text(row)
    if score:
        meta.append(score)
    if row.diff is not None and row.diff.coarse:
        meta.append(COARSE_NOTE)
    out.append(f'<p class="meta">{escape(" · ".join(meta))}</p>')
    if row.diff is None:
        out.append(
            '<p class="note">No partner of its own; its text is part of the pair '
            f'<a href="#{row.within}">{escape(row.within_heading)}</a> and shown there.</p>'
            "</section>"
        )
        return out
    diff = row.diff
    out.append('<table class="diff">')
    out.append(f"<thead><tr><th>{escape(a_label)}</th><th>{escape(b_label)}</th></tr></thead>")
    out.append("<tbody>")
    for cells in side_by_side_rows(diff, moves, slot):
        left = _html_cell(diff.a, cells.left, "a", titles)
        right = _html_cell(diff.b, cells.right, "b", titles)
        out.append(f"<tr><td>{left}</td><td>{right}</td></tr>")
    out.append("</tbody></table></section>")
    return out


# --------------------------------------------------------------------------- a pair of documents


def document_label(doc: Document) -> str:
    """How a document is named on the pages: its label when it has one, else its title."""
    return doc.name


def pair_rows(
    comparison: Comparison,
    a: str,
    b: str,
    section: str | None = None,
    options: DiffOptions | None = None,
) -> list[PageRow]:
    """The rows of documents ``a`` and ``b`` in reading order (see the module doc); with
    ``section`` only the matched pairs that hold it (``formats.diff.selected_diffs``)."""
    from policydiff.formats.diff import selected_diffs

    doc_a, doc_b = comparison.document(a), comparison.document(b)
    selected = selected_diffs(comparison, a, b, section, options)
    seen: set[str] = set()

    def side(sec: Section) -> Side:
        first = sec.id not in seen
        seen.add(sec.id)
        return Side(sec.id, section_name(sec), sec.level, first)

    by_a: dict[str, list[PageRow]] = {}
    shown_a: list[tuple[tuple[int, int], PageRow]] = []
    shown_b: list[tuple[tuple[int, int], PageRow]] = []
    b_row: dict[str, PageRow] = {}
    for sd in selected:
        sa, sb = doc_a.section(sd.match.a), doc_b.section(sd.match.b)
        group = f"  [group {sd.match.group}]" if sd.match.group else ""  # split/merge group
        row = PageRow(
            sd.match.kind, f"{section_name(sa)} ⇄ {section_name(sb)}{group}", sd.diff,
            side(sa), side(sb), sd.match.score,
        )
        by_a.setdefault(sa.id, []).append(row)
        b_row[sb.id] = row
        shown_a.append((sd.span_a, row))
        shown_b.append((sd.span_b, row))
    if section is not None:
        return [row for rows in by_a.values() for row in rows]

    def only(sec: Section, kind: str, shown: list[tuple[tuple[int, int], PageRow]]) -> PageRow:
        own = sec.own_span
        holder = next(
            (row for (start, end), row in shown if start <= own[0] and own[1] <= end), None
        )
        diff = None
        if holder is None:
            empty = (0, 0)
            span_a, span_b = (own, empty) if kind == "only-a" else (empty, own)
            diff = comparison.span_diff(a, b, span_a, span_b, options)
        return PageRow(kind, section_name(sec), diff, side(sec) if kind == "only-a" else None,
                       side(sec) if kind == "only-b" else None,
                       within=_row_id(holder, 0) if holder else "",
                       within_heading=holder.heading if holder else "", size=own[1] - own[0])

    ordered: list[PageRow] = []
    for sec in doc_a.sections:
        ordered += by_a.get(sec.id) or [only(sec, "only-a", shown_a)]
    return _place_only_b(ordered, doc_b, b_row, lambda sec: only(sec, "only-b", shown_b))


def _place_only_b(
    ordered: list[PageRow],
    doc_b: Document,
    b_row: dict[str, PageRow],
    only_b: Callable[[Section], PageRow],
) -> list[PageRow]:
    """Insert each section of B without a partner after the row of the matched B section
    before it in B's order (``b_row``: the last row, in A's order, that shows a B section);
    before everything when no matched section precedes it."""
    after: dict[int, list[PageRow]] = {}  # id() of a row -> the B-only rows that follow it
    leading: list[PageRow] = []
    last: PageRow | None = None
    for sec in doc_b.sections:
        if sec.id in b_row:
            last = b_row[sec.id]
        elif last is None:
            leading.append(only_b(sec))
        else:
            after.setdefault(id(last), []).append(only_b(sec))
    result = list(leading)
    for row in ordered:
        result.append(row)
        result += after.get(id(row), [])
    return result


def _documents_intro(
    comparison: Comparison, a: str, b: str, rows: Sequence[PageRow], labels: tuple[str, str]
) -> list[str]:
    """The two documents (label, title, file, size) and what the page holds."""
    out = ['<div class="scroll"><table class="grid docs"><thead><tr><th></th><th>document</th>'
           '<th>file</th><th class="num">sections</th><th class="num">characters</th></tr>'
           "</thead><tbody>"]
    for side, doc, label in (("A", comparison.document(a), labels[0]),
                             ("B", comparison.document(b), labels[1])):
        name = escape(label)
        if doc.title not in label:
            name += f'<br><span class="meta">{escape(doc.title)}</span>'
        out.append(
            f'<tr><td class="what">{side} <span class="id">{escape(doc.id)}</span></td>'
            f'<td>{name}</td><td class="path" title="{escape(doc.path)}">'
            f"{escape(PurePath(doc.path).name)}</td>"
            f'<td class="num">{len(doc.sections)}</td><td class="num">{len(doc.text):,}</td></tr>'
        )
    out.append("</tbody></table></div>")
    kinds = [row.kind for row in rows]
    matched = [row for row in rows if row.kind not in ("only-a", "only-b")]
    weight = sum(len(r.diff.a) + len(r.diff.b) for r in matched if r.diff is not None)
    same = sum((len(r.diff.a) + len(r.diff.b)) * r.diff.similarity
               for r in matched if r.diff is not None)
    summary = [plural(len(matched), "matched pair")]
    extra = kinds.count("split") + kinds.count("merge")
    if extra:
        summary[0] += f" ({len(matched) - extra} one-to-one, {extra} split or merge)"
    summary.append(f"{plural(kinds.count('only-a'), 'section')} only in {labels[0]}")
    summary.append(f"{kinds.count('only-b')} only in {labels[1]}")
    if weight:
        summary.append(f"same text overall {same / weight:.0%}")
    out.append(f'<p class="meta">{escape(", ".join(summary))}.</p>')
    return out


def diff_html(
    comparison: Comparison,
    a: str,
    b: str,
    section: str | None = None,
    options: DiffOptions | None = None,
    *,
    index: str | None = None,
) -> str:
    """The page of documents ``a`` against ``b``: every row of the pair (``pair_rows``), or
    the matched pairs that hold ``section``. ``index``: the index page to link back to
    (``compare`` passes ``index.html``; a standalone page has no link back)."""
    doc_a, doc_b = comparison.document(a), comparison.document(b)
    rows = pair_rows(comparison, a, b, section, options)
    a_label, b_label = document_label(doc_a), document_label(doc_b)
    if a_label == b_label:
        a_label, b_label = f"{a_label} ({a})", f"{b_label} ({b})"
    return render_page(
        rows, title=f"{a_label} ⇄ {b_label}", a_label=a_label, b_label=b_label,
        intro=_documents_intro(comparison, a, b, rows, (a_label, b_label)), index=index,
    )
