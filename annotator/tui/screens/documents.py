"""The documents screen: every article with its size and this reviewer's progress.

A filter box narrows the table by title or id, a column header (or ``s``) sorts it, Enter opens
the highlighted article. Titles come from imported files and are shown as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import DataTable, Footer, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.tui import bindings
from annotator.tui.screens.base import SessionScreen
from annotator.tui.session import Session
from annotator.tui.widgets.status_line import shown_status

if TYPE_CHECKING:
    from annotator.store.dto import Progress


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    name: str
    """What the summary line calls it: ``sorted by words``."""


# The number of sentences is the denominator of "Classified", so it has no column of its own:
# at 80 columns every column fits beside a readable title.
COLUMNS = (
    Column("id", "#", "number"),
    Column("title", "Title", "title"),
    Column("words", "Words", "words"),
    Column("classified", "Classified", "classified"),
    Column("spans", "Spans", "spans"),
    Column("status", "Status", "status"),
)
TITLE_MIN = 16
"""The title column's narrowest width; it takes whatever the other columns leave."""


def table_row(progress: Progress) -> tuple[Text, ...]:
    """The cells of one document's row, in the order of :data:`COLUMNS`."""
    doc = progress.document
    return (
        Text(str(doc.id), justify="right"),
        Text(printable(doc.title or doc.external_id), no_wrap=True, overflow="ellipsis"),
        Text(str(doc.n_words), justify="right"),
        Text(f"{progress.classified}/{doc.n_segments}", justify="right"),
        Text(str(progress.spans), justify="right"),
        Text(progress_status(progress)),
    )


def progress_status(progress: Progress) -> str:
    return shown_status(progress.status, annotated=bool(progress.classified or progress.spans))


def sort_value(progress: Progress, key: str) -> tuple[object, ...]:
    doc = progress.document
    values: dict[str, object] = {
        "id": doc.id,
        "title": doc.title.casefold(),
        "words": doc.n_words,
        "classified": progress.classified / doc.n_segments if doc.n_segments else 0.0,
        "spans": progress.spans,
        "status": ("todo", "in progress", "done").index(progress_status(progress)),
    }
    return (values[key], doc.id)


def matches(progress: Progress, query: str) -> bool:
    """Case-insensitive match on title, external id or the number."""
    if not query:
        return True
    needle = query.casefold()
    doc = progress.document
    return (
        needle in doc.title.casefold()
        or needle in doc.external_id.casefold()
        or needle == str(doc.id)
    )


class DocumentsScreen(SessionScreen):
    """The list of articles; the app's home screen."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.DOCUMENTS)

    class Open(Message):
        """The reviewer chose a document to annotate (the app opens it)."""

        def __init__(self, document_id: int) -> None:
            super().__init__()
            self.document_id = document_id

    class Loaded(Message):
        """The reviewer's progress on every document, read in a worker."""

        def __init__(self, progress: list[Progress]) -> None:
            super().__init__()
            self.progress = progress

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.progress: list[Progress] = []
        self.sort_key = "id"
        self.sort_reverse = False
        self._widths: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter by title or id  (/ or f)", id="filter")
        table: DataTable[Text | str | int] = DataTable(id="documents", cursor_type="row")
        table.zebra_stripes = True
        yield table
        yield Static(id="documents-summary", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#documents", DataTable)
        for column in COLUMNS:
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

    # data ---------------------------------------------------------------------------------

    def action_refresh_documents(self) -> None:
        """Read the table again: another terminal or a merge may have changed it."""
        self.reload()

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def reload(self) -> None:
        """Read the progress table again, off the UI thread."""
        session = self.session
        session.writer.settle()  # coming back from annotating: count the last change too
        self.post_message(self.Loaded(session.repo.progress(session.reviewer)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.progress = message.progress
        self.refresh_table()

    def shown_rows(self) -> list[Progress]:
        query = self.query_one("#filter", Input).value.strip()
        rows = [p for p in self.progress if matches(p, query)]
        rows.sort(key=lambda p: sort_value(p, self.sort_key), reverse=self.sort_reverse)
        return rows

    def refresh_table(self) -> None:
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        selected = self._selected_id()
        table.clear()
        for column in COLUMNS:
            table.columns[column.key].label = self._header(column)  # type: ignore[index]
        rows = self.shown_rows()
        cells = [table_row(progress) for progress in rows]
        self._widths = {
            column.key: max(
                [self._header(column).cell_len, *(row[index].cell_len for row in cells)]
            )
            for index, column in enumerate(COLUMNS)
        }
        for progress, row in zip(rows, cells, strict=True):
            table.add_row(*row, key=str(progress.document.id))
        self._fit_columns()
        table.refresh()
        if selected is not None:
            ids = [p.document.id for p in rows]
            if selected in ids:
                table.move_cursor(row=ids.index(selected), animate=False)
        done = sum(1 for p in self.progress if p.status == "done")
        summary = self.query_one("#documents-summary", Static)
        if not self.progress:
            summary.update(
                "No documents yet: add some with `annotator import PATH`, then come back"
            )
            return
        summary.update(
            f"{len(rows)} of {plural(len(self.progress), 'document')} · {done} done · "
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
        (titles are cut with an ellipsis), so that the status column shows at 80 columns.

        Set here rather than left to the table: the table measures new rows only after the
        next refresh, too late to know what the title may take.
        """
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        if not table.size.width or not self._widths:
            return
        padding = 2 * table.cell_padding
        others = sum(width + padding for key, width in self._widths.items() if key != "title")
        room = table.size.width - others - padding - table.styles.scrollbar_size_vertical
        for column in COLUMNS:
            width = self._widths[column.key]
            if column.key == "title":
                width = max(TITLE_MIN, min(width, room))
            found = table.columns[ColumnKey(column.key)]
            found.width, found.auto_width = width, False
        table.refresh(layout=True)

    @staticmethod
    def _column(key: str) -> Column:
        return next(column for column in COLUMNS if column.key == key)

    def _selected_id(self) -> int | None:
        table = self.query_one("#documents", DataTable)
        if table.row_count == 0:
            return None
        try:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        except Exception:  # the cursor is outside the rows after a clear
            return None
        return int(row_key.value) if row_key.value is not None else None

    # actions ------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_focus_table(self) -> None:
        self.set_focus(self.query_one("#documents", DataTable))

    def action_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
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
