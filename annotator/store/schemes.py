"""The scheme a database is bound to: its first binding, new revisions, and orphans.

A database stores every revision of its scheme's file; the latest is in force. A scheme built
in code must survive a YAML round trip before it is stored, since the database will parse the
stored text again when it is next opened.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from annotator.core.scheme import Scheme
from annotator.store import history
from annotator.store.engine import WRITE, display_url
from annotator.store.errors import DatabaseError, InvalidInput, SchemeMismatch, one_line
from annotator.store.models import AnnotationRow, SchemeRow


def scheme_sha(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def bind_scheme(engine: Engine, scheme: Scheme | None, body: str | None) -> tuple[Scheme, int]:
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
                sha256=scheme_sha(body),
                created_at=history.now(),
            )
        )
        return scheme, 1


def storable_body(scheme: Scheme) -> str:
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


def orphans(session: Session, scheme: Scheme) -> dict[tuple[str, str], int]:
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
