"""The documents screen: every article with its size and this reviewer's progress.

A filter box narrows the table by title or id, a column header (or ``s``) sorts it, Enter opens
the highlighted article. Titles come from imported files and are shown as plain text.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from annotator.store.dto import Progress

if TYPE_CHECKING:
    from annotator.tui.app import AnnotatorApp

STATUS_TEXT = {"todo": "todo", "in_progress": "in progress", "done": "done"}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool


COLUMNS = (
    Column("id", "#", True),
    Column("title", "Title", False),
    Column("words", "Words", True),
    Column("sentences", "Sentences", True),
    Column("classified", "Classified", True),
    Column("spans", "Spans", True),
    Column("status", "Status", False),
)


def shown_status(progress: Progress) -> str:
    """``in progress`` once anything is annotated, even before the status was set."""
    if progress.status == "todo" and (progress.classified or progress.spans):
        return STATUS_TEXT["in_progress"]
    return STATUS_TEXT[progress.status]


def sort_value(progress: Progress, key: str) -> tuple[object, ...]:
    doc = progress.document
    values: dict[str, object] = {
        "id": doc.id,
        "title": doc.title.casefold(),
        "words": doc.n_words,
        "sentences": doc.n_segments,
        "classified": progress.classified / doc.n_segments if doc.n_segments else 0.0,
        "spans": progress.spans,
        "status": ("todo", "in progress", "done").index(shown_status(progress)),
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


class DocumentsScreen(Screen[None]):
    """The list of articles; the app's home screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so that the keys typed right after "f" or "/" reach the filter box.
        Binding(
            "f", "filter", "Filter", priority=True, id="filter", tooltip="Type to narrow the list"
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            show=False,
            priority=True,
            id="filter-slash",
            tooltip="Type to narrow the list",
        ),
        Binding("s", "sort", "Sort", id="sort", tooltip="Sort by the next column"),
        Binding("i", "app.agreement", "Agreement", id="agreement", tooltip="Agreement report"),
        Binding("q", "app.quit", "Quit", id="quit-documents", tooltip="Quit"),
        Binding(
            "escape", "focus_table", show=False, id="leave-filter", tooltip="Back to the table"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.progress: list[Progress] = []
        self.sort_key = "id"
        self.sort_reverse = False

    @property
    def annotator_app(self) -> AnnotatorApp:
        return cast("AnnotatorApp", self.app)

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
        if not self.annotator_app.config.animations:
            self.query_one("#filter", Input).cursor_blink = False
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "filter":
            return not isinstance(self.focused, Input)
        return True

    # data ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the progress table again, off the UI thread."""
        app = self.annotator_app
        app.run_worker(self._load(), group="documents", exclusive=True, exit_on_error=False)

    async def _load(self) -> None:
        app = self.annotator_app
        await app.writer.settled()  # coming back from annotating: count the last change too
        self.progress = await asyncio.to_thread(app.repo.progress, app.annotator)
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
        for progress in rows:
            doc = progress.document
            table.add_row(
                Text(str(doc.id), justify="right"),
                Text(doc.title or doc.external_id, no_wrap=True, overflow="ellipsis"),
                Text(str(doc.n_words), justify="right"),
                Text(str(doc.n_segments), justify="right"),
                Text(f"{progress.classified}/{doc.n_segments}", justify="right"),
                Text(str(progress.spans), justify="right"),
                Text(shown_status(progress)),
                key=str(doc.id),
            )
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
            f"{len(rows)} of {len(self.progress)} documents · {done} done · "
            f"sorted by {self._column(self.sort_key).label.lower()}"
            f"{' (descending)' if self.sort_reverse else ''} · Enter opens"
        )

    def _header(self, column: Column) -> Text:
        arrow = ""
        if column.key == self.sort_key:
            arrow = " ▼" if self.sort_reverse else " ▲"
        return Text(column.label + arrow)

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
            self.annotator_app.open_document(int(event.row_key.value))
