"""The shell every HTML page of policydiff shares: escaping, the common style sheet, the
``<head>`` and the link back to the index.

Rules (all pages: the pair pages of ``render.html``, the index of ``render.index``, the phrase
report of ``render.phrases``):
- Self-contained: inline CSS, no script, nothing fetched from elsewhere; readable offline and
  without JavaScript.
- Every piece of document text (titles, labels, headings, file names, phrases) goes through
  ``escape``: made visible (``policydiff.textsafe``: control characters such as ESC become
  placeholders) and HTML-escaped, quotes included, so it is inert in text and in attributes.
- Responsive: nothing is wider than the screen; a table too wide for a phone scrolls inside
  its own box (``<div class="scroll">``) rather than the page.
- Anchors of sections are ``anchor(section_id)``: ``d1/3.2`` becomes ``d1-3.2``, the same on
  every page, so ``diff-d1-d2.html#d2-3.6.1`` names a section for good.
"""

from __future__ import annotations

import html

from policydiff.textsafe import visible

INDEX = "index.html"
"""The file name of the index page ``compare`` writes."""

BASE_CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
       "Microsoft YaHei", system-ui, sans-serif; margin: 0 auto; max-width: 80em;
       padding: 1em 1.5em 3em; line-height: 1.6; color: #1a1a1a; background: #fff;
       overflow-wrap: anywhere; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
h1 { font-size: 1.5em; line-height: 1.3; margin: 0.6em 0 0.4em; }
h2 { font-size: 1.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-top: 1.6em; }
a { color: #0b57a4; }
nav.back { font-size: 0.9em; margin-bottom: 0.5em; }
.meta, .legend, .note { color: #555; font-size: 0.9em; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table.grid { border-collapse: collapse; margin: 0.6em 0; font-size: 0.95em; }
table.grid th, table.grid td { border: 1px solid #d6d6d6; padding: 0.25em 0.5em;
                               vertical-align: top; text-align: left; }
table.grid td { overflow-wrap: break-word; }
table.grid th { background: #f3f3f3; overflow-wrap: normal; word-break: keep-all; }
table.grid td.num, table.grid th.num { text-align: right; font-variant-numeric: tabular-nums;
                                        white-space: nowrap; }
table.grid td.path { font-family: ui-monospace, monospace; font-size: 0.9em; }
.id { font-family: ui-monospace, monospace; font-size: 0.9em; color: #555;
      white-space: nowrap; }
.tag { display: inline-block; font-size: 0.8em; padding: 0 0.4em; border-radius: 0.3em;
       background: #eee; color: #444; white-space: nowrap; }
.tag.only-a { background: #ffeef0; color: #86181d; }
.tag.only-b { background: #e6ffed; color: #144620; }
.tag.split, .tag.merge { background: #fff5d6; color: #6a4b00; }
@media (max-width: 40em) {
  body { padding: 0.5em 0.7em 2em; font-size: 15px; }
  h1 { font-size: 1.25em; }
  table.grid { font-size: 0.9em; }
}
"""


def escape(text: str) -> str:
    """Document text made inert in HTML text and attribute values (see the module rules)."""
    return html.escape(visible(text), quote=True)


def anchor(section_id: str) -> str:
    """The id of a section's anchor on every page (``d1/3.2`` -> ``d1-3.2``)."""
    return section_id.replace("/", "-")


def page_head(title: str, css: str = "") -> list[str]:
    """The lines that open a page, up to and including ``<body>``; ``title`` is escaped."""
    return [
        "<!DOCTYPE html>",
        '<html lang="zh-Hans">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="policydiff">',
        f"<title>{escape(title)}</title>",
        f"<style>{BASE_CSS}{css}</style>",
        "</head>",
        "<body>",
    ]


def back_link(index: str | None) -> list[str]:
    """The link back to the index (nothing for a standalone page)."""
    if not index:
        return []
    return [f'<nav class="back"><a href="{escape(index)}">← all documents (index)</a></nav>']


def plural(count: int, noun: str) -> str:
    """``1 pair``, ``2 pairs``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def page_end() -> list[str]:
    return ["</body>", "</html>", ""]
