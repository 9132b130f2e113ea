"""What the reviewer's and the adjudicator's documents lists share: one table of articles.

A filter box narrows the table by title or id, a column header (or ``s``) sorts it, Enter opens
the highlighted article, and the columns are sized so that a readable title and every other
column fit. A screen built on :class:`DocumentTableScreen` names its columns and says, per row,
what the cells are, how it sorts and what the filter searches, and how its rows are read (in a
worker thread, after the changes already made).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from annotator.core.wording import plural
from annotator.tui import bindings
from annotator.tui.screens.base import SessionScreen
from annotator.tui.session import Session

RowT = TypeVar("RowT")
ReadT = TypeVar("ReadT")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    name: str
    """What the summary line calls it: ``sorted by words``."""


TITLE_MIN = 16
"""The title column's narrowest width; it takes whatever the other columns leave."""


class DocumentTableScreen(SessionScreen, Generic[RowT]):
    """A sortable, filterable list of articles, one row each, that opens the chosen one.

    Deliberately without ``on_mount``: Textual calls the handler of every class that defines
    one, so each screen built on this one names its own and calls :meth:`set_up_table`.
    """

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.DOCUMENTS)
    COLUMNS: ClassVar[tuple[Column, ...]]
    """The table's columns, in order; one has the key ``title`` and takes the room left."""
    EMPTY: ClassVar[str]
    """The summary line when there is no document at all: how to add some."""

    class Open(Message):
        """The reviewer chose a document to open (the app opens it)."""

        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    class Loaded(Message, Generic[ReadT]):
        """Every document's row, read in a worker."""

        def __init__(self, rows: list[ReadT]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.rows: list[RowT] = []
        """Every document's row, as last read (the filter hides some of them)."""
        self.sort_key = "id"
        self.sort_reverse = False
        self._widths: dict[str, int] = {}

    # what a screen says about its rows --------------------------------------------------------

    def row_id(self, row: RowT) -> int:
        """The document the row stands for."""
        raise NotImplementedError

    def table_row(self, row: RowT) -> tuple[Text, ...]:
        """The row's cells, in the order of :attr:`COLUMNS`."""
        raise NotImplementedError

    def sort_value(self, row: RowT, key: str) -> tuple[object, ...]:
        """What the row sorts by when the column ``key`` is the sorted one."""
        raise NotImplementedError

    def row_names(self, row: RowT) -> tuple[str, str]:
        """The document's title and external id, which the filter searches."""
        raise NotImplementedError

    def tally(self) -> str:
        """The summary line's middle: how far the work on all the documents is."""
        raise NotImplementedError

    def read_rows(self) -> list[RowT]:
        """Every document's row, read from the store (in a worker thread)."""
        raise NotImplementedError

    # layout -----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by title or id  (/ or f)", id="filter")
        table: DataTable[Text | str | int] = DataTable(id="documents", cursor_type="row")
        table.zebra_stripes = True
        yield table
        yield Static(id="documents-summary", markup=False)
        yield Footer()

    def set_up_table(self) -> None:
        """Add the columns and focus the table: the screen's ``on_mount``."""
        table = self.query_one("#documents", DataTable)
        for column in self.COLUMNS:
            table.add_column(self._header(column), key=column.key)
        if not self.session.config.animations:
            self.query_one("#filter", Input).cursor_blink = False
        table.focus()

    def on_screen_resume(self) -> None:
        """Read the table when the screen shows: first, and back from a document.

        After the frame: the first read may open the store, and a thread importing the
        database library would hold the interpreter while this screen is being drawn.
        """
        self.call_after_refresh(self.reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter":
            return not isinstance(self.focused, Input)
        return True

    # data -------------------------------------------------------------------------------------

    def action_refresh_documents(self) -> None:
        """Read the table again: another terminal or a merge may have changed it."""
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def reload(self) -> None:
        """Read the rows again, off the UI thread."""
        self.session.writer.settle()  # coming back from a document: count the last change too
        self.post_message(self.Loaded(self.read_rows()))

    @on(Loaded)
    def _loaded(self, message: Loaded[RowT]) -> None:
        self.rows = message.rows
        self.refresh_table()

    def matches(self, row: RowT, query: str) -> bool:
        """Case-insensitive match on title, external id or the number."""
        if not query:
            return True
        needle = query.casefold()
        title, external_id = self.row_names(row)
        return (
            needle in title.casefold()
            or needle in external_id.casefold()
            or needle == str(self.row_id(row))
        )

    def shown_rows(self) -> list[RowT]:
        query = self.query_one("#filter", Input).value.strip()
        rows = [row for row in self.rows if self.matches(row, query)]
        rows.sort(key=lambda row: self.sort_value(row, self.sort_key), reverse=self.sort_reverse)
        return rows

    def refresh_table(self) -> None:
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        selected = self._selected_id()
        table.clear()
        for column in self.COLUMNS:
            table.columns[ColumnKey(column.key)].label = self._header(column)
        rows = self.shown_rows()
        cells = [self.table_row(row) for row in rows]
        self._widths = {
            column.key: max(
                [self._header(column).cell_len, *(line[index].cell_len for line in cells)]
            )
            for index, column in enumerate(self.COLUMNS)
        }
        for row, line in zip(rows, cells, strict=True):
            table.add_row(*line, key=str(self.row_id(row)))
        self._fit_columns()
        table.refresh()
        if selected is not None:
            ids = [self.row_id(row) for row in rows]
            if selected in ids:
                table.move_cursor(row=ids.index(selected), animate=False)
        summary = self.query_one("#documents-summary", Static)
        if not self.rows:
            summary.update(self.EMPTY)
            return
        summary.update(
            f"{len(rows)} of {plural(len(self.rows), 'document')} · {self.tally()} · "
            f"sorted by {self._column(self.sort_key).name}"
            f"{' (descending)' if self.sort_reverse else ''} · Enter opens"
        )

    def _header(self, column: Column) -> Text:
        """The column's name, with room for the sort arrow kept on every column (a column is
        as wide as its header was when added, so an arrow added later would be cut off)."""
        arrow = "  "
        if column.key == self.sort_key:
            arrow = " ▼" if self.sort_reverse else " ▲"
        return Text(column.label + arrow)

    def on_resize(self) -> None:
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Size every column to its widest cell and give the title what the others leave
        (titles are cut with an ellipsis), so that the last column shows at 80 columns.

        Set here rather than left to the table: the table measures new rows only after the
        next refresh, too late to know what the title may take.
        """
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        if not table.size.width or not self._widths:
            return
        padding = 2 * table.cell_padding
        others = sum(width + padding for key, width in self._widths.items() if key != "title")
        room = table.size.width - others - padding - table.styles.scrollbar_size_vertical
        for column in self.COLUMNS:
            width = self._widths[column.key]
            if column.key == "title":
                width = max(TITLE_MIN, min(width, room))
            found = table.columns[ColumnKey(column.key)]
            found.width, found.auto_width = width, False
        table.refresh(layout=True)

    def _column(self, key: str) -> Column:
        return next(column for column in self.COLUMNS if column.key == key)

    def _selected_id(self) -> int | None:
        table = self.query_one("#documents", DataTable)
        if table.row_count == 0:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # the cursor is outside the rows after a clear
            return None
        return int(row_key.value) if row_key.value is not None else None

    # actions ----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_focus_table(self) -> None:
        self.set_focus(self.query_one("#documents", DataTable))

    def action_sort(self) -> None:
        keys = [column.key for column in self.COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = False
        self.refresh_table()

    @on(DataTable.HeaderSelected)
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, False
        self.refresh_table()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refresh_table()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#documents", DataTable).focus()

    @on(DataTable.RowSelected, "#documents")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.post_message(self.Open(int(event.row_key.value)))
