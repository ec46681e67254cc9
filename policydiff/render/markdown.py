"""A diff as Markdown: one table per changed section pair, in the rows of ``render.rows``.

The viewer's export of what is on screen writes it (with ``render.html.diff_html`` and
``render.tables.diff_report`` for HTML and plain text). Each layout row is a table row: the
left cell with deleted text ``~~struck~~``, the right cell with inserted text ``**bold**``,
moved text ``_italic_``; unchanged text plain.

Rules:
- Document text is made safe (``textsafe.visible``) and Markdown-inert: ``\\ ` * _ ~ [ ] < > |``
  and ``#`` are escaped, so a report's text never becomes a link, a tag or a table border.
- A line break inside a cell is ``<br>`` (a table row is one line).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from policydiff.render import rows
from policydiff.render.names import section_name
from policydiff.textsafe import visible

if TYPE_CHECKING:
    from policydiff.comparison import Comparison, SectionDiff

_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")

MARKS = {
    rows.DELETE: "~~", rows.REPLACE: "~~", rows.REPLACE_CHANGED: "~~",
    rows.INSERT: "**", rows.MOVED: "_",
}
"""The emphasis of each changed role (``replace`` is struck on the left, bold on the right)."""


def escape(text: str) -> str:
    """``text`` safe and inert in a Markdown table cell."""
    return _SPECIAL.sub(r"\\\1", visible(text)).replace("\n", "<br>")


def _cell(text: str, runs: Sequence[rows.Run], side: str) -> str:
    out = []
    for run in runs:
        piece = text[run.start : run.end]
        mark = MARKS.get(run.role, "")
        if mark == "~~" and side == "b":
            mark = "**"
        stripped = piece.strip("\n")
        if mark and stripped:
            lead = piece[: len(piece) - len(piece.lstrip("\n"))]
            trail = piece[len(piece.rstrip("\n")) :]
            out.append(escape(lead) + mark + escape(stripped) + mark + escape(trail))
        else:
            out.append(escape(piece))
    return "".join(out)


def diff_markdown(
    comparison: Comparison, selected: Sequence[SectionDiff], a: str, b: str,
    *, show_all: bool = False,
) -> str:
    """The changed pairs of ``selected`` (every pair with ``show_all``) of documents ``a`` and
    ``b`` as Markdown."""
    from policydiff.citations import Citer, diff_where

    doc_a, doc_b = comparison.document(a), comparison.document(b)
    cite_a, cite_b = Citer(doc_a), Citer(doc_b)
    label_a, label_b = escape(doc_a.tag), escape(doc_b.tag)
    out = [f"# {label_a} ⇄ {label_b}", ""]
    for sd in selected:
        if not sd.diff.changed and not show_all:
            continue
        sa, sb = doc_a.section(sd.match.a), doc_b.section(sd.match.b)
        opcodes = [op.as_tuple() for op in sd.diff.opcodes]
        where = diff_where(cite_a, cite_b, sd.span_a, sd.span_b, opcodes)
        out += [
            f"## {escape(section_name(sa))} ⇄ {escape(section_name(sb))}",
            "",
            f"score {sd.match.score:.2f}, same text {sd.diff.similarity:.0%}; {escape(where)}",
            "",
            f"| {label_a} | {label_b} |",
            "|---|---|",
        ]
        for row in rows.side_by_side_rows(sd.diff):
            left = _cell(sd.diff.a, row.left, "a")
            right = _cell(sd.diff.b, row.right, "b")
            if left.replace("<br>", "").strip() or right.replace("<br>", "").strip():
                out.append(f"| {left} | {right} |")
        out.append("")
    if len(out) == 2:
        out += ["No changed section pairs.", ""]
    return "\n".join(out)
