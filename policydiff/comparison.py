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

A Comparison may be read from several threads (the viewer's workers). Results are stored under
a lock and never seen half built; long work (an alignment, a diff) runs outside it, so a diff
asked for while another thread aligns or mines phrases does not wait. Phrase mining (seconds
on many documents) has a lock of its own, so it runs once however many threads ask.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff.cache import is_enabled as is_cache_enabled
from policydiff.config import Config
from policydiff.document import (
    DocumentTokens,
    document_tokens,
    forget_normalization,
    hold_tokens,
    load_document,
    with_label,
)
from policydiff.errors import InputError
from policydiff.matches import Alignment, Fixed, Match
from policydiff.model import Document, Section, Span
from policydiff.themes import Theme, load_themes

if TYPE_CHECKING:
    from policydiff.align import Featurizer
    from policydiff.diff import DiffOptions, TextDiff
    from policydiff.features import SectionFeatures
    from policydiff.overrides import Overrides
    from policydiff.pairs import PairSelection
    from policydiff.phrases import PhraseSet
    from policydiff.report import PhraseReport

MATRIX_MIN_SCORE = 0.35  # a section belongs in a theme's cell when its score reaches this

POOL_MIN_DOCUMENTS = 4
"""From this many documents on, they are read in a process pool (when more than one core)."""

POOL_MIN_PAIRS = 40
"""From this many missing alignments on, ``alignments()`` uses a process pool."""

MAX_SPAN_DIFFS = 400
"""How many diffs ``Comparison.span_diff`` keeps (the least recently asked for go first)."""

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as batch work advances (for a progress bar)."""


BATCH_GC_THRESHOLD = 50_000
"""The cyclic collector's first threshold while a batch stage runs (``batch_gc``)."""


@contextmanager
def batch_gc() -> Iterator[None]:
    """Collect cycles less often while a batch stage builds many objects (alignments, loaded
    documents): with the default threshold (700) the collector runs thousands of times and
    walks every live object each time it reaches the older generations. Restored after."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], BATCH_GC_THRESHOLD), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


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


def diff_spans(sa: Section, sb: Section) -> tuple[Span, Span]:
    """What of two matched sections is diffed (and shown side by side).

    Two sections that both have subsections: their own text (heading and body up to the first
    subsection), because the subsections are diffed as pairs of their own. Otherwise the whole
    sections.
    """
    if sa.children and sb.children:
        return sa.own_span, sb.own_span
    return sa.span, sb.span


@dataclass(frozen=True)
class SectionDiff:
    """The diff of one matched section pair; ``span_a``/``span_b`` are what was diffed, in the
    normalized text of each document (the diff's offsets are relative to their starts)."""

    match: Match
    span_a: Span
    span_b: Span
    diff: TextDiff


@dataclass
class Comparison:
    """Documents plus their alignments, theme matrix and phrases, computed lazily.

    ``ref``: when set, alignments pair every other document with this one; otherwise every
    pair (in input order: d1–d2, d1–d3, …, d2–d3, …) up to ``pairs.SMALL_SET`` documents, and
    the pairs that matter above (``pair_selection``). ``config`` holds the settings the
    documents were read with and the alignment, diffs and cache follow.
    """

    documents: list[Document]
    themes: tuple[Theme, ...]
    config: Config = field(default_factory=Config)
    ref: str | None = None
    _tokens: dict[str, DocumentTokens] = field(default_factory=dict, repr=False)
    _featurizer: Featurizer | None = field(default=None, repr=False)
    _features: dict[str, SectionFeatures] = field(default_factory=dict, repr=False)
    _alignments: dict[tuple[str, str], Alignment] = field(default_factory=dict, repr=False)
    _selection: PairSelection | None = field(default=None, repr=False)
    _result_key: str | None = field(default=None, repr=False)
    _cache_read: bool = field(default=False, repr=False)  # the result cache's alignments looked up
    _cache_written: bool = field(default=False, repr=False)  # ... found there, or written
    _phrases: PhraseSet | None = field(default=None, repr=False)
    _diffs: dict[Any, list[SectionDiff]] = field(default_factory=dict, repr=False)
    _span_diffs: OrderedDict[Any, TextDiff] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _phrase_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _report: PhraseReport | None = field(default=None, repr=False)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The document pairs this comparison aligns, in a fixed order (``pair_selection``)."""
        return [(p.a, p.b) for p in self.pair_selection().pairs]

    def pair_selection(self) -> PairSelection:
        """Which pairs are aligned and why (``policydiff.pairs.select_pairs``): every pair up
        to ``pairs.SMALL_SET`` documents or with ``config.all_pairs``, every document against
        ``ref``, else consecutive documents of a series and each document's nearest
        neighbours. Computed once."""
        from policydiff.pairs import SMALL_SET, select_pairs

        with self._lock:
            if self._selection is None:
                words = None
                if (
                    self.ref is None
                    and not self.config.all_pairs
                    and len(self.documents) > SMALL_SET
                ):
                    self.features(self.documents[0].id)  # builds the featurizer
                    assert self._featurizer is not None
                    words = {d.id: self._featurizer.content_words(d.id) for d in self.documents}
                self._selection = select_pairs(
                    self.documents, words, ref=self.ref, all_pairs=self.config.all_pairs,
                    series=self.config.series,
                )
            return self._selection

    def batch_workers(self) -> int:
        """Processes batch work on this comparison may use now (``worker_count``: 1 where
        forking is unsafe, as inside the viewer's threads)."""
        return worker_count()

    def series(self) -> list[list[str]]:
        """The series among the documents, old to new (``policydiff.pairs.find_series``)."""
        from policydiff.pairs import find_series

        return find_series(self.documents, series=self.config.series)

    def change_series(self, small: int | None = None) -> list[list[str]]:
        """The runs of documents between whose neighbours new/dropped phrases mean something:
        the inputs in order up to ``small`` documents (default ``pairs.SMALL_SET``) or with
        ``config.series`` (as always), else the series found by name."""
        from policydiff.pairs import SMALL_SET

        small = SMALL_SET if small is None else small
        if self.config.series or len(self.documents) <= small:
            return [[d.id for d in self.documents]] if len(self.documents) >= 2 else []
        return self.series()

    def tokens(self, doc_id: str) -> DocumentTokens:
        """The word tokens of a document (tokenized once, or read from the cache)."""
        with self._lock:
            if doc_id not in self._tokens:
                self._tokens[doc_id] = document_tokens(
                    self.document(doc_id), cache=self.config.cache
                )
            return self._tokens[doc_id]

    def features(self, doc_id: str) -> SectionFeatures:
        """The aligner's features of a document's sections (computed once)."""
        from policydiff.align import Featurizer

        with self._lock:
            if self._featurizer is None:
                tokens = {d.id: self.tokens(d.id) for d in self.documents}
                self._featurizer = Featurizer(self.documents, [t.id for t in self.themes], tokens)
            if doc_id not in self._features:
                self._features[doc_id] = self._featurizer.features(self.document(doc_id))
            return self._features[doc_id]

    def alignment(self, a: str, b: str) -> Alignment:
        """The alignment of documents ``a`` and ``b``: kept once made; for a pair of ``pairs``
        read from the result cache when this comparison ran before (``alignments`` wrote it),
        else computed, and the cache written once every pair is in memory."""
        key = (a, b)
        with self._lock:
            found = self._alignments.get(key)
        if found is None and key in self.pairs:
            self._read_cached_alignments()
            with self._lock:
                found = self._alignments.get(key)
        if found is None:
            from policydiff.align import align_features

            fixed, stale = self._overrides_for(a, b)
            found = align_features(self.features(a), self.features(b), self.config.align, fixed)
            if stale:
                found = dataclasses.replace(found, stale=stale)
            with self._lock:
                found = self._alignments.setdefault(key, found)
                done = [self._alignments.get(pair) for pair in self.pairs]
            if key in self.pairs and self._cache_read and all(done):
                self._write_cached_alignments()
        return found

    def _read_cached_alignments(self) -> None:
        """Fill the alignments of ``pairs`` from the result cache (looked up once per key)."""
        from policydiff import results

        with self._lock:
            if self._cache_read or not results.enabled(self.config.cache):
                return
            self._cache_read = True
        found = results.read_alignments(self.result_key(), self.pairs)
        with self._lock:
            for pair, alignment in (found or {}).items():
                self._alignments.setdefault(pair, alignment)
            self._cache_written = found is not None

    def _write_cached_alignments(self) -> None:
        from policydiff import results

        with self._lock:
            if self._cache_written:
                return
            self._cache_written = True
            done = [self._alignments[pair] for pair in self.pairs]
        results.write_alignments(self.result_key(), done)

    def _overrides_for(self, a: str, b: str) -> tuple[Fixed | None, tuple[str, ...]]:
        """The analyst's decisions for a pair (``config.overrides``) and its stale entries."""
        if self.config.overrides is None:
            return None, ()
        return self.config.overrides.for_pair(self.document(a), self.document(b))

    def set_overrides(self, overrides: Overrides | None) -> None:
        """Use these overrides from now on (the viewer after a manual pair, unpair or
        split): the alignments and diffs are computed again, the features are kept."""
        with self._lock:
            self.config = dataclasses.replace(self.config, overrides=overrides)
            self._alignments.clear()
            self._diffs.clear()
            self._result_key = None
            self._cache_read = self._cache_written = False

    def result_key(self) -> str:
        """The key of this comparison's results in the result cache (``policydiff.results``)."""
        from policydiff.results import comparison_key

        with self._lock:
            if self._result_key is None:
                self._result_key = comparison_key(
                    self.ref, self.config, self.themes, self.documents, self.tokens
                )
            return self._result_key

    def alignments(self, *, progress: Progress | None = None) -> list[Alignment]:
        """The alignments of all ``pairs``: from the result cache when this comparison ran
        before, else computed (in a process pool when there are many) and kept there."""
        pairs = self.pairs
        with self._lock:
            missing = [pair for pair in pairs if pair not in self._alignments]
        if missing:
            self._read_cached_alignments()
            with self._lock:
                missing = [pair for pair in pairs if pair not in self._alignments]
        if missing:
            with batch_gc():
                self._compute_alignments(missing, progress)
            if self._cache_read:
                self._write_cached_alignments()
        with self._lock:
            return [self._alignments[pair] for pair in pairs]

    def _compute_alignments(
        self, missing: list[tuple[str, str]], progress: Progress | None
    ) -> None:
        workers = min(worker_count(), len(missing))
        if workers > 1 and len(missing) >= POOL_MIN_PAIRS:
            for doc in self.documents:
                self.features(doc.id)
            done = 0
            for found in self._align_in_pool(missing, workers):
                with self._lock:
                    for pair, alignment in found.items():
                        self._alignments.setdefault(pair, alignment)
                done += len(found)
                if progress is not None:
                    progress("aligning", done, len(missing))
        else:
            for done, (a, b) in enumerate(missing, 1):
                self.alignment(a, b)
                if progress is not None:
                    progress("aligning", done, len(missing))

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

    def section_diffs(
        self, a: str, b: str, options: DiffOptions | None = None
    ) -> list[SectionDiff]:
        """Word diffs of every matched section pair of documents ``a`` and ``b``, in A's order.

        What is diffed of each pair is ``diff_spans``. Unmatched sections are not diffed here.
        ``options`` default to the comparison's ``config.diff``.
        """
        options = options if options is not None else self.config.diff
        key = (a, b, options)
        with self._lock:
            found = self._diffs.get(key)
        if found is None:
            doc_a, doc_b = self.document(a), self.document(b)
            found = []
            for match in self.alignment(a, b).matches:
                span_a, span_b = diff_spans(doc_a.section(match.a), doc_b.section(match.b))
                diff = self._diff_of_spans(a, b, span_a, span_b, options)
                found.append(SectionDiff(match, span_a, span_b, diff))
            with self._lock:
                found = self._diffs.setdefault(key, found)
        return found

    def span_diff(
        self, a: str, b: str, span_a: Span, span_b: Span, options: DiffOptions | None = None
    ) -> TextDiff:
        """The word diff of ``span_a`` of document ``a`` against ``span_b`` of ``b``.

        Kept in a cache of the last ``MAX_SPAN_DIFFS`` asked for; safe to call from several
        threads (the viewer diffs the shown row and prefetches its neighbours).
        """
        diff = self.cached_span_diff(a, b, span_a, span_b, options)
        if diff is not None:
            return diff
        options = options if options is not None else self.config.diff
        key = (a, b, span_a, span_b, options)
        diff = self._diff_of_spans(a, b, span_a, span_b, options)
        with self._lock:
            self._span_diffs[key] = diff
            while len(self._span_diffs) > MAX_SPAN_DIFFS:
                self._span_diffs.popitem(last=False)
        return diff

    def cached_span_diff(
        self, a: str, b: str, span_a: Span, span_b: Span, options: DiffOptions | None = None
    ) -> TextDiff | None:
        """``span_diff`` when it is in the cache (then it counts as just used), else None."""
        options = options if options is not None else self.config.diff
        key = (a, b, span_a, span_b, options)
        with self._lock:
            diff = self._span_diffs.get(key)
            if diff is not None:
                self._span_diffs.move_to_end(key)
            return diff

    def _diff_of_spans(
        self, a: str, b: str, span_a: Span, span_b: Span, options: DiffOptions
    ) -> TextDiff:
        from policydiff.diff import diff_texts, diff_tokens

        text_a = self.document(a).text[span_a[0] : span_a[1]]
        text_b = self.document(b).text[span_b[0] : span_b[1]]
        if options.ignores_anything:  # the folded texts are tokenized anew
            return diff_texts(text_a, text_b, options=options)
        tokens_a = self.tokens(a).slice_spans(*span_a) if text_a else []
        tokens_b = self.tokens(b).slice_spans(*span_b) if text_b else []
        return diff_tokens(text_a, text_b, tokens_a, tokens_b, options=options)

    def phrases(self) -> PhraseSet:
        """Shared phrases of all documents (``policydiff.phrases``), computed once."""
        with self._phrase_lock:
            if self._phrases is None:
                from policydiff.phrases import find_shared_phrases

                self._phrases = find_shared_phrases(
                    {d.id: d.text for d in self.documents},
                    min_chars=self.config.min_phrase_chars,
                    word_spans=self.word_spans(),
                )
            return self._phrases

    def word_spans(self) -> dict[str, list[tuple[int, int]]]:
        """Every document's token spans by id (``word_spans`` for ``find_shared_phrases``)."""
        return {d.id: self.tokens(d.id).spans() for d in self.documents}

    # ------------------------------------------------------------------ rows (records.py)

    def phrase_report(self) -> PhraseReport:
        """The phrase report as ``compare`` writes it (``records.phrase_report``), built once."""
        with self._phrase_lock:
            report = self._report
        if report is None:
            from policydiff.records import phrase_report

            report = phrase_report(self)
            with self._phrase_lock:
                self._report = report = self._report or report
        return report

    def rows(self, table: str) -> list[dict[str, Any]]:
        """The rows of one table of ``records.TABLES`` (``documents``, ``alignment``,
        ``themes``, ``phrases``, ``occurrences``, ``overlap``, ``changes``): a list of dicts of
        plain values, the same as the CSV file of that name; documents named by their labels."""
        from policydiff.records import REPORT_TABLES
        from policydiff.records import table as build

        report = self.phrase_report() if table in REPORT_TABLES else None
        return build(table, self, report=report).rows

    def document_rows(self) -> list[dict[str, Any]]:
        """One row per document: id, label, title, path, sha256, encoding, script, … ."""
        return self.rows("documents")

    def alignment_rows(self) -> list[dict[str, Any]]:
        """One row per match of every aligned pair, then per unmatched section."""
        return self.rows("alignment")

    def theme_rows(self) -> list[dict[str, Any]]:
        """One row per theme: the number of its sections in each document (columns: labels)."""
        return self.rows("themes")

    def phrase_rows(self) -> list[dict[str, Any]]:
        """One row per shared phrase: its count in each document (columns: labels)."""
        return self.rows("phrases")

    def occurrence_rows(self) -> list[dict[str, Any]]:
        """One row per occurrence of a shared phrase (document, section, offsets)."""
        return self.rows("occurrences")

    def overlap_rows(self) -> list[dict[str, Any]]:
        """One row per pair of documents: Jaccard of their phrases, coverage of each side."""
        return self.rows("overlap")

    def change_rows(self) -> list[dict[str, Any]]:
        """One row per new or dropped phrase between consecutive documents."""
        return self.rows("changes")

    def to_pandas(self, table: str) -> Any:
        """``rows(table)`` as a ``pandas.DataFrame`` (columns in order, also when empty);
        ``ImportError`` saying what to install when pandas is missing."""
        from policydiff.records import REPORT_TABLES, to_pandas
        from policydiff.records import table as build

        report = self.phrase_report() if table in REPORT_TABLES else None
        return to_pandas(build(table, self, report=report))


_PAIRS_PER_TASK = 8
_FORKED: Comparison | None = None  # the comparison a forked alignment worker reads


def _align_chunk(pairs: list[tuple[str, str]]) -> dict[tuple[str, str], Alignment]:
    comparison = _FORKED
    assert comparison is not None, "alignment workers must be forked from alignments()"
    return {(a, b): comparison.alignment(a, b) for a, b in pairs}


def load_corpus(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    themes: tuple[Theme, ...] | None = None,
    progress: Progress | None = None,
    tokens: bool = True,
    labels: Sequence[str] = (),
) -> tuple[list[Document], dict[str, DocumentTokens]]:
    """Read, normalize, segment and classify every path (ids d1, d2, … in order), plus each
    document's tokens (by id) when ``tokens`` is set.

    A path may be ``-`` (standard input), a pipe (``<(git show HEAD:a.txt)``) or a character
    device: such streams are read here, once, before any work is spread over processes; one
    stream given twice is refused. ``labels`` name the first documents (``--label``); the
    others get a label derived by ``policydiff.labels`` (every ``Document.label`` is set).

    The same file given twice is allowed (it aligns to itself) and gets a warning. When
    several files cannot be read, the error of the first one (in input order) is raised.
    From ``POOL_MIN_DOCUMENTS`` documents on the work is spread over a process pool, biggest
    files first; the result is the same as loading them one by one.
    """
    from policydiff.labels import check_labels, derive_labels

    config = config or Config()
    check_labels(labels, len(paths))
    theme_list = themes if themes is not None else load_themes(config.themes_file)
    streams = _read_streams(paths)
    tasks = [
        _LoadTask(k, str(path), f"d{k + 1}", config, theme_list, tokens, streams.get(k))
        for k, path in enumerate(paths)
    ]
    results: list[tuple[Document, DocumentTokens | None] | None] = [None] * len(tasks)
    errors: dict[int, Exception] = {}
    workers = min(worker_count(), len(tasks))
    if workers > 1 and len(tasks) >= POOL_MIN_DOCUMENTS:
        if tokens and not is_cache_enabled(config.cache):
            # Every document will be tokenized: load the segmenter once, here, and let the
            # forked workers share it (else each worker loads its own).
            from policydiff.tokenize import get_tokenizer

            get_tokenizer()
        order = sorted(tasks, key=lambda t: -(len(t.data) if t.data is not None else _size(t.path)))
        pooled = _parallel(_pooled_load_task, order, workers)
        for done, (index, result, error) in enumerate(pooled, 1):
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
    names = derive_labels(docs, labels)
    docs = [with_label(doc, name) for doc, name in zip(docs, names, strict=True)]
    for doc in docs:  # the labelled copies have the tokens too (the change report asks again)
        if doc.id in held:
            hold_tokens(doc, held[doc.id])
    return docs, held


def _read_streams(paths: Sequence[str | Path]) -> dict[int, bytes]:
    """The bytes of every input that can be read only once (``-``, pipes, character devices),
    by input index; the same stream named twice is refused (the second read would be empty)."""
    from policydiff.decode import STDIN, input_name, is_stream, read_input, stream_identity

    read: dict[int, bytes] = {}
    seen: dict[object, str] = {}
    for k, path in enumerate(paths):
        if not is_stream(path):
            continue
        name = input_name(path)
        identity = stream_identity(path)
        for key in (("name", str(path)), ("stream", identity)):
            if key[1] is not None and key in seen:
                first = seen[key]
                what = "given twice" if first == name else f"is the same stream as {first}"
                hint = "it can be read only once"
                if str(path) == STDIN or first == input_name(STDIN):
                    hint = "standard input can be read only once"
                raise InputError(f"{name}: {what}; {hint}: save it to a file to use it twice")
        seen[("name", str(path))] = name
        if identity is not None:
            seen[("stream", identity)] = name
        read[k] = read_input(path)
    return read


@dataclass(frozen=True)
class _LoadTask:
    index: int
    path: str
    doc_id: str
    config: Config
    themes: tuple[Theme, ...]
    tokens: bool
    data: bytes | None = None


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
        config = task.config
        doc = load_document(
            task.path, doc_id=task.doc_id, encoding=config.encoding, config=config.normalize,
            themes=task.themes, cache=config.cache, data=task.data,
        )
        doc_tokens = document_tokens(doc, cache=config.cache) if task.tokens else None
    except Exception as exc:  # re-raised by the caller
        return task.index, None, exc
    return task.index, (doc, doc_tokens), None


def _pooled_load_task(
    task: _LoadTask,
) -> tuple[int, tuple[Document, DocumentTokens | None] | None, Exception | None]:
    """``_load_task`` in a pool worker: the document is sent back without its normalization
    trace (``document.forget_normalization``)."""
    index, result, error = _load_task(task)
    if result is not None:
        forget_normalization(result[0])
    return index, result, error


def compare(
    paths: Sequence[str | Path],
    config: Config | None = None,
    *,
    ref: str | None = None,
    progress: Progress | None = None,
    labels: Sequence[str] = (),
) -> Comparison:
    """Read (and tokenize) the documents and return their Comparison; alignments, phrases and
    diffs are computed on demand.

    ``config``: the settings (``Config()`` when None). ``ref`` is a document id (``d2``), one
    of the given paths (``-`` for standard input) or a label: every other document is aligned
    against it. ``progress`` is told how reading advances (see ``Progress``). ``labels``: the
    names of the first documents (``--label``), see ``load_corpus``. A path may be ``-``
    (standard input) or a pipe.
    """
    if not paths:
        raise InputError("no documents given")
    config = config or Config()
    if ref is not None and config.all_pairs:
        raise InputError("--ref and --all-pairs exclude each other: choose one")
    themes = load_themes(config.themes_file)
    with batch_gc():
        documents, tokens = load_corpus(
            paths, config, themes=themes, progress=progress, labels=labels
        )
    ref_id = None
    if ref is not None:
        from policydiff.decode import input_name

        by_path = {str(Path(d.path)): d.id for d in documents}
        by_label = {d.label: d.id for d in documents}
        ref_id = ref if ref in {d.id for d in documents} else by_path.get(
            str(Path(input_name(ref)))
        ) or by_label.get(ref)
        if ref_id is None:
            raise InputError(f"--ref {ref}: not one of the documents (use a given path or d1, d2…)")
    return Comparison(documents, themes, config, ref=ref_id, _tokens=tokens)
