"""Themes × documents: how many sections of each document are about each theme.

Pick a cell to compare: Enter shows the current left document against the document of that
column, filtered to the theme of that row; ``a`` makes the column's document the left one first.
Column labels are document ids (``d1`` …); titles are listed under the table.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from policydiff.comparison import Comparison
from policydiff_tui import sanitize


class ThemeMatrixScreen(Screen[tuple[str | None, str, str] | None]):
    """Dismisses with ``(theme id, left doc, right doc)`` or ``None`` (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m", "dismiss(None)", "Back"),
        Binding("enter", "compare", "Compare with left", priority=True),
        Binding("a", "make_left", "Make left"),
    ]

    def __init__(self, comparison: Comparison, left: str, right: str) -> None:
        super().__init__(id="theme-matrix")
        self.comparison = comparison
        self.left = left
        self.right = right
        self.matrix = comparison.theme_matrix()
        self.doc_ids = [d.id for d in comparison.documents]

    def compose(self) -> ComposeResult:
        with Vertical(id="matrix-box"):
            yield Label(sanitize.line(""), id="matrix-help")
            yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True)
            yield Static(id="matrix-docs")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._fill(table)
        docs = sanitize.join(
            [
                part
                for doc in self.comparison.documents
                for part in (
                    f"{doc.id}  ",
                    sanitize.truncate(sanitize.line(doc.name), 20),
                    "  ",
                    sanitize.truncate(sanitize.line(doc.title), 50)
                    if doc.title not in (doc.label, doc.file_stem) else "",
                    "\n",
                )
            ]
        )
        self.query_one("#matrix-docs", Static).update(docs)
        column = self.doc_ids.index(self.right) + 1 if self.right in self.doc_ids else 1
        table.move_cursor(row=0, column=column)
        table.focus()

    def _fill(self, table: DataTable[object]) -> None:
        table.clear(columns=True)
        table.add_column("theme", key="theme")
        for doc_id in self.doc_ids:
            mark = " ◀" if doc_id == self.left else " ▶" if doc_id == self.right else ""
            label = self.comparison.document(doc_id).label[:8]
            head = f"{doc_id} {label}{mark}" if label else f"{doc_id}{mark}"
            table.add_column(sanitize.rich_text(head), key=doc_id)
        names = {t.id: t.name for t in self.comparison.themes}
        for theme, cells in self.matrix:
            counts = [len(cells.get(d, [])) for d in self.doc_ids]
            row = [sanitize.rich_text(names.get(theme, theme))]
            row += [sanitize.rich_text(str(n) if n else "·") for n in counts]
            table.add_row(*row, key=theme)
        self.query_one("#matrix-help", Label).update(
            sanitize.line(
                f"Sections per theme. Left document: {self.left}. "
                "Enter: compare the left document with this column's, on this theme; "
                "a: make this column the left document."
            )
        )

    def _cell(self) -> tuple[str | None, str | None]:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        theme = self.matrix[row][0] if 0 <= row < len(self.matrix) else None
        doc = self.doc_ids[column - 1] if 1 <= column <= len(self.doc_ids) else None
        return theme, doc

    def action_compare(self) -> None:
        """Compare the left document with the cell's document, filtered to the cell's theme."""
        theme, doc = self._cell()
        if doc is None or doc == self.left:
            doc = self.right
        self.dismiss((theme, self.left, doc))

    def action_make_left(self) -> None:
        """Make the cell's document the left one."""
        _theme, doc = self._cell()
        if doc is None or doc == self.left:
            return
        if doc == self.right:
            self.right = self.left
        self.left = doc
        table = self.query_one(DataTable)
        coordinate = table.cursor_coordinate
        self._fill(table)
        table.move_cursor(row=coordinate.row, column=coordinate.column)
