"""The repository: every read and write of annotator data goes through ``Repository``.

Each public mutation is one committed transaction that writes the change and its row in
the events log together, so a caller that got a return value may tell the user "saved".
Reads hand out the frozen values of ``annotator.store.dto``. Annotation reads are per
annotator (blind by construction); only the bulk ``iter_annotations`` used by export and
the report sees everyone's.

``Repository`` is the one class callers use. Its methods are written by feature, each part a
mixin of :class:`~annotator.store.transactions.Transactions`, which runs the units of work:

- this module: opening and closing, the connected login, the scheme;
- ``store.reads`` (``Reads``): documents, annotations, annotators, statuses, progress, the
  change log;
- ``store.changes`` (``Changes``): a reviewer's changes to annotations and statuses, undo
  and redo;
- ``store.decisions`` (``Adjudication``): an adjudicator's decisions;
- ``store.suggestions`` (``MachineSuggestions``): machine suggestions, listed, rejected and
  replaced by a run;
- ``store.team`` (``Team``): annotators, imports, merges, logins and backups.

Mixins rather than delegation: a façade handing each call to a helper would spell every
signature and docstring twice, and most of these methods are little more than a signature, a
docstring and one unit of work. So each method is written once, in the module of its feature
beside the session-level work it runs, and ``Repository`` only lists the parts.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import history, queries, retry, schemes
from annotator.store.changes import Changes
from annotator.store.decisions import Adjudication
from annotator.store.dto import SchemeUpdate
from annotator.store.engine import (
    check_sqlite_file,
    display_url,
    make_engine,
    resolve_db_target,
    sqlite_file,
    target_url,
)
from annotator.store.errors import DatabaseError, one_line
from annotator.store.migrate import current_revision, head_revision, upgrade_database
from annotator.store.models import SchemeRow
from annotator.store.reads import Reads
from annotator.store.suggestions import MachineSuggestions
from annotator.store.team import Team
from annotator.store.transactions import GARBAGE, quick_check


class Repository(Reads, Changes, Adjudication, MachineSuggestions, Team):
    """Documents, annotations, statuses and their history in one SQLite file or PostgreSQL.

    Build it with ``Repository.open(target)`` or ``Repository.in_memory()``; no engine exists
    before that, and ``close()`` releases it. Methods are safe to call from several threads.
    """

    upgrade_notes: tuple[str, ...] = ()
    """What opening the database upgraded: the backup made and what the migrations report."""

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

    # ------------------------------------------------------------------ scheme

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
