"""Reads: what the repository hands out, as the frozen values of ``annotator.store.dto``.

Nothing here changes the database. Each read is one short transaction (``_read``), and the
streaming reads (``iter_documents``, ``iter_annotations``) take one per chunk, so a slow
caller never holds a transaction open. Annotation reads are per annotator (blind by
construction); only the bulk ``iter_annotations`` used by export and the report sees
everyone's. The reads of one feature with writes of its own (an adjudicator's decisions, the
machines' suggestions) live beside those writes, in ``store.decisions`` and
``store.suggestions``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import func, select

from annotator.store import converters, queries
from annotator.store.dto import (
    Annotation,
    Annotator,
    DocStatus,
    Document,
    DocumentSummary,
    Event,
    Progress,
)
from annotator.store.errors import NotFound
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentRow,
    DocumentStatusRow,
    EventRow,
    SegmentRow,
)
from annotator.store.queries import DOCS_HINT
from annotator.store.transactions import Transactions

DOCUMENT_CHUNK = 500
"""Documents per query when streaming documents."""
ANNOTATION_CHUNK = 5000
"""Annotations per query (at least one whole document) when streaming annotations."""
ID_CHUNK = 500
"""Document ids per query when counting the annotations of given documents."""


class Reads(Transactions):
    """The repository's read queries: counts, people, documents, annotations, statuses,
    progress and the change log."""

    # ------------------------------------------------------------------ counts and people

    def info(self) -> dict[str, int]:
        """Row counts: documents, segments, annotators, annotations, events."""
        tables = {
            "documents": DocumentRow,
            "segments": SegmentRow,
            "annotators": AnnotatorRow,
            "annotations": AnnotationRow,
            "events": EventRow,
        }
        with self._read() as session:
            return {
                name: int(session.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in tables.items()
            }

    def annotators(self) -> list[Annotator]:
        """Every annotator, by name."""
        with self._read() as session:
            rows = session.scalars(select(AnnotatorRow).order_by(AnnotatorRow.name))
            return [converters.to_annotator(row) for row in rows]

    def last_annotator(self) -> str | None:
        """Who made the most recent change, or None in a database nobody has worked in."""
        with self._read() as session:
            name = session.scalar(
                select(AnnotatorRow.name)
                .join(EventRow, EventRow.annotator_id == AnnotatorRow.id)
                .order_by(EventRow.id.desc())
                .limit(1)
            )
            return None if name is None else str(name)

    # ------------------------------------------------------------------ documents

    def documents(self) -> list[DocumentSummary]:
        """Every document without its text, ordered by id."""
        with self._read() as session:
            rows = session.execute(queries.summary_query().order_by(DocumentRow.id))
            return [converters.to_summary(row._mapping) for row in rows]

    def summary(
        self, *, document_id: int | None = None, external_id: str | None = None
    ) -> DocumentSummary | None:
        """One document without its text, by number or by external id; None if absent."""
        query = queries.summary_query()
        if document_id is not None:
            if not queries.storable(document_id):
                return None
            query = query.where(DocumentRow.id == document_id)
        if external_id is not None:
            query = query.where(DocumentRow.external_id == external_id)
        with self._read() as session:
            row = session.execute(query.limit(1)).first()
            return None if row is None else converters.to_summary(row._mapping)

    def document(self, document_id: int) -> Document:
        """One document with its text and segments; ``NotFound`` if there is none."""
        with self._read() as session:
            row = session.get(DocumentRow, document_id) if queries.storable(document_id) else None
            if row is None:
                raise NotFound(f"there is no document #{document_id}; {DOCS_HINT}")
            return converters.to_document(row, queries.segments(session, document_id))

    def document_by_external_id(self, external_id: str) -> Document | None:
        """The document imported under ``external_id``, or None."""
        with self._read() as session:
            row = session.scalars(
                select(DocumentRow).where(DocumentRow.external_id == external_id)
            ).first()
            return (
                None
                if row is None
                else converters.to_document(row, queries.segments(session, row.id))
            )

    def iter_documents(self) -> Iterator[Document]:
        """Every document with text and segments, ordered by id, read a chunk at a time.

        Each chunk is its own short read, so the caller may use the repository (or be slow)
        between items without holding a transaction open.
        """
        last = 0
        while True:
            with self._read() as session:
                rows = list(
                    session.scalars(
                        select(DocumentRow)
                        .where(DocumentRow.id > last)
                        .order_by(DocumentRow.id)
                        .limit(DOCUMENT_CHUNK)
                    )
                )
                if not rows:
                    return
                segments = queries.segments_of(session, [row.id for row in rows])
                chunk = [converters.to_document(row, segments[row.id]) for row in rows]
            last = chunk[-1].id
            yield from chunk

    # ------------------------------------------------------------------ annotations

    def annotations(
        self, document_id: int, annotator: str, layer: str | None = None
    ) -> list[Annotation]:
        """One annotator's annotations on one document (optionally one layer), in text order."""
        with self._read() as session:
            annotator_id = queries.annotator_id(session, annotator)
            if annotator_id is None:
                return []
            query = select(AnnotationRow).where(
                AnnotationRow.document_id == document_id,
                AnnotationRow.annotator_id == annotator_id,
            )
            if layer is not None:
                query = query.where(AnnotationRow.layer == layer)
            query = query.order_by(
                AnnotationRow.layer, AnnotationRow.start, AnnotationRow.end, AnnotationRow.id
            )
            return [converters.to_annotation(row, annotator) for row in session.scalars(query)]

    def iter_annotations(
        self,
        *,
        annotators: Sequence[str] | None = None,
        document_ids: Sequence[int] | None = None,
        layers: Sequence[str] | None = None,
    ) -> Iterator[Annotation]:
        """Everyone's annotations, for export and the report; ordered by document id,
        annotator, layer, start, end.

        Read in chunks of whole documents (about ``ANNOTATION_CHUNK`` annotations each, each
        chunk its own short read), so memory stays flat however many there are.
        """
        with self._read() as session:
            everyone = select(AnnotatorRow.id, AnnotatorRow.name)
            names = dict(session.execute(everyone).all())
            if annotators is not None:
                wanted = set(annotators)
                names = {key: value for key, value in names.items() if value in wanted}
                if not names:
                    return
            counts_query = (
                select(AnnotationRow.document_id, func.count())
                .group_by(AnnotationRow.document_id)
                .order_by(AnnotationRow.document_id)
            )
            if annotators is not None:
                counts_query = counts_query.where(AnnotationRow.annotator_id.in_(names))
            if layers is not None:
                counts_query = counts_query.where(AnnotationRow.layer.in_(list(layers)))
            if document_ids is None:
                counts = [(doc, n) for doc, n in session.execute(counts_query)]
            else:
                # Count only the documents asked for (in id order, a bounded number of ids per
                # query), not the whole database.
                wanted_ids = sorted(set(document_ids))
                counts = []
                for lo in range(0, len(wanted_ids), ID_CHUNK):
                    part = counts_query.where(
                        AnnotationRow.document_id.in_(wanted_ids[lo : lo + ID_CHUNK])
                    )
                    counts.extend((doc, n) for doc, n in session.execute(part))
        for batch in queries.batches(counts, ANNOTATION_CHUNK):
            query = select(*converters.RAW_ANNOTATION_COLUMNS).where(
                AnnotationRow.document_id.in_(batch)
            )
            if annotators is not None:
                query = query.where(AnnotationRow.annotator_id.in_(names))
            if layers is not None:
                query = query.where(AnnotationRow.layer.in_(list(layers)))
            with self._read() as session:
                rows = session.connection().execute(query).all()
            decode = converters.RawAnnotations(names)
            chunk = [decode(row) for row in rows]
            chunk.sort(key=lambda a: (a.document_id, a.annotator, a.layer, a.start, a.end, a.id))
            yield from chunk

    def annotation(self, annotator: str, annotation_id: int) -> Annotation:
        """One of ``annotator``'s own annotations; ``NotFound`` for anyone else's."""
        with self._read() as session:
            row, _ = queries.own_annotation(session, annotator, annotation_id, lock=False)
            return converters.to_annotation(row, annotator)

    # ------------------------------------------------------------------ status and progress

    def status(self, document_id: int, annotator: str) -> DocStatus:
        """Where ``annotator`` stands on the document: ``todo`` when never set."""
        with self._read() as session:
            value = session.scalar(
                select(DocumentStatusRow.status)
                .join(AnnotatorRow, AnnotatorRow.id == DocumentStatusRow.annotator_id)
                .where(DocumentStatusRow.document_id == document_id, AnnotatorRow.name == annotator)
            )
            return "todo" if value is None else converters.status_value(value)

    def statuses(
        self, document_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, DocStatus]]:
        """Statuses set so far, per document and annotator (absent means ``todo``)."""
        with self._read() as session:
            rows = session.execute(
                select(DocumentStatusRow.document_id, AnnotatorRow.name, DocumentStatusRow.status)
                .join(AnnotatorRow, AnnotatorRow.id == DocumentStatusRow.annotator_id)
                .order_by(DocumentStatusRow.document_id, AnnotatorRow.name)
            )
            wanted = None if document_ids is None else set(document_ids)
            result: dict[int, dict[str, DocStatus]] = {}
            for document_id, name, value in rows:
                if wanted is None or document_id in wanted:
                    result.setdefault(document_id, {})[name] = converters.status_value(value)
            return result

    def meta_keys(self, document_ids: Sequence[int] | None = None) -> dict[str, int]:
        """Every key of the documents' ``meta``, with how many documents carry it, by name."""
        with self._read() as session:
            rows = session.execute(select(DocumentRow.id, DocumentRow.meta))
            wanted = None if document_ids is None else set(document_ids)
            counts: dict[str, int] = {}
            for document_id, meta in rows:
                if (wanted is None or document_id in wanted) and isinstance(meta, dict):
                    for key in meta:
                        counts[key] = counts.get(key, 0) + 1
            return dict(sorted(counts.items()))

    def status_times(
        self, document_ids: Sequence[int] | None = None
    ) -> dict[int, dict[str, tuple[DocStatus, datetime]]]:
        """Statuses set so far with the moment each was set, per document and annotator."""
        with self._read() as session:
            query = select(
                DocumentStatusRow.document_id,
                AnnotatorRow.name,
                DocumentStatusRow.status,
                DocumentStatusRow.updated_at,
            ).join(AnnotatorRow, AnnotatorRow.id == DocumentStatusRow.annotator_id)
            wanted = None if document_ids is None else set(document_ids)
            if wanted is not None and len(wanted) <= ID_CHUNK:
                query = query.where(DocumentStatusRow.document_id.in_(sorted(wanted)))
            result: dict[int, dict[str, tuple[DocStatus, datetime]]] = {}
            for document_id, name, value, moment in session.execute(query):
                if wanted is not None and document_id not in wanted:
                    continue
                result.setdefault(document_id, {})[name] = (
                    converters.status_value(value),
                    converters.utc(moment),
                )
            return result

    def progress(self, annotator: str) -> list[Progress]:
        """``annotator``'s standing on every document, ordered by id.

        ``classified`` counts sentences labelled on the scheme's first segment layer,
        ``spans`` the annotations on span layers.
        """
        segment_layers = self._scheme.segment_layers
        first_segment = segment_layers[0].name if segment_layers else None
        span_layers = {layer.name for layer in self._scheme.span_layers}
        with self._read() as session:
            summaries = [
                converters.to_summary(row._mapping)
                for row in session.execute(queries.summary_query().order_by(DocumentRow.id))
            ]
            annotator_id = queries.annotator_id(session, annotator)
            statuses: dict[int, str] = {}
            classified: dict[int, int] = {}
            spans: dict[int, int] = {}
            if annotator_id is not None:
                statuses = dict(
                    session.execute(
                        select(DocumentStatusRow.document_id, DocumentStatusRow.status).where(
                            DocumentStatusRow.annotator_id == annotator_id
                        )
                    ).all()
                )
                counts = session.execute(
                    select(AnnotationRow.document_id, AnnotationRow.layer, func.count())
                    .where(AnnotationRow.annotator_id == annotator_id)
                    .group_by(AnnotationRow.document_id, AnnotationRow.layer)
                )
                for document_id, layer, n in counts:
                    if layer == first_segment:
                        classified[document_id] = n
                    elif layer in span_layers:
                        spans[document_id] = spans.get(document_id, 0) + n
        return [
            Progress(
                document=summary,
                status=converters.status_value(statuses.get(summary.id, "todo")),
                classified=classified.get(summary.id, 0),
                spans=spans.get(summary.id, 0),
            )
            for summary in summaries
        ]

    # ------------------------------------------------------------------ history

    def events(
        self, *, annotator: str | None = None, document_id: int | None = None
    ) -> list[Event]:
        """The change log, oldest first, optionally for one annotator and/or document."""
        with self._read() as session:
            query = (
                select(EventRow, AnnotatorRow.name)
                .outerjoin(AnnotatorRow, AnnotatorRow.id == EventRow.annotator_id)
                .order_by(EventRow.id)
            )
            if annotator is not None:
                query = query.where(AnnotatorRow.name == annotator)
            if document_id is not None:
                query = query.where(EventRow.document_id == document_id)
            return [converters.to_event(row, name) for row, name in session.execute(query)]
