"""Where a piece of a document is in its source file: the one owner of "line and column".

Everything downstream of ``Document`` works with offsets into ``Document.text`` (the
normalized text). A reader who wants to check a quotation opens the *original file*: this
module turns a normalized span into the source file's line and column as an editor shows them
(both 1-based; a column counts characters, not bytes), through the normalization's offset map
(``Document.normalization.to_source``) and the decoded source (``Document.source_text``).

``cite(doc, span)`` gives a ``Citation``; ``Citation.where`` is the ``file:line`` string text
output prints (``national-2025.txt:47``), ``Citation.where_column`` adds the column.
``hunk_citations`` cites every change of a diff (the diff JSON, ``diff``'s text and Markdown).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from policydiff.model import Document, Span
from policydiff.textsafe import visible


@dataclass(frozen=True)
class Citation:
    """A position in a document's source file.

    ``file`` is the file's name (made safe to show), ``line``/``column`` 1-based, of the first
    character of the span; ``end_line`` of its last character (a span may run over lines);
    ``section`` the id of the section the span starts in ("" when not known).
    """

    file: str
    line: int
    column: int
    end_line: int
    section: str = ""

    @property
    def where(self) -> str:
        """``file:line``, as compilers and grep print a location."""
        return f"{self.file}:{self.line}"

    @property
    def where_column(self) -> str:
        """``file:line:column``."""
        return f"{self.file}:{self.line}:{self.column}"


def file_name(doc: Document) -> str:
    """The name of a document's file as a citation shows it (``-`` for standard input)."""
    return visible(PurePath(doc.path).name) or doc.path


@lru_cache(maxsize=64)
def _line_starts(source: str) -> tuple[int, ...]:
    """The offset of the first character of every line of ``source``."""
    starts = [0]
    pos = source.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = source.find("\n", pos + 1)
    return tuple(starts)


def source_position(doc: Document, offset: int) -> tuple[int, int]:
    """``(line, column)``, both 1-based, of a source offset of ``doc``."""
    return _position(doc.source_text, offset)


def _position(source: str, offset: int) -> tuple[int, int]:
    starts = _line_starts(source)
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


class Citer:
    """Cites many spans of one document: the section starts and the offset map are looked up
    once (``cite`` for a single span builds one)."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.file = file_name(doc)
        normal = doc.normalization if doc.source_text else None
        # A document built by hand (no source, or a text its source does not normalize to):
        # lines of its own text.
        self.normal = normal if normal is not None and normal.text == doc.text else None
        self.source = doc.source_text if self.normal is not None else doc.text
        sections = [sec for sec in doc.sections if sec.own_span[1] > sec.own_span[0]]
        self.starts = [sec.own_span[0] for sec in sections]
        self.ids = [sec.id for sec in sections]

    def section_at(self, offset: int) -> str:
        """The id of the section whose own text holds normalized ``offset`` (own texts tile
        the text in document order)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.ids[index] if index >= 0 else self.doc.root.id

    def cite(self, span: Span, section: str | None = None) -> Citation:
        """Where normalized ``span`` is in the source file; ``section``: the section id to
        carry (default: the section holding the span's start)."""
        start, end = self.normal.to_source(span) if self.normal is not None else span
        line, column = _position(self.source, start)
        end_line = _position(self.source, max(start, end - 1))[0]
        return Citation(
            file=self.file, line=line, column=column, end_line=end_line,
            section=self.section_at(span[0]) if section is None else section,
        )


Opcode = tuple[str, int, int, int, int]
"""A diff opcode ``(tag, a_start, a_end, b_start, b_end)``, offsets relative to its spans."""


def hunk_citations(
    cite_a: Citer, cite_b: Citer, span_a: Span, span_b: Span, opcodes: Sequence[Opcode]
) -> list[tuple[int, Citation, Citation]]:
    """Where each change (an opcode that is not ``equal``) of a diff of ``span_a`` (of
    ``cite_a``'s document) and ``span_b`` is in the two source files: ``(index of the opcode,
    citation in a, citation in b)``. An insertion is cited in ``a`` where it goes (an empty
    span), a deletion likewise in ``b``."""
    a0, b0 = span_a[0], span_b[0]
    return [
        (k, cite_a.cite((a0 + i1, a0 + i2), section=""),
         cite_b.cite((b0 + j1, b0 + j2), section=""))
        for k, (tag, i1, i2, j1, j2) in enumerate(opcodes) if tag != "equal"
    ]


def line_list(lines: Iterable[int], limit: int = 12) -> str:
    """Distinct source lines as text prints them: ``81, 83–85, 90`` (runs joined; at most
    ``limit`` items, then ``…``)."""
    runs: list[list[int]] = []
    for line in sorted(set(lines)):
        if runs and line == runs[-1][1] + 1:
            runs[-1][1] = line
        else:
            runs.append([line, line])
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:limit]]
    return ", ".join(shown) + (", …" if len(runs) > limit else "")


def diff_where(
    cite_a: Citer, cite_b: Citer, span_a: Span, span_b: Span, opcodes: Sequence[Opcode]
) -> str:
    """The line text and Markdown print under a diff pair's header: where the two spans start
    and the source lines of its changes, ``at a.txt:81 ⇄ b.txt:53; changed lines 81, 83–84 ⇄
    53, 55``."""
    hunks = hunk_citations(cite_a, cite_b, span_a, span_b, opcodes)
    at = f"at {cite_a.cite(span_a).where} ⇄ {cite_b.cite(span_b).where}"
    if not hunks:
        return at
    lines_a = line_list(line for _, where, _ in hunks for line in _lines(where))
    lines_b = line_list(line for _, _, where in hunks for line in _lines(where))
    return f"{at}; changed lines {lines_a} ⇄ {lines_b}"


def _lines(where: Citation) -> range:
    return range(where.line, where.end_line + 1)


def section_at(doc: Document, offset: int) -> str:
    """The id of the innermost section whose own text holds normalized ``offset``."""
    return Citer(doc).section_at(offset)


def cite(doc: Document, span: Span, section: str | None = None) -> Citation:
    """Where normalized ``span`` of ``doc`` is in its source file. ``section``: the section
    id to carry (default: the innermost section holding the span's start). For many spans of
    one document, use a ``Citer``."""
    return Citer(doc).cite(span, section)


def line_of(doc: Document, offset: int) -> int:
    """The 1-based source line of normalized ``offset`` of ``doc``."""
    return cite(doc, (offset, offset + 1), section="").line
