"""The ``Comparison``: one object that owns a set of documents and everything computed on them.

The CLI, the exports and the viewer all read a Comparison; nothing downstream re-parses text.
Alignments, the theme matrix and phrases are computed on first use and kept.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.align import Alignment, AlignOptions, Match, Featurizer, SectionFeatures, align_features
from policydiff.document import load_document
from policydiff.errors import InputError
from policydiff.model import Document, Section
from policydiff.normalize import NormalizeConfig
from policydiff.themes import Theme, load_themes

MATRIX_MIN_SCORE = 0.35  # a section belongs in a theme's cell when its score reaches this


@dataclass(frozen=True)
class SectionDiff:
    """The diff of one matched section pair; ``span_a``/``span_b`` are what was diffed, in the
    normalized text of each document (the diff's offsets are relative to their starts)."""

    match: Match
    span_a: tuple[int, int]
    span_b: tuple[int, int]
    diff: Any


@dataclass
class Comparison:
    """Documents plus their alignments, theme matrix and phrases, computed lazily.

    ``ref``: when set, alignments pair every other document with this one; otherwise every
    pair (in input order: d1–d2, d1–d3, …, d2–d3, …).
    """

    documents: list[Document]
    themes: tuple[Theme, ...]
    options: AlignOptions = field(default_factory=AlignOptions)
    ref: str | None = None
    _featurizer: Featurizer | None = field(default=None, repr=False)
    _features: dict[str, SectionFeatures] = field(default_factory=dict, repr=False)
    _alignments: dict[tuple[str, str], Alignment] = field(default_factory=dict, repr=False)
    _phrases: Any = field(default=None, repr=False)
    _diffs: dict[Any, list[SectionDiff]] = field(default_factory=dict, repr=False)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The document pairs this comparison aligns, in a fixed order."""
        ids = [d.id for d in self.documents]
        if self.ref is not None:
            return [(self.ref, other) for other in ids if other != self.ref]
        return [(a, b) for k, a in enumerate(ids) for b in ids[k + 1 :]]

    def features(self, doc_id: str) -> SectionFeatures:
        if self._featurizer is None:
            self._featurizer = Featurizer(self.documents, [t.id for t in self.themes])
        if doc_id not in self._features:
            self._features[doc_id] = self._featurizer.features(self.document(doc_id))
        return self._features[doc_id]

    def alignment(self, a: str, b: str) -> Alignment:
        """The alignment of documents ``a`` and ``b`` (computed once, then kept)."""
        key = (a, b)
        if key not in self._alignments:
            self._alignments[key] = align_features(self.features(a), self.features(b), self.options)
        return self._alignments[key]

    def alignments(self) -> list[Alignment]:
        return [self.alignment(a, b) for a, b in self.pairs]

    def theme_matrix(self) -> list[tuple[str, dict[str, list[str]]]]:
        """Rows of (theme id, {doc id: section ids}).

        A cell holds the shallowest sections whose score for the theme is at least
        ``MATRIX_MIN_SCORE`` and which have it as their strongest theme; a subsection is not
        listed when its parent already is.
        """
        rows = []
        for theme in self.themes:
            cells: dict[str, list[str]] = {}
            for doc in self.documents:
                chosen: list[Section] = []
                for sec in doc.sections:
                    # Sections come in document order, so a descendant of a chosen section
                    # can only follow the last one chosen (checking them all was quadratic).
                    if chosen and sec.id.startswith(chosen[-1].id + "."):
                        continue
                    if sec.themes and sec.themes[0].id == theme.id and (
                        sec.themes[0].score >= MATRIX_MIN_SCORE
                    ):
                        chosen.append(sec)
                cells[doc.id] = [s.id for s in chosen]
            rows.append((theme.id, cells))
        return rows

    def section_diffs(self, a: str, b: str, options: Any = None) -> list[SectionDiff]:
        """Word diffs of every matched section pair of documents ``a`` and ``b``, in A's order.

        A pair of sections that both have subsections is diffed on its own text (heading and
        body up to the first subsection), since the subsections are diffed as pairs of their
        own; otherwise on the whole section. Unmatched sections are not diffed here.
        """
        from policydiff.diff import diff_texts

        key = (a, b, options)
        if key in self._diffs:
            return self._diffs[key]
        doc_a, doc_b = self.document(a), self.document(b)
        out = []
        for match in self.alignment(a, b).matches:
            sa, sb = doc_a.section(match.a), doc_b.section(match.b)
            span_a, span_b = sa.span, sb.span
            if sa.children and sb.children:
                span_a = (sa.heading_span[0], sa.body_span[1])
                span_b = (sb.heading_span[0], sb.body_span[1])
            diff = diff_texts(
                doc_a.text[span_a[0] : span_a[1]], doc_b.text[span_b[0] : span_b[1]],
                options=options,
            )
            out.append(SectionDiff(match, span_a, span_b, diff))
        self._diffs[key] = out
        return out

    def phrases(self) -> Any:
        """Shared phrases of all documents (``policydiff.phrases``), computed once."""
        if self._phrases is None:
            from policydiff.phrases import find_shared_phrases

            self._phrases = find_shared_phrases({d.id: d.text for d in self.documents})
        return self._phrases


def load_documents(
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    config: NormalizeConfig | None = None,
    themes: tuple[Theme, ...] | None = None,
) -> list[Document]:
    """Read, normalize, segment and classify every path; ids are d1, d2, … in order.

    The same file given twice is allowed (it aligns to itself) and gets a warning.
    """
    theme_list = themes if themes is not None else load_themes()
    docs: list[Document] = []
    for k, path in enumerate(paths, 1):
        doc = load_document(
            path, doc_id=f"d{k}", encoding=encoding, config=config, themes=theme_list
        )
        twin = next((d for d in docs if d.sha256 == doc.sha256), None)
        if twin is not None:
            doc = dataclasses.replace(
                doc, warnings=(*doc.warnings, f"same content as {twin.path}")
            )
        docs.append(doc)
    return docs


def compare(
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    themes_file: str | Path | None = None,
    ref: str | None = None,
    options: AlignOptions | None = None,
) -> Comparison:
    """Read the documents and return their Comparison (alignments computed on demand).

    ``ref`` is a document id (``d2``) or one of the given paths.
    """
    if not paths:
        raise InputError("no documents given")
    themes = load_themes(themes_file)
    documents = load_documents(paths, encoding=encoding, themes=themes)
    ref_id = None
    if ref is not None:
        by_path = {str(Path(d.path)): d.id for d in documents}
        ref_id = ref if ref in {d.id for d in documents} else by_path.get(str(Path(ref)))
        if ref_id is None:
            raise InputError(f"--ref {ref}: not one of the documents (use a given path or d1, d2…)")
    return Comparison(documents, themes, options or AlignOptions(), ref=ref_id)
