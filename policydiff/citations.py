"""Where a piece of a document is in its source file: the one owner of "line and column".

Everything downstream of ``Document`` works with offsets into ``Document.text`` (the
normalized text). A reader who wants to check a quotation opens the *original file*: this
module turns a normalized span into the source file's line and column as an editor shows them
(both 1-based; a column counts characters, not bytes), through the normalization's offset map
(``Document.normalization.to_source``) and the decoded source (``Document.source_text``).

``cite(doc, span)`` gives a ``Citation``; ``Citation.where`` is the ``file:line`` string text
output prints (``national-2025.txt:47``), ``Citation.where_column`` adds the column.
"""

from __future__ import annotations

import bisect
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
    starts = _line_starts(doc.source_text)
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def section_at(doc: Document, offset: int) -> str:
    """The id of the innermost section whose own text holds normalized ``offset``."""
    found = doc.root.id
    for sec in doc.sections:
        start, end = sec.own_span
        if start <= offset < end:
            found = sec.id
        elif sec.span[0] > offset:
            break
    return found


def cite(doc: Document, span: Span, section: str | None = None) -> Citation:
    """Where normalized ``span`` of ``doc`` is in its source file. ``section``: the section
    id to carry (default: the innermost section holding the span's start)."""
    start, end = doc.normalization.to_source(span)
    line, column = source_position(doc, start)
    end_line = source_position(doc, max(start, end - 1))[0]
    return Citation(
        file=file_name(doc), line=line, column=column, end_line=end_line,
        section=section_at(doc, span[0]) if section is None else section,
    )


def line_of(doc: Document, offset: int) -> int:
    """The 1-based source line of normalized ``offset`` of ``doc``."""
    return cite(doc, (offset, offset + 1), section="").line
