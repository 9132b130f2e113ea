"""The team's database: who works in it, what is brought into it, and keeping it safe.

Adding annotators, importing documents and merging another database write in bulk, in one
transaction each; granting and revoking PostgreSQL logins and backing a SQLite file up are
the owner's tools (``annotator db``). The work itself lives in the modules named below
(``store.bulk``, ``store.merging``, ``store.accounts``, ``store.health``); this part of the
repository runs it as a unit of work and refuses what the backend cannot do. ``annotator db
check`` needs no repository (it must open a damaged file too): see ``store.health``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.store import accounts, converters, health, history, merging, queries
from annotator.store.bulk import BulkImport
from annotator.store.dto import Annotator, ImportResult, MergePlan, MergeResult, NewDocument, Role
from annotator.store.engine import sqlite_file
from annotator.store.errors import DatabaseError
from annotator.store.models import AnnotatorRow
from annotator.store.transactions import Transactions


class Team(Transactions):
    """The repository's operations on the team's database as a whole."""

    # ------------------------------------------------------------------ people and documents

    def ensure_annotator(self, name: str, role: Role = "annotator") -> Annotator:
        """The annotator called ``name``, created with ``role`` if new (an existing one keeps
        its role)."""

        def work(session: Session) -> Annotator:
            row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == name)).first()
            if row is None:
                row = queries.add_annotator(session, name, role)
            return converters.to_annotator(row)

        return self._transact(work)

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

    # ------------------------------------------------------------------ logins, merging and backups

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
