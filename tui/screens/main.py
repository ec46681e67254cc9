"""The main screen: section pairs on the left, the two texts side by side, shared phrases.

This screen owns the view state (which documents are left and right, the rows of the section
list, the theme filter, the search query, the current phrase) and starts the heavy work in
thread workers; the workers post messages (``tui.messages``) back to it. Nothing slow runs on
the event loop, so keys are answered while documents load or a diff is computed.

Rules:
- A result that arrives after the reader has moved on (another pair, another row) is cached
  but not shown.
- Diffs are computed once per section pair and side order and kept (the ``MAX_DIFFS`` most
  recently shown); the rows next to the current one are diffed in the background so that
  moving down the list is instant.
- The core is called from worker threads only, alignments under one lock and phrase mining
  under another, so two workers never compute the same thing twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from tui import sanitize
from tui.layout import RoleSpan
from tui.messages import (
    AlignmentComputed,
    ComparisonLoaded,
    DiffComputed,
    ExportWritten,
    PhraseChosen,
    PhrasesComputed,
    SectionSelected,
    WorkProgressed,
)
from tui.pairs import (
    PairRow,
    alignment_for,
    build_rows,
    filter_rows,
    overall_similarity,
    row_for_offset,
    section_name,
)
from tui.widgets.comparison_header import ComparisonHeader
from tui.widgets.phrase_panel import PhrasePanel
from tui.widgets.section_list import SectionList
from tui.widgets.side_by_side import SideBySideDiff
from tui.widgets.work_status import WorkStatus

if TYPE_CHECKING:
    from policydiff.compare import Comparison
    from policydiff.diff import TextDiff
    from policydiff.model import Document, Section
    from policydiff.phrases import PairPhrase, PhraseSet
    from tui.app import PolicyDiffApp

PREFETCH = 4
"""Rows diffed ahead (and behind) of the current one."""

MAX_SEARCH_MARKS = 2000
"""Search hits marked in one pane (a one-character query can match thousands of times)."""

MAX_DIFFS = 400
"""Section-pair diffs kept in memory (least recently shown dropped first)."""


class MainScreen(Screen[None]):
    """Section pairs, side-by-side diff, phrase panel (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_pair", "Next pair", show=False),
        Binding("k", "previous_pair", "Previous pair", show=False),
        Binding("n", "next_change", "Next change"),
        Binding("p", "previous_change", "Prev change"),
        Binding("slash", "search", "Search"),
        Binding("t", "theme_filter", "Theme"),
        Binding("s", "swap", "Swap"),
        Binding("f", "toggle_phrases", "Phrases"),
        Binding("m", "theme_matrix", "Matrix"),
        Binding("d", "choose_pair", "Documents"),
        Binding("left_square_bracket", "cycle_pair(-1)", "Previous document pair",
                show=False),
        Binding("right_square_bracket", "cycle_pair(1)", "Next document pair",
                show=False),
        Binding("e", "export", "Export"),
        Binding("question_mark", "help", "Help"),
    ]

    app: PolicyDiffApp

    def __init__(self) -> None:
        super().__init__(id="main")
        self.comparison: Comparison | None = None
        self.left = ""
        self.right = ""
        self.all_rows: list[PairRow] = []
        self.rows: list[PairRow] = []
        self.similarity: float | None = None
        self.theme_filter: str | None = None
        self.current: PairRow | None = None
        self.diffs: OrderedDict[tuple[str, str, str], TextDiff] = OrderedDict()
        self._diff_lock = threading.Lock()
        self._row_index: dict[str, int] = {}
        self._pair_phrase_cache: dict[tuple[str, str, str], tuple[PairPhrase, ...]] = {}
        self.shown_diff_key: tuple[str, str, str] | None = None
        self.phrase_set: PhraseSet | None = None
        self.pair_phrases: tuple[PairPhrase, ...] = ()
        self.phrase_index: int | None = None
        self.search_query = ""
        self._pending_offset: tuple[str, int] | None = None
        self._core_lock = threading.Lock()
        self._phrase_lock = threading.Lock()
        self._phrases_started = False
        self._keep_key: str | None = None
        self._after_diff: str | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield ComparisonHeader(id="header")
            yield WorkStatus(id="status")
        with Horizontal(id="body"):
            yield SectionList(id="sections")
            yield SideBySideDiff(id="diff")
            yield PhrasePanel(id="phrases")
        yield Footer()

    @property
    def section_list(self) -> SectionList:
        return self.query_one(SectionList)

    @property
    def side_by_side(self) -> SideBySideDiff:
        return self.query_one(SideBySideDiff)

    @property
    def phrase_panel(self) -> PhrasePanel:
        return self.query_one(PhrasePanel)

    @property
    def header(self) -> ComparisonHeader:
        return self.query_one(ComparisonHeader)

    @property
    def ready(self) -> bool:
        """True once the current pair's diff is on screen and no worker is busy."""
        return (
            self.current is not None
            and self.shown_diff_key == self._diff_key(self.current)
            and not self.query_one(WorkStatus).busy
        )

    def on_mount(self) -> None:
        self.header.message = "starting…"
        self.query_one("#left-pane").focus()
        self._load()

    # ------------------------------------------------------------------ workers

    def _progress(self, label: str, busy: bool) -> None:
        self.post_message(WorkProgressed(label, busy))

    def on_work_progressed(self, message: WorkProgressed) -> None:
        status = self.query_one(WorkStatus)
        if message.busy:
            status.start(message.label)
        else:
            status.stop(message.label)

    @work(thread=True, group="load", exit_on_error=False)
    def _load(self) -> None:
        label = "reading documents"
        self._progress(label, True)
        try:
            comparison = self.app.build_comparison()
        except Exception as exc:  # a failure to load is shown, not raised
            self.post_message(ComparisonLoaded(None, error=_one_line(exc)))
        else:
            self.post_message(ComparisonLoaded(comparison))
        finally:
            self._progress(label, False)

    def on_comparison_loaded(self, message: ComparisonLoaded) -> None:
        if message.comparison is None:
            self.app.error = message.error
            self.header.message = f"could not open: {message.error}"
            self.side_by_side.show_diff(None, note=message.error)
            self.notify(sanitize.safe_str(message.error), title="policydiff", severity="error",
                        timeout=30, markup=False)
            return
        self.comparison = message.comparison
        if len(self.comparison.documents) < 2:
            self.app.error = "the viewer needs at least two documents"
            self.header.message = self.app.error
            self.side_by_side.show_diff(None, note=self.app.error)
            return
        left, right = self.app.initial_pair or self.comparison.pairs[0]
        self.set_pair(left, right)

    def set_pair(self, left: str, right: str, *, keep: str | None = None) -> None:
        """Show document ``left`` against ``right`` (aligning them in a worker if needed)."""
        assert self.comparison is not None
        self.left, self.right = left, right
        self._keep_key = keep
        docs = (self.comparison.document(left), self.comparison.document(right))
        self.header.docs = docs
        self.header.similarity = None
        self._align(left, right)

    @work(thread=True, group="align", exclusive=True, exit_on_error=False)
    def _align(self, left: str, right: str) -> None:
        assert self.comparison is not None
        label = f"aligning {left}–{right}"
        self._progress(label, True)
        try:
            with self._core_lock:
                alignment, mirrored = alignment_for(self.comparison, left, right)
            docs = self.comparison.document(left), self.comparison.document(right)
            rows = build_rows(alignment, *docs, mirrored=mirrored)
            similarity = overall_similarity(alignment, *docs)
            if not get_current_worker().is_cancelled:
                self.post_message(AlignmentComputed(left, right, alignment, rows, similarity))
        except Exception as exc:
            self.post_message(ComparisonLoaded(None, error=_one_line(exc)))
        finally:
            self._progress(label, False)

    def on_alignment_computed(self, message: AlignmentComputed) -> None:
        if (message.left, message.right) != (self.left, self.right):
            return
        self.all_rows = message.rows
        self.similarity = message.similarity
        self.header.similarity = message.similarity
        matched = sum(1 for r in self.all_rows if r.kind == "match")
        only_left = sum(1 for r in self.all_rows if r.kind == "only-left")
        only_right = sum(1 for r in self.all_rows if r.kind == "only-right")
        self.header.counts = (len(self.all_rows), matched, only_left, only_right)
        keep = self._keep_key or (self.current.key if self.current else None)
        self._keep_key = None
        self._apply_filter(keep=keep)

    def _apply_filter(self, *, keep: str | None = None) -> None:
        assert self.comparison is not None
        self.rows = filter_rows(self.all_rows, self.theme_filter)
        self._row_index = {row.key: k for k, row in enumerate(self.rows)}
        names = {t.id: t.name for t in self.comparison.themes}
        self.header.theme_label = names.get(self.theme_filter, "") if self.theme_filter else ""
        docs = (self.comparison.document(self.left), self.comparison.document(self.right))
        self.section_list.set_rows(self.rows, docs, names, keep=keep)
        self.section_list.border_title = sanitize.line(
            f"Sections ({len(self.rows)})"
            + (f" · {names.get(self.theme_filter, self.theme_filter)}" if self.theme_filter else "")
        )

    def _diff_key(self, row: PairRow) -> tuple[str, str, str]:
        return (self.left, self.right, row.key)

    def _texts(self, row: PairRow) -> tuple[str, str]:
        """The text each side of ``row`` shows (``PairRow.left_span`` / ``right_span``)."""
        assert self.comparison is not None
        a_doc, b_doc = self.comparison.document(self.left), self.comparison.document(self.right)
        (a0, a1), (b0, b1) = row.left_span, row.right_span
        return a_doc.text[a0:a1], b_doc.text[b0:b1]

    def _compute_diff(self, row: PairRow) -> TextDiff:
        """The word diff of ``row``, on the tokens the comparison already holds."""
        from policydiff.diff import diff_tokens

        assert self.comparison is not None
        a, b = self._texts(row)
        a_spans = self.comparison.tokens(self.left).slice_spans(*row.left_span) if a else []
        b_spans = self.comparison.tokens(self.right).slice_spans(*row.right_span) if b else []
        return diff_tokens(a, b, a_spans, b_spans)

    def on_section_selected(self, message: SectionSelected) -> None:
        self.current = message.row
        self.phrase_index = None
        row = message.row
        if row is None:
            self.shown_diff_key = None
            self.side_by_side.show_diff(None, note="no sections under this filter (t to change)")
            self.header.position = ""
            self._update_phrases()
            return
        self._set_titles(row)
        index = self._row_index.get(row.key, 0)
        self.header.position = f"row {index + 1}/{len(self.rows)}"
        key = self._diff_key(row)
        diff = self._cached_diff(key)
        if diff is not None:
            self._show_diff(row, diff)
        else:
            self._diff(row, key)

    def _cached_diff(self, key: tuple[str, str, str]) -> TextDiff | None:
        with self._diff_lock:
            diff = self.diffs.get(key)
            if diff is not None:
                self.diffs.move_to_end(key)
            return diff

    def _remember_diff(self, key: tuple[str, str, str], diff: TextDiff) -> None:
        """Keep ``diff``; the least recently shown ones go beyond ``MAX_DIFFS``."""
        with self._diff_lock:
            self.diffs[key] = diff
            self.diffs.move_to_end(key)
            while len(self.diffs) > MAX_DIFFS:
                self.diffs.popitem(last=False)

    @work(thread=True, group="diff", exclusive=True, exit_on_error=False)
    def _diff(self, row: PairRow, key: tuple[str, str, str]) -> None:
        label = "diffing"
        self._progress(label, True)
        try:
            diff = self._compute_diff(row)
            self._remember_diff(key, diff)
            if not get_current_worker().is_cancelled:
                self.post_message(DiffComputed(row, diff))
        except Exception as exc:
            self.notify(sanitize.safe_str(_one_line(exc)), severity="error", markup=False)
        finally:
            self._progress(label, False)

    def on_diff_computed(self, message: DiffComputed) -> None:
        if self.current is None or message.row.key != self.current.key:
            return
        self._show_diff(message.row, message.diff)

    def _show_diff(self, row: PairRow, diff: TextDiff) -> None:
        self.side_by_side.show_diff(diff)
        self.shown_diff_key = self._diff_key(row)
        self._update_phrases()
        if self._pending_offset is not None:
            side, offset = self._pending_offset
            self._pending_offset = None
            self.side_by_side.scroll_to_offset(side, offset)
        elif self._after_diff is not None:
            self.side_by_side.first_or_last_change(last=self._after_diff == "last")
        self._after_diff = None
        if not self._phrases_started:
            self._phrases_started = True
            self._mine_phrases()
        self._prefetch(row)

    @work(thread=True, group="prefetch", exclusive=True, exit_on_error=False)
    def _prefetch(self, row: PairRow) -> None:
        if row.key not in self._row_index:
            return
        index = self._row_index[row.key]
        order = [index + k for k in range(1, PREFETCH + 1)] + [index - k for k in range(1, 3)]
        worker = get_current_worker()
        for k in order:
            if worker.is_cancelled:
                return
            if 0 <= k < len(self.rows):
                other = self.rows[k]
                key = self._diff_key(other)
                if self._cached_diff(key) is None:
                    try:
                        self._remember_diff(key, self._compute_diff(other))
                    except Exception:  # the foreground diff will report it
                        return

    @work(thread=True, group="phrases", exit_on_error=False)
    def _mine_phrases(self) -> None:
        assert self.comparison is not None
        label = "mining shared phrases"
        self._progress(label, True)
        try:
            with self._phrase_lock:
                phrases = self.comparison.phrases()
            self.post_message(PhrasesComputed(phrases))
        except Exception as exc:
            self.notify(sanitize.safe_str(f"phrases: {_one_line(exc)}"), severity="warning",
                        markup=False)
        finally:
            self._progress(label, False)

    def on_phrases_computed(self, message: PhrasesComputed) -> None:
        self.phrase_set = message.phrases
        self._update_phrases()

    # ------------------------------------------------------------------ phrases and overlays

    def _update_phrases(self) -> None:
        """Recompute the current pair's shared phrases and redraw the overlays."""
        from policydiff.phrases import pair_phrases

        row = self.current
        panel = self.phrase_panel
        if row is None or row.left is None or row.right is None:
            self.pair_phrases = ()
            panel.set_phrases((), note="unmatched: nothing shared")
        elif self.phrase_set is None:
            self.pair_phrases = ()
            panel.set_phrases((), note="mining phrases…")
        else:
            key = self._diff_key(row)
            if key not in self._pair_phrase_cache:
                self._pair_phrase_cache[key] = pair_phrases(
                    self.phrase_set, self.left, row.left_span, self.right, row.right_span
                )
            self.pair_phrases = self._pair_phrase_cache[key]
            panel.set_phrases(self.pair_phrases, note="no shared phrases")
        self._redraw_overlays()

    def _redraw_overlays(self) -> None:
        row = self.current
        if row is None or self.shown_diff_key != self._diff_key(row):
            return
        left: list[RoleSpan] = []
        right: list[RoleSpan] = []
        a0, b0 = row.left_span[0], row.right_span[0]
        if self.has_class("-show-phrases"):
            for phrase in self.pair_phrases:
                left += [(s - a0, e - a0, "phrase") for s, e in phrase.spans_a]
                right += [(s - b0, e - b0, "phrase") for s, e in phrase.spans_b]
        if self.search_query:
            a_text, b_text = self._texts(row)
            left += _find_all(a_text, self.search_query, "search")
            right += _find_all(b_text, self.search_query, "search")
        if self.phrase_index is not None and self.phrase_index < len(self.pair_phrases):
            phrase = self.pair_phrases[self.phrase_index]
            left += [(s - a0, e - a0, "phrase-current") for s, e in phrase.spans_a]
            right += [(s - b0, e - b0, "phrase-current") for s, e in phrase.spans_b]
        self.side_by_side.set_overlays(left, right)

    def on_phrase_chosen(self, message: PhraseChosen) -> None:
        row = self.current
        if row is None or row.left is None or not 0 <= message.index < len(self.pair_phrases):
            return
        self.phrase_index = message.index
        self._redraw_overlays()
        phrase = self.pair_phrases[message.index]
        self.side_by_side.scroll_to_offsets(
            phrase.spans_a[0][0] - row.left_span[0], phrase.spans_b[0][0] - row.right_span[0]
        )

    # ------------------------------------------------------------------ titles

    def _set_titles(self, row: PairRow) -> None:
        assert self.comparison is not None
        a_doc, b_doc = self.comparison.document(self.left), self.comparison.document(self.right)

        def title(doc: Document, sec: Section | None) -> Any:
            if sec is None:
                return sanitize.line(f"{doc.id} · (no counterpart)")
            return sanitize.join(
                [f"{doc.id} {sec.id.split('/', 1)[-1]} · ",
                 sanitize.truncate(sanitize.line(section_name(doc, sec)), 40)]
            )

        if row.score is None:
            sub = "unmatched"
        else:
            sub = f"score {row.score:.2f}" + ("" if row.kind == "match" else f" · {row.kind}")

        def subtitle(sec: Section | None, shown: tuple[int, int]) -> Any:
            # Subsections left out of the text shown have rows of their own.
            below = len(sec.children) if sec is not None and shown[1] < sec.span[1] else 0
            return sanitize.line(sub + (f" · +{below} subsections" if below else ""))

        self.side_by_side.set_titles(
            title(a_doc, row.left), title(b_doc, row.right),
            subtitle(row.left, row.left_span), subtitle(row.right, row.right_span),
        )

    # ------------------------------------------------------------------ actions

    def action_next_pair(self) -> None:
        """Move to the next section pair."""
        self.section_list.move(1)

    def action_previous_pair(self) -> None:
        """Move to the previous section pair."""
        self.section_list.move(-1)

    def action_next_change(self) -> None:
        """Go to the next change; past the last one, to the next pair that changed."""
        if self.side_by_side.move_change(1):
            return
        self._jump_to_changed_row(1)

    def action_previous_change(self) -> None:
        """Go to the previous change; before the first one, to the previous changed pair."""
        if self.side_by_side.move_change(-1):
            return
        self._jump_to_changed_row(-1)

    def _jump_to_changed_row(self, step: int) -> None:
        if self.current is None or self.current.key not in self._row_index:
            return
        index = self._row_index[self.current.key] + step
        while 0 <= index < len(self.rows):
            row = self.rows[index]
            if row.kind != "match" or row.score is None or row.score < 1.0:
                self._after_diff = "last" if step < 0 else "first"
                self.section_list.select_index(index)
                return
            index += step
        self.notify("no more changes", timeout=2)

    def action_swap(self) -> None:
        """Swap the left and right documents (the same alignment, mirrored)."""
        if self.comparison is None or not self.left:
            return
        keep = None
        if self.current is not None:
            a, _, b = self.current.key.partition("|")
            keep = f"{b}|{a}"
        self.set_pair(self.right, self.left, keep=keep)

    def action_toggle_phrases(self) -> None:
        """Show or hide the shared-phrase panel (phrases are underlined while it shows)."""
        self.toggle_class("-show-phrases")
        if self.has_class("-show-phrases"):
            self.phrase_panel.focus()
        elif self.phrase_panel.has_focus:
            self.query_one("#left-pane").focus()
        self.phrase_index = None
        self._redraw_overlays()

    def action_search(self) -> None:
        """Search both documents."""
        from tui.screens.search import SearchScreen

        if self.comparison is None or not self.left:
            return
        docs = [self.comparison.document(self.left), self.comparison.document(self.right)]
        self.app.push_screen(SearchScreen(docs, self.search_query), self._search_done)

    def _search_done(self, result: tuple[str, int, str] | None) -> None:
        if result is None:
            return
        doc_id, offset, query = result
        self.search_query = query
        if not query:
            self._redraw_overlays()
            return
        side = "left" if doc_id == self.left else "right"
        self.goto_offset(side, offset)

    def goto_offset(self, side: str, offset: int) -> None:
        """Show the row whose ``side`` section holds document offset ``offset`` and scroll to it
        (clearing the theme filter when it hides that row)."""
        index = row_for_offset(self.rows, side, offset)
        if index is None and self.theme_filter is not None:
            self.theme_filter = None
            self._apply_filter()
            index = row_for_offset(self.rows, side, offset)
        if index is None:
            return
        row = self.rows[index]
        relative = offset - (row.left_span if side == "left" else row.right_span)[0]
        self._pending_offset = (side, relative)
        if self.current is not None and row.key == self.current.key and (
            self.shown_diff_key == self._diff_key(row)
        ):
            self._pending_offset = None
            self._redraw_overlays()
            self.side_by_side.scroll_to_offset(side, relative)
        else:
            self.section_list.select_index(index)

    def action_theme_filter(self) -> None:
        """Show only the pairs about one theme."""
        from tui.screens.theme_filter import ThemeFilterScreen

        if self.comparison is None:
            return
        counts: dict[str, int] = {}
        for row in self.all_rows:
            for theme in {*row.themes, *(t for t in _tops(row))}:
                counts[theme] = counts.get(theme, 0) + 1
        self.app.push_screen(
            ThemeFilterScreen(self.comparison.themes, counts, self.theme_filter),
            self._theme_chosen,
        )

    def _theme_chosen(self, theme: str | None) -> None:
        if theme is None:
            return
        self.set_theme_filter(theme or None)

    def set_theme_filter(self, theme: str | None) -> None:
        """Filter the section list by ``theme`` (``None``: all themes)."""
        self.theme_filter = theme
        if self.comparison is not None and self.all_rows:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_theme_matrix(self) -> None:
        """Themes × documents: pick a cell to compare."""
        from tui.screens.theme_matrix import ThemeMatrixScreen

        if self.comparison is None:
            return
        self.app.push_screen(
            ThemeMatrixScreen(self.comparison, self.left, self.right), self._matrix_chosen
        )

    def _matrix_chosen(self, result: tuple[str | None, str, str] | None) -> None:
        if result is None:
            return
        theme, left, right = result
        self.theme_filter = theme
        if (left, right) != (self.left, self.right):
            self.set_pair(left, right)
        else:
            self._apply_filter(keep=self.current.key if self.current else None)

    def action_choose_pair(self) -> None:
        """Choose which two documents to compare."""
        from tui.screens.pair_switcher import PairSwitcherScreen

        if self.comparison is None:
            return
        self.app.push_screen(
            PairSwitcherScreen(self.comparison, (self.left, self.right), self._core_lock),
            self._pair_chosen,
        )

    def _pair_chosen(self, pair: tuple[str, str] | None) -> None:
        if pair is not None and pair != (self.left, self.right):
            self.set_pair(*pair)

    def action_cycle_pair(self, step: int) -> None:
        """Go to the next (or previous) document pair of the comparison."""
        if self.comparison is None or len(self.comparison.pairs) < 2:
            return
        pairs = self.comparison.pairs
        current = (self.left, self.right)
        if current in pairs:
            index = pairs.index(current)
        elif (self.right, self.left) in pairs:
            index = pairs.index((self.right, self.left))
        else:
            index = 0
        self.set_pair(*pairs[(index + step) % len(pairs)])

    def action_export(self) -> None:
        """Write the alignment JSON and the phrase report into a folder."""
        from tui.screens.export import ExportScreen

        if self.comparison is None:
            return
        self.app.push_screen(ExportScreen(self.app.export_dir), self._export_chosen)

    def _export_chosen(self, result: tuple[Path, bool] | None) -> None:
        if result is not None:
            folder, force = result
            self.app.export_dir = folder
            self.export(folder, force=force)

    @work(thread=True, group="export", exit_on_error=False)
    def export(self, folder: Path, *, force: bool = False) -> None:
        """Write ``alignment.json``, ``phrases.json`` and ``phrases.md`` into ``folder``."""
        from policydiff.export import alignment_json, dumps
        from policydiff.io import write_atomic
        from policydiff.report import build_report, render_json, render_markdown

        assert self.comparison is not None
        comparison = self.comparison
        label = "exporting"
        self._progress(label, True)
        try:
            with self._core_lock:
                alignment_text = dumps(alignment_json(comparison))
                matrix = dict(comparison.theme_matrix())
            with self._phrase_lock:
                phrase_set = comparison.phrases()
            report = build_report(phrase_set, documents=comparison.documents, themes=matrix)
            outputs: list[tuple[str, Callable[[], str]]] = [
                ("alignment.json", lambda: alignment_text),
                ("phrases.json", lambda: render_json(report)),
                ("phrases.md", lambda: render_markdown(report)),
            ]
            inputs = [d.path for d in comparison.documents]
            written = [
                write_atomic(folder / name, render(), force=force, protect=inputs)
                for name, render in outputs
            ]
            self.post_message(ExportWritten(written))
        except Exception as exc:
            self.post_message(ExportWritten([], error=_one_line(exc)))
        finally:
            self._progress(label, False)

    def on_export_written(self, message: ExportWritten) -> None:
        self.app.last_export = message
        if message.error:
            self.notify(sanitize.safe_str(message.error), title="Export failed",
                        severity="error", timeout=10, markup=False)
        else:
            paths = "\n".join(str(p) for p in message.paths)
            self.notify(sanitize.safe_str(paths), title="Export written", timeout=8, markup=False)

    def action_help(self) -> None:
        """Keys and colours."""
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())


def _tops(row: PairRow) -> list[str]:
    return [sec.themes[0].id for sec in (row.left, row.right) if sec is not None and sec.themes]


def _find_all(text: str, query: str, role: str) -> list[RoleSpan]:
    """Every occurrence of ``query`` in ``text`` (case-insensitive), at most a few thousand."""
    spans: list[RoleSpan] = []
    haystack, needle = text.casefold(), query.casefold()
    if not needle or len(haystack) != len(text):
        haystack, needle = text, query
    pos = haystack.find(needle)
    while pos != -1 and len(spans) < MAX_SEARCH_MARKS:
        spans.append((pos, pos + len(needle), role))
        pos = haystack.find(needle, pos + max(1, len(needle)))
    return spans


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0]
