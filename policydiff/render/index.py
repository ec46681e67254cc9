"""The index page ``compare`` writes (``index.html``): where a reader of the results starts.

It holds, in this order: links to the other pages and files; the documents (label and title,
file, encoding, script, sections, characters, warnings); the pairs (up to
``outputs.MAX_HTML_PAIRS`` pairs: each pair's alignment table, every match and every section
of one side only, each linking to its row on the pair page; beyond: one line per pair with its
matched sections, mean score and phrase overlap, and a link to its page when it has one); the
theme matrix (themes × documents, each count opening the list of its sections, linked to a
pair page that shows them); the link to the phrase report. Page rules in ``render.page``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from policydiff.render.html import document_label
from policydiff.render.names import section_name
from policydiff.render.page import anchor, escape, page_end, page_head, plural

if TYPE_CHECKING:
    from policydiff.comparison import Comparison
    from policydiff.matches import Alignment
    from policydiff.model import Document
    from policydiff.report import PhraseReport

CSS = """
nav.links a { margin-right: 1em; white-space: nowrap; }
table.align td.score { color: #555; }
tr.only-a td { background: #fff8f8; } tr.only-b td { background: #f6fff8; }
table.themes td { text-align: center; }
table.themes details { text-align: left; }
table.themes th .meta { font-weight: normal; }
table.themes summary { white-space: nowrap; cursor: pointer; color: #0b57a4; text-align: center; }
table.themes ul { margin: 0.2em 0; padding-left: 1.1em; font-size: 0.9em; min-width: 12em; }
.none { color: #bbb; }
td.doc { white-space: nowrap; }
"""

DETAIL_PAIRS = 10
"""Up to this many pairs the index shows each pair's alignment table; beyond, a pair list."""


def index_html(
    comparison: Comparison,
    *,
    pages: Mapping[str, tuple[str, str]],
    report: PhraseReport | None = None,
    phrases: str | None = None,
    files: Sequence[str] = (),
    changes: Sequence[tuple[str, str]] = (),
    notes: Sequence[str] = (),
) -> str:
    """The index of a comparison. ``pages``: pair page file name -> (a, b) for every page
    written; ``phrases``: the phrase report page (None: not written); ``files``: the other
    files written beside it (listed as links); ``changes``: the pairs with a change report
    (``changes-dA-dB.html``, ``.md``, ``.json``: ``changes.files``); ``notes``: lines shown
    under Pairs (why pairs have no page: ``outputs.page_pairs``)."""
    from policydiff import __version__
    from policydiff.changes.files import has_peers

    docs = comparison.documents
    page_of = {pair: name for name, pair in pages.items()}
    title = f"policydiff: {len(docs)} documents compared"
    out = page_head(title, CSS)
    out.append(f"<h1>{escape(title)}</h1>")
    out.append(f'<p class="meta">policydiff {escape(__version__)} · '
               f"{plural(len(comparison.pairs), 'aligned pair')} · "
               f"{plural(len(pages), 'pair page')}</p>")
    links = ['<a href="#documents">Documents</a>', '<a href="#pairs">Pairs</a>',
             '<a href="#themes">Themes</a>']
    if changes or has_peers(comparison):
        links.append('<a href="#changes">What changed</a>')
    if phrases:
        links.append(f'<a href="{escape(phrases)}">Shared phrases (report)</a>')
    out.append(f'<nav class="links">{"".join(links)}</nav>')
    out += _documents(docs)
    out += _changes(comparison, changes)
    out.append('<h2 id="pairs">Pairs</h2>')
    out += [f'<p class="meta">{escape(note)}</p>' for note in notes]
    pairs = list(comparison.pairs)
    pairs += [pair for pair in pages.values() if pair not in pairs]
    if len(pairs) <= DETAIL_PAIRS:
        for a, b in pairs:
            out += _pair_table(comparison, comparison.alignment(a, b), page_of.get((a, b)))
    else:
        with_page = list(pages.values())  # in the order of the pages
        others = [pair for pair in pairs if pair not in page_of]
        out.append(f'<p class="meta">{plural(len(pairs), "pair")}; {len(with_page)} with a '
                   "page of their own (for another pair: <code>policydiff diff A B --format "
                   "html</code>).</p>")
        if with_page:
            out.append(f"<h3>Pairs with a page ({len(with_page)})</h3>")
            out += _pair_list(comparison, with_page, page_of, report)
        if others:
            out.append(f"<h3>Other aligned pairs ({len(others)})</h3>")
            out += _pair_list(comparison, others, page_of, report)
    out += _themes(comparison, pages)
    if phrases or files:
        out.append('<h2 id="files">Files</h2><ul>')
        if phrases:
            out.append(f'<li><a href="{escape(phrases)}">{escape(phrases)}</a>: the shared '
                       "phrases, overlap, new and dropped phrases</li>")
        out += [f'<li><a href="{escape(name)}">{escape(name)}</a></li>' for name in files]
        out.append("</ul>")
    out += page_end()
    return "\n".join(out)


def _changes(comparison: Comparison, pairs: Sequence[tuple[str, str]]) -> list[str]:
    """Links to the change report of each pair (targets, formulations, themes) and, for
    peers, to what is distinctive of each document."""
    from policydiff.changes.files import DISTINCTIVE, file_name, has_peers

    peers = has_peers(comparison)
    if not pairs and not peers:
        return []
    out = ['<h2 id="changes">What changed</h2>']
    if peers:
        out.append(f'<p><a href="{DISTINCTIVE}.html">What is distinctive of each document</a> '
                   f'<span class="meta">(<a href="{DISTINCTIVE}.md">md</a>): the documents are '
                   "peers, not one series</span></p>")
    if not pairs:
        return out
    out += ['<p class="meta">Targets and indicators, new, dropped and renamed formulations, '
            "themes most changed first; each cited by its source line.</p><ul>"]
    for a, b in pairs:
        old, new = comparison.document(a), comparison.document(b)
        page = escape(file_name(a, b, "html"))
        out.append(f'<li><a href="{page}">{escape(document_label(old))} → '
                   f"{escape(document_label(new))}</a> "
                   f'<span class="meta">(<a href="{escape(file_name(a, b, "md"))}">md</a>, '
                   f'<a href="{escape(file_name(a, b, "json"))}">json</a>)</span></li>')
    out.append("</ul>")
    return out


def _documents(docs: Sequence[Document]) -> list[str]:
    out = ['<h2 id="documents">Documents</h2>', '<div class="scroll"><table class="grid docs">',
           "<thead><tr><th>id</th><th>document</th><th>file</th><th>encoding</th><th>script</th>"
           '<th class="num">sections</th><th class="num">characters</th>'
           '<th class="num">warnings</th></tr></thead><tbody>']
    for doc in docs:
        label = document_label(doc)
        name = f"<strong>{escape(label)}</strong>"
        if doc.title not in label:
            name += f'<br><span class="meta">{escape(doc.title)}</span>'
        warnings = "; ".join(doc.warnings)
        out.append(
            f'<tr><td class="id">{escape(doc.id)}</td><td>{name}</td>'
            f'<td class="path" title="{escape(doc.path)}">{escape(PurePath(doc.path).name)}</td>'
            f"<td>{escape(doc.encoding)}</td><td>{escape(doc.script)}</td>"
            f'<td class="num">{len(doc.sections)}</td><td class="num">{len(doc.text):,}</td>'
            f'<td class="num" title="{escape(warnings)}">{len(doc.warnings)}</td></tr>'
        )
    out.append("</tbody></table></div>")
    return out


def _counts(al: Alignment) -> tuple[int, int, float]:
    """One-to-one matches, splits and merges, and the mean score of the one-to-one matches."""
    one_to_one = [m for m in al.matches if m.kind == "match"]
    mean = sum(m.score for m in one_to_one) / len(one_to_one) if one_to_one else 0.0
    return len(one_to_one), len(al.matches) - len(one_to_one), mean


def _link(page: str | None, section_id: str, text: str) -> str:
    if page is None:
        return escape(text)
    return f'<a href="{escape(page)}#{anchor(section_id)}">{escape(text)}</a>'


def _pair_table(comparison: Comparison, al: Alignment, page: str | None) -> list[str]:
    """A pair's heading, summary and alignment table (matches, then sections of one side)."""
    a, b = comparison.document(al.a), comparison.document(al.b)
    la, lb = document_label(a), document_label(b)
    matched, extra, mean = _counts(al)
    head = f"{escape(la)} ⇄ {escape(lb)}"
    if page is not None:
        head = f'<a href="{escape(page)}">{head}</a>'
    out = [f'<h3 id="pair-{escape(al.a)}-{escape(al.b)}">{head} '
           f'<span class="id">{escape(al.a)} ⇄ {escape(al.b)}</span></h3>']
    summary = (f"{matched} matched sections of {len(a.sections)}/{len(b.sections)}, mean score "
               f"{mean:.2f}, {extra} split or merge, {len(al.unmatched_a)} only in {la}, "
               f"{len(al.unmatched_b)} only in {lb}")
    out.append(f'<p class="meta">{escape(summary)}'
               + ("" if page else " (no page for this pair)") + "</p>")
    out.append('<div class="scroll"><table class="grid align"><thead><tr>'
               f'<th class="num">score</th><th>{escape(la)}</th><th>{escape(lb)}</th>'
               "<th>themes</th></tr></thead><tbody>")
    for m in al.matches:
        kind = "" if m.kind == "match" else f' <span class="tag {m.kind}">{m.kind}</span>'
        out.append(
            f'<tr><td class="num score">{m.score:.2f}</td>'
            f"<td>{_link(page, m.a, section_name(a.section(m.a)))}</td>"
            f"<td>{_link(page, m.b, section_name(b.section(m.b)))}{kind}</td>"
            f"<td>{escape(', '.join(m.themes))}</td></tr>"
        )
    for sid in al.unmatched_a:
        out.append(f'<tr class="only-a"><td class="num score">—</td>'
                   f"<td>{_link(page, sid, section_name(a.section(sid)))}</td>"
                   f'<td><span class="tag only-a">only in {escape(la)}</span></td><td></td></tr>')
    for sid in al.unmatched_b:
        out.append(f'<tr class="only-b"><td class="num score">—</td>'
                   f'<td><span class="tag only-b">only in {escape(lb)}</span></td>'
                   f"<td>{_link(page, sid, section_name(b.section(sid)))}</td><td></td></tr>")
    out.append("</tbody></table></div>")
    return out


def _pair_list(
    comparison: Comparison,
    pairs: Sequence[tuple[str, str]],
    page_of: Mapping[tuple[str, str], str],
    report: PhraseReport | None,
) -> list[str]:
    """One line per pair: its documents, matched sections, mean score, phrase overlap, page."""
    overlap = {(o.a, o.b): o.jaccard for o in report.overlaps} if report is not None else {}
    out = ['<div class="scroll"><table class="grid pairs"><thead><tr><th>A</th><th>B</th>'
           '<th class="num">matched</th><th class="num">only in A</th>'
           '<th class="num">only in B</th><th class="num">mean score</th>'
           '<th class="num">phrase Jaccard</th><th>page</th></tr></thead><tbody>']
    for a, b in pairs:
        al = comparison.alignment(a, b)
        matched, _extra, mean = _counts(al)
        jaccard = overlap.get((a, b), overlap.get((b, a)))
        page = page_of.get((a, b))
        link = '<span class="none">—</span>'
        if page:
            link = f'<a href="{escape(page)}">{escape(page)}</a>'
        out.append(
            f'<tr><td class="doc">{escape(comparison.document(a).tag)}</td>'
            f'<td class="doc">{escape(comparison.document(b).tag)}</td>'
            f'<td class="num">{matched}</td><td class="num">{len(al.unmatched_a)}</td>'
            f'<td class="num">{len(al.unmatched_b)}</td><td class="num">{mean:.2f}</td>'
            f'<td class="num">{"" if jaccard is None else f"{jaccard:.2f}"}</td>'
            f'<td class="doc">{link}</td></tr>'
        )
    out.append("</tbody></table></div>")
    return out


def _themes(comparison: Comparison, pages: Mapping[str, tuple[str, str]]) -> list[str]:
    """Themes × documents: the number of sections, opening to links to them on a pair page
    that holds the document (the first such page)."""
    docs = comparison.documents
    page_of_doc: dict[str, str] = {}
    for name, pair in pages.items():
        for doc_id in pair:
            page_of_doc.setdefault(doc_id, name)
    names = {theme.id: theme for theme in comparison.themes}
    out = ['<h2 id="themes">Themes</h2>',
           '<p class="meta">Sections per theme and document (the sections whose strongest theme '
           "it is); open a count for its sections.</p>",
           '<div class="scroll"><table class="grid themes"><thead><tr><th>theme</th>']
    out += [f"<th>{escape(document_label(doc))}</th>" for doc in docs]
    out.append("</tr></thead><tbody>")
    for theme_id, cells in comparison.theme_matrix():
        theme = names.get(theme_id)
        label = escape(theme.name) if theme else escape(theme_id)
        if theme is not None:
            label += f'<br><span class="meta">{escape(theme.name_en)}</span>'
        row = [f'<tr><th scope="row">{label}</th>']
        for doc in docs:
            ids = cells.get(doc.id, [])
            if not ids:
                row.append('<td class="none">0</td>')
                continue
            page = page_of_doc.get(doc.id)
            items = "".join(
                f"<li>{_link(page, sid, section_name(doc.section(sid)))}</li>" for sid in ids
            )
            row.append(f"<td><details><summary>{len(ids)}</summary><ul>{items}</ul></details></td>")
        row.append("</tr>")
        out.append("".join(row))
    out.append("</tbody></table></div>")
    return out
