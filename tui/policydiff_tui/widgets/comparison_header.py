"""The header: which two documents are compared, how similar they are, where the reader is."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.content import Content
from textual.reactive import reactive
from textual.style import Style
from textual.widget import Widget

from policydiff.labels import informative_title
from policydiff.model import Document
from policydiff_tui import sanitize

NARROW = 100
"""Below this many columns the header's figures take their short forms."""


class ComparisonHeader(Widget):
    """Two lines: the left and right documents, then similarity, pair counts and filter."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "comparison-header--app",
        "comparison-header--doc",
        "comparison-header--figure",
        "comparison-header--dim",
    }

    docs: reactive[tuple[Document, Document] | None] = reactive(None)
    similarity: reactive[float | None] = reactive(None)
    counts: reactive[tuple[int, int, int, int] | None] = reactive(None)
    """Rows shown, one-to-one matches, left-only and right-only sections (``None`` until the
    pair is aligned: the header then says so instead of showing zeros)."""
    position: reactive[str] = reactive("")
    theme_label: reactive[str] = reactive("")
    search_label: reactive[str] = reactive("")
    """The search on show and the current hit (``“城中村” 2/12``; app-made, already safe)."""
    message: reactive[str] = reactive("")
    """App text shown instead of the documents while nothing is loaded (or on failure)."""

    def _style(self, name: str) -> Style:
        return self.get_visual_style(f"comparison-header--{name}", partial=True)

    def _doc(self, doc: Document, width: int) -> Content:
        name = Path(doc.path).name
        # the title only where it says more than the label (labels.informative_title)
        title = informative_title(doc, self.docs or ())
        what = f"{title} ({name})" if title else name
        # The label (北京, 2025) first, unless it is the file name's stem, shown anyway.
        shown_label = doc.label if not doc.file_stem.startswith(doc.label) else ""
        tag = sanitize.line(shown_label, self._style("figure")) if shown_label else None
        room = max(8, width - len(shown_label) - 1)
        return sanitize.join(
            [
                (doc.id, self._style("figure")), " ",
                *((tag, " ") if tag is not None else ()),
                sanitize.truncate(sanitize.line(what), room),
            ]
        )

    def render(self) -> Content:
        width = max(20, self.size.width)
        head = ("policydiff ", self._style("app"))
        if self.docs is None:
            return sanitize.join([head, sanitize.line(self.message, self._style("dim"))])
        left, right = self.docs
        half = max(10, (width - 16) // 2)
        line1 = sanitize.join(
            [
                head,
                self._doc(left, half - 4),
                ("  ⇄  ", self._style("dim")),
                self._doc(right, half - 4),
            ]
        )
        figures: list[Content | str | tuple[str, Style | str]] = []
        narrow = width < NARROW
        if self.similarity is not None:
            figures += ["" if narrow else "similarity ",
                        (f"{self.similarity:.0%}", self._style("figure")), "  "]
        if self.counts is None:
            figures += [("aligning…", self._style("dim"))]
        else:
            _rows, matched, only_left, only_right = self.counts
            figure = self._style("figure")
            figures += [(str(matched), figure), " matched  "]
            if narrow:  # the row position must stay in sight
                figures += [(str(only_left), figure), "/", (str(only_right), figure),
                            " unmatched  "]
            else:
                figures += [(str(only_left), figure), f" only {left.id}  ",
                            (str(only_right), figure), f" only {right.id}  "]
            figures += [(self.position, self._style("dim"))]
        if self.theme_label:
            figures += ["  theme: ", sanitize.line(self.theme_label, self._style("figure"))]
        if self.search_label:
            figures += ["  ", sanitize.line(self.search_label, self._style("dim"))]
        line2 = sanitize.join(figures)
        return sanitize.join(
            [sanitize.truncate(line1, width), "\n", sanitize.truncate(line2, width)]
        )
