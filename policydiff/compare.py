"""The ``Comparison``: one object that owns a set of documents and everything computed on them.

The CLI, the exports and the viewer all read a Comparison; nothing downstream re-parses text.
Alignments, the theme matrix and phrases are computed on first use and kept. Each document is
tokenized once (``DocumentTokens``); the aligner, the phrase miner and the section diffs all
use those tokens.

Many documents use both cores: reading, normalizing, segmenting, classifying and tokenizing
run in a process pool from ``POOL_MIN_DOCUMENTS`` documents on, and ``alignments()`` spreads
the pairs over a pool from ``POOL_MIN_PAIRS`` pairs on. Results are the same as computed in
one process. Pools are only used where forking is safe (Linux, no other thread running);
elsewhere everything runs in this process.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff.align import (
    Alignment,
    AlignOptions,
    Featurizer,
    Match,
    SectionFeatures,
    align_features,
)
from policydiff.document import DocumentTokens, document_tokens, load_document
from policydiff.errors import InputError
from policydiff.model import Document, Section
from policydiff.themes import Theme, load_themes

if TYPE_CHECKING:
    from policydiff.normalize import NormalizeConfig

MATRIX_MIN_SCORE = 0.35  # a section belongs in a theme's cell when its score reaches this

POOL_MIN_DOCUMENTS = 4
"""From this many documents on, they are read in a process pool (when more than one core)."""

POOL_MIN_PAIRS = 40
"""From this many missing alignments on, ``alignments()`` uses a process pool."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as batch work advances (for a progress bar)."""


def worker_count() -> int:
    """Processes to use for batch work: the usable cores, at most 8; 1 where forking is unsafe."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _parallel(fn: Callable[[Any], Any], items: Sequence[Any], workers: int) -> Iterator[Any]:
    """``fn`` over ``items`` in a pool of ``workers`` forked processes, results in the order
    they finish; in this process instead when no pool can be started (no working semaphores,
    as in some containers without /dev/shm)."""
    import multiprocessing

    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    except (OSError, ImportError):
        yield from map(fn, items)
        return
    with pool:
        yield from pool.imap_unordered(fn, items)


def diff_spans(sa: Section, sb: Section) -> tuple[tuple[int, int], tuple[int, int]]:
    """What of two matched sections is diffed (and shown side by side).

    Two sections that both have subsections: their own text (heading and body up to the first
    subsection), because the subsections are diffed as pairs of their own. Otherwise the whole
    sections.
    """
    if sa.children and sb.children:
        return (sa.heading_span[0], sa.body_span[1]), (sb.heading_span[0], sb.body_span[1])
    return sa.span, sb.span


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
    cache: bool | None = None
    """Whether tokens computed here are read from / kept in the per-document cache."""
    _tokens: dict[str, DocumentTokens] = field(default_factory=dict, repr=False)
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

    def tokens(self, doc_id: str) -> DocumentTokens:
        """The word tokens of a document (tokenized once, or read from the cache)."""
        if doc_id not in self._tokens:
            self._tokens[doc_id] = document_tokens(self.document(doc_id), cache=self.cache)
        return self._tokens[doc_id]

    def features(self, doc_id: str) -> SectionFeatures:
        if self._featurizer is None:
            tokens = {d.id: self.tokens(d.id) for d in self.documents}
            self._featurizer = Featurizer(self.documents, [t.id for t in self.themes], tokens)
        if doc_id not in self._features:
            self._features[doc_id] = self._featurizer.features(self.document(doc_id))
        return self._features[doc_id]

    def alignment(self, a: str, b: str) -> Alignment:
        """The alignment of documents ``a`` and ``b`` (computed once, then kept)."""
        key = (a, b)
        if key not in self._alignments:
            self._alignments[key] = align_features(self.features(a), self.features(b), self.options)
        return self._alignments[key]

    def alignments(self, *, progress: Progress | None = None) -> list[Alignment]:
        """The alignments of all ``pairs``, computed in a process pool when there are many."""
        missing = [pair for pair in self.pairs if pair not in self._alignments]
        workers = min(worker_count(), len(missing))
        if workers > 1 and len(missing) >= POOL_MIN_PAIRS:
            for doc in self.documents:
                self.features(doc.id)
            done = 0
            for found in self._align_in_pool(missing, workers):
                self._alignments.update(found)
                done += len(found)
                if progress is not None:
                    progress("aligning", done, len(missing))
        else:
            for done, (a, b) in enumerate(missing, 1):
                self.alignment(a, b)
                if progress is not None:
                    progress("aligning", done, len(missing))
        return [self._alignments[pair] for pair in self.pairs]

    def _align_in_pool(
        self, pairs: list[tuple[str, str]], workers: int
    ) -> Iterator[dict[tuple[str, str], Alignment]]:
        """Alignments of ``pairs`` in forked workers, which inherit the features computed here."""
        global _FORKED
        chunks = [pairs[k : k + _PAIRS_PER_TASK] for k in range(0, len(pairs), _PAIRS_PER_TASK)]
        _FORKED = self
        try:
            yield from _parallel(_align_chunk, chunks, workers)
        finally:
            _FORKED = None

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
        from policydiff.diff import diff_texts, diff_tokens

        key = (a, b, options)
        if key in self._diffs:
            return self._diffs[key]
        doc_a, doc_b = self.document(a), self.document(b)
        ignores = options is not None and options.ignores_anything
        out = []
        for match in self.alignment(a, b).matches:
            span_a, span_b = diff_spans(doc_a.section(match.a), doc_b.section(match.b))
            text_a = doc_a.text[span_a[0] : span_a[1]]
            text_b = doc_b.text[span_b[0] : span_b[1]]
            if ignores:  # the folded texts are tokenized anew: the held tokens do not apply
                diff = diff_texts(text_a, text_b, options=options)
            else:
                diff = diff_tokens(
                    text_a, text_b,
                    self.tokens(a).slice_spans(*span_a), self.tokens(b).slice_spans(*span_b),
                    options=options,
                )
            out.append(SectionDiff(match, span_a, span_b, diff))
        self._diffs[key] = out
        return out

    def phrases(self) -> Any:
        """Shared phrases of all documents (``policydiff.phrases``), computed once."""
        if self._phrases is None:
            from policydiff.phrases import find_shared_phrases

            self._phrases = find_shared_phrases(
                {d.id: d.text for d in self.documents}, word_spans=self.word_spans()
            )
        return self._phrases

    def word_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Every document's token spans by id (``word_spans`` for ``find_shared_phrases``)."""
        return {d.id: self.tokens(d.id).spans() for d in self.documents}


_PAIRS_PER_TASK = 8
_FORKED: Comparison | None = None  # the comparison a forked alignment worker reads


def _align_chunk(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Alignment]:
    comparison = _FORKED
    assert comparison is not None, "alignment workers must be forked from alignments()"
    return {(a, b): comparison.alignment(a, b) for a, b in pairs}


def load_documents(
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    config: NormalizeConfig | None = None,
    themes: tuple[Theme, ...] | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> list[Document]:
    """Read, normalize, segment and classify every path; ids are d1, d2, … in order.

    The same file given twice is allowed (it aligns to itself) and gets a warning. When
    several files cannot be read, the error of the first one (in input order) is raised.
    """
    return load_corpus(
        paths, encoding=encoding, config=config, themes=themes, cache=cache, progress=progress,
        tokens=False,
    )[0]


def load_corpus(
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    config: NormalizeConfig | None = None,
    themes: tuple[Theme, ...] | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
    tokens: bool = True,
) -> tuple[list[Document], dict[str, DocumentTokens]]:
    """``load_documents``, plus each document's tokens (by id) when ``tokens`` is set.

    From ``POOL_MIN_DOCUMENTS`` documents on the work is spread over a process pool, biggest
    files first; the result is the same as loading them one by one.
    """
    theme_list = themes if themes is not None else load_themes()
    tasks = [
        _LoadTask(k, str(path), f"d{k + 1}", encoding, config, theme_list, cache, tokens)
        for k, path in enumerate(paths)
    ]
    results: list[tuple[Document, DocumentTokens | None] | None] = [None] * len(tasks)
    errors: dict[int, Exception] = {}
    workers = min(worker_count(), len(tasks))
    if workers > 1 and len(tasks) >= POOL_MIN_DOCUMENTS:
        order = sorted(tasks, key=lambda t: -_size(t.path))
        for done, (index, result, error) in enumerate(_parallel(_load_task, order, workers), 1):
            if error is not None:
                errors[index] = error
            else:
                results[index] = result
            if progress is not None:
                progress("reading", done, len(tasks))
    else:
        for done, task in enumerate(tasks, 1):
            index, result, error = _load_task(task)
            if error is not None:
                raise error
            results[index] = result
            if progress is not None:
                progress("reading", done, len(tasks))
    if errors:
        raise errors[min(errors)]
    docs: list[Document] = []
    held: dict[str, DocumentTokens] = {}
    for result in results:
        assert result is not None
        doc, doc_tokens = result
        twin = next((d for d in docs if d.sha256 == doc.sha256), None)
        if twin is not None:
            doc = dataclasses.replace(
                doc, warnings=(*doc.warnings, f"same content as {twin.path}")
            )
        docs.append(doc)
        if doc_tokens is not None:
            held[doc.id] = doc_tokens
    return docs, held


@dataclass(frozen=True)
class _LoadTask:
    index: int
    path: str
    doc_id: str
    encoding: str | None
    config: NormalizeConfig | None
    themes: tuple[Theme, ...]
    cache: bool | None
    tokens: bool


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _load_task(
    task: _LoadTask,
) -> tuple[int, tuple[Document, DocumentTokens | None] | None, Exception | None]:
    """Load one document (and its tokens); an error is returned, not raised, so that the
    caller can report the first failing input in input order."""
    try:
        doc = load_document(
            task.path, doc_id=task.doc_id, encoding=task.encoding, config=task.config,
            themes=task.themes, cache=task.cache,
        )
        doc_tokens = document_tokens(doc, cache=task.cache) if task.tokens else None
    except Exception as exc:  # re-raised by the caller
        return task.index, None, exc
    return task.index, (doc, doc_tokens), None


def compare(
    paths: Sequence[str | Path],
    *,
    encoding: str | None = None,
    themes_file: str | Path | None = None,
    ref: str | None = None,
    options: AlignOptions | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Read (and tokenize) the documents and return their Comparison; alignments, phrases and
    diffs are computed on demand.

    ``ref`` is a document id (``d2``) or one of the given paths. ``cache``: None follows
    ``POLICYDIFF_NO_CACHE``, False bypasses the per-document cache (``--no-cache``).
    ``progress`` is told how reading advances (see ``Progress``).
    """
    if not paths:
        raise InputError("no documents given")
    themes = load_themes(themes_file)
    documents, tokens = load_corpus(
        paths, encoding=encoding, themes=themes, cache=cache, progress=progress
    )
    ref_id = None
    if ref is not None:
        by_path = {str(Path(d.path)): d.id for d in documents}
        ref_id = ref if ref in {d.id for d in documents} else by_path.get(str(Path(ref)))
        if ref_id is None:
            raise InputError(f"--ref {ref}: not one of the documents (use a given path or d1, d2…)")
    return Comparison(
        documents, themes, options or AlignOptions(), ref=ref_id, cache=cache, _tokens=tokens
    )
