"""The phrase-overlap report: the one model of what a set of documents shares.

Why one report object: Markdown (for reading and for the terminal), JSON (schema
``policydiff/phrases@1``, for programs), CSV (for spreadsheets) and HTML (to open in a browser)
must show the same facts, so they all render one ``PhraseReport`` built once here. The
renderers live in ``policydiff.render.phrases`` (Markdown, CSV, HTML) and
``policydiff.formats.phrases`` (the JSON writer and its strict loader).

Rules:
- Output is deterministic: the same inputs give byte-identical output (sorted keys in JSON,
  document order everywhere else, floats rounded to 4 places: ``rounded``).
- Document text is kept as it is in files (Markdown, CSV, JSON, HTML), escaped for each format:
  ``|``, ``*``, ``_`` … in Markdown, ``&<>"'`` in HTML. A CSV cell that a spreadsheet would read
  as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
  apostrophe.
- Text meant for a terminal (``render_markdown(..., for_terminal=True)``) passes through
  ``policydiff.textsafe.visible`` so no control sequence in a document reaches the terminal.
- An empty document set, or documents sharing nothing, give a valid report with empty tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policydiff.phrases.model import Change, Overlap, Phrase, PhraseSet

if TYPE_CHECKING:
    from policydiff.model import Document

TOP = 50
"""How many phrases the Markdown/HTML "top" tables show (JSON and CSV list all)."""


@dataclass(frozen=True)
class DocumentInfo:
    """What the report says about a document besides its phrases."""

    id: str
    path: str = ""
    title: str = ""
    sha256: str = ""
    label: str = ""
    """The document's label (``Document.label``, else its title): CSV column names use it."""

    @property
    def name(self) -> str:
        """The label, else the title, else the id."""
        return self.label or self.title or self.id


@dataclass(frozen=True)
class ThemePhrases:
    """The phrases shared by at least two documents inside the sections of one theme."""

    theme: str
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class PhraseReport:
    """Everything the phrase report shows (see the module docstring)."""

    documents: tuple[DocumentInfo, ...]
    phrase_set: PhraseSet
    overlaps: tuple[Overlap, ...]
    changes: tuple[Change, ...]
    themes: tuple[ThemePhrases, ...] = ()


def build_report(
    phrase_set: PhraseSet,
    *,
    documents: Sequence[Document] = (),
    with_changes: bool = True,
    themes: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
    series: Sequence[Sequence[str]] | None = None,
    workers: int = 1,
    overlap_pairs: Sequence[tuple[str, str]] | None = None,
) -> PhraseReport:
    """Assemble the report.

    ``documents`` (optional) supply paths, titles and hashes, and let every occurrence carry
    its deepest section id (``phrases.locate``). ``with_changes`` computes new and dropped
    phrases between consecutive documents of each run of ``series`` (lists of document ids,
    old to new; ``None``: all documents in order), about 0.1 s per pair of 20,000-character
    reports: worth it for a series of years, meaningless for 31 provinces in alphabetical
    order (``Comparison.change_series`` says which runs mean something); spread over
    ``workers`` forked processes (``comparison.worker_count()`` says how many are safe).
    ``themes`` maps a theme id to ``{doc id: [section ids]}`` (``Comparison.theme_matrix()``
    as a dict fits): the per-theme lists hold the phrases that occur, in at least two
    documents, inside those sections or their subsections, substantive ones first. It needs
    ``documents``; without them every theme list is empty. ``overlap_pairs``: the overlap of
    these pairs only (``overlap_matrix(pairs=)``; ``None``: every pair).
    """
    from policydiff.phrases.location import locate
    from policydiff.phrases.novelty import changes_of
    from policydiff.phrases.overlaps import overlap_matrix

    by_id = {doc.id: doc for doc in documents}
    if documents:
        phrase_set = locate(phrase_set, documents)
    infos = tuple(
        DocumentInfo(
            doc_id, by_id[doc_id].path, by_id[doc_id].title, by_id[doc_id].sha256,
            by_id[doc_id].label,
        )
        if doc_id in by_id
        else DocumentInfo(doc_id)
        for doc_id in phrase_set.doc_ids
    )
    theme_lists: tuple[ThemePhrases, ...] = ()
    if themes:
        lists = _theme_phrases(phrase_set, themes, by_id)
        theme_lists = tuple(ThemePhrases(theme, lists[theme]) for theme in themes)
    return PhraseReport(
        documents=infos,
        phrase_set=phrase_set,
        overlaps=tuple(overlap_matrix(phrase_set, overlap_pairs)),
        changes=tuple(changes_of(phrase_set, series=series, workers=workers))
        if with_changes
        else (),
        themes=theme_lists,
    )


def _theme_phrases(
    phrase_set: PhraseSet,
    themes: Mapping[str, Mapping[str, Sequence[str]]],
    by_id: Mapping[str, Document],
) -> dict[str, tuple[str, ...]]:
    """Per theme: the phrases with occurrences inside the theme's sections (or below them) of
    two documents; non-formulaic first, then those found in more of the theme's documents,
    longer first.

    All themes in one pass over the occurrences (a pass per theme took 4 s for 100 documents).
    """
    themes_of: dict[tuple[str, str | None], list[str]] = {}
    for theme, sections in themes.items():
        for doc_id, section_ids in sections.items():
            if doc_id not in by_id:
                continue
            wanted = set(section_ids)
            for sec in by_id[doc_id].root.walk():
                if sec.id in wanted:
                    for below in sec.walk():
                        found = themes_of.setdefault((doc_id, below.id), [])
                        if theme not in found:
                            found.append(theme)
    ranked: dict[str, list[tuple[bool, int, int, str]]] = {theme: [] for theme in themes}
    lookup = themes_of.get
    for phrase in phrase_set.phrases:
        # (doc, section) pairs first: a phrase occurs many times in few sections
        places = {(occ.doc, occ.section) for occ in phrase.occurrences}
        docs: dict[str, set[str]] = {}
        for place in places:
            listed = lookup(place)
            if listed:
                for theme in listed:
                    docs.setdefault(theme, set()).add(place[0])
        for theme, found_in in docs.items():
            if len(found_in) >= 2:
                ranked[theme].append(
                    (phrase.kind == "formulaic", -len(found_in), -phrase.han_length, phrase.text)
                )
    return {theme: tuple(text for *_, text in sorted(rows)) for theme, rows in ranked.items()}


# --------------------------------------------------------------------------- selections


_QUOTES = "“”「」『』"

SUBSTANTIVE = "substantive"
"""``top_phrases`` kind filter meaning "slogan or distinctive" (everything but formulaic)."""


def top_phrases(report: PhraseReport, *, limit: int = TOP, kind: str | None = None) -> list[Phrase]:
    """The phrases a reader should see first: in most documents, then longest.

    ``kind`` keeps one kind only (``SUBSTANTIVE``: all but formulaic; ``None``: all).
    A phrase inside a longer listed phrase found in the same documents adds nothing and is
    skipped (以习近平 under 以习近平新时代中国特色社会主义思想为指导), and so is a quoted variant
    of a listed phrase (“千万工程” after 千万工程).
    """
    chosen: list[Phrase] = []
    seen: set[str] = set()
    for phrase in report.phrase_set.phrases:  # already by docs desc, length desc
        if kind == SUBSTANTIVE:
            if phrase.kind == "formulaic":
                continue
        elif kind is not None and phrase.kind != kind:
            continue
        docs = phrase.docs
        bare = phrase.text.strip(_QUOTES)
        if bare in seen or any(phrase.text in c.text and c.docs == docs for c in chosen):
            continue
        seen.add(bare)
        chosen.append(phrase)
        if len(chosen) >= limit:
            break
    return chosen


def distinctive_by_doc(report: PhraseReport, *, limit: int = 10) -> dict[str, list[Phrase]]:
    """Per document, its longest non-formulaic phrases shared with exactly one other document.

    With ``min_docs=2`` no phrase belongs to one document alone; what marks a document is what
    it shares with only one other.
    """
    out: dict[str, list[Phrase]] = {}
    for doc in report.phrase_set.doc_ids:
        pool = sorted(
            report.phrase_set.distinctive_of(doc, max_docs=2),
            key=lambda p: (-p.han_length, p.text),
        )
        out[doc] = pool[:limit]
    return out


def rounded(value: float) -> float:
    """A share as the report writes it: rounded to 4 places."""
    return round(value, 4)
