"""Bulk import: many documents, their segments, statuses and annotations in one transaction.

Rows go in a batch of documents at a time, never through the ORM unit of work. On SQLite,
documents are inserted with a Core ``insert()`` executemany whose ``RETURNING`` gives their
ids in parameter order; segments, annotations and statuses, the bulk of the rows, go in as a
plain executemany of tuples. On PostgreSQL, document ids are drawn from the table's sequence
and every table is filled with ``COPY``. Documents arrive checked
(``annotator.service.checks.check_new_document``); the caller's transaction makes the whole
import all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql import FromClause

from annotator.core.scheme import Scheme
from annotator.core.text import word_count
from annotator.store.dto import ImportResult, NewDocument
from annotator.store.errors import DuplicateDocument
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentRow,
    DocumentStatusRow,
    SegmentRow,
)

BATCH = 1000
"""Documents validated and written per round of inserts."""
LOOKUP_CHUNK = 500
"""Values per ``IN (...)`` lookup, well below every backend's parameter limit."""


DOCUMENT_COLUMNS = (
    "id",
    "external_id",
    "title",
    "text",
    "sha256",
    "meta",
    "n_chars",
    "n_words",
    "n_segments",
    "created_at",
)
SEGMENT_COLUMNS = ("document_id", "index", "start", "end")
ANNOTATION_COLUMNS = (
    "document_id",
    "annotator_id",
    "layer",
    "label",
    "start",
    "end",
    "segment",
    "attrs",
    "origin",
    "provenance",
    "created_at",
    "updated_at",
)
STATUS_COLUMNS = ("document_id", "annotator_id", "status", "updated_at")


class RowWriter:
    """Rows of fixed columns written with one plain DBAPI executemany (``COPY`` on PostgreSQL).

    Segments and annotations are the bulk of an import (hundreds of thousands of rows).
    SQLAlchemy's executemany processes every parameter of every row; here each value is
    converted once with the column type's own bind processor for this database (``bind``),
    and values shared by all rows, such as the import's timestamp, are converted only once.
    """

    def __init__(self, connection: Connection, table: FromClause, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        quote = dialect.identifier_preparer.quote
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._connection = connection
        self._processors = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in columns
        }
        table_name = quote(str(getattr(table, "name", "")))
        names = ", ".join(quote(name) for name in columns)
        marks = ", ".join([mark] * len(columns))
        self.sql = f"INSERT INTO {table_name} ({names}) VALUES ({marks})"
        self._copy: str | None = (
            f"COPY {table_name} ({names}) FROM STDIN"
            if dialect.name == "postgresql" and dialect.driver == "psycopg"
            else None
        )

    @property
    def copies(self) -> bool:
        """Whether rows go in with PostgreSQL's ``COPY``."""
        return self._copy is not None

    def bind(self, column: str, value: Any) -> Any:
        """``value`` as the database driver takes it for ``column``."""
        processor = self._processors[column]
        return value if processor is None else processor(value)

    def write(self, rows: list[tuple[Any, ...]]) -> None:
        if self._copy is not None:
            # PostgreSQL: COPY streams the rows in one command, some twenty times faster
            # than executemany; it runs on the connection, so inside the same transaction.
            driver: Any = self._connection.connection.dbapi_connection
            with driver.cursor() as cursor, cursor.copy(self._copy) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        self._connection.exec_driver_sql(self.sql, rows)


class BulkImport:
    """One import run on an open connection whose transaction the caller owns."""

    def __init__(
        self, connection: Connection, scheme: Scheme, *, now: datetime, provenance: str | None
    ) -> None:
        self._connection = connection
        self._scheme = scheme
        self._now = now
        self._provenance = provenance
        self._annotators: dict[str, int] = dict(
            connection.execute(select(AnnotatorRow.name, AnnotatorRow.id)).all()
        )
        self._segment_writer = RowWriter(connection, SegmentRow.__table__, SEGMENT_COLUMNS)
        self._annotation_writer = RowWriter(connection, AnnotationRow.__table__, ANNOTATION_COLUMNS)
        self._status_writer = RowWriter(connection, DocumentStatusRow.__table__, STATUS_COLUMNS)
        self._document_writer = RowWriter(connection, DocumentRow.__table__, DOCUMENT_COLUMNS)
        self._segment_layers = frozenset(layer.name for layer in scheme.segment_layers)
        self._machines: set[str] = set()
        """Annotators this run made machines, as long as they bring only suggestions."""
        self._seen_sha: set[str] = set()
        self._seen_ids: set[str] = set()
        self._handled = 0
        self._added = 0
        self._skipped = 0
        self._annotations = 0

    def run(
        self, docs: Iterable[NewDocument], on_progress: Callable[[int], None] | None
    ) -> ImportResult:
        """Import ``docs``; ``on_progress`` gets the number of documents handled so far."""
        batch: list[NewDocument] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
                if on_progress is not None:
                    on_progress(self._handled)
        if batch:
            self._write(batch)
        if on_progress is not None:
            on_progress(self._handled)
        return ImportResult(added=self._added, skipped=self._skipped, annotations=self._annotations)

    def _existing(self, column: Any, values: Sequence[str]) -> dict[str, str]:
        """``{value: sha256}`` of stored documents whose ``column`` is one of ``values``."""
        found: dict[str, str] = {}
        for offset in range(0, len(values), LOOKUP_CHUNK):
            chunk = values[offset : offset + LOOKUP_CHUNK]
            rows = self._connection.execute(
                select(column, DocumentRow.sha256).where(column.in_(chunk))
            )
            found.update(rows.all())
        return found

    def _write(self, batch: list[NewDocument]) -> None:
        stored_sha = self._existing(DocumentRow.sha256, [doc.sha256 for doc in batch])
        stored_ids = self._existing(DocumentRow.external_id, [doc.external_id for doc in batch])
        fresh: list[NewDocument] = []
        for doc in batch:
            self._handled += 1
            if doc.sha256 in stored_sha or doc.sha256 in self._seen_sha:
                self._skipped += 1
                continue
            if doc.external_id in stored_ids or doc.external_id in self._seen_ids:
                raise DuplicateDocument(
                    f"document id {doc.external_id!r} is already used by a document with a"
                    " different text; give this document another id"
                )
            self._seen_sha.add(doc.sha256)
            self._seen_ids.add(doc.external_id)
            fresh.append(doc)
        if not fresh:
            return
        self._create_annotators(fresh)
        ids = self._insert_documents(fresh)
        segments: list[tuple[int, int, int, int]] = []
        annotations: list[tuple[Any, ...]] = []
        statuses: list[tuple[Any, ...]] = []
        writer = self._annotation_writer
        now = writer.bind("created_at", self._now)
        no_attrs = writer.bind("attrs", {})
        provenance, annotators = self._provenance, self._annotators
        segment_layers = self._segment_layers
        for document_id, doc in zip(ids, fresh, strict=True):
            segments.extend(
                (document_id, index, start, end) for index, (start, end) in enumerate(doc.segments)
            )
            sentence = {span: index for index, span in enumerate(doc.segments)}
            annotations.extend(
                (
                    document_id,
                    annotators[item.annotator.strip()],
                    item.layer,
                    item.label,
                    item.start,
                    item.end,
                    sentence.get((item.start, item.end)) if item.layer in segment_layers else None,
                    writer.bind("attrs", dict(item.attrs)) if item.attrs else no_attrs,
                    item.origin,
                    provenance,
                    now,
                    now,
                )
                for item in doc.annotations
            )
            statuses.extend(
                (document_id, annotators[name.strip()], status, now)
                for name, status in doc.status.items()
                if status != "todo"
            )
        if segments:
            self._segment_writer.write(segments)
        if annotations:
            writer.write(annotations)
        if statuses:
            self._status_writer.write(statuses)
        self._added += len(fresh)
        self._annotations += len(annotations)

    def _insert_documents(self, docs: list[NewDocument]) -> list[int]:
        """Insert documents and return their new ids, in the order of ``docs``."""
        if self._document_writer.copies:
            return self._copy_documents(docs)
        rows = [
            {
                "external_id": doc.external_id,
                "title": doc.title,
                "text": doc.text,
                "sha256": doc.sha256,
                "meta": dict(doc.meta),
                "n_chars": len(doc.text),
                "n_words": word_count(doc.text),
                "n_segments": len(doc.segments),
                "created_at": self._now,
            }
            for doc in docs
        ]
        statement = insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True)
        return list(self._connection.scalars(statement, rows))

    def _copy_documents(self, docs: list[NewDocument]) -> list[int]:
        """PostgreSQL: draw the ids from the table's sequence, then COPY the rows with them.

        Ids drawn with ``nextval`` are never handed out twice, even to concurrent imports.
        """
        drawn = self._connection.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('documents', 'id'))"
                " FROM generate_series(1, :n)"
            ),
            {"n": len(docs)},
        )
        ids = sorted(drawn)
        writer = self._document_writer
        now = writer.bind("created_at", self._now)
        writer.write(
            [
                (
                    document_id,
                    doc.external_id,
                    doc.title,
                    doc.text,
                    doc.sha256,
                    writer.bind("meta", dict(doc.meta)),
                    len(doc.text),
                    word_count(doc.text),
                    len(doc.segments),
                    now,
                )
                for document_id, doc in zip(ids, docs, strict=True)
            ]
        )
        return ids

    def _create_annotators(self, docs: list[NewDocument]) -> None:
        """Add the annotators this batch names for the first time.

        One who only brings suggestions (origin ``suggestion``: a Label Studio model's
        predictions, the rules of an exported database) and no status is a machine, so
        reviewers see their annotations as suggestions and the agreement figures leave them
        out; should a later batch give them work of their own or a status, they become an
        annotator after all.
        """
        people = {
            item.annotator
            for doc in docs
            for item in doc.annotations
            if item.origin != "suggestion"
        }
        people.update(name for doc in docs for name in doc.status)
        names = people | {item.annotator for doc in docs for item in doc.annotations}
        for name in sorted(people & self._machines):
            self._connection.execute(
                update(AnnotatorRow).where(AnnotatorRow.name == name).values(role="annotator")
            )
            self._machines.discard(name)
        for name in sorted(names):
            if name in self._annotators:
                continue
            role = "annotator" if name in people else "machine"
            created = self._connection.execute(
                insert(AnnotatorRow)
                .values(name=name, role=role, created_at=self._now)
                .returning(AnnotatorRow.id)
            )
            self._annotators[name] = created.scalar_one()
            if role == "machine":
                self._machines.add(name)
