"""Looking after a database file: an online backup, and a check of everything it must hold.

``annotator db backup`` copies a SQLite file with SQLite's online backup API: one consistent
snapshot, taken while other reviewers keep writing (WAL readers never block writers). A
PostgreSQL database is backed up with ``pg_dump``.

``annotator db check`` runs SQLite's own integrity and foreign-key checks, then the rules the
store relies on: the database at the newest revision, the unique rules (one label per
annotator and sentence on a segment layer, no two identical spans) with their indexes, labels
of segment layers on a sentence, offsets inside the text, and no control characters in the
strings a reviewer's terminal shows. Each finding is one line; none means the database is
sound.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine, and_, func, inspect, or_, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.core.text import has_control
from annotator.store.engine import (
    display_url,
    make_engine,
    probe_sqlite,
    resolve_db_target,
    sqlite_file,
    target_url,
)
from annotator.store.errors import DatabaseError
from annotator.store.migrate import current_revision, head_revision
from annotator.store.models import (
    AnnotationRow,
    AnnotatorRow,
    DocumentRow,
    SchemeRow,
    SegmentRow,
)

SHOWN = 10
"""Examples listed per kind of finding; the rest are counted."""
UNIQUE_INDEXES = ("uq_annotations_span", "uq_annotations_segment")


def backup_file(source: Path, target: Path) -> int:
    """Copy the SQLite file ``source`` to the new file ``target``; returns its size in bytes.

    The copy is written beside ``target`` as ``TARGET.incomplete-PID`` and renamed when
    complete, so ``target`` is never a half-written database. It is one consistent snapshot
    even while others write to ``source``.
    """
    if target.exists():
        raise DatabaseError(f"{target} exists; give the backup a new file name")
    if not target.parent.is_dir():
        raise DatabaseError(f"cannot write {target}: folder {target.parent} does not exist")
    partial = target.with_name(f"{target.name}.incomplete-{os.getpid()}")
    try:
        origin = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        try:
            copy = sqlite3.connect(partial)
            try:
                origin.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                copy.close()
        finally:
            origin.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"cannot back up {source} to {target}: {exc}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def sqlite_findings(path: Path) -> list[str]:
    """SQLite's own checks of the file (read-only): damaged pages, dangling references."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        return [f"SQLite cannot open the file: {exc}"]
    findings: list[str] = []
    try:
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
        integrity = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            findings.extend(f"integrity: {line}" for line in integrity[:SHOWN])
            if len(integrity) > SHOWN:
                findings.append(f"integrity: and {len(integrity) - SHOWN} more problems")
            return findings
        dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
        for table, rowid, parent, _ in dangling[:SHOWN]:
            findings.append(f"foreign keys: row {rowid} of {table} points to no row of {parent}")
        if len(dangling) > SHOWN:
            findings.append(f"foreign keys: and {len(dangling) - SHOWN} more dangling rows")
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        findings.append(f"SQLite cannot read the file: {exc}")
    finally:
        connection.close()
    return findings


def revision_findings(engine: Engine) -> list[str]:
    """The database must be at the newest revision for the other checks to mean anything."""
    with engine.connect() as connection:
        revision = current_revision(connection)
        connection.rollback()
    head = head_revision()
    if revision == head:
        return []
    return [
        f"revision: the database is at {revision or 'no revision'}, this annotator writes"
        f" {head}; any command upgrades it (a SQLite file is backed up first)"
    ]


def _listed(kind: str, items: list[str], total: int | None = None) -> Iterable[str]:
    count = len(items) if total is None else total
    yield from (f"{kind}: {item}" for item in items[:SHOWN])
    if count > SHOWN:
        yield f"{kind}: and {count - SHOWN} more"


def rule_findings(session: Session, scheme: Scheme) -> list[str]:
    """The store's own rules, read through ``session`` (a database at the newest revision)."""
    findings: list[str] = []
    indexes = {index["name"] for index in inspect(session.connection()).get_indexes("annotations")}
    for name in UNIQUE_INDEXES:
        if name not in indexes:
            findings.append(f"unique rules: the index {name} is missing")
    names = dict(session.execute(select(AnnotatorRow.id, AnnotatorRow.name)).all())
    ids = dict(session.execute(select(DocumentRow.id, DocumentRow.external_id)).all())

    def who(annotator: int, document: int) -> str:
        return f"{names.get(annotator, annotator)} on {ids.get(document, document)!r}"

    a = AnnotationRow
    span_key = (a.document_id, a.annotator_id, a.layer, a.label, a.start, a.end)
    twice = session.execute(
        select(*span_key, func.count()).group_by(*span_key).having(func.count() > 1)
    ).all()
    findings.extend(
        _listed(
            "unique rules",
            [
                f"{who(row[1], row[0])}: {row[2]}/{row[3]} [{row[4]}, {row[5]}) stored"
                f" {row[6]} times"
                for row in twice
            ],
        )
    )
    sentence_key = (a.document_id, a.annotator_id, a.layer, a.segment)
    labelled = session.execute(
        select(*sentence_key, func.count())
        .where(a.segment.is_not(None))
        .group_by(*sentence_key)
        .having(func.count() > 1)
    ).all()
    findings.extend(
        _listed(
            "unique rules",
            [
                f"{who(row[1], row[0])}: sentence {int(row[3] or 0) + 1} labelled {row[4]} times on"
                f" {row[2]!r}"
                for row in labelled
            ],
        )
    )
    segment_layers = [layer.name for layer in scheme.segment_layers]
    if segment_layers:
        stray = session.execute(
            select(a.id, a.annotator_id, a.document_id, a.layer, a.start, a.end)
            .outerjoin(
                SegmentRow,
                and_(
                    SegmentRow.document_id == a.document_id,
                    SegmentRow.index == a.segment,
                    SegmentRow.start == a.start,
                    SegmentRow.end == a.end,
                ),
            )
            .where(a.layer.in_(segment_layers), SegmentRow.index.is_(None))
            .order_by(a.id)
        ).all()
        findings.extend(
            _listed(
                "sentences",
                [
                    f"annotation {row[0]} ({who(row[1], row[2])}, {row[3]}) covers [{row[4]},"
                    f" {row[5]}), which is not one of the document's sentences"
                    for row in stray
                ],
            )
        )
    outside = session.execute(
        select(a.id, a.annotator_id, a.document_id, a.start, a.end, DocumentRow.n_chars)
        .join(DocumentRow, DocumentRow.id == a.document_id)
        .where(or_(a.start < 0, a.end <= a.start, a.end > DocumentRow.n_chars))
        .order_by(a.id)
    ).all()
    findings.extend(
        _listed(
            "offsets",
            [
                f"annotation {row[0]} ({who(row[1], row[2])}) [{row[3]}, {row[4]}) is outside"
                f" the text of {row[5]} characters"
                for row in outside
            ],
        )
    )
    findings.extend(_control_findings(session))
    return findings


def _control_findings(session: Session) -> Iterable[str]:
    """Strings an older release stored with control characters (shown as U+FFFD since)."""
    found: list[str] = []
    for document_id, external_id, title in session.execute(
        select(DocumentRow.id, DocumentRow.external_id, DocumentRow.title)
    ):
        if has_control(external_id) or has_control(title):
            found.append(f"document {document_id}: its id or title holds a control character")
    for annotation_id, attrs in session.execute(select(AnnotationRow.id, AnnotationRow.attrs)):
        if attrs and _json_has_control(attrs):
            found.append(f"annotation {annotation_id}: its note or attributes hold one")
    return _listed("control characters", found)


def _json_has_control(value: object) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if has_control(item, newlines=True):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def check_database(target: str) -> tuple[str, list[str]]:
    """Where the database is (for display) and every problem found in it, reading only.

    A missing, empty or foreign file raises ``DatabaseError`` (there is nothing to check);
    a damaged one is a finding. When SQLite's own checks fail, the store's rules are not
    read: the file cannot be trusted to answer.
    """
    from annotator.core.scheme_loader import SchemeError, load_scheme_text

    url = target_url(resolve_db_target(target))
    where = display_url(url)
    path = sqlite_file(url)
    if path is not None:
        found = probe_sqlite(path)
        if found.startswith("damaged"):
            return where, [f"SQLite: the file is {found}"]
        if found != "annotator":
            from annotator.store.engine import check_sqlite_file

            check_sqlite_file(path, create=False)
            raise DatabaseError(f"{path} is not an annotator database; nothing to check")
        findings = sqlite_findings(path)
        if findings:
            return where, findings
    engine = make_engine(url)
    try:
        findings = revision_findings(engine)
        if findings:
            return where, findings
        with Session(engine) as session, session.begin():
            body = session.scalar(
                select(SchemeRow.body).order_by(SchemeRow.revision.desc()).limit(1)
            )
            if body is None:
                return where, ["scheme: the database is bound to no scheme"]
            try:
                scheme = load_scheme_text(body, f"{where} (stored scheme)")
            except SchemeError as exc:
                return where, [f"scheme: the stored scheme cannot be read: {exc}"]
            findings.extend(rule_findings(session, scheme))
    except sa_exc.DBAPIError as exc:
        findings.append(f"the database refused a read: {' '.join(str(exc.orig).split())}")
    finally:
        engine.dispose()
    return where, findings
