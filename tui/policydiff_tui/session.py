"""The viewer's session: one ``Comparison`` and everything the viewer computes on it.

The screens keep view state only (which documents, which row, which filter) and ask the
session for the rest: the rows of a document pair, section diffs, shared phrases, exports.
Every method may be called from a thread worker; nothing here knows about widgets.

Rules:
- The ``Comparison`` guards its own caches (alignments, tokens, phrases, span diffs, the
  last ``MAX_SPAN_DIFFS`` of these), so workers call it directly, and the screen reads a
  diff already made without waiting (``cached_diff``). The session adds the rows next to the
  current one diffed ahead.
- A row's diff is ``Comparison.span_diff`` of the spans the row shows, so the viewer shows the
  diffs the exports hold.
- The analyst's corrections (pair, unpair, split) go through the core's overrides API
  (``policydiff.overrides``: ``with_pair`` / ``without`` / ``with_split``, ``save``) and
  ``Comparison.set_overrides``, which re-aligns (``correct``).
- The change panel's report and its moves across sections come from here (``change_report``,
  ``cross_moves``), with the diff settings on screen.
- The export writes what ``policydiff compare`` writes for ``EXPORT_NAMES``, with the same
  writer (``policydiff.outputs``). An export of what is on screen (the pair, or the section
  pair) goes through the core's renderers: ``render.html.diff_html`` (the page ``policydiff
  diff --format html`` writes), ``render.markdown.diff_markdown``, ``render.tables.diff_report``
  (``policydiff diff`` as plain text), written the same way, into ``view-<a>-<b>[-<section>]``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff_tui.pairs import PairRow, alignment_for, build_rows, overall_similarity

if TYPE_CHECKING:
    from policydiff.changes.model import ChangeReport
    from policydiff.comparison import Comparison, Progress
    from policydiff.config import Config
    from policydiff.diff import TextDiff
    from policydiff.model import Document
    from policydiff.phrases import PairPhrase, PhraseSet
    from policydiff_tui.search import Form

PREFETCH = 4
"""Rows diffed ahead of the current one (and two behind)."""

EXPORT_NAMES = ("alignment.json", "phrases.json", "phrases.md")
"""What the viewer's export of the report files writes, of what ``policydiff compare`` writes."""

VIEW_FORMATS = {"html": "HTML", "md": "Markdown", "txt": "plain text"}
"""The formats of an export of what is on screen (file extension -> name)."""

TEXT_WIDTH = 100
"""Columns of the plain-text export (``policydiff diff --width``)."""

DiffKey = tuple[str, str, str]
"""``(left doc, right doc, row key)``: one row of one document pair, in one side order."""


CORRECTIONS = ("pair", "unpair", "split")
"""The analyst's alignment corrections (``ViewerSession.correct``)."""


@dataclass(frozen=True)
class Place:
    """A place in one document of the pair on screen: ``side`` (``left``/``right``) and an
    offset in that document's text."""

    side: str
    offset: int


@dataclass(frozen=True)
class CrossMove:
    """A sentence that moved from one section pair to another: its text, the sections it left
    (left document) and reached (right document), and where it is in each."""

    text: str
    from_section: str
    to_section: str
    old: Place
    new: Place


class CorrectionRefused(ValueError):
    """A correction the overrides cannot hold as asked (the message says what to do)."""


@dataclass(frozen=True)
class PairView:
    """The section-list rows of ``left`` against ``right`` and their overall similarity."""

    left: str
    right: str
    rows: list[PairRow]
    similarity: float


def open_comparison(
    paths: Sequence[str],
    config: Config | None,
    *,
    from_json: str | None = None,
    ref: str | None = None,
    progress: Progress | None = None,
    labels: Sequence[str] = (),
) -> Comparison:
    """The comparison of ``paths``, or of the inputs an alignment export names (``from_json``;
    its reference document unless ``ref`` is given); ``labels`` name the first documents
    (``--label``), the others get derived labels."""
    from policydiff.comparison import compare

    if from_json is not None:
        paths, json_ref = inputs_of_export(from_json)
        ref = ref or json_ref
    return compare(paths, config=config, ref=ref, progress=progress, labels=labels)


def inputs_of_export(path: str | Path) -> tuple[list[str], str | None]:
    """The input paths an alignment export names (checked: they must still hash the same),
    and the reference document when the export aligned every document against one."""
    from policydiff.formats.alignment import load_alignment

    data = load_alignment(path)
    base = Path(path).resolve().parent
    paths = []
    for doc in data["documents"]:
        doc_path = Path(doc["path"])
        if not doc_path.is_absolute() and (base / doc_path).exists():
            doc_path = base / doc_path
        paths.append(str(doc_path))
    pairs = [(p["a"], p["b"]) for p in data["pairs"]]
    firsts = {a for a, _ in pairs}
    ref = None
    if len(paths) > 2 and len(firsts) == 1 and len(pairs) == len(paths) - 1:
        ref = next(iter(firsts))
    return paths, ref


class ViewerSession:
    """A ``Comparison`` with the viewer's row diffs, phrase state and export."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self._pair_phrases: dict[DiffKey, tuple[PairPhrase, ...]] = {}
        self._lock = threading.Lock()
        self._mining_started = False
        self._shown: dict[str, str] = {}
        self._folded: dict[tuple[str, bool], str] = {}  # (doc id, original) -> its text folded
        self.diff_options = comparison.config.diff
        """What the row diffs ignore (the CLI's ``--ignore-*``; the viewer's ignore toggles)."""
        self.phrase_set: PhraseSet | None = None
        """The shared phrases of all documents, once mined (``mine_phrases``)."""

    def document(self, doc_id: str) -> Document:
        return self.comparison.document(doc_id)

    # ------------------------------------------------------------------ pairs

    def pair_view(self, left: str, right: str) -> PairView:
        """The rows of ``left`` against ``right`` (aligning them if not done yet, or reading
        the result cache: ``Comparison.alignment``)."""
        alignment, mirrored = alignment_for(self.comparison, left, right)
        docs = self.document(left), self.document(right)
        self.text(left, original=True)  # made here, in the worker, not when first shown
        self.text(right, original=True)
        rows = build_rows(alignment, *docs, mirrored=mirrored)
        return PairView(left, right, rows, overall_similarity(alignment, *docs))

    def similarity(self, left: str, right: str) -> float:
        """How similar two documents are overall (aligning them if not done yet)."""
        alignment, _ = alignment_for(self.comparison, left, right)
        return overall_similarity(alignment, self.document(left), self.document(right))

    def texts(
        self, left: str, right: str, row: PairRow, *, original: bool = False
    ) -> tuple[str, str]:
        """The text each side of ``row`` shows (``PairRow.left_span`` / ``right_span``): the
        normalized text, or with ``original`` the text as written (same offsets)."""
        (a0, a1), (b0, b1) = row.left_span, row.right_span
        return self.text(left, original=original)[a0:a1], self.text(right,
                                                                     original=original)[b0:b1]

    def text(self, doc_id: str, *, original: bool = False) -> str:
        """A document's normalized text, or with ``original`` its text as written
        (``policydiff_tui.script.shown_text``: same length and offsets), made once."""
        doc = self.document(doc_id)
        if not original:
            return doc.text
        with self._lock:
            found = self._shown.get(doc_id)
        if found is None:
            from policydiff_tui.script import shown_text

            found = shown_text(doc)
            with self._lock:
                self._shown[doc_id] = found
        return found

    def search_texts(self, doc_id: str) -> tuple[Form, Form]:
        """The forms a search looks in (``policydiff_tui.search.find_hits``): the text as
        written and the normalized text, each with its case-folded form, folded once."""
        forms = []
        for original in (True, False):
            text = self.text(doc_id, original=original)
            with self._lock:
                folded = self._folded.get((doc_id, original))
            if folded is None:
                folded = text.casefold()
                with self._lock:
                    self._folded[(doc_id, original)] = folded
            forms.append((text, folded))
        return forms[0], forms[1]

    def search_forms(self, query: str, doc_id: str) -> tuple[str, ...]:
        """The forms of ``query`` a search looks for: as typed, and normalized as document
        ``doc_id`` was (議員 also as 议员, which the normalized text holds); no empty ones."""
        if not query:
            return ()
        from policydiff.normalize import normalize

        normal = normalize(query, self.document(doc_id).normalize_config).text.strip()
        return tuple(dict.fromkeys(form for form in (query, normal) if form))

    # ------------------------------------------------------------------ diffs

    def cached_diff(self, left: str, right: str, row: PairRow) -> TextDiff | None:
        """The diff of ``row`` if it was computed lately (without computing it)."""
        return self.comparison.cached_span_diff(left, right, row.left_span, row.right_span,
                                                self.diff_options)

    def diff(self, left: str, right: str, row: PairRow) -> TextDiff:
        """The word diff of ``row`` (computed once, then kept by the comparison)."""
        return self.comparison.span_diff(left, right, row.left_span, row.right_span,
                                         self.diff_options)

    def prefetch(
        self,
        left: str,
        right: str,
        rows: Sequence[PairRow],
        index: int,
        cancelled: Callable[[], bool],
    ) -> None:
        """Diff the ``PREFETCH`` rows after ``rows[index]`` and the two before it, until
        ``cancelled()`` says the reader has moved on. A failure stops it (the diff shown in
        the foreground reports it)."""
        order = [index + k for k in range(1, PREFETCH + 1)] + [index - k for k in range(1, 3)]
        for k in order:
            if cancelled():
                return
            if 0 <= k < len(rows):
                try:
                    self.diff(left, right, rows[k])
                except Exception:
                    return

    # ------------------------------------------------------------------ phrases

    def start_mining(self) -> bool:
        """True the first time it is asked: the caller then runs ``mine_phrases``."""
        with self._lock:
            first = not self._mining_started
            self._mining_started = True
            return first

    def mine_phrases(self) -> PhraseSet:
        """Mine the shared phrases of all documents (once) and keep them in ``phrase_set``."""
        phrases = self.comparison.phrases()
        self.phrase_set = phrases
        return phrases

    def pair_phrases(self, left: str, right: str, row: PairRow) -> tuple[PairPhrase, ...] | None:
        """The phrases the two sides of ``row`` share (``None`` while none are mined)."""
        from policydiff.phrases import pair_phrases

        if self.phrase_set is None:
            return None
        key = (left, right, row.key)
        with self._lock:
            found = self._pair_phrases.get(key)
        if found is None:
            found = pair_phrases(self.phrase_set, left, row.left_span, right, row.right_span)
            with self._lock:
                self._pair_phrases[key] = found
        return found

    # ------------------------------------------------------------------ changes

    def change_report(self, left: str, right: str) -> ChangeReport:
        """The core's change report of ``left`` (old) -> ``right`` (new)."""
        from policydiff.changes.build import change_report

        return change_report(self.comparison, left, right)

    def cross_moves(self, left: str, right: str) -> list[CrossMove]:
        """The moves between section pairs of ``left`` and ``right`` (``diff.find_moves`` over
        the diffs of every matched pair, with the diff settings on screen: what the HTML page
        marks as moved to / moved from)."""
        from policydiff.diff import find_moves

        diffs = self.comparison.section_diffs(left, right, self.diff_options)
        out = []
        for move in find_moves([sd.diff for sd in diffs]):
            if move.a_pair == move.b_pair:
                continue
            old, new = diffs[move.a_pair], diffs[move.b_pair]
            out.append(CrossMove(
                move.text, old.match.a, new.match.b,
                Place("left", old.span_a[0] + move.a_span[0]),
                Place("right", new.span_b[0] + move.b_span[0]),
            ))
        return out

    # ------------------------------------------------------------------ corrections

    def correct(
        self, action: str, left: str, right: str, left_id: str, right_ids: Sequence[str]
    ) -> Path:
        """Record an alignment correction (``CORRECTIONS``) of section ``left_id`` of document
        ``left`` and ``right_ids`` of ``right`` (as on screen), save the overrides, re-align;
        the file saved. A split asks for one left section and several right ones."""
        from policydiff.overrides import Overrides, default_path

        if action not in CORRECTIONS:
            raise ValueError(f"unknown correction {action!r}")
        comparison = self.comparison
        _alignment, mirrored = alignment_for(comparison, left, right)
        a, b = (right, left) if mirrored else (left, right)
        doc_a, doc_b = comparison.document(a), comparison.document(b)
        ids = list(right_ids)
        if mirrored:  # the alignment's own order: A is the right document on screen
            if len(ids) > 1:
                raise CorrectionRefused("split the other way round: swap the sides (s) first")
            left_id, ids = ids[0], [left_id]
        current = comparison.config.overrides or Overrides()
        if action == "pair":
            new = current.with_pair(doc_a, doc_b, left_id, ids[0])
        elif action == "unpair":
            new = current.without(doc_a, doc_b, left_id, ids[0])
        else:
            new = current.with_split(doc_a, doc_b, left_id, ids)
        saved = new.save(new.path or default_path([d.path for d in comparison.documents]))
        comparison.set_overrides(new)
        return saved

    # ------------------------------------------------------------------ export

    def export(self, folder: Path, *, force: bool = False) -> list[Path]:
        """Write ``EXPORT_NAMES`` into ``folder`` as ``policydiff compare`` writes them; the
        paths written. Refuses to overwrite unless ``force`` (then writes nothing), and never
        writes over an input."""
        from policydiff.outputs import comparison_outputs, write_outputs

        outputs = comparison_outputs(self.comparison, names=EXPORT_NAMES)
        inputs = [d.path for d in self.comparison.documents]
        return write_outputs(folder, outputs, force=force, protect=inputs)

    def render_view(self, left: str, right: str, section: str | None, fmt: str) -> str:
        """Documents ``left`` against ``right`` (or only the pairs holding ``section``) in
        ``fmt`` (a key of ``VIEW_FORMATS``), by the core's renderers."""
        from policydiff.formats.diff import selected_diffs

        comparison = self.comparison
        if fmt == "html":
            from policydiff.render.html import diff_html

            return diff_html(comparison, left, right, section, self.diff_options)
        selected = selected_diffs(comparison, left, right, section, self.diff_options)
        if fmt == "md":
            from policydiff.render.markdown import diff_markdown

            return diff_markdown(comparison, selected, left, right)
        from policydiff.render.tables import diff_report

        return diff_report(comparison, selected, comparison.alignment(left, right),
                           width=TEXT_WIDTH, color=False, unmatched=section is None)

    def export_view(
        self, folder: Path, left: str, right: str, section: str | None, fmt: str,
        *, force: bool = False,
    ) -> list[Path]:
        """Write ``render_view`` into ``folder`` (same rules as ``export``); the path."""
        from policydiff.outputs import Outputs, write_outputs

        name = view_file_name(left, right, section, fmt)
        outputs = Outputs({name: lambda: self.render_view(left, right, section, fmt)})
        inputs = [d.path for d in self.comparison.documents]
        return write_outputs(folder, outputs, force=force, protect=inputs)


def view_file_name(left: str, right: str, section: str | None, fmt: str) -> str:
    """``view-d1-d2.html``, ``view-d1-d2-d1-3.2.md``: the file an export of the view writes."""
    tail = f"-{section.replace('/', '-')}" if section else ""
    return f"view-{left}-{right}{tail}.{fmt}"
