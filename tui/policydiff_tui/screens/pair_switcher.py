"""Choose the two documents to compare, among the pairs of the comparison.

Each pair shows its overall similarity once its alignment is known; alignments not yet
computed are computed here in a worker, one after another, and fill in as they finish.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from policydiff_tui import sanitize
from policydiff_tui.session import ViewerSession


class PairSwitcherScreen(ModalScreen[tuple[str, str] | None]):
    """Dismisses with ``(left, right)`` document ids, or ``None`` when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, session: ViewerSession, current: tuple[str, str]) -> None:
        super().__init__(id="pair-switcher")
        self.session = session
        self.current = current
        self.pairs = list(session.comparison.pairs)
        if current not in self.pairs and (current[1], current[0]) not in self.pairs:
            self.pairs.insert(0, current)
        self.similarities: dict[tuple[str, str], float] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(sanitize.line("Compare which two documents? (Enter: open, Esc: close)"))
            yield OptionList(
                *(Option(self._prompt(pair), id=f"{pair[0]}|{pair[1]}") for pair in self.pairs),
                id="pair-options",
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        flipped = (self.current[1], self.current[0])
        for index, pair in enumerate(self.pairs):
            if pair in (self.current, flipped):
                options.highlighted = index
        options.focus()
        self._measure()

    def _prompt(self, pair: tuple[str, str]) -> Content:
        a, b = (self.session.document(d) for d in pair)
        sim = self.similarities.get(pair)
        figure = f"{sim:4.0%}" if sim is not None else "  … "
        return sanitize.join(
            [
                figure,
                "  ",
                f"{a.id} ",
                sanitize.truncate(sanitize.line(a.name), 30),
                "  ⇄  ",
                f"{b.id} ",
                sanitize.truncate(sanitize.line(b.name), 30),
            ]
        )

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _measure(self) -> None:
        worker = get_current_worker()
        for pair in self.pairs:
            if worker.is_cancelled:
                return
            self.similarities[pair] = self.session.similarity(*pair)
            self.app.call_from_thread(self._update, pair)

    def _update(self, pair: tuple[str, str]) -> None:
        if not self.is_attached:  # closed while the worker ran
            return
        options = self.query_one(OptionList)
        options.replace_option_prompt(f"{pair[0]}|{pair[1]}", self._prompt(pair))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        left, _, right = (event.option.id or "").partition("|")
        self.dismiss((left, right))
