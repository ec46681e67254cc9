"""What the main screen shows and how it gets it: the view state of one document pair.

``PairViewScreen`` holds the view state (which documents are left and right, the rows of the
section list, the theme filter, the current row, the search query, the chosen phrase) and
asks the ``ViewerSession`` for everything computed, in thread workers that post messages
(``policydiff_tui.messages``) back. Nothing slow runs on the event loop, so keys are answered while
documents load or a diff is computed. ``policydiff_tui.screens.main.MainScreen`` adds the keys.

Rules:
- A result that arrives after the reader has moved on (another pair, another row) is not
  shown (the session keeps it).
- When a row's diff is on screen, the rows next to it are diffed in the background, so that
  moving down the list is instant.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.worker import get_current_worker

from policydiff_tui import sanitize
from policydiff_tui.messages import (
    AlignmentComputed,
    ComparisonLoaded,
    DiffComputed,
    PhraseChosen,
    PhrasesComputed,
    SectionSelected,
    WorkProgressed,
)
from policydiff_tui.pairs import PairRow, by_change, filter_rows, keep_rows, row_titles
from policydiff_tui.search import MAX_MARKS, find_in
from policydiff_tui.widgets.comparison_header import ComparisonHeader
from policydiff_tui.widgets.diff_pane import RoleSpan
from policydiff_tui.widgets.key_footer import KeyFooter
from policydiff_tui.widgets.phrase_panel import PhrasePanel
from policydiff_tui.widgets.section_list import SectionList
from policydiff_tui.widgets.side_by_side import SideBySideDiff
from policydiff_tui.widgets.work_status import WorkStatus

if TYPE_CHECKING:
    from policydiff.comparison import Comparison, Progress
    from policydiff.diff import TextDiff
    from policydiff.phrases import PairPhrase
    from policydiff_tui.session import ViewerSession

    Opener = Callable[[Progress], ViewerSession]
    """Opens the session (in a worker thread), telling ``progress`` how reading advances."""

NEED_TWO = "the viewer needs at least two documents"


class PairViewScreen(Screen[None]):
    """Section pairs, side-by-side diff, phrase panel (see the module docstring)."""

    def __init__(
        self,
        opener: Opener,
        *,
        pair: tuple[str, str] | None = None,
        export_dir: Path = Path("policydiff-out"),
    ) -> None:
        super().__init__(id="main")
        self._opener = opener
        self.initial_pair = pair
        self.export_dir = export_dir
        """The folder the export dialog proposes (the last one exported into)."""
        self.session: ViewerSession | None = None
        self.left = ""
        self.right = ""
        self.all_rows: list[PairRow] = []
        self.rows: list[PairRow] = []
        self.similarity: float | None = None
        self.theme_filter: str | None = None
        self.current: PairRow | None = None
        self.shown_diff_key: tuple[str, str, str] | None = None
        self.pair_phrases: tuple[PairPhrase, ...] = ()
        self.phrase_index: int | None = None
        self.search_query = ""
        self.search_forms: tuple[str, ...] = ()
        """The query as typed and in its normalized form (both are looked for)."""
        self.original = True
        """Show the text as written (True) or the normalized text the comparison uses."""
        self.row_filter = "all"
        """Which rows the list keeps (``pairs.ROW_FILTERS``)."""
        self.sort_by_change = False
        """List the most changed rows first (``pairs.by_change``), not in reading order."""
        self._row_index: dict[str, int] = {}
        self._pending_offset: tuple[str, int] | None = None
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
        yield KeyFooter()

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
    def comparison(self) -> Comparison | None:
        """The comparison on show (``None`` until loaded, or when loading failed)."""
        return self.session.comparison if self.session is not None else None

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

    # ------------------------------------------------------------------ loading

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
        labels = ["reading documents"]
        self._progress(labels[-1], True)

        def progress(_stage: str, done: int, total: int) -> None:
            labels.append(f"reading documents {done}/{total}")
            self._progress(labels[-1], True)
            self._progress(labels[-2], False)

        try:
            session = self._opener(progress)
        except Exception as exc:  # a failure to load is shown, not raised
            self.post_message(ComparisonLoaded(None, error=one_line(exc)))
        else:
            few = len(session.comparison.documents) < 2
            self.post_message(ComparisonLoaded(session, error=NEED_TWO if few else ""))
        finally:
            self._progress(labels[-1], False)

    def on_comparison_loaded(self, message: ComparisonLoaded) -> None:
        """Show the first pair, or why nothing can be shown. (The message then reaches the
        app, which keeps the error for the exit status.)"""
        if message.error:
            if message.session is None:
                self.header.message = f"could not open: {message.error}"
                self.notify(sanitize.safe_str(message.error), title="policydiff",
                            severity="error", timeout=30, markup=False)
            else:
                self.header.message = message.error
            self.side_by_side.show_diff(None, note=message.error)
            return
        assert message.session is not None
        self.session = message.session
        left, right = self.initial_pair or self.session.comparison.pairs[0]
        self.set_pair(left, right)

    # ------------------------------------------------------------------ pairs and rows

    def set_pair(self, left: str, right: str, *, keep: str | None = None) -> None:
        """Show document ``left`` against ``right`` (aligning them in a worker if needed)."""
        assert self.session is not None
        self.left, self.right = left, right
        self._keep_key = keep
        self.header.docs = (self.session.document(left), self.session.document(right))
        self.header.similarity = None
        self.header.counts = None
        self._align(left, right)

    @work(thread=True, group="align", exclusive=True, exit_on_error=False)
    def _align(self, left: str, right: str) -> None:
        assert self.session is not None
        label = f"aligning {left}–{right}"
        self._progress(label, True)
        try:
            view = self.session.pair_view(left, right)
            if not get_current_worker().is_cancelled:
                self.post_message(AlignmentComputed(view))
        except Exception as exc:
            self.post_message(ComparisonLoaded(None, error=one_line(exc)))
        finally:
            self._progress(label, False)

    def on_alignment_computed(self, message: AlignmentComputed) -> None:
        view = message.view
        if (view.left, view.right) != (self.left, self.right):
            return
        self.all_rows = view.rows
        self.similarity = view.similarity
        self.header.similarity = view.similarity
        kinds = [r.kind for r in self.all_rows]
        self.header.counts = (
            len(kinds), kinds.count("match"), kinds.count("only-left"), kinds.count("only-right")
        )
        keep = self._keep_key or (self.current.key if self.current else None)
        self._keep_key = None
        self._apply_filter(keep=keep)
        self.after_alignment()

    def after_alignment(self) -> None:
        """What to do once a new pair's rows are listed (``MainScreen``: go to a search hit)."""

    def _apply_filter(self, *, keep: str | None = None) -> None:
        assert self.session is not None
        self.rows = keep_rows(filter_rows(self.all_rows, self.theme_filter), self.row_filter)
        if self.sort_by_change:
            self.rows = by_change(self.rows)
        self._row_index = {row.key: k for k, row in enumerate(self.rows)}
        names = {t.id: t.name for t in self.session.comparison.themes}
        self.header.theme_label = names.get(self.theme_filter, "") if self.theme_filter else ""
        docs = (self.session.document(self.left), self.session.document(self.right))
        self.section_list.set_rows(self.rows, docs, names, keep=keep, texts=self.doc_texts())
        shown = [names.get(self.theme_filter, self.theme_filter)] if self.theme_filter else []
        shown += [self.row_filter] if self.row_filter != "all" else []
        shown += ["most changed first"] if self.sort_by_change else []
        self.section_list.border_title = sanitize.line(
            f"Sections ({len(self.rows)})" + "".join(f" · {part}" for part in shown)
        )

    def _diff_key(self, row: PairRow) -> tuple[str, str, str]:
        return (self.left, self.right, row.key)

    def doc_texts(self) -> tuple[str, str]:
        """The whole text of the left and right document, in the form shown."""
        assert self.session is not None
        return (self.session.text(self.left, original=self.original),
                self.session.text(self.right, original=self.original))

    def _texts(self, row: PairRow, *, original: bool | None = None) -> tuple[str, str]:
        """The text each side of ``row`` shows (as written, or normalized)."""
        assert self.session is not None
        shown = self.original if original is None else original
        return self.session.texts(self.left, self.right, row, original=shown)

    # ------------------------------------------------------------------ the current row

    def on_section_selected(self, message: SectionSelected) -> None:
        self.current = row = message.row
        self.phrase_index = None
        if row is None:
            self.shown_diff_key = None
            self.side_by_side.show_diff(None, note="no sections under this filter (t to change)")
            self.header.position = ""
            self._update_phrases()
            return
        assert self.session is not None
        a_doc, b_doc = self.session.document(self.left), self.session.document(self.right)
        self.side_by_side.set_titles(*row_titles(a_doc, b_doc, row, self.doc_texts()))
        index = self._row_index.get(row.key, 0)
        self.header.position = f"row {index + 1}/{len(self.rows)}"
        diff = self.session.cached_diff(self.left, self.right, row)
        if diff is not None:
            self._show_diff(row, diff)
        else:
            self._diff(row)

    @work(thread=True, group="diff", exclusive=True, exit_on_error=False)
    def _diff(self, row: PairRow) -> None:
        assert self.session is not None
        label = "diffing"
        self._progress(label, True)
        try:
            diff = self.session.diff(self.left, self.right, row)
            if not get_current_worker().is_cancelled:
                self.post_message(DiffComputed(row, diff))
        except Exception as exc:
            self.notify(sanitize.safe_str(one_line(exc)), severity="error", markup=False)
        finally:
            self._progress(label, False)

    def on_diff_computed(self, message: DiffComputed) -> None:
        if self.current is None or message.row.key != self.current.key:
            return
        self._show_diff(message.row, message.diff)

    def _show_diff(self, row: PairRow, diff: TextDiff) -> None:
        assert self.session is not None
        if self.shown_diff_key == self._diff_key(row) and self.side_by_side.diff is diff:
            self.side_by_side.set_texts(self._texts(row))  # another form: keep the place
        else:
            self.side_by_side.show_diff(diff, texts=self._texts(row))
        self.shown_diff_key = self._diff_key(row)
        self._update_phrases()
        if self._pending_offset is not None:
            side, offset = self._pending_offset
            self._pending_offset = None
            self.side_by_side.scroll_to_offset(side, offset)
        elif self._after_diff is not None:
            self.side_by_side.first_or_last_change(last=self._after_diff == "last")
        self._after_diff = None
        if self.session.start_mining():
            self._mine_phrases()
        self._prefetch(row)

    @work(thread=True, group="prefetch", exclusive=True, exit_on_error=False)
    def _prefetch(self, row: PairRow) -> None:
        if self.session is None or row.key not in self._row_index:
            return
        worker = get_current_worker()
        self.session.prefetch(
            self.left, self.right, self.rows, self._row_index[row.key],
            lambda: worker.is_cancelled,
        )

    # ------------------------------------------------------------------ phrases and overlays

    @work(thread=True, group="phrases", exit_on_error=False)
    def _mine_phrases(self) -> None:
        assert self.session is not None
        label = "mining shared phrases"
        self._progress(label, True)
        try:
            self.post_message(PhrasesComputed(self.session.mine_phrases()))
        except Exception as exc:
            self.notify(sanitize.safe_str(f"phrases: {one_line(exc)}"), severity="warning",
                        markup=False)
        finally:
            self._progress(label, False)

    def on_phrases_computed(self, _message: PhrasesComputed) -> None:
        self._update_phrases()

    def _update_phrases(self) -> None:
        """Show the current pair's shared phrases and redraw the overlays."""
        row = self.current
        panel = self.phrase_panel
        found = None
        if row is not None and self.session is not None:
            found = self.session.pair_phrases(self.left, self.right, row)
        if row is None or row.left is None or row.right is None:
            self.pair_phrases = ()
            panel.set_phrases((), note="unmatched: nothing shared")
        elif found is None:
            self.pair_phrases = ()
            panel.set_phrases((), note="mining phrases…")
        else:
            self.pair_phrases = found
            panel.set_phrases(self.pair_phrases, note="no shared phrases")
        self._redraw_overlays()

    def _redraw_overlays(self) -> None:
        row = self.current
        if row is None or self.shown_diff_key != self._diff_key(row):
            return
        left: list[RoleSpan] = []
        right: list[RoleSpan] = []
        a0, b0 = row.left_span[0], row.right_span[0]
        if self.phrase_panel.display:
            for phrase in self.pair_phrases:
                left += [(s - a0, e - a0, "phrase") for s, e in phrase.spans_a]
                right += [(s - b0, e - b0, "phrase") for s, e in phrase.spans_b]
        if self.search_forms:
            left += self._search_marks(row, 0)
            right += self._search_marks(row, 1)
        if self.phrase_index is not None and self.phrase_index < len(self.pair_phrases):
            phrase = self.pair_phrases[self.phrase_index]
            left += [(s - a0, e - a0, "phrase-current") for s, e in phrase.spans_a]
            right += [(s - b0, e - b0, "phrase-current") for s, e in phrase.spans_b]
        self.side_by_side.set_overlays(left, right)

    def _search_marks(self, row: PairRow, side: int) -> list[RoleSpan]:
        """The search hits of one side of ``row``, in both forms of its text."""
        texts = (self._texts(row, original=True)[side], self._texts(row, original=False)[side])
        return [(s, e, "search") for s, e in find_in(texts, self.search_forms, MAX_MARKS)]

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


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (its class name when it has none)."""
    text = str(exc).strip() or exc.__class__.__name__
    return text.splitlines()[0]
