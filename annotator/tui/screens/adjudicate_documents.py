"""The documents list of an adjudicator: per article, who finished it and how far its
disagreements are settled (open / decided), and the gold's status.

The documents screen's filter, sorting and keys, over rows read through the rulebook's
:class:`~annotator.service.adjudicating.Adjudicating`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable, Input, Static

from annotator.service.adjudicating import Adjudicating
from annotator.service.cases import DocumentCase
from annotator.store.dto import DocumentSummary
from annotator.tui.screens.documents import STATUS_TEXT, Column, DocumentsScreen

if TYPE_CHECKING:
    from collections.abc import Iterable

TITLE_WIDTH = 60
"""Widest a column grows (titles are cut there)."""
COLUMNS = (
    Column("id", "#", True),
    Column("title", "Title", False),
    Column("sentences", "Sentences", True),
    Column("finished", "Finished by", True),
    Column("open", "Open", True),
    Column("decided", "Decided", True),
    Column("gold", "Gold", False),
)


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One document as the adjudicator's list shows it."""

    document: DocumentSummary
    finished: int
    open: int
    decided: int
    status: str


def gold_rows(cases: Iterable[DocumentCase]) -> list[GoldRow]:
    rows = []
    for case in cases:
        doc = case.document
        summary = DocumentSummary(
            doc.id, doc.external_id, doc.title, doc.sha256, len(doc.text), 0, len(doc.segments)
        )
        tally = case.tally
        rows.append(
            GoldRow(summary, len(case.counted), tally.open, tally.decided, STATUS_TEXT[case.status])
        )
    return rows


def row_sort_value(row: GoldRow, key: str) -> tuple[object, ...]:
    doc = row.document
    values: dict[str, object] = {
        "id": doc.id,
        "title": doc.title.casefold(),
        "sentences": doc.n_segments,
        "finished": row.finished,
        "open": row.open,
        "decided": row.decided,
        "gold": ("todo", "in progress", "done").index(row.status),
    }
    return (values[key], doc.id)


def row_matches(row: GoldRow, query: str) -> bool:
    if not query:
        return True
    needle, doc = query.casefold(), row.document
    return (
        needle in doc.title.casefold()
        or needle in doc.external_id.casefold()
        or needle == str(doc.id)
    )


class AdjudicationDocumentsScreen(DocumentsScreen):
    """The list of articles for an adjudicator; the app's home screen when adjudicating."""

    def __init__(self, judge: Adjudicating) -> None:
        super().__init__()
        self.judge = judge
        self.rows: list[GoldRow] = []

    async def _load(self) -> None:
        app = self.annotator_app
        await app.writer.settled()
        judge = self.judge
        self.rows = await asyncio.to_thread(lambda: gold_rows(judge.iter_cases()))
        self.refresh_table()

    def refresh_table(self) -> None:
        table: DataTable[Text | str | int] = self.query_one("#documents", DataTable)
        selected = self._selected_id()
        query = self.query_one("#filter", Input).value.strip()
        rows = [row for row in self.rows if row_matches(row, query)]
        rows.sort(key=lambda r: row_sort_value(r, self.sort_key), reverse=self.sort_reverse)
        cells = [
            [
                Text(str(row.document.id), justify="right"),
                Text(row.document.title or row.document.external_id, no_wrap=True),
                Text(str(row.document.n_segments), justify="right"),
                Text(str(row.finished), justify="right"),
                Text(str(row.open), justify="right", style="bold yellow" if row.open else ""),
                Text(str(row.decided), justify="right"),
                Text(row.status),
            ]
            for row in rows
        ]
        # Widths set here, from the cells, so the table looks the same however soon it is drawn.
        table.clear(columns=True)
        for index, column in enumerate(COLUMNS):
            header = self._header(column)
            widest = max([header.cell_len, *(line[index].cell_len for line in cells)])
            table.add_column(header, key=column.key, width=min(widest, TITLE_WIDTH))
        for row, line in zip(rows, cells, strict=True):
            table.add_row(*line, key=str(row.document.id))
        table.refresh()
        if selected is not None:
            ids = [r.document.id for r in rows]
            if selected in ids:
                table.move_cursor(row=ids.index(selected), animate=False)
        summary = self.query_one("#documents-summary", Static)
        if not self.rows:
            summary.update("No documents yet: add some with `annotator import PATH`")
            return
        still = sum(row.open for row in self.rows)
        done = sum(1 for row in self.rows if row.status == "done")
        summary.update(
            f"{len(rows)} of {len(self.rows)} documents · {still} disagreements open ·"
            f" gold done on {done} · sorted by {self._column(self.sort_key).label.lower()}"
            f"{' (descending)' if self.sort_reverse else ''} · Enter opens"
        )

    @staticmethod
    def _column(key: str) -> Column:
        return next(column for column in COLUMNS if column.key == key)

    def action_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = False
        self.refresh_table()
