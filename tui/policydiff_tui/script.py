"""The text as the document writes it, over the offsets of the normalized text.

The comparison runs on the normalized text (Simplified, half-width digits, one line per
paragraph): ``Document.text``, which every span indexes. A reader quoting from the screen needs
the text as written (a Hong Kong report says 議員, not 议员). ``shown_text`` gives it with the
same length and offsets as ``Document.text``, so the layout, the diff colours, the phrases and
the search marks apply unchanged.

Rules:
- Each normalized character is shown as the source character it came from
  (``Document.normalization.to_source``) when exactly one source character made it and that
  character made nothing else (議 -> 议, ３ -> 3 are one to one); otherwise (several source
  characters folded into one, a character the normalizer added, a line break) the normalized
  character is shown. A control or line-break character of the source is never shown this way.
- ``source_lines`` / ``citation`` are the line reference of a span (the first and last line of
  the source file its text comes from), from ``policydiff.citations``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.model import Document

Span = tuple[int, int]


def shown_text(doc: Document) -> str:
    """``doc.text`` with each character as the source writes it (see the module rules)."""
    if not doc.source_text:
        return doc.text
    normal = doc.normalization
    if normal.text != doc.text:  # another normalization (should not happen): show it as is
        return doc.text
    source = doc.source_text
    starts, ends = normal.starts, normal.ends
    out = list(doc.text)
    last = len(out) - 1
    for i, char in enumerate(out):
        start, end = starts[i], ends[i]
        if end - start != 1:
            continue
        original = source[start]
        if original == char or not original.isprintable() or original.isspace():
            continue
        if (i > 0 and ends[i - 1] > start) or (i < last and starts[i + 1] < end):
            continue  # the source character made more than this one
        out[i] = original
    return "".join(out)


def source_lines(doc: Document, span: Span) -> tuple[int, int]:
    """First and last line (1-based) of the source file holding ``span`` of ``doc.text``
    (``policydiff.citations``, the core's owner of offset -> file:line)."""
    from policydiff.citations import cite

    found = cite(doc, span, section="")
    return found.line, found.end_line


def citation(doc: Document, span: Span) -> str:
    """``file.txt:12`` or ``file.txt:12-14``: where ``span`` of ``doc.text`` is in its file."""
    from policydiff.citations import cite

    found = cite(doc, span, section="")
    return found.where if found.end_line == found.line else f"{found.where}-{found.end_line}"
