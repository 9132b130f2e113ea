"""One PostgreSQL login per reviewer, and what it may read and write.

Revision 0002 turns on row-level security for ``annotations``, ``document_status`` and
``events``: a login other than the owner of the tables sees only the rows of the annotator
with its own name, unless that annotator's role is ``adjudicator``, and writes only its own
rows. :func:`grant` makes such a login for a reviewer (or updates it) and gives it the table
privileges a reviewer needs: read the documents, the scheme and who annotates; read and write
its own annotations, statuses and history, and, for an adjudicator, decisions. It cannot
import, merge or change anyone's role.

Role names are the annotators' names, so ``current_user`` tells the database who is working;
every statement quotes them with PostgreSQL's own ``format('%I')``. A password never travels
in a statement: libpq hashes it into a SCRAM-SHA-256 verifier on the client (as psql's
``\\password`` does), so the server and its logs only ever see the verifier. :func:`revoke` takes
a login's privileges on this database away again and drops the login when nothing else
needs it; the reviewer's annotations stay.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from annotator.store import queries
from annotator.store.dto import Role
from annotator.store.errors import InvalidInput
from annotator.store.models import AnnotatorRow

MAX_ROLE_BYTES = 63
"""PostgreSQL truncates identifiers longer than this, in bytes."""

READ_ONLY = ("documents", "segments", "schemes", "annotators", "alembic_version")
READ_WRITE = ("annotations", "document_status")
APPEND = ("events",)
ADJUDICATING = ("decisions",)
"""Tables only an adjudicator's login may use (their decisions on disagreements)."""
SEQUENCES = (("annotations", "id"), ("events", "id"))


def _run(session: Session, template: str, *values: str) -> None:
    """Execute a statement built by PostgreSQL's ``format()`` from ``template``."""
    marks = ", ".join(f"CAST(:v{i} AS text)" for i in range(len(values)))
    statement = session.scalar(
        text(f"SELECT format(CAST(:template AS text), {marks})"),
        {"template": template, **{f"v{i}": value for i, value in enumerate(values)}},
    )
    # Colons are escaped so that text() reads none of the formatted values (a password's
    # verifier, a name) as one of its own :bind parameters.
    session.execute(text(str(statement).replace(":", "\\:")))


def check_role_name(name: str) -> None:
    if len(name.encode("utf-8")) > MAX_ROLE_BYTES:
        raise InvalidInput(
            f"{name!r} is longer than PostgreSQL's {MAX_ROLE_BYTES} bytes for a login name;"
            " use a shorter name"
        )
    if name.lower().startswith("pg_"):
        raise InvalidInput(f"{name!r}: names starting with pg_ are PostgreSQL's own")


def grant(session: Session, name: str, role: Role, password: str | None) -> tuple[bool, str]:
    """Create (or update) the login ``name`` and its privileges, and the annotator ``name``
    with ``role``; returns whether the login is new and the annotator's previous role ("" if
    new)."""
    check_role_name(name)
    owner = session.scalar(text("SELECT current_user"))
    if name == owner:
        raise InvalidInput(
            f"{name!r} is the login that owns the database; reviewers need logins of their own"
        )
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name})
    verb = "ALTER" if exists else "CREATE"
    if password is None:
        _run(session, f"{verb} ROLE %I LOGIN", name)
    else:
        _run(session, f"{verb} ROLE %I LOGIN PASSWORD %L", name, _verifier(session, name, password))
    database = str(session.scalar(text("SELECT current_database()")))
    schema = str(session.scalar(text("SELECT current_schema()")))
    _run(session, "GRANT CONNECT ON DATABASE %I TO %I", database, name)
    _run(session, "GRANT USAGE ON SCHEMA %I TO %I", schema, name)
    for table in READ_ONLY:
        _run(session, "GRANT SELECT ON %I.%I TO %I", schema, table, name)
    for table in READ_WRITE:
        _run(session, "GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I", schema, table, name)
    for table in APPEND:
        _run(session, "GRANT SELECT, INSERT ON %I.%I TO %I", schema, table, name)
    for table in ADJUDICATING:
        if role == "adjudicator":
            _run(
                session, "GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I", schema, table, name
            )
        else:
            _run(session, "REVOKE ALL ON %I.%I FROM %I", schema, table, name)
    for sequence in _sequences(session, schema):
        session.execute(
            text(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {_quoted(session, name)}")
        )
    row = session.scalars(select(AnnotatorRow).where(AnnotatorRow.name == name)).first()
    if row is None:
        queries.add_annotator(session, name, role)
        return not exists, ""
    before = row.role
    if row.role != role:
        queries.set_role(session, row, role)
    return not exists, before


def revoke(session: Session, name: str) -> bool:
    """Take every privilege ``grant`` gave the login ``name`` on this database away and drop
    the login unless it holds privileges elsewhere (another database on the same server);
    returns whether it was dropped. The annotator and their work stay."""
    check_role_name(name)
    owner = session.scalar(text("SELECT current_user"))
    if name == owner:
        raise InvalidInput(f"{name!r} is the login that owns the database; it cannot be revoked")
    exists = session.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": name})
    if not exists:
        raise InvalidInput(
            f"there is no login {name!r} on this server; `annotator db grant NAME` makes one"
        )
    database = str(session.scalar(text("SELECT current_database()")))
    schema = str(session.scalar(text("SELECT current_schema()")))
    for table in (*READ_ONLY, *READ_WRITE, *APPEND, *ADJUDICATING):
        _run(session, "REVOKE ALL ON %I.%I FROM %I", schema, table, name)
    for sequence in _sequences(session, schema):
        session.execute(text(f"REVOKE ALL ON SEQUENCE {sequence} FROM {_quoted(session, name)}"))
    _run(session, "REVOKE ALL ON SCHEMA %I FROM %I", schema, name)
    _run(session, "REVOKE ALL ON DATABASE %I FROM %I", database, name)
    elsewhere = session.scalar(
        text(
            "SELECT 1 FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid"
            " WHERE r.rolname = :name AND d.dbid <> (SELECT oid FROM pg_database"
            " WHERE datname = current_database()) LIMIT 1"
        ),
        {"name": name},
    )
    if elsewhere:
        return False
    _run(session, "DROP ROLE %I", name)
    return True


def _verifier(session: Session, name: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of ``password``, made by libpq on this side of the
    connection so that the clear password is never sent or logged."""
    raw = session.connection().connection.driver_connection
    pgconn = getattr(raw, "pgconn", None)
    if pgconn is None:
        raise InvalidInput("setting a password needs the psycopg driver (postgresql+psycopg://)")
    hashed: bytes = pgconn.encrypt_password(
        password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256"
    )
    return hashed.decode("ascii")


def _sequences(session: Session, schema: str) -> Iterator[str]:
    """The sequences of ``SEQUENCES`` (quoted, with their schema) that this database has."""
    for table, column in SEQUENCES:
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": f"{schema}.{table}", "column": column},
        )
        if sequence is not None:
            yield str(sequence)


def _quoted(session: Session, name: str) -> str:
    return str(session.scalar(text("SELECT quote_ident(:name)"), {"name": name}))
