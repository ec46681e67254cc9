"""The plain data that flows through policydiff: documents and their section trees.

Everything here is a frozen dataclass. Offsets are ``(start, end)`` pairs, end exclusive,
counted in characters (Python ``str`` indices): ``span`` and friends index the *normalized*
text, ``source_span`` indexes the *decoded source* text (see ``normalize.NormalText``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from policydiff.normalize import NormalizeConfig, NormalText

Span = tuple[int, int]


@dataclass(frozen=True)
class ThemeScore:
    """A theme assigned to a section, with a score in [0, 1]."""

    id: str
    score: float


@dataclass(frozen=True)
class Section:
    """One node of a document's heading tree.

    ``id`` is a stable path such as ``d1/3.2`` (position among siblings, not the number
    written in the document, because real numbering repeats and restarts). The root of a
    document has ``id == doc_id`` and level 0. ``kind`` is ``"heading"`` for a section that
    starts at a heading, ``"preamble"`` for text before the first heading and ``"closing"``
    for the closing paragraphs (``各位代表，…``).

    Spans, all in the normalized text:
    - ``span``: the whole section, heading to the end of its last descendant;
    - ``heading_span``: the marker and heading as written (empty for preamble/closing);
    - ``body_span``: the section's own body, from the end of the heading to its first child
      (or to the end of ``span`` when it has none).
    The own text ``[heading_span[0], body_span[1])`` of all sections, in document order,
    tiles the normalized text exactly once.
    """

    id: str
    parent: str | None
    level: int
    label: str
    heading: str
    span: Span
    heading_span: Span
    body_span: Span
    source_span: Span
    kind: str = "heading"
    children: tuple[Section, ...] = ()
    themes: tuple[ThemeScore, ...] = ()
    title: bool = False  # a group title: segmentation's word (``segment.is_group_title``)

    @property
    def own_span(self) -> Span:
        """The section's own text: its heading and body up to its first subsection.

        Own spans of all sections, in document order, tile the normalized text exactly once.
        """
        return self.heading_span[0], max(self.heading_span[0], self.body_span[1])

    def walk(self) -> Iterator[Section]:
        """Yield this section and all its descendants in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Document:
    """A read, normalized and segmented report.

    ``text`` is the normalized text every span indexes; ``source_text`` the decoded source;
    ``normalize_config`` the normalization settings that turned one into the other (None: the
    defaults), so ``normalization`` can say what normalization did, and where.

    ``label`` names the document for people wherever it is shown (tables, JSON, CSV column
    names, pages, the viewer): given with ``--label`` or derived from the title and file name
    by ``policydiff.labels`` so that the documents of one comparison are told apart (北京,
    上海, …; 2024, 2025). Empty for a document read on its own; ``name`` then falls back.
    """

    id: str
    path: str
    title: str
    sha256: str
    encoding: str
    script: str
    text: str
    root: Section
    warnings: tuple[str, ...] = ()
    source_text: str = field(default="", repr=False)
    normalize_config: NormalizeConfig | None = field(default=None, repr=False)
    label: str = ""

    @property
    def name(self) -> str:
        """The label, or the title when there is none."""
        return self.label or self.title

    @property
    def file_stem(self) -> str:
        """The file name without its extension, safe to show (``textsafe.visible``): what the
        title is when the document has no title line."""
        from pathlib import PurePath

        from policydiff.textsafe import visible

        return visible(PurePath(self.path).stem)

    @property
    def tag(self) -> str:
        """The id and the label, as tables show a document: ``d30 云南``."""
        return f"{self.id} {self.name}"

    @cached_property
    def normalization(self) -> NormalText:
        """The normalized text with its trace: every change each step made, with its source
        span (``changes``, ``explain()``), and the offset map back to the source. Computed on
        first use (a document read from the cache holds only the result)."""
        from policydiff.normalize import normalize

        return normalize(self.source_text, self.normalize_config)

    @property
    def sections(self) -> list[Section]:
        """Every section below the root, in document order (the tree flattened)."""
        return list(self._flat[1:])

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none.

        A dictionary lookup: callers look sections up once per match or row, and a walk of the
        tree each time made a 10,000-heading document take minutes.
        """
        return self._index[section_id]

    @cached_property
    def _flat(self) -> tuple[Section, ...]:
        return tuple(self.root.walk())

    @cached_property
    def _index(self) -> dict[str, Section]:
        index: dict[str, Section] = {}
        for sec in self._flat:
            index.setdefault(sec.id, sec)
        return index

    def section_text(self, sec: Section) -> str:
        """The whole text of a section, heading and descendants included."""
        return self.text[sec.span[0] : sec.span[1]]

    def body_text(self, sec: Section) -> str:
        """The section's text without its own heading (descendants included)."""
        return self.text[sec.heading_span[1] : sec.span[1]]
