"""A diff as a standalone HTML page: one side-by-side table per section pair.

The rows are ``policydiff.render.rows.side_by_side_rows`` (one table row each; the browser
wraps the cells). Inline CSS, no script, no external resource; every document string
(headings and labels included) is made visible (``policydiff.textsafe``) and HTML-escaped.
Moved text is found across all the pairs of the page (``find_moves``) and marked where it left
and where it arrived, with a tooltip naming the other section.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policydiff.diff import DiffOptions, TextDiff, find_moves
from policydiff.render.names import section_name
from policydiff.render.rows import COARSE_NOTE, Run, base_style, side_by_side_rows, style_name
from policydiff.textsafe import visible

if TYPE_CHECKING:
    from policydiff.comparison import Comparison

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

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 80em; padding: 0 1em;
       line-height: 1.7; color: #1a1a1a; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
.meta, .legend { color: #555; font-size: 0.9em; }
table.diff { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.diff th { text-align: left; background: #f2f2f2; padding: 0.3em 0.6em; }
table.diff td { vertical-align: top; padding: 0.2em 0.6em; border-top: 1px solid #eee;
                white-space: pre-wrap; overflow-wrap: anywhere; width: 50%; }
table.diff td + td { border-left: 1px solid #ccc; }
del { color: #b31d28; background: #ffeef0; }
ins { color: #22863a; background: #e6ffed; text-decoration: none; }
del.strong { background: #fdb8c0; color: #86181d; font-weight: bold; }
ins.strong { background: #acf2bd; color: #144620; font-weight: bold; }
.ctx-del { color: #b31d28; } .ctx-ins { color: #22863a; }
del.moved { color: #6f42c1; background: #f5f0ff; }
ins.moved { color: #0366d6; background: #eef6ff; text-decoration: none; }
"""


def _escape(text: str) -> str:
    return html.escape(visible(text), quote=True)


def _html_cell(text: str, runs: Sequence[Run], side: str, titles: dict[str, str]) -> str:
    parts: list[str] = []
    for run in runs:
        piece = _escape(text[run.start : run.end])
        style = style_name(run, side)
        if not style:
            parts.append(piece)
            continue
        opening, closing = HTML_TAGS[base_style(style)]
        title = titles.get(style, "")
        parts.append(opening.format(title=f' title="{_escape(title)}"' if title else ""))
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
    """A standalone HTML page: one side-by-side table per section pair, with its heading.

    ``pairs`` are ``(heading, diff)`` (see the module rules).
    """
    diffs = [diff for _heading, diff in pairs]
    moves = find_moves(diffs)
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_escape(title)}</h1>",
        '<p class="legend"><del>删除</del> <ins>插入</ins> '
        '<del class="strong">改动的字</del> <ins class="strong">改动的字</ins> '
        '<del class="moved">移出</del> <ins class="moved">移入</ins></p>',
    ]
    for index, (heading, diff) in enumerate(pairs):
        out.append(f'<section id="pair-{index + 1}">')
        out.append(f"<h2>{_escape(heading)}</h2>")
        meta = f"相似度 {diff.similarity:.0%}"
        if diff.coarse:
            meta += " · " + COARSE_NOTE
        out.append(f'<p class="meta">{_escape(meta)}</p>')
        out.append('<table class="diff">')
        out.append(f"<thead><tr><th>{_escape(a_label)}</th><th>{_escape(b_label)}</th></tr></thead>")
        out.append("<tbody>")
        titles: dict[str, str] = {}
        for number, move in enumerate(moves):
            if move.a_pair == index:
                titles[f"mdel#{number}"] = f"移至：{pairs[move.b_pair][0]}"
            if move.b_pair == index:
                titles[f"mins#{number}"] = f"移自：{pairs[move.a_pair][0]}"
        for row in side_by_side_rows(diff, moves, index):
            left = _html_cell(diff.a, row.left, "a", titles)
            right = _html_cell(diff.b, row.right, "b", titles)
            out.append(f"<tr><td>{left}</td><td>{right}</td></tr>")
        out.append("</tbody></table></section>")
    out.extend(["</body>", "</html>", ""])
    return "\n".join(out)


def diff_html(
    comparison: Comparison,
    a: str,
    b: str,
    section: str | None = None,
    options: DiffOptions | None = None,
) -> str:
    """The HTML page of documents ``a`` against ``b``: every matched section pair, or those of
    ``section`` (``formats.diff.selected_diffs``), headed by the sections' names."""
    from policydiff.formats.diff import selected_diffs

    doc_a, doc_b = comparison.document(a), comparison.document(b)
    pairs = [
        (f"{section_name(doc_a.section(sd.match.a))} ⇄ {section_name(doc_b.section(sd.match.b))}",
         sd.diff)
        for sd in selected_diffs(comparison, a, b, section, options)
    ]
    return render_html(pairs, title=f"{doc_a.title} ⇄ {doc_b.title}", a_label=doc_a.title,
                       b_label=doc_b.title)
