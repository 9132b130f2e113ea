"""The documents screen: every article with its size and this reviewer's progress.

A filter box narrows the table by title or id, a column header (or ``s``) sorts it, Enter opens
the highlighted article (all of it shared with the adjudicator's list, in
:mod:`~annotator.tui.screens.document_table`). Titles come from imported files and are shown as
plain text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from annotator.core.text import printable
from annotator.tui.screens.document_table import Column, DocumentTableScreen
from annotator.tui.widgets.status_line import shown_status

if TYPE_CHECKING:
    from annotator.store.dto import Progress

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


def progress_status(progress: Progress) -> str:
    return shown_status(progress.status, annotated=bool(progress.classified or progress.spans))


class DocumentsScreen(DocumentTableScreen["Progress"]):
    """The list of articles; the app's home screen."""

    COLUMNS = COLUMNS
    EMPTY = "No documents yet: add some with `annotator import PATH`, then come back"

    class Loaded(DocumentTableScreen.Loaded["Progress"]):
        """The reviewer's progress on every document, read in a worker (the store is open)."""

    @property
    def progress(self) -> list[Progress]:
        """The reviewer's progress on every document, as last read."""
        return self.rows

    def on_mount(self) -> None:
        self.set_up_table()

    def read_rows(self) -> list[Progress]:
        return self.session.repo.progress(self.session.reviewer)

    def row_id(self, row: Progress) -> int:
        return row.document.id

    def table_row(self, row: Progress) -> tuple[Text, ...]:
        doc = row.document
        return (
            Text(str(doc.id), justify="right"),
            Text(printable(doc.title or doc.external_id), no_wrap=True, overflow="ellipsis"),
            Text(str(doc.n_words), justify="right"),
            Text(f"{row.classified}/{doc.n_segments}", justify="right"),
            Text(str(row.spans), justify="right"),
            Text(progress_status(row)),
        )

    def sort_value(self, row: Progress, key: str) -> tuple[object, ...]:
        doc = row.document
        values: dict[str, object] = {
            "id": doc.id,
            "title": doc.title.casefold(),
            "words": doc.n_words,
            "classified": row.classified / doc.n_segments if doc.n_segments else 0.0,
            "spans": row.spans,
            "status": ("todo", "in progress", "done").index(progress_status(row)),
        }
        return (values[key], doc.id)

    def row_names(self, row: Progress) -> tuple[str, str]:
        return row.document.title, row.document.external_id

    def tally(self) -> str:
        return f"{sum(1 for p in self.rows if p.status == 'done')} done"
