"""Reading a file into a ``Document``: decode, normalize, segment (and classify themes)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from typing import TYPE_CHECKING

from policydiff.model import Document, Section
from policydiff.normalize import NormalizeConfig, NormalText, normalize
from policydiff.segment import segment

if TYPE_CHECKING:
    from policydiff.themes import Theme

_TITLE_WORDS = re.compile(r"报告|规划|建议|决定|纲要|讲话|施政|意见")
MAX_TITLE = 60


def guess_title(normal: NormalText, fallback: str) -> str:
    """A title for display: a title-like line among the first few, else ``fallback``.

    A line counts when it is short and names the kind of document (报告, 规划, 建议, …).
    """
    for line in normal.text.split("\n")[:6]:
        line = line.strip()
        if (
            line
            and len(line) <= MAX_TITLE
            and line[-1] not in "。！？；，：:,;"
            and _TITLE_WORDS.search(line)
        ):
            return line
    return fallback


def build_document(
    source: str,
    *,
    doc_id: str,
    path: str,
    sha256: str = "",
    encoding: str = "utf-8",
    config: NormalizeConfig | None = None,
    warnings: tuple[str, ...] = (),
    themes: tuple[Theme, ...] | None = None,
) -> Document:
    """Normalize and segment already-decoded text; classify sections when ``themes`` given."""
    normal = normalize(source, config)
    title = guess_title(normal, Path(path).stem)
    root = segment(normal, doc_id=doc_id, title=title)
    if themes:
        root = _with_themes(root, normal.text, themes)
    return Document(
        id=doc_id,
        path=path,
        title=title,
        sha256=sha256,
        encoding=encoding,
        script=normal.script,
        text=normal.text,
        root=root,
        warnings=tuple(warnings) + tuple(normal.warnings),
        source_text=source,
    )


def load_document(
    path: str | Path,
    *,
    doc_id: str = "d1",
    encoding: str | None = None,
    config: NormalizeConfig | None = None,
    themes: tuple[Theme, ...] | None = None,
    extra_warnings: tuple[str, ...] = (),
) -> Document:
    """Read a file from disk into a Document. Raises ``InputError`` for unreadable input."""
    from policydiff.io import read_text

    decoded = read_text(path, encoding=encoding)
    return build_document(
        decoded.text,
        doc_id=doc_id,
        path=str(path),
        sha256=decoded.sha256,
        encoding=decoded.encoding,
        config=config,
        warnings=decoded.warnings + extra_warnings,
        themes=themes,
    )


def _with_themes(root: Section, text: str, themes: tuple[Theme, ...]) -> Section:
    """A copy of the tree whose sections carry theme scores (heading and whole body)."""
    from policydiff.themes import classify

    def visit(sec: Section) -> Section:
        children = tuple(visit(c) for c in sec.children)
        if sec.kind == "root":
            return dataclasses.replace(sec, children=children)
        heading = text[sec.heading_span[0] : sec.heading_span[1]] if sec.heading else ""
        body = text[sec.heading_span[1] : sec.span[1]]
        scores = classify(heading, body, themes)
        return dataclasses.replace(sec, children=children, themes=tuple(scores))

    return visit(root)
