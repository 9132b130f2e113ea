"""The repository: every read and write of annotator data goes through ``Repository``.

Each public mutation is one committed transaction that writes the change and its row in
the events log together, so a caller that got a return value may tell the user "saved".
Reads hand out the frozen values of ``annotator.store.dto``. Annotation reads are per
annotator (blind by construction); only the bulk ``iter_annotations`` used by export and
the report sees everyone's.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, RowMapping
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import converters, decisions
from annotator.store.bulk import BulkImport
from annotator.store.dto import (
    Annotation,
    Annotator,
    Decision,
    DocStatus,
    Document,
    DocumentSummary,
    Event,
    ImportResult,
    NewDocument,
    Origin,
    Progress,
    Role,
    Ruling,
    SchemeUpdate,
)
from annotator.store.engine import (
    WRITE,
    display_url,
    make_engine,
    resolve_db_target,
    target_url,
)
from annotator.store.errors import (
    DatabaseError,
    HistoryConflict,
    InvalidInput,
    NotFound,
    SchemeMismatch,
    one_line,
)
from annotator.store.history import HISTORY_ACTIONS, replay
from annotator.store.migrate import upgrade_database
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DecisionRow,
    DocumentRow,
    DocumentStatusRow,
    EventRow,
    SchemeRow,
    SegmentRow,
)

DOCS_HINT = "`annotator docs list` shows each document's number and id"
"""The hint of every message about a document that does not exist."""
DOCUMENT_CHUNK = 500
"""Documents per query when streaming documents."""
ANNOTATION_CHUNK = 5000
"""Annotations per query (at least one whole document) when streaming annotations."""
ID_CHUNK = 500
"""Document ids per query when counting the annotations of given documents."""


def _now() -> datetime:
    return datetime.now(UTC)


def _scheme_sha(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class Repository:
    """Documents, annotations, statuses and their history in one SQLite file or PostgreSQL.

    Build it with ``Repository.open(target)`` or ``Repository.in_memory()``; no engine exists
    before that, and ``close()`` releases it. Methods are safe to call from several threads.
    """

    url: str
    """Where the data lives, for display (password hidden)."""

    def __init__(self, engine: Engine, scheme: Scheme, scheme_revision: int) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._scheme = scheme
        self._scheme_revision = scheme_revision
        self.url = display_url(engine.url)
        # One in-memory SQLite connection is shared by every thread (StaticPool): serialize
        # units of work so one thread's transaction never interleaves with another's.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if _shared_connection(engine) else nullcontext()
        )

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls,
        target: str | None = None,
        *,
        scheme: Scheme | None = None,
        scheme_body: str | None = None,
    ) -> Repository:
        """Open (creating or upgrading) the database at ``target``.

        ``target`` is a file path or an SQLAlchemy URL; None means ``$ANNOTATOR_DB``, else
        ``annotations.db`` in the current folder. A new database is bound to ``scheme``
        (default: the bundled ``source-bias.yaml``); an existing one keeps its scheme, and a
        different ``scheme`` raises ``SchemeMismatch`` instead of switching silently.
        """
        if scheme is not None and scheme_body is None:
            scheme_body = _storable_body(scheme)
        return cls._start(target_url(resolve_db_target(target)), scheme, scheme_body)

    @classmethod
    def in_memory(cls, scheme: Scheme | None = None) -> Repository:
        """A private in-memory database (one shared connection), for tests and previews."""
        return cls._start(URL.create("sqlite+pysqlite"), scheme, None)

    @classmethod
    def _start(cls, url: URL, scheme: Scheme | None, scheme_body: str | None) -> Repository:
        engine = make_engine(url)
        try:
            upgrade_database(engine)
            bound, revision = _bind_scheme(engine, scheme, scheme_body)
        except sa_exc.DatabaseError as exc:
            # Covers a locked or unreadable file and a file that is not a database at all.
            engine.dispose()
            raise DatabaseError(
                f"cannot open {display_url(url)}: {one_line(exc.orig)};"
                " point --db at an annotator database or a new file"
            ) from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, bound, revision)

    def close(self) -> None:
        """Release every connection (an SQLite file is checkpointed by its last one)."""
        self._engine.dispose()

    def __enter__(self) -> Repository:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._lock, Session(self._engine) as session:
            try:
                with session.begin():
                    yield session
            except OperationalError as exc:
                raise DatabaseError(f"cannot read {self.url}: {one_line(exc.orig)}") from None

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._lock, Session(self._write_engine, expire_on_commit=False) as session:
            try:
                with session.begin():
                    yield session
            except OperationalError as exc:
                raise DatabaseError(
                    f"cannot write to {self.url}: {one_line(exc.orig)}; nothing was changed"
                ) from None
            except IntegrityError as exc:
                raise DatabaseError(
                    f"{self.url} refused the change ({one_line(exc.orig)}); nothing was changed"
                ) from None

    # ------------------------------------------------------------------ scheme and counts

    def scheme(self) -> Scheme:
        """The scheme in force: the latest version the database is bound to."""
        return self._scheme

    def scheme_revision(self) -> int:
        """The database's scheme revision in force (1 for the scheme it was created with)."""
        return self._scheme_revision

    def update_scheme(self, scheme: Scheme, body: str) -> SchemeUpdate:
        """Bind the database to a new version of its scheme; annotations are never dropped.

        ``body`` is the scheme file's text, kept for the record. Annotations whose layer or
        label the new scheme lacks are counted per ``(layer, label)`` in the result.
        """
        with self._write() as session:
            latest = session.scalars(
                select(SchemeRow).order_by(SchemeRow.revision.desc()).limit(1)
            ).one()
            orphaned = _orphans(session, scheme)
            if latest.sha256 == _scheme_sha(body) and scheme == self._scheme:
                return SchemeUpdate(revision=latest.revision, changed=False, orphaned=orphaned)
            row = SchemeRow(
                revision=latest.revision + 1,
                name=scheme.name,
                version=scheme.version,
                body=body,
                sha256=_scheme_sha(body),
                created_at=_now(),
            )
            session.add(row)
            _log(
                session,
                None,
                None,
                "scheme",
                before={"revision": latest.revision, "name": latest.name},
                after={
                    "revision": row.revision,
                    "name": scheme.name,
                    "version": scheme.version,
                    "orphaned": [[layer, label, n] for (layer, label), n in orphaned.items()],
                },
            )
        self._scheme = scheme
        self._scheme_revision = row.revision
        return SchemeUpdate(revision=row.revision, changed=True, orphaned=orphaned)

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

    # ------------------------------------------------------------------ annotators

    def ensure_annotator(self, name: str, role: Role = "annotator") -> Annotator:
        """The annotator called ``name``, created with ``role`` if new (an existing one keeps
        its role)."""
        with self._write() as session:
            row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == name)).first()
            if row is None:
                row = AnnotatorRow(name=name, role=role, created_at=_now())
                session.add(row)
                session.flush()
                _log(session, row.id, None, "annotator", after={"name": name, "role": role})
            return converters.to_annotator(row)

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
            rows = session.execute(_summary_query().order_by(DocumentRow.id))
            return [_summary(row._mapping) for row in rows]

    def summary(
        self, *, document_id: int | None = None, external_id: str | None = None
    ) -> DocumentSummary | None:
        """One document without its text, by number or by external id; None if absent."""
        query = _summary_query()
        if document_id is not None:
            query = query.where(DocumentRow.id == document_id)
        if external_id is not None:
            query = query.where(DocumentRow.external_id == external_id)
        with self._read() as session:
            row = session.execute(query.limit(1)).first()
            return None if row is None else _summary(row._mapping)

    def document(self, document_id: int) -> Document:
        """One document with its text and segments; ``NotFound`` if there is none."""
        with self._read() as session:
            row = session.get(DocumentRow, document_id)
            if row is None:
                raise NotFound(f"there is no document #{document_id}; {DOCS_HINT}")
            return _document(row, _segments(session, document_id))

    def document_by_external_id(self, external_id: str) -> Document | None:
        """The document imported under ``external_id``, or None."""
        with self._read() as session:
            row = session.scalars(
                select(DocumentRow).where(DocumentRow.external_id == external_id)
            ).first()
            return None if row is None else _document(row, _segments(session, row.id))

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
                segments: dict[int, list[tuple[int, int]]] = {row.id: [] for row in rows}
                for document_id, start, end in session.execute(
                    select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                    .where(SegmentRow.document_id.between(rows[0].id, rows[-1].id))
                    .order_by(SegmentRow.document_id, SegmentRow.index)
                ):
                    segments[document_id].append((start, end))
                chunk = [_document(row, tuple(segments[row.id])) for row in rows]
            last = chunk[-1].id
            yield from chunk

    def import_documents(
        self,
        docs: Iterable[NewDocument],
        *,
        on_progress: Callable[[int], None] | None = None,
        provenance: str | None = None,
    ) -> ImportResult:
        """Write documents, segments, statuses and annotations in ONE transaction.

        Documents whose sha256 is already stored (or repeated in ``docs``) are skipped and
        counted; annotators named are created. An invalid annotation raises
        ``InvalidAnnotation`` naming the document and the annotation's index, and a document
        id already used by another text raises ``DuplicateDocument``: nothing is written.
        ``on_progress`` gets the number of documents handled so far; ``provenance`` (say, the
        file name) is recorded on every imported annotation.
        """
        with self._write() as session:
            bulk = BulkImport(session.connection(), self._scheme, now=_now(), provenance=provenance)
            result = bulk.run(docs, on_progress)
            _log(
                session,
                None,
                None,
                "import",
                after={
                    "added": result.added,
                    "skipped": result.skipped,
                    "annotations": result.annotations,
                    "provenance": provenance,
                },
            )
        return result

    # ------------------------------------------------------------------ annotations

    def annotations(
        self, document_id: int, annotator: str, layer: str | None = None
    ) -> list[Annotation]:
        """One annotator's annotations on one document (optionally one layer), in text order."""
        name = annotator
        with self._read() as session:
            annotator_id = _annotator_id(session, name)
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
            return [converters.to_annotation(row, name) for row in session.scalars(query)]

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
        for batch in _batches(counts, ANNOTATION_CHUNK):
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
            row, _ = _own_annotation(session, annotator, annotation_id)
            return converters.to_annotation(row, annotator)

    def add_span(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        label: str,
        start: int,
        end: int,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
    ) -> Annotation:
        """Add a span on a span layer; overlapping spans are allowed."""
        name = annotator
        with self._write() as session:
            _document_length(session, document_id)
            annotator_id = _author_id(session, name)
            row = AnnotationRow(
                document_id=document_id,
                annotator_id=annotator_id,
                layer=layer,
                label=label,
                start=start,
                end=end,
                attrs=dict(attrs or {}),
                origin=origin,
                provenance=provenance,
            )
            return _insert_logged(session, row, name)

    def set_segment_label(
        self,
        annotator: str,
        document_id: int,
        layer: str,
        segment_index: int,
        label: str,
        *,
        attrs: Mapping[str, Any] | None = None,
        origin: Origin = "manual",
        provenance: str | None = None,
    ) -> Annotation:
        """Label a sentence on a segment layer, replacing this annotator's previous label of it.

        ``attrs`` None keeps the previous label's attributes (a note survives a relabel).
        Setting the label it already has, with the same attributes, changes nothing.
        """
        name = annotator
        with self._write() as session:
            _document_length(session, document_id)
            segment = session.get(SegmentRow, (document_id, segment_index))
            if segment is None:
                count = session.scalar(
                    select(func.count()).where(SegmentRow.document_id == document_id)
                )
                raise NotFound(
                    f"document {document_id} has no sentence {segment_index + 1}"
                    f" (it has {count}, counted from 1)"
                )
            annotator_id = _author_id(session, name)
            row = session.scalars(
                select(AnnotationRow).where(
                    AnnotationRow.document_id == document_id,
                    AnnotationRow.annotator_id == annotator_id,
                    AnnotationRow.layer == layer,
                    AnnotationRow.start == segment.start,
                    AnnotationRow.end == segment.end,
                )
            ).first()
            if row is None:
                row = AnnotationRow(
                    document_id=document_id,
                    annotator_id=annotator_id,
                    layer=layer,
                    label=label,
                    start=segment.start,
                    end=segment.end,
                    attrs=dict(attrs or {}),
                    origin=origin,
                    provenance=provenance,
                )
                return _insert_logged(session, row, name)
            now = _now()
            clean = dict(row.attrs if attrs is None else attrs)
            if row.label == label and dict(row.attrs) == clean:
                return converters.to_annotation(row, name)
            before = converters.snapshot(row, name)
            row.label = label
            row.attrs = clean
            row.origin = origin
            row.provenance = provenance
            row.updated_at = now
            session.flush()
            after = converters.snapshot(row, name)
            _log(session, annotator_id, document_id, "update", row.id, before=before, after=after)
            return converters.to_annotation(row, name)

    def update_annotation(
        self,
        annotator: str,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Annotation:
        """Move, relabel or re-attribute one of ``annotator``'s own annotations."""
        name = annotator
        with self._write() as session:
            row, annotator_id = _own_annotation(session, name, annotation_id)
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            new_label = row.label if label is None else label
            clean = dict(row.attrs if attrs is None else attrs)
            unchanged = (new_start, new_end, new_label, clean) == (
                row.start,
                row.end,
                row.label,
                dict(row.attrs),
            )
            if unchanged:
                return converters.to_annotation(row, name)
            before = converters.snapshot(row, name)
            row.start, row.end, row.label, row.attrs = new_start, new_end, new_label, clean
            row.updated_at = _now()
            session.flush()
            after = converters.snapshot(row, name)
            _log(
                session, annotator_id, row.document_id, "update", row.id, before=before, after=after
            )
            return converters.to_annotation(row, name)

    def remove_annotation(self, annotator: str, annotation_id: int) -> Annotation:
        """Delete one of ``annotator``'s own annotations; returns it as it was."""
        name = annotator
        with self._write() as session:
            row, annotator_id = _own_annotation(session, name, annotation_id)
            removed = converters.to_annotation(row, name)
            before = converters.snapshot(row, name)
            session.delete(row)
            _log(session, annotator_id, row.document_id, "remove", annotation_id, before=before)
            return removed

    # ------------------------------------------------------------------ adjudication

    def decisions(
        self, adjudicator: str, document_ids: Sequence[int] | None = None
    ) -> list[Decision]:
        """An adjudicator's decisions (optionally on some documents), by document, layer and
        offset."""
        with self._read() as session:
            annotator_id = _annotator_id(session, adjudicator)
            if annotator_id is None:
                return []
            query = select(DecisionRow).where(DecisionRow.annotator_id == annotator_id)
            if document_ids is not None and len(set(document_ids)) <= ID_CHUNK:
                query = query.where(DecisionRow.document_id.in_(sorted(set(document_ids))))
            query = query.order_by(
                DecisionRow.document_id, DecisionRow.layer, DecisionRow.start, DecisionRow.end
            )
            wanted = None if document_ids is None else set(document_ids)
            return [
                decisions.to_decision(row, adjudicator)
                for row in session.scalars(query)
                if wanted is None or row.document_id in wanted
            ]

    def decide(
        self, adjudicator: str, rulings: Mapping[int, Sequence[Ruling]]
    ) -> dict[int, list[Annotation]]:
        """Write an adjudicator's decisions, per document id, in ONE transaction.

        Each ruling replaces the adjudicator's annotations on its layer that overlap its unit
        with the ruling's annotations (origin ``adjudication``) and records its verdict; each
        document gets one ``decide`` event, which undo reverts as one step. Returns the
        annotations added, per document.
        """
        added: dict[int, list[Annotation]] = {}
        with self._write() as session:
            annotator_id = _author_id(session, adjudicator)
            now = _now()
            for document_id in sorted(rulings):
                if not rulings[document_id]:
                    continue
                _document_length(session, document_id)
                new, before, after = decisions.write_rulings(
                    session, annotator_id, adjudicator, document_id, rulings[document_id], now
                )
                _log(session, annotator_id, document_id, "decide", before=before, after=after)
                added[document_id] = new
        return added

    # ------------------------------------------------------------------ status and progress

    def status(self, document_id: int, annotator: str) -> DocStatus:
        """Where ``annotator`` stands on the document: ``todo`` when never set."""
        name = annotator
        with self._read() as session:
            value = session.scalar(
                select(DocumentStatusRow.status)
                .join(AnnotatorRow, AnnotatorRow.id == DocumentStatusRow.annotator_id)
                .where(DocumentStatusRow.document_id == document_id, AnnotatorRow.name == name)
            )
            return "todo" if value is None else converters.status_value(value)

    def set_status(self, annotator: str, document_id: int, status: DocStatus) -> None:
        """Mark a document todo, in progress or done for ``annotator``."""
        name = annotator
        with self._write() as session:
            _document_length(session, document_id)
            annotator_id = _author_id(session, name)
            row = session.get(DocumentStatusRow, (document_id, annotator_id))
            old = "todo" if row is None else row.status
            if old == status:
                return
            if row is None:
                session.add(
                    DocumentStatusRow(
                        document_id=document_id,
                        annotator_id=annotator_id,
                        status=status,
                        updated_at=_now(),
                    )
                )
            else:
                row.status = status
                row.updated_at = _now()
            _log(
                session,
                annotator_id,
                document_id,
                "status",
                before={"status": old},
                after={"status": status},
            )

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
        name = annotator
        segment_layers = self._scheme.segment_layers
        first_segment = segment_layers[0].name if segment_layers else None
        span_layers = {layer.name for layer in self._scheme.span_layers}
        with self._read() as session:
            summaries = [
                _summary(row._mapping)
                for row in session.execute(_summary_query().order_by(DocumentRow.id))
            ]
            annotator_id = _annotator_id(session, name)
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

    def undo(self, annotator: str) -> Event | None:
        """Revert ``annotator``'s latest change not yet undone, on whatever document.

        Returns the event reverted, or None when there is nothing to undo. Works across
        restarts: the stacks are computed from the events log.
        """
        return self._step(annotator, "undo")

    def redo(self, annotator: str) -> Event | None:
        """Re-apply ``annotator``'s latest undone change; None when there is nothing to redo."""
        return self._step(annotator, "redo")

    def _step(self, name: str, action: str) -> Event | None:
        with self._write() as session:
            annotator_id = _annotator_id(session, name)
            if annotator_id is None:
                return None
            log = session.execute(
                select(EventRow.id, EventRow.action, EventRow.target_event_id)
                .where(
                    EventRow.annotator_id == annotator_id,
                    EventRow.action.in_(HISTORY_ACTIONS),
                )
                .order_by(EventRow.id)
            )
            stacks = replay(log)
            stack = stacks.undo if action == "undo" else stacks.redo
            if not stack:
                return None
            target = session.get_one(EventRow, stack[-1])
            if action == "undo":
                before, after = target.after, target.before
            else:
                before, after = target.before, target.after
            if target.action == "decide":
                decisions.apply_decide(
                    session, annotator_id, target.document_id, before, after, _now()
                )
            else:
                _apply(session, annotator_id, target, before, after)
            _log(
                session,
                annotator_id,
                target.document_id,
                action,
                target.annotation_id,
                before=before,
                after=after,
                target=target.id,
            )
            return converters.to_event(target, name)

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


# ---------------------------------------------------------------------- helpers


def _shared_connection(engine: Engine) -> bool:
    url = engine.url
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _bind_scheme(engine: Engine, scheme: Scheme | None, body: str | None) -> tuple[Scheme, int]:
    """The scheme in force, storing the first one in a new database."""
    from annotator.core.scheme_loader import (
        SchemeError,
        load_scheme,
        load_scheme_text,
        scheme_to_yaml,
    )
    from annotator.resources import default_scheme_path

    where = display_url(engine.url)
    with Session(engine.execution_options(**{WRITE: True})) as session, session.begin():
        latest = session.scalars(
            select(SchemeRow).order_by(SchemeRow.revision.desc()).limit(1)
        ).first()
        if latest is not None:
            try:
                source = f"{where} (scheme revision {latest.revision})"
                stored = load_scheme_text(latest.body, source)
            except SchemeError as exc:
                raise DatabaseError(
                    f"the scheme stored in {where} cannot be read: {one_line(exc)}"
                ) from None
            if body is not None and scheme is None:
                scheme = load_scheme_text(body)
            if scheme is not None and scheme != stored:
                raise SchemeMismatch(
                    f"{where} uses scheme {stored.name!r} version {stored.version}, not"
                    f" {scheme.name!r} version {scheme.version}; to switch it, run"
                    " `annotator init --scheme FILE` (existing annotations are kept)"
                )
            return stored, latest.revision
        if scheme is None and body is not None:
            scheme = load_scheme_text(body)
        if scheme is None:
            path = default_scheme_path()
            scheme = load_scheme(path)
            body = path.read_text(encoding="utf-8")
        elif body is None:
            body = scheme_to_yaml(scheme)
        session.add(
            SchemeRow(
                revision=1,
                name=scheme.name,
                version=scheme.version,
                body=body,
                sha256=_scheme_sha(body),
                created_at=_now(),
            )
        )
        return scheme, 1


def _storable_body(scheme: Scheme) -> str:
    """The scheme file text for ``scheme``, refused if it would not read back the same.

    A database file is opened again later and its stored scheme parsed: a scheme built in
    code must survive that round trip before anything is created.
    """
    from annotator.core.scheme_loader import SchemeError, load_scheme_text, scheme_to_yaml

    body = scheme_to_yaml(scheme)
    try:
        reread = load_scheme_text(body, f"scheme {scheme.name!r}")
    except SchemeError as exc:
        raise InvalidInput(f"cannot store the scheme: {one_line(exc)}") from None
    if reread != scheme:
        raise InvalidInput(
            f"cannot store scheme {scheme.name!r}: it does not read back the same from YAML"
        )
    return body


def _orphans(session: Session, scheme: Scheme) -> dict[tuple[str, str], int]:
    counts = session.execute(
        select(AnnotationRow.layer, AnnotationRow.label, func.count())
        .group_by(AnnotationRow.layer, AnnotationRow.label)
        .order_by(AnnotationRow.layer, AnnotationRow.label)
    )
    orphaned: dict[tuple[str, str], int] = {}
    for layer_name, label, n in counts:
        layer = scheme.layer(layer_name)
        if layer is None or layer.label(label) is None:
            orphaned[(layer_name, label)] = n
    return orphaned


def _insert_logged(session: Session, row: AnnotationRow, annotator: str) -> Annotation:
    """Insert a new annotation row, stamped now, with its ``add`` event, in ``session``."""
    row.created_at = row.updated_at = _now()
    session.add(row)
    session.flush()
    after = converters.snapshot(row, annotator)
    _log(session, row.annotator_id, row.document_id, "add", row.id, after=after)
    return converters.to_annotation(row, annotator)


def _log(
    session: Session,
    annotator_id: int | None,
    document_id: int | None,
    action: str,
    annotation_id: int | None = None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    target: int | None = None,
) -> None:
    session.add(
        EventRow(
            annotator_id=annotator_id,
            document_id=document_id,
            action=action,
            annotation_id=annotation_id,
            target_event_id=target,
            before=None if before is None else dict(before),
            after=None if after is None else dict(after),
            created_at=_now(),
        )
    )


def _annotator_id(session: Session, name: str) -> int | None:
    """The id of the annotator called ``name``, or None."""
    found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
    return None if found is None else int(found)


def _author_id(session: Session, name: str) -> int:
    """The id of the annotator making a change, created (as an annotator) if new."""
    found = _annotator_id(session, name)
    if found is not None:
        return found
    row = AnnotatorRow(name=name, role="annotator", created_at=_now())
    session.add(row)
    session.flush()
    return row.id


def _document_length(session: Session, document_id: int) -> int:
    n_chars = session.scalar(select(DocumentRow.n_chars).where(DocumentRow.id == document_id))
    if n_chars is None:
        raise NotFound(f"there is no document #{document_id}; {DOCS_HINT}")
    return n_chars


def _segments(session: Session, document_id: int) -> tuple[tuple[int, int], ...]:
    rows = session.execute(
        select(SegmentRow.start, SegmentRow.end)
        .where(SegmentRow.document_id == document_id)
        .order_by(SegmentRow.index)
    )
    return tuple((start, end) for start, end in rows)


def _own_annotation(session: Session, name: str, annotation_id: int) -> tuple[AnnotationRow, int]:
    """The annotation if it is ``name``'s; others' annotations are as good as absent."""
    row = session.scalars(
        select(AnnotationRow)
        .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
        .where(AnnotationRow.id == annotation_id, AnnotatorRow.name == name)
    ).first()
    if row is None:
        raise NotFound(f"{name} has no annotation {annotation_id}")
    return row, row.annotator_id


def _apply(
    session: Session,
    annotator_id: int,
    event: EventRow,
    current: Mapping[str, Any] | None,
    wanted: Mapping[str, Any] | None,
) -> None:
    """Turn ``event``'s annotation from ``current`` into ``wanted`` (None: absent).

    The annotation must be as ``current`` says; anything else means it was changed outside
    this history and the step is refused rather than guessed.
    """
    annotation_id = event.annotation_id
    if annotation_id is None:
        raise HistoryConflict(f"event {event.id} ({event.action}) names no annotation")
    row = session.get(AnnotationRow, annotation_id)
    if current is None:
        if row is not None:
            raise HistoryConflict(
                f"annotation {annotation_id} exists again; the change cannot be replayed"
            )
    elif row is None:
        raise HistoryConflict(
            f"annotation {annotation_id} was removed meanwhile; the change cannot be replayed"
        )
    if wanted is None:
        if row is not None:
            session.delete(row)
        return
    values = converters.row_values(wanted, annotator_id)
    if row is None:
        session.add(AnnotationRow(id=annotation_id, **values))
    else:
        for key, value in values.items():
            if key != "created_at":
                setattr(row, key, value)
        row.updated_at = _now()
    session.flush()


def _summary_query() -> Any:
    return select(
        DocumentRow.id,
        DocumentRow.external_id,
        DocumentRow.title,
        DocumentRow.sha256,
        DocumentRow.n_chars,
        DocumentRow.n_words,
        DocumentRow.n_segments,
    )


def _summary(row: RowMapping) -> DocumentSummary:
    return DocumentSummary(
        id=row["id"],
        external_id=row["external_id"],
        title=row["title"],
        sha256=row["sha256"],
        n_chars=row["n_chars"],
        n_words=row["n_words"],
        n_segments=row["n_segments"],
    )


def _document(row: DocumentRow, segments: tuple[tuple[int, int], ...]) -> Document:
    return Document(
        id=row.id,
        external_id=row.external_id,
        title=row.title,
        text=row.text,
        sha256=row.sha256,
        meta=dict(row.meta),
        segments=segments,
    )


def _batches(counts: Sequence[tuple[int, int]], size: int) -> Iterator[list[int]]:
    """Document ids grouped so each group holds about ``size`` annotations (one document at
    least)."""
    batch: list[int] = []
    total = 0
    for document_id, n in counts:
        if batch and total + n > size:
            yield batch
            batch, total = [], 0
        batch.append(document_id)
        total += n
    if batch:
        yield batch
