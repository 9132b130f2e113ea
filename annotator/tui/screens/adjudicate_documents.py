"""The documents list of an adjudicator: per article, how many annotators finished it, how far
its disagreements are settled (open / decided), and the gold's status.

The documents screen's filter, sorting and keys, over rows read through the session's
:class:`~annotator.service.adjudicating.Adjudicating`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.service.adjudicating import Adjudicating
from annotator.service.cases import DocumentCase
from annotator.tui.screens.documents import TITLE_MIN, Column, DocumentsScreen
from annotator.tui.session import Session
from annotator.tui.widgets.status_line import STATUS_TEXT

COLUMNS = (
    Column("id", "#", "number"),
    Column("title", "Title", "title"),
    Column("finished", "Finished by", "annotators who finished"),
    Column("open", "Open", "open disagreements"),
    Column("decided", "Decided", "decided disagreements"),
    Column("gold", "Gold", "gold status"),
)


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One document as the adjudicator's list shows it."""

    document_id: int
    external_id: str
    title: str
    finished: int
    open: int
    decided: int
    status: str


def gold_rows(cases: Iterable[DocumentCase]) -> list[GoldRow]:
    rows = []
    for case in cases:
        doc, tally = case.document, case.tally
        rows.append(
            GoldRow(
                doc.id,
                doc.external_id,
                doc.title,
                len(case.counted),
                tally.open,
                tally.decided,
                STATUS_TEXT[case.status],
            )
        )
    return rows


def table_row(row: GoldRow) -> tuple[Text, ...]:
    """The cells of one document's row, in the order of :data:`COLUMNS`."""
    return (
        Text(str(row.document_id), justify="right"),
        Text(printable(row.title or row.external_id), no_wrap=True, overflow="ellipsis"),
        Text(str(row.finished), justify="right"),
        Text(str(row.open), justify="right", style="bold yellow" if row.open else ""),
        Text(str(row.decided), justify="right"),
        Text(row.status),
    )


def sort_value(row: GoldRow, key: str) -> tuple[object, ...]:
    values: dict[str, object] = {
        "id": row.document_id,
        "title": row.title.casefold(),
        "finished": row.finished,
        "open": row.open,
        "decided": row.decided,
        "gold": ("todo", "in progress", "done").index(row.status),
    }
    return (values[key], row.document_id)


def matches(row: GoldRow, query: str) -> bool:
    """Case-insensitive match on title, external id or the number."""
    if not query:
        return True
    needle = query.casefold()
    return (
        needle in row.title.casefold()
        or needle in row.external_id.casefold()
        or needle == str(row.document_id)
    )


class AdjudicationDocumentsScreen(DocumentsScreen):
    """The list of articles; an adjudicator's home screen."""

    class GoldLoaded(Message):
        """Every document's standing for the adjudicator, read in a worker."""

        def __init__(self, rows: list[GoldRow]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        if not isinstance(session.annotating, Adjudicating):
            raise TypeError("the adjudicator's documents list needs an adjudicator's session")
        self.judge: Adjudicating = session.annotating
        self.rows: list[GoldRow] = []

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def reload(self) -> None:
        """Read every document's disagreements again, off the UI thread."""
        self.session.writer.settle()  # coming back from adjudicating: count the last change
        self.post_message(self.GoldLoaded(gold_rows(self.judge.iter_cases())))

    @on(GoldLoaded)
    def _gold_loaded(self, message: GoldLoaded) -> None:
        self.rows = message.rows
        self.refresh_table()

    def refresh_table(self) -> None:
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        selected = self._selected_id()
        query = self.query_one("#filter", Input).value.strip()
        rows = [row for row in self.rows if matches(row, query)]
        rows.sort(key=lambda r: sort_value(r, self.sort_key), reverse=self.sort_reverse)
        cells = [table_row(row) for row in rows]
        # The documents screen's columns are not ours: build ours afresh each time.
        table.clear(columns=True)
        for column in COLUMNS:
            table.add_column(self._header(column), key=column.key)
        self._widths = {
            column.key: max([self._header(column).cell_len, *(line[i].cell_len for line in cells)])
            for i, column in enumerate(COLUMNS)
        }
        for row, line in zip(rows, cells, strict=True):
            table.add_row(*line, key=str(row.document_id))
        self._fit_columns()
        if selected is not None:
            ids = [row.document_id for row in rows]
            if selected in ids:
                table.move_cursor(row=ids.index(selected), animate=False)
        summary = self.query_one("#documents-summary", Static)
        if not self.rows:
            summary.update("No documents yet: add some with `annotator import PATH`")
            return
        still = sum(row.open for row in self.rows)
        done = sum(1 for row in self.rows if row.status == "done")
        summary.update(
            f"{len(rows)} of {plural(len(self.rows), 'document')} ·"
            f" {plural(still, 'disagreement')} open · gold done on {done} ·"
            f" sorted by {self._column(self.sort_key).name}"
            f"{' (descending)' if self.sort_reverse else ''} · Enter opens"
        )

    def _fit_columns(self) -> None:
        """As the documents screen does, over this screen's columns."""
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        if not table.size.width or not self._widths or "gold" not in self._widths:
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

    def action_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = False
        self.refresh_table()
