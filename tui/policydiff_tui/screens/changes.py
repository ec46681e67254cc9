"""The change report of the pair on screen: targets, new, dropped and renamed formulations,
and the sentences that moved from one section pair to another.

Built by the core (``policydiff.changes.build.change_report``, the report ``policydiff compare``
writes as ``changes-dA-dB``), for the left document as the old one and the right as the new,
in a worker (it takes a few seconds on two national reports). Each entry shows its text and
its ``file:line``; choosing one jumps to its place (a target's new figure, else its old one; a
new or renamed formulation in the right document, a dropped one in the left).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from policydiff_tui import sanitize
from policydiff_tui.session import CrossMove, Place

if TYPE_CHECKING:
    from policydiff.changes.model import ChangeReport
    from policydiff.model import Document
    from policydiff_tui.session import ViewerSession


def report_items(
    report: ChangeReport, left: Document, right: Document,
    shown: tuple[str, str] | None = None,
) -> list[tuple[Content, Place | None]]:
    """The lines of the panel: a heading line (no place) per part, then its entries.
    ``shown``: the two documents' text as shown (as written, same offsets): a formulation is
    quoted from there, at its span (``Entry.span``: a Hong Kong report's 議員, not 议员)."""
    items: list[tuple[Content, Place | None]] = []
    texts = {"left": shown[0] if shown else left.text, "right": shown[1] if shown else right.text}

    def written(text: str, place: Place | None) -> str:
        if place is None:
            return text
        return texts[place.side][place.offset : place.offset + len(text)] or text

    def heading(text: str) -> None:
        items.append((sanitize.line(text, "bold"), None))

    def line(text: str, where: str, place: Place | None) -> None:
        items.append((sanitize.join([sanitize.truncate(sanitize.line(text), 70), "  ",
                                     sanitize.line(where, "dim")]), place))

    heading(f"Targets ({len(report.indicators)})")
    for ind in report.indicators:
        old = ind.old.value if ind.old else "—"
        new = ind.new.value if ind.new else "—"
        figure = ind.new or ind.old
        assert figure is not None
        side = "right" if ind.new is not None else "left"
        line(f"{ind.name}: {old} → {new} ({ind.direction})", figure.citation.where,
             Place(side, figure.span[0]))
    for title, entries, side in (
        ("New formulations", report.new_formulations, "right"),
        ("Dropped formulations", report.dropped_formulations, "left"),
    ):
        heading(f"{title} ({len(entries)})")
        for entry in entries:
            place = Place(side, entry.span[0])
            line(written(entry.text, place), entry.citation.where, place)
    heading(f"Renamed ({len(report.renamed)})")
    for renamed in report.renamed:
        place = Place("right", renamed.new.span[0])
        old = written(renamed.old.text, Place("left", renamed.old.span[0]))
        line(f"{old} → {written(renamed.new.text, place)}", renamed.new.citation.where, place)
    return items


class ChangeReportScreen(ModalScreen[Place | None]):
    """Dismisses with the ``Place`` of the chosen entry, or ``None`` (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,x", "dismiss(None)", "Close")]

    def __init__(
        self, session: ViewerSession, left: str, right: str,
        shown: tuple[str, str] | None = None,
    ) -> None:
        """``shown``: the two documents' text in the form on screen (see ``report_items``)."""
        super().__init__(id="changes")
        self.shown = shown
        self.session = session
        self.comparison = session.comparison
        self.left = left
        self.right = right
        self.places: list[Place | None] = []
        self.report: ChangeReport | None = None
        self.moves: list[CrossMove] = []

    def compose(self) -> ComposeResult:
        left, right = self.comparison.document(self.left), self.comparison.document(self.right)
        with Vertical(classes="dialog", id="changes-box"):
            yield Label(sanitize.line(
                f"Changes {left.tag} → {right.tag} (Enter: go there, Esc: close)"
            ))
            yield OptionList(id="change-items", markup=False)

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.set_options([Option(sanitize.line("computing the change report…"),
                                    disabled=True)])
        options.focus()
        self._build()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _build(self) -> None:
        try:
            self.moves = self.session.cross_moves(self.left, self.right)
            report = self.session.change_report(self.left, self.right)
        except Exception as exc:  # shown, not raised
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self._show, report)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one(OptionList).set_options(
                [Option(sanitize.line(f"no change report: {message}"), disabled=True)]
            )

    def _show(self, report: ChangeReport) -> None:
        if not self.is_attached:
            return
        self.report = report
        left, right = self.comparison.document(self.left), self.comparison.document(self.right)
        items = report_items(report, left, right, self.shown)
        items.append((sanitize.line(f"Moves across sections ({len(self.moves)})", "bold"), None))
        for move in self.moves:
            text = move.text
            if self.shown is not None:
                text = self.shown[1][move.new.offset : move.new.offset + len(text)] or text
            items.append((sanitize.join([
                sanitize.truncate(sanitize.line(text), 60), "  ",
                sanitize.line(f"{move.from_section} → {move.to_section}", "dim"),
            ]), move.new))
        self.places = [place for _content, place in items]
        options = self.query_one(OptionList)
        options.set_options(
            [Option(content, disabled=place is None) for content, place in items]
        )
        first = next((k for k, place in enumerate(self.places) if place is not None), None)
        options.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        place = self.places[event.option_index] if event.option_index < len(self.places) else None
        if place is not None:
            self.dismiss(place)
