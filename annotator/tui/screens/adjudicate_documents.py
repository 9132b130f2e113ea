"""The documents list of an adjudicator: per article, how many annotators finished it, how far
its disagreements are settled (open / decided), and the gold's status.

The documents screen's table, filter, sorting and keys
(:mod:`~annotator.tui.screens.document_table`), over rows read through the session's
:class:`~annotator.service.adjudicating.Adjudicating`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.service.adjudicating import Adjudicating
from annotator.service.cases import DocumentCase
from annotator.tui.screens.document_table import Column, DocumentTableScreen
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


class AdjudicationDocumentsScreen(DocumentTableScreen[GoldRow]):
    """The list of articles; an adjudicator's home screen."""

    COLUMNS = COLUMNS
    EMPTY = "No documents yet: add some with `annotator import PATH`"

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        if not isinstance(session.annotating, Adjudicating):
            raise TypeError("the adjudicator's documents list needs an adjudicator's session")
        self.judge: Adjudicating = session.annotating

    def on_mount(self) -> None:
        self.set_up_table()

    def read_rows(self) -> list[GoldRow]:
        return gold_rows(self.judge.iter_cases())

    def row_id(self, row: GoldRow) -> int:
        return row.document_id

    def row_names(self, row: GoldRow) -> tuple[str, str]:
        return row.title, row.external_id

    def table_row(self, row: GoldRow) -> tuple[Text, ...]:
        return (
            Text(str(row.document_id), justify="right"),
            Text(printable(row.title or row.external_id), no_wrap=True, overflow="ellipsis"),
            Text(str(row.finished), justify="right"),
            Text(str(row.open), justify="right", style="bold yellow" if row.open else ""),
            Text(str(row.decided), justify="right"),
            Text(row.status),
        )

    def sort_value(self, row: GoldRow, key: str) -> tuple[object, ...]:
        values: dict[str, object] = {
            "id": row.document_id,
            "title": row.title.casefold(),
            "finished": row.finished,
            "open": row.open,
            "decided": row.decided,
            "gold": ("todo", "in progress", "done").index(row.status),
        }
        return (values[key], row.document_id)

    def tally(self) -> str:
        still = sum(row.open for row in self.rows)
        done = sum(1 for row in self.rows if row.status == "done")
        return f"{plural(still, 'disagreement')} open · gold done on {done}"
