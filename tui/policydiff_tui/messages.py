"""Messages of the viewer: past-tense dataclasses, each saying what has happened.

Workers (thread workers) post them when a piece of heavy work is done; widgets post them when
the reader has chosen something. ``Message.__post_init__`` does Textual's own set-up, so these
can be plain dataclasses. ``ComparisonLoaded`` and ``ExportWritten`` bubble from the main
screen up to the app, which keeps the error (for the exit status) and the last export.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from policydiff.diff import TextDiff
    from policydiff.phrases import PhraseSet
    from policydiff_tui.pairs import PairRow
    from policydiff_tui.session import PairView, ViewerSession


@dataclass
class ComparisonLoaded(Message):
    """The documents were read, normalized and segmented into ``session`` (or the viewer
    cannot show them: ``session`` is ``None`` and ``error`` says why)."""

    session: ViewerSession | None
    error: str = ""


@dataclass
class AlignmentComputed(Message):
    """The alignment of a document pair is ready, with the rows of its section list."""

    view: PairView


@dataclass
class SectionSelected(Message):
    """The reader moved to another row of the section list (``row`` is ``None`` when the
    list became empty, e.g. under a theme filter that nothing matches)."""

    row: PairRow | None


@dataclass
class DiffComputed(Message):
    """The word-level diff of the section pair of ``row`` is ready."""

    row: PairRow
    diff: TextDiff


@dataclass
class PhrasesComputed(Message):
    """The shared phrases of all documents were mined."""

    phrases: PhraseSet


@dataclass
class PhraseChosen(Message):
    """The reader picked a phrase in the phrase panel (index into the current pair's list)."""

    index: int


@dataclass
class ExportWritten(Message):
    """The export finished: ``paths`` were written (or ``error`` says why not)."""

    paths: list[Path]
    error: str = ""


@dataclass
class WorkProgressed(Message):
    """A worker started (``busy``) or finished a step; ``label`` says which, for the status."""

    label: str
    busy: bool
