"""The change report of a pair of documents, as plain frozen data (built by ``changes.build``).

Every entry carries its citation (``policydiff.citations.Citation``): the source file's line
and column and the section id, so that every output can say where a figure or a formulation
is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from policydiff.citations import Citation
from policydiff.model import Span

KINDS = ("series", "peers")
"""What a pair of documents is: a series (B follows A: new and dropped formulations) or peers
(what is distinctive of each)."""

DIRECTIONS = ("raised", "lowered", "unchanged", "changed", "new", "dropped")
"""What happened to an indicator: its value went up or down, stayed, changed in a way that is
not a number going up or down (another unit or qualifier: ``5%左右`` -> ``5%以上``), or the
indicator is only in the new or only in the old document."""


@dataclass(frozen=True)
class Figure:
    """One quantitative figure of a document: ``赤字率拟按4%左右安排``.

    ``name`` is what the figure measures, as written (``赤字率``; a change against the previous
    year gets its base's name and the comparison: ``赤字规模比上年增加``); ``key`` the name as
    compared across documents; ``value`` the figure as written, qualifiers kept (``4%左右``,
    ``1200万人以上``); ``amount`` its number in base units for comparison only (``万亿``,
    ``亿``, ``万`` multiplied out; the middle of a range), with ``unit`` (``%`` for percent and
    percentage points, ``元``, ``斤``, ``人`` …) and ``qualifier`` (``左右``, ``以上``,
    ``超过`` …). ``delta``: a change against the previous year (``比上年增加1000亿元``).
    ``span`` is the value's span in ``Document.text``; ``sentence`` the sentence it is in and
    ``at`` where the value starts in it.
    """

    name: str
    key: str
    value: str
    amount: float
    unit: str
    qualifier: str
    delta: bool
    sentence: str
    span: Span
    theme: str
    citation: Citation
    at: int = 0

    @property
    def section(self) -> str:
        return self.citation.section


@dataclass(frozen=True)
class Indicator:
    """An indicator of the pair: the old and the new figure (either may be None) and what
    happened to it (``DIRECTIONS``)."""

    name: str
    theme: str
    old: Figure | None
    new: Figure | None
    direction: str


@dataclass(frozen=True)
class Entry:
    """A formulation (提法) as the report lists it: its text, score, sentence and citation;
    ``span`` is where it is in ``Document.text`` (the viewer jumps there)."""

    text: str
    score: float
    sentence: str
    citation: Citation
    theme: str = ""
    span: tuple[int, int] = (0, 0)

    @property
    def section(self) -> str:
        return self.citation.section


@dataclass(frozen=True)
class Renamed:
    """A formulation renamed between the documents (same context, another term)."""

    old: Entry
    new: Entry


@dataclass(frozen=True)
class ThemeChange:
    """What changed in one theme: indicators whose value changed (``targets``, new and dropped
    ones included), new and dropped formulations, the share of the theme's text rewritten in its
    matched sections (``rewritten``: changed characters over all characters of both sides),
    and its sections added and removed (ids). ``amount`` orders the summary."""

    theme: str
    name: str
    targets: int
    new: int
    dropped: int
    renamed: int
    rewritten: float
    chars: int
    sections_added: tuple[str, ...]
    sections_removed: tuple[str, ...]

    @property
    def amount(self) -> float:
        """How much changed: rewritten text counts in characters, each target, formulation or
        section added or removed as a paragraph would."""
        items = self.targets * 3 + self.new + self.dropped + self.renamed
        sections = len(self.sections_added) + len(self.sections_removed)
        return self.rewritten * self.chars / 100 + items + 5 * sections


@dataclass(frozen=True)
class DocumentRef:
    """A document of the report: id, label (``2025``), path, file name and title."""

    id: str
    label: str
    path: str
    file: str
    title: str = ""


@dataclass(frozen=True)
class ChangeReport:
    """What changed from ``old`` to ``new``.

    ``kind`` is ``series`` (``new`` follows ``old``: new and dropped formulations) or
    ``peers`` (documents side by side: what is distinctive of each against the others, in
    ``new``, for ``new``'s document, and ``dropped``, for ``old``'s). ``notes`` say what is
    missing and why (formulations not available, …).
    """

    old: DocumentRef
    new: DocumentRef
    kind: str
    indicators: tuple[Indicator, ...]
    new_formulations: tuple[Entry, ...]
    dropped_formulations: tuple[Entry, ...]
    renamed: tuple[Renamed, ...]
    themes: tuple[ThemeChange, ...]
    notes: tuple[str, ...] = ()

    def changed_indicators(self) -> list[Indicator]:
        """The indicators whose value is not the same."""
        return [ind for ind in self.indicators if ind.direction != "unchanged"]


@dataclass(frozen=True)
class Distinctive:
    """What is distinctive of one document among peers (its formulations the others lack)."""

    document: DocumentRef
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Formulation:
    """A formulation of one document: its text, its score (higher: more important), where its
    most important occurrence is (``section`` id, ``start``/``end`` in ``Document.text``), and
    the sentence of that occurrence (normalized text)."""

    text: str
    score: float
    section: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True)
class Rename:
    """One formulation replaced by another in the same context (千村示范、万村整治 → 千万工程)."""

    old: Formulation
    new: Formulation


@dataclass(frozen=True)
class FormulationChanges:
    """New and dropped formulations, best first, and renamed ones (in neither list)."""

    new: tuple[Formulation, ...]
    dropped: tuple[Formulation, ...]
    renamed: tuple[Rename, ...]
