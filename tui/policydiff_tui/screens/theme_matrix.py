"""Themes × documents: how many sections of each document are about each theme.

Pick a cell to compare: Enter shows the current left document against the document of that
column, filtered to the theme of that row; ``a`` makes the column's document the left one first.
Columns are headed by ``Document.tag`` (``d30 云南``) and scroll sideways over every document,
the theme column staying in place; titles that say more than the labels are listed under the
table.
``s`` sorts the themes by the cursor column's counts (again: back to the taxonomy's order),
``c`` the documents by the cursor row's counts (again: back to reading order).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Label, Static

from policydiff.comparison import Comparison
from policydiff.labels import informative_title
from policydiff_tui import sanitize


class ThemeMatrixScreen(Screen[tuple[str | None, str, str] | None]):
    """Dismisses with ``(theme id, left doc, right doc)`` or ``None`` (Escape)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,m", "dismiss(None)", "Back"),
        Binding("enter", "compare", "Compare with left", priority=True),
        Binding("a", "make_left", "Make left"),
        Binding("s", "sort_themes", "Sort themes"),
        Binding("c", "sort_documents", "Sort documents"),
    ]

    def __init__(self, comparison: Comparison, left: str, right: str) -> None:
        super().__init__(id="theme-matrix")
        self.comparison = comparison
        self.left = left
        self.right = right
        self.matrix = list(comparison.theme_matrix())  # sorted here: a copy
        self.theme_order = [theme for theme, _cells in self.matrix]
        self.doc_ids = [d.id for d in comparison.documents]
        self.sorted_by: tuple[str, str] | None = None
        """``("themes", doc id)`` or ``("documents", theme id)`` when sorted."""

    def compose(self) -> ComposeResult:
        with Vertical(id="matrix-box"):
            yield Label(sanitize.line(""), id="matrix-help")
            yield DataTable(id="matrix", cursor_type="cell", zebra_stripes=True,
                            fixed_columns=1)
            yield Static(id="matrix-docs")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._fill(table)
        parts: list[Content | str] = []
        docs = self.comparison.documents
        for doc in docs:
            # only a title that says what the column head does not (labels.informative_title)
            title = informative_title(doc, docs)
            if not title:
                continue
            parts += ["   " if parts else "", sanitize.truncate(sanitize.line(doc.tag), 20), " ",
                      sanitize.truncate(sanitize.line(title), 40)]
        self.query_one("#matrix-docs", Static).update(sanitize.join(parts))
        column = self.doc_ids.index(self.right) + 1 if self.right in self.doc_ids else 1
        table.move_cursor(row=0, column=column)
        table.focus()

    def _fill(self, table: DataTable[object]) -> None:
        table.clear(columns=True)
        table.add_column("theme", key="theme")
        for doc_id in self.doc_ids:
            mark = " ◀" if doc_id == self.left else " ▶" if doc_id == self.right else ""
            head = self.comparison.document(doc_id).tag[:12] + mark
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
                "a: make this column the left document; s / c: sort themes by this column / "
                "documents by this row."
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

    def action_sort_themes(self) -> None:
        """Sort the themes by the cursor column's counts, most first (again: the taxonomy's
        order)."""
        _theme, doc = self._cell()
        if doc is None:
            return
        if self.sorted_by == ("themes", doc):
            self.sorted_by = None
            self.matrix.sort(key=lambda item: self.theme_order.index(item[0]))
        else:
            self.sorted_by = ("themes", doc)
            self.matrix.sort(key=lambda item: -len(item[1].get(doc, [])))
        self._refill()

    def action_sort_documents(self) -> None:
        """Sort the documents by the cursor row's counts, most first (again: reading order)."""
        theme, _doc = self._cell()
        if theme is None:
            return
        cells = dict(self.matrix)[theme]
        if self.sorted_by == ("documents", theme):
            self.sorted_by = None
            self.doc_ids = [d.id for d in self.comparison.documents]
        else:
            self.sorted_by = ("documents", theme)
            self.doc_ids.sort(key=lambda d: -len(cells.get(d, [])))
        self._refill()

    def _refill(self) -> None:
        table = self.query_one(DataTable)
        coordinate = table.cursor_coordinate
        self._fill(table)
        table.move_cursor(row=coordinate.row, column=coordinate.column)

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
