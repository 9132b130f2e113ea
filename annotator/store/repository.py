"""The repository: every read and write of annotator data goes through ``Repository``.

Each public mutation is one committed transaction that writes the change and its row in
the events log together, so a caller that got a return value may tell the user "saved".
Reads hand out the frozen values of ``annotator.store.dto``. Annotation reads are per
annotator (blind by construction); only the bulk ``iter_annotations`` used by export and
the report sees everyone's.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar, cast

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Engine, Table, func, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import (
    accounts,
    converters,
    decisions,
    health,
    history,
    merging,
    queries,
    retry,
    schemes,
)
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
    MergePlan,
    MergeResult,
    NewDocument,
    Origin,
    Progress,
    Role,
    Ruling,
    Saved,
    SchemeUpdate,
)
from annotator.store.engine import (
    WRITE,
    check_sqlite_file,
    display_url,
    make_engine,
    resolve_db_target,
    sqlite_file,
    target_url,
)
from annotator.store.errors import (
    DatabaseError,
    NotFound,
    one_line,
)
from annotator.store.migrate import current_revision, head_revision, upgrade_database
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
from annotator.store.queries import DOCS_HINT
from annotator.store.suggestions import (
    REJECT,
    RUN,
    Propose,
    SuggestionRun,
    SuggestionsStored,
    rejected,
)

DOCUMENT_CHUNK = 500
"""Documents per query when streaming documents."""
ANNOTATION_CHUNK = 5000
"""Annotations per query (at least one whole document) when streaming annotations."""
ID_CHUNK = 500
"""Document ids per query when counting the annotations of given documents."""

T = TypeVar("T")
ANNOTATIONS = cast(Table, AnnotationRow.__table__)


class Repository:
    """Documents, annotations, statuses and their history in one SQLite file or PostgreSQL.

    Build it with ``Repository.open(target)`` or ``Repository.in_memory()``; no engine exists
    before that, and ``close()`` releases it. Methods are safe to call from several threads.
    """

    url: str
    """Where the data lives, for display (password hidden)."""

    upgrade_notes: tuple[str, ...] = ()
    """What opening the database upgraded: the backup made and what the migrations report."""

    def __init__(self, engine: Engine, scheme: Scheme, scheme_revision: int) -> None:
        self._engine = engine
        self._write_engine = engine.execution_options(**{WRITE: True})
        self._scheme = scheme
        self._scheme_revision = scheme_revision
        self.url = display_url(engine.url)
        self.backend = engine.dialect.name
        """``sqlite`` or ``postgresql``."""
        # One in-memory SQLite connection is shared by every thread (StaticPool): serialize
        # units of work so one thread's transaction never interleaves with another's.
        self._lock: AbstractContextManager[Any] = (
            threading.RLock() if queries.shared_connection(engine) else nullcontext()
        )
        self._account: str | bool | None = False  # False: not looked up yet
        self._writers = WriterQueue(sqlite_file(engine.url))
        self._known = queries.Known()

    # ------------------------------------------------------------------ opening and closing

    @classmethod
    def open(
        cls,
        target: str | None = None,
        *,
        scheme: Scheme | None = None,
        scheme_body: str | None = None,
        create: bool = True,
        upgrade: bool = True,
    ) -> Repository:
        """Open (creating or upgrading) the database at ``target``.

        ``target`` is a file path or an SQLAlchemy URL; None means ``$ANNOTATOR_DB``, else
        ``annotations.db`` in the current folder. A new database is bound to ``scheme``
        (default: the bundled ``source-bias.yaml``); an existing one keeps its scheme, and a
        different ``scheme`` raises ``SchemeMismatch`` instead of switching silently.

        Without ``create`` a missing or empty SQLite file is refused rather than made into a
        database; without ``upgrade`` a database at an older revision is refused rather than
        upgraded. A SQLite file of another program is refused before it is opened, so it is
        left exactly as it was.
        """
        if scheme is not None and scheme_body is None:
            scheme_body = schemes.storable_body(scheme)
        url = target_url(resolve_db_target(target))
        path = sqlite_file(url)
        if path is not None:
            check_sqlite_file(path, create=create)
        return cls._start(url, scheme, scheme_body, upgrade=upgrade)

    @classmethod
    def in_memory(cls, scheme: Scheme | None = None) -> Repository:
        """A private in-memory database (one shared connection), for tests and previews."""
        return cls._start(URL.create("sqlite+pysqlite"), scheme, None)

    @classmethod
    def _start(
        cls, url: URL, scheme: Scheme | None, scheme_body: str | None, *, upgrade: bool = True
    ) -> Repository:
        engine = make_engine(url)
        notes: list[str] = []
        try:
            if not upgrade:
                refuse_old_revision(engine)
            backup = upgrade_database(engine, notes=notes)
            bound, revision = retry.run(lambda: schemes.bind_scheme(engine, scheme, scheme_body))
        except sa_exc.DBAPIError as exc:
            # Covers a locked or unreadable file and a file that is not a database at all.
            engine.dispose()
            raise DatabaseError(
                f"cannot open {display_url(url)}: {one_line(exc.orig)};"
                " point --db at an annotator database or a new file"
            ) from None
        except GARBAGE as exc:
            engine.dispose()
            path = sqlite_file(url)
            problem = quick_check(path) if path is not None else None
            if problem is None:
                raise
            raise DatabaseError(
                f"cannot open {display_url(url)}: the file is damaged ({problem}; reading it"
                f" gave {type(exc).__name__}); restore a backup or point --db at another file"
            ) from None
        except BaseException:
            engine.dispose()
            raise
        repository = cls(engine, bound, revision)
        if backup is not None:
            notes.insert(
                0,
                f"upgraded {repository.url} to the current database revision; the file as it"
                f" was is kept as {backup}",
            )
        repository.upgrade_notes = tuple(notes)
        return repository

    def account(self) -> str | None:
        """The PostgreSQL login this repository is restricted to, or None.

        A reviewer's role made by ``annotator db grant`` reads only its own annotations
        (row-level security); the owner of the tables, a superuser and any SQLite connection
        are not restricted (None).
        """
        if self._account is False:
            self._account = None
            if self.backend == "postgresql":
                with self._read() as session:
                    self._account = queries.restricted_role(session)
        return self._account if isinstance(self._account, str) else None

    def close(self) -> None:
        """Release every connection (an SQLite file is checkpointed by its last one)."""
        self._engine.dispose()
        self._writers.tidy()

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
            except sa_exc.DBAPIError as exc:
                raise DatabaseError(
                    f"cannot read {self.url}: {one_line(exc.orig)}{damage_hint(exc)}"
                ) from None
            except GARBAGE as exc:
                self._refuse_if_damaged(exc)
                raise

    def _attempt(self, work: Callable[[Session], T]) -> T:
        with (
            self._lock,
            self._writers.turn(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            try:
                return work(session)
            except GARBAGE as exc:
                self._refuse_if_damaged(exc)
                raise

    def _refuse_if_damaged(self, error: Exception) -> None:
        """After a read gave something no intact database holds (text that is not UTF-8, a
        row pointing nowhere), say the file is damaged, if SQLite's own check agrees; else
        the error is a bug and goes on as it is."""
        path = sqlite_file(self._engine.url)
        if path is None:
            return
        problem = quick_check(path)
        if problem is not None:
            raise DatabaseError(
                f"cannot read {self.url}: the file is damaged ({problem}; reading it gave"
                f" {type(error).__name__}); `annotator db check` says where, restore a backup"
            ) from None

    def _transact(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction, committed before this returns.

        A transient error (busy, serialization failure, a concurrent insert of the same row)
        rolls the transaction back and runs ``work`` again (see ``annotator.store.retry``);
        what remains is one line, and nothing was changed.
        """
        try:
            return retry.run(lambda: self._attempt(work))
        except sa_exc.IntegrityError as exc:
            raise DatabaseError(
                f"{self.url} refused the change ({one_line(exc.orig)}); nothing was changed"
            ) from None
        except sa_exc.DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == "42501":  # insufficient_privilege
                raise DatabaseError(
                    f"{self.url} does not let this login do that ({one_line(exc.orig)});"
                    " importing, merging and granting logins are for the database's owner;"
                    " nothing was changed"
                ) from None
            if retry.transient(exc):
                raise DatabaseError(
                    f"{self.url} stayed busy with other writers ({one_line(exc.orig)}, tried"
                    f" {retry.ATTEMPTS} times); nothing was changed; try again"
                ) from None
            raise DatabaseError(
                f"cannot write to {self.url}: {one_line(exc.orig)}; nothing was changed"
                f"{damage_hint(exc)}"
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

        def work(session: Session) -> SchemeUpdate:
            latest = session.scalars(
                select(SchemeRow).order_by(SchemeRow.revision.desc()).limit(1)
            ).one()
            orphaned = schemes.orphans(session, scheme)
            if latest.sha256 == schemes.scheme_sha(body) and scheme == self._scheme:
                return SchemeUpdate(revision=latest.revision, changed=False, orphaned=orphaned)
            row = SchemeRow(
                revision=latest.revision + 1,
                name=scheme.name,
                version=scheme.version,
                body=body,
                sha256=schemes.scheme_sha(body),
                created_at=history.now(),
            )
            session.add(row)
            history.log(
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
            return SchemeUpdate(revision=row.revision, changed=True, orphaned=orphaned)

        update = self._transact(work)
        if update.changed:
            self._scheme = scheme
            self._scheme_revision = update.revision
        return update

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

        def work(session: Session) -> Annotator:
            row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == name)).first()
            if row is None:
                row = AnnotatorRow(name=name, role=role, created_at=history.now())
                session.add(row)
                session.flush()
                history.log(session, row.id, None, "annotator", after={"name": name, "role": role})
            return converters.to_annotator(row)

        return self._transact(work)

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
                segments: dict[int, list[tuple[int, int]]] = {row.id: [] for row in rows}
                for document_id, start, end in session.execute(
                    select(SegmentRow.document_id, SegmentRow.start, SegmentRow.end)
                    .where(SegmentRow.document_id.between(rows[0].id, rows[-1].id))
                    .order_by(SegmentRow.document_id, SegmentRow.index)
                ):
                    segments[document_id].append((start, end))
                chunk = [converters.to_document(row, tuple(segments[row.id])) for row in rows]
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

        def work(session: Session) -> ImportResult:
            bulk = BulkImport(
                session.connection(), self._scheme, now=history.now(), provenance=provenance
            )
            result = bulk.run(docs, on_progress)
            history.log(
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

        # A retried transaction reads the documents again: keep them.
        docs = docs if isinstance(docs, Sequence) else list(docs)
        return self._transact(work)

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
        """Add a span on a span layer; overlapping spans are allowed (see :meth:`tag_span`)."""
        return self.tag_span(
            annotator,
            document_id,
            layer,
            label,
            start,
            end,
            attrs=attrs,
            origin=origin,
            provenance=provenance,
        ).annotation

    def tag_span(
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
        touch: bool = False,
    ) -> Saved:
        """Add a span on a span layer, once.

        The same span (annotator, layer, label, offsets) is stored once: asking again, say
        from a second terminal, returns the one stored, unchanged, ``fresh`` False. With
        ``touch`` a new span moves the author's status on the document to ``in_progress`` in
        the same transaction (see :class:`~annotator.store.dto.Saved`).
        """

        def work(session: Session) -> tuple[Annotation, bool, int]:
            self._known.length(session, document_id)
            annotator_id = self._known.author(session, annotator)
            table = ANNOTATIONS
            same = session.execute(
                select(table).where(
                    table.c.document_id == document_id,
                    table.c.annotator_id == annotator_id,
                    table.c.layer == layer,
                    table.c.label == label,
                    table.c.start == start,
                    table.c.end == end,
                )
            ).first()
            if same is not None:
                return converters.annotation_from(same._mapping, annotator), False, annotator_id
            moment = history.now()
            values: dict[str, Any] = {
                "document_id": document_id,
                "annotator_id": annotator_id,
                "layer": layer,
                "label": label,
                "start": start,
                "end": end,
                "segment": None,
                "attrs": dict(attrs or {}),
                "origin": origin,
                "provenance": provenance,
                "created_at": moment,
                "updated_at": moment,
            }
            # A plain INSERT: the unit of work's bookkeeping costs more than the row.
            values["id"] = session.execute(
                insert(table).values(**values).returning(table.c.id)
            ).scalar_one()
            made = converters.annotation_from(values, annotator)
            after = converters.snapshot_from(values, annotator)
            history.log(session, annotator_id, document_id, "add", made.id, after=after)
            return made, True, annotator_id

        return self._save(work, touch)

    def _save(self, work: Callable[[Session], tuple[Annotation, bool, int]], touch: bool) -> Saved:
        """Run a change to one annotation; with ``touch`` also move the author's status."""

        def unit(session: Session) -> Saved:
            annotation, fresh, annotator_id = work(session)
            previous = None
            if touch and fresh:
                previous = queries.touch_status(session, annotator_id, annotation.document_id)
            return Saved(annotation, fresh, previous)

        return self._transact(unit)

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
        return self.label_sentence(
            annotator,
            document_id,
            layer,
            segment_index,
            label,
            attrs=attrs,
            origin=origin,
            provenance=provenance,
        ).annotation

    def label_sentence(
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
        touch: bool = False,
    ) -> Saved:
        """:meth:`set_segment_label`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            self._known.length(session, document_id)
            segment = (
                session.execute(
                    select(SegmentRow.start, SegmentRow.end).where(
                        SegmentRow.document_id == document_id, SegmentRow.index == segment_index
                    )
                ).first()
                if queries.storable(segment_index)
                else None
            )
            if segment is None:
                count = session.scalar(
                    select(func.count()).where(SegmentRow.document_id == document_id)
                )
                raise NotFound(
                    f"document {document_id} has no sentence {segment_index + 1}"
                    f" (it has {count}, counted from 1)"
                )
            annotator_id = self._known.author(session, annotator)
            table = ANNOTATIONS
            found = session.execute(
                select(table).where(
                    table.c.document_id == document_id,
                    table.c.annotator_id == annotator_id,
                    table.c.layer == layer,
                    table.c.segment == segment_index,
                )
            ).first()
            moment = history.now()
            if found is None:
                values: dict[str, Any] = {
                    "document_id": document_id,
                    "annotator_id": annotator_id,
                    "layer": layer,
                    "label": label,
                    "start": segment.start,
                    "end": segment.end,
                    "segment": segment_index,
                    "attrs": dict(attrs or {}),
                    "origin": origin,
                    "provenance": provenance,
                    "created_at": moment,
                    "updated_at": moment,
                }
                values["id"] = session.execute(
                    insert(table).values(**values).returning(table.c.id)
                ).scalar_one()
                after = converters.snapshot_from(values, annotator)
                history.log(session, annotator_id, document_id, "add", values["id"], after=after)
                return converters.annotation_from(values, annotator), True, annotator_id
            current = dict(found._mapping)
            clean = dict(current["attrs"] or {}) if attrs is None else dict(attrs)
            if current["label"] == label and dict(current["attrs"] or {}) == clean:
                return converters.annotation_from(current, annotator), True, annotator_id
            before = converters.snapshot_from(current, annotator)
            changes = {
                "label": label,
                "attrs": clean,
                "origin": origin,
                "provenance": provenance,
                "updated_at": moment,
            }
            session.execute(update(table).where(table.c.id == current["id"]).values(**changes))
            current.update(changes)
            after = converters.snapshot_from(current, annotator)
            history.log(
                session,
                annotator_id,
                document_id,
                "update",
                current["id"],
                before=before,
                after=after,
            )
            return converters.annotation_from(current, annotator), True, annotator_id

        return self._save(work, touch)

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
        return self.edit_annotation(
            annotator, annotation_id, start=start, end=end, label=label, attrs=attrs
        ).annotation

    def edit_annotation(
        self,
        annotator: str,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
        touch: bool = False,
    ) -> Saved:
        """:meth:`update_annotation`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            row, annotator_id = queries.own_annotation(session, annotator, annotation_id)
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
                return converters.to_annotation(row, annotator), True, annotator_id
            before = converters.snapshot(row, annotator)
            row.start, row.end, row.label, row.attrs = new_start, new_end, new_label, clean
            row.updated_at = history.now()
            session.flush()
            after = converters.snapshot(row, annotator)
            history.log(
                session, annotator_id, row.document_id, "update", row.id, before=before, after=after
            )
            return converters.to_annotation(row, annotator), True, annotator_id

        return self._save(work, touch)

    def remove_annotation(self, annotator: str, annotation_id: int) -> Annotation:
        """Delete one of ``annotator``'s own annotations; returns it as it was."""
        return self.delete_annotation(annotator, annotation_id).annotation

    def delete_annotation(
        self, annotator: str, annotation_id: int, *, touch: bool = False
    ) -> Saved:
        """:meth:`remove_annotation`, and with ``touch`` the author's status moved to
        ``in_progress`` in the same transaction."""

        def work(session: Session) -> tuple[Annotation, bool, int]:
            row, annotator_id = queries.own_annotation(session, annotator, annotation_id)
            removed = converters.to_annotation(row, annotator)
            before = converters.snapshot(row, annotator)
            session.delete(row)
            history.log(
                session, annotator_id, row.document_id, "remove", annotation_id, before=before
            )
            return removed, True, annotator_id

        return self._save(work, touch)

    # ------------------------------------------------------------------ adjudication

    def decisions(
        self, adjudicator: str, document_ids: Sequence[int] | None = None
    ) -> list[Decision]:
        """An adjudicator's decisions (optionally on some documents), by document, layer and
        offset."""
        with self._read() as session:
            annotator_id = queries.annotator_id(session, adjudicator)
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
        segment_layers = [layer.name for layer in self._scheme.segment_layers]

        def work(session: Session) -> dict[int, list[Annotation]]:
            added: dict[int, list[Annotation]] = {}
            annotator_id = self._known.author(session, adjudicator)
            now = history.now()
            for document_id in sorted(rulings):
                if not rulings[document_id]:
                    continue
                self._known.length(session, document_id)
                new, before, after = decisions.write_rulings(
                    session,
                    annotator_id,
                    adjudicator,
                    document_id,
                    rulings[document_id],
                    now,
                    segment_layers,
                )
                history.log(
                    session, annotator_id, document_id, "decide", before=before, after=after
                )
                added[document_id] = new
            return added

        return self._transact(work)

    # ------------------------------------------------------------------ suggestions

    def replace_suggestions(
        self,
        machine: str,
        propose: Propose,
        *,
        document_ids: Sequence[int] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> SuggestionsStored:
        """Replace the undecided suggestions of the machine annotator ``machine`` (created if
        missing) on the documents (all, or ``document_ids``) by what ``propose`` gives for
        each batch of them, in ONE transaction; suggestions a reviewer has decided stay
        (``annotator.store.suggestions``). ``on_progress`` gets the documents done so far."""

        def work(session: Session) -> SuggestionsStored:
            run = SuggestionRun(session.connection(), self._scheme, now=history.now())
            machine_id, created = run.machine(machine)
            for batch in run.documents_in(document_ids):
                run.replace(machine_id, list(zip(batch, propose(batch), strict=True)))
                if on_progress is not None:
                    on_progress(run.documents)
            history.log(
                session,
                machine_id,
                None,
                RUN,
                after={
                    "documents": run.documents,
                    "added": run.added,
                    "removed": run.removed,
                    "kept": run.kept,
                },
            )
            return SuggestionsStored(
                machine, run.documents, run.added, run.removed, run.kept, created
            )

        return self._transact(work)

    def suggestions(self, document_id: int) -> list[Annotation]:
        """The suggestions of every machine annotator on one document, in text order.

        Any reviewer may read them: machines are not reviewers, so blindness holds.
        """
        with self._read() as session:
            rows = session.execute(
                select(AnnotationRow, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
                .where(AnnotationRow.document_id == document_id, AnnotatorRow.role == "machine")
                .order_by(
                    AnnotationRow.start, AnnotationRow.end, AnnotationRow.layer, AnnotationRow.id
                )
            )
            return [converters.to_annotation(row, name) for row, name in rows]

    def suggestion(self, suggestion_id: int) -> Annotation:
        """One machine suggestion; ``NotFound`` for anything else (a reviewer's annotation)."""
        with self._read() as session:
            found = session.execute(
                select(AnnotationRow, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
                .where(AnnotationRow.id == suggestion_id, AnnotatorRow.role == "machine")
            ).first()
            if found is None:
                raise NotFound(
                    f"there is no suggestion {suggestion_id}; it may have been replaced by a"
                    " new run of `annotator suggest`"
                )
            return converters.to_annotation(found[0], found[1])

    def rejected_suggestions(self, annotator: str, document_id: int) -> frozenset[int]:
        """The suggestions on the document whose rejection by ``annotator`` stands."""
        with self._read() as session:
            annotator_id = queries.annotator_id(session, annotator)
            if annotator_id is None:
                return frozenset()
            return frozenset(rejected(session.connection(), [document_id], annotator_id))

    def reject_suggestion(self, annotator: str, suggestion_id: int) -> Annotation:
        """Record that ``annotator`` rejects the suggestion (an undoable ``reject`` event);
        rejecting it again changes nothing. Returns the suggestion."""

        def work(session: Session) -> Annotation:
            found = session.execute(
                select(AnnotationRow, AnnotatorRow.name)
                .join(AnnotatorRow, AnnotatorRow.id == AnnotationRow.annotator_id)
                .where(AnnotationRow.id == suggestion_id, AnnotatorRow.role == "machine")
            ).first()
            if found is None:
                raise NotFound(
                    f"there is no suggestion {suggestion_id}; it may have been replaced by a"
                    " new run of `annotator suggest`"
                )
            row, machine = found
            annotator_id = queries.author_id(session, annotator)
            standing = rejected(session.connection(), [row.document_id], annotator_id)
            if suggestion_id not in standing:
                history.log(
                    session,
                    annotator_id,
                    row.document_id,
                    REJECT,
                    suggestion_id,
                    after=converters.snapshot(row, machine),
                )
            return converters.to_annotation(row, machine)

        return self._transact(work)

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

    def set_status(self, annotator: str, document_id: int, status: DocStatus) -> None:
        """Mark a document todo, in progress or done for ``annotator``."""

        def work(session: Session) -> None:
            self._known.length(session, document_id)
            annotator_id = self._known.author(session, annotator)
            queries.put_status(session, annotator_id, document_id, status)

        return self._transact(work)

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

    def undo(self, annotator: str) -> Event | None:
        """Revert ``annotator``'s latest change not yet undone, on whatever document.

        Returns the event reverted, or None when there is nothing to undo. Works across
        restarts: the stacks are computed from the events log.
        """
        return self.step_history(annotator, "undo")[0]

    def redo(self, annotator: str) -> Event | None:
        """Re-apply ``annotator``'s latest undone change; None when there is nothing to redo."""
        return self.step_history(annotator, "redo")[0]

    def step_history(
        self, name: str, action: str, *, touch: bool = False
    ) -> tuple[Event | None, DocStatus | None]:
        """Undo (``action`` "undo") or redo; with ``touch`` also move the author's status on
        the document the change was in to ``in_progress``, returning the one before."""

        def work(session: Session) -> tuple[Event | None, DocStatus | None]:
            annotator_id = queries.annotator_id(session, name)
            if annotator_id is None:
                return None, None
            queries.hold_reviewer(session, annotator_id)
            layers = [layer.name for layer in self._scheme.segment_layers]
            event = history.step(session, annotator_id, name, action, layers)
            previous = None
            # A decision on a suggestion changes none of the reviewer's work: no status moves.
            moved = event is not None and event.action not in history.SUGGESTION_DECISIONS
            if touch and moved and event is not None and event.document_id is not None:
                previous = queries.touch_status(session, annotator_id, event.document_id)
            return event, previous

        return self._transact(work)

    # ------------------------------------------------------------------ the team's database

    def backup(self, target: Path) -> int:
        """Copy this SQLite database to the new file ``target`` while others may write;
        returns its size. PostgreSQL is backed up with ``pg_dump`` instead."""
        path = sqlite_file(self._engine.url)
        if path is None:
            raise DatabaseError(
                f"{self.url} is not a SQLite file: back PostgreSQL up with pg_dump"
                " (pg_dump -Fc -f FILE DATABASE), restore with pg_restore"
            )
        if target.resolve() == path.resolve():
            raise DatabaseError(f"{target} is the database itself; give the backup a new name")
        return health.backup_file(path, target)

    def grant(self, name: str, role: Role, password: str | None = None) -> tuple[bool, str]:
        """PostgreSQL: make (or update) ``name``'s own login, limited by row-level security
        to their own annotations unless ``role`` is ``adjudicator``; returns whether the
        login is new and the annotator's previous role ("" when new)."""
        if self.backend != "postgresql":
            raise DatabaseError(
                f"{self.url} is a SQLite file: whoever can read it reads everything, so there"
                " are no logins to grant; give reviewers a PostgreSQL database, or add them"
                " with `annotator annotators add NAME --role ROLE`"
            )
        return self._transact(lambda session: accounts.grant(session, name, role, password))

    def revoke(self, name: str) -> bool:
        """PostgreSQL: take ``name``'s login away (their annotations stay); returns whether
        the login was dropped (False: it still has privileges in another database)."""
        if self.backend != "postgresql":
            raise DatabaseError(
                f"{self.url} is a SQLite file: it has no logins to revoke; to keep someone"
                " out, keep the file from them"
            )
        return self._transact(lambda session: accounts.revoke(session, name))

    def merge(self, plan: MergePlan) -> MergeResult:
        """Write a merge plan (see ``annotator.service.merging``) in one transaction."""
        return self._transact(lambda session: merging.apply_plan(session, self._scheme, plan))

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


def refuse_old_revision(engine: Engine) -> None:
    """Refuse a database that is not at the newest revision (it is not upgraded here)."""
    head = head_revision()
    with engine.connect() as connection:
        revision = current_revision(connection)
        connection.rollback()
    if revision != head:
        raise DatabaseError(
            f"{display_url(engine.url)} is at database revision {revision or 'none'}, not"
            f" {head}; open it once with this version of annotator (which upgrades it) first"
        )


class WriterQueue:
    """Writers to one SQLite file take turns in the order the kernel wakes them.

    SQLite makes a writer that finds the file locked sleep and try again, sleeping longer each
    time (up to 100 ms a try): with eight writers an unlucky one waits most of a second while
    the others get in. Holding an exclusive ``flock`` on ``<file>-writer`` for the length of a
    write transaction queues writers in the kernel instead, and the next one is woken the
    moment the file is free. Readers never wait (WAL), and other programs writing the file
    without this lock are still kept apart by SQLite's own locking. Not used for PostgreSQL,
    in-memory databases, or where ``fcntl`` is missing.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = None if path is None else path.with_name(f"{path.name}-writer")

    @contextmanager
    def turn(self) -> Iterator[None]:
        if self._path is None or fcntl is None:
            yield
            return
        try:
            handle = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:  # a read-only folder: SQLite's own locking still applies
            yield
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # releases the lock

    def tidy(self) -> None:
        """Remove the lock file when no writer holds or waits for it (on close), so it does not
        outlive the work. A writer that opened it just before keeps a lock on the removed file
        for one transaction; SQLite's own locking still keeps that one apart."""
        if self._path is None or fcntl is None:
            return
        try:
            handle = os.open(self._path, os.O_RDWR)
        except OSError:
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._path.unlink(missing_ok=True)
        except OSError:
            pass  # another writer is at work: it stays
        finally:
            os.close(handle)


GARBAGE = (UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError, OverflowError)
"""What reading a damaged file can raise besides the driver's own errors."""


def quick_check(path: Path) -> str | None:
    """SQLite's ``PRAGMA integrity_check`` and ``foreign_key_check`` of the file, read-only:
    None when both pass, else the first problem found. Slow on a large file: only for when
    something already went wrong."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return " ".join(str(exc).split())
    try:
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        first = str(rows[0][0]) if rows else "no answer"
        if first != "ok":
            return " ".join(first.split())
        dangling = connection.execute("PRAGMA foreign_key_check").fetchone()
        if dangling is not None:
            return f"a row of {dangling[0]} points to a missing row of {dangling[2]}"
        return None
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return " ".join(str(exc).split())
    finally:
        connection.close()


def damage_hint(error: sa_exc.DBAPIError) -> str:
    """Advice for a SQLite file that is damaged (not for a busy or refused one)."""
    message = str(error.orig).lower()
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return "; the file is damaged: `annotator db check` says where, restore a backup"
    return ""
