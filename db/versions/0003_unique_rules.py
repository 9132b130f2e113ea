"""Unique rules in the database, and row-level security on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

1. ``annotations.segment``: the sentence index of a label on a segment layer (NULL for a
   span), filled from the segments table for the layers the database's scheme declares as
   segment layers.
2. Duplicates older releases could store are resolved, and reported: of two labels of one
   annotator on one sentence and layer, the one changed last stays; of identical spans (same
   annotator, layer, label and offsets), the first stays. Each annotation removed is kept in
   the events log (action ``dedupe``, the annotation in ``before``), and listed in
   ``config.attributes["annotator_notes"]`` for the command that upgraded the database to
   print. SQLite files are backed up before any upgrade.
3. Two unique indexes make the rules hold whatever program writes: ``uq_annotations_span``
   and ``uq_annotations_segment``.
4. PostgreSQL only: row-level security on ``annotations``, ``document_status``, ``events``
   and ``decisions``. The owner of the tables (who created the database) is not subject to
   it; a reviewer's login role made by ``annotator db grant`` reads only its own rows (and
   the suggestions of machine annotators, which are no reviewer's), unless its annotator has
   the role ``adjudicator``, and writes only its own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import yaml
from alembic import context, op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTES = "annotator_notes"
SHOWN = 20
"""Removed duplicates listed one by one in the notes; the rest are counted."""

annotations = sa.table(
    "annotations",
    sa.column("id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("annotator_id", sa.Integer),
    sa.column("layer", sa.String),
    sa.column("label", sa.String),
    sa.column("start", sa.Integer),
    sa.column("end", sa.Integer),
    sa.column("segment", sa.Integer),
    sa.column("attrs", sa.JSON),
    sa.column("origin", sa.String),
    sa.column("provenance", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)
annotators = sa.table("annotators", sa.column("id", sa.Integer), sa.column("name", sa.String))
documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("external_id", sa.String))
schemes = sa.table("schemes", sa.column("revision", sa.Integer), sa.column("body", sa.Text))
events = sa.table(
    "events",
    sa.column("annotator_id", sa.Integer),
    sa.column("document_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("annotation_id", sa.Integer),
    sa.column("target_event_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)

ROW_LEVEL = ("annotations", "document_status", "events", "decisions")

POSTGRES_FUNCTIONS = """
CREATE FUNCTION annotator_self_id() RETURNS integer LANGUAGE sql STABLE AS
  $$ SELECT id FROM annotators WHERE name = current_user $$;
CREATE FUNCTION annotator_sees_all() RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT EXISTS (SELECT 1 FROM annotators
                    WHERE name = current_user AND role = 'adjudicator') $$;
CREATE FUNCTION annotator_is_machine(integer) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT EXISTS (SELECT 1 FROM annotators WHERE id = $1 AND role = 'machine') $$;
"""

POSTGRES_POLICIES = """
CREATE POLICY own_or_adjudicator ON {table} FOR SELECT
  USING ({visible} annotator_id = annotator_self_id() OR annotator_sees_all());
CREATE POLICY own_insert ON {table} FOR INSERT
  WITH CHECK (annotator_id = annotator_self_id());
CREATE POLICY own_update ON {table} FOR UPDATE
  USING (annotator_id = annotator_self_id()) WITH CHECK (annotator_id = annotator_self_id());
CREATE POLICY own_delete ON {table} FOR DELETE
  USING (annotator_id = annotator_self_id());
"""


def _notes() -> list[str]:
    notes: list[str] = context.config.attributes.setdefault(NOTES, [])
    return notes


def _segment_layers(connection: sa.Connection) -> list[str]:
    """The segment layers of the scheme in force (the latest revision stored)."""
    body = connection.execute(
        sa.select(schemes.c.body).order_by(schemes.c.revision.desc()).limit(1)
    ).scalar()
    if body is None:
        return []
    try:
        parsed = yaml.safe_load(body)
    except yaml.YAMLError:
        return []
    layers = parsed.get("layers") if isinstance(parsed, dict) else None
    return [
        str(layer["name"])
        for layer in layers or []
        if isinstance(layer, dict) and layer.get("kind") == "segment" and "name" in layer
    ]


def _fill_segments(connection: sa.Connection, layers: list[str]) -> None:
    if not layers:
        return
    segments = sa.table(
        "segments",
        sa.column("document_id", sa.Integer),
        sa.column("index", sa.Integer),
        sa.column("start", sa.Integer),
        sa.column("end", sa.Integer),
    )
    index = (
        sa.select(segments.c.index)
        .where(
            segments.c.document_id == annotations.c.document_id,
            segments.c.start == annotations.c.start,
            segments.c.end == annotations.c.end,
        )
        .scalar_subquery()
    )
    connection.execute(
        annotations.update().where(annotations.c.layer.in_(layers)).values(segment=index)
    )
    stray = connection.execute(
        sa.select(sa.func.count())
        .select_from(annotations)
        .where(annotations.c.layer.in_(layers), annotations.c.segment.is_(None))
    ).scalar_one()
    if stray:
        _notes().append(
            f"{stray} label(s) on a segment layer do not cover a whole sentence; they are kept"
            " and `annotator db check` lists them"
        )


def _duplicates(connection: sa.Connection, key: list[Any], keep_last: bool) -> list[Any]:
    """Rows to remove: every row of a group with the same ``key`` but the one kept (the last
    changed when ``keep_last``, else the first added)."""
    groups = (
        sa.select(*key)
        .where(*(column.is_not(None) for column in key))
        .group_by(*key)
        .having(sa.func.count() > 1)
        .subquery()
    )
    order = [annotations.c.updated_at, annotations.c.id] if keep_last else [annotations.c.id]
    rows = connection.execute(
        sa.select(annotations, annotators.c.name, documents.c.external_id)
        .join(groups, sa.and_(*(column == groups.c[column.name] for column in key)))
        .join(annotators, annotators.c.id == annotations.c.annotator_id)
        .join(documents, documents.c.id == annotations.c.document_id)
        .order_by(*key, *order)
    ).all()
    by_key: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        found = row._mapping
        by_key.setdefault(tuple(found[column.name] for column in key), []).append(found)
    removed: list[Any] = []
    for members in by_key.values():
        removed.extend(members[:-1] if keep_last else members[1:])
    return removed


def _utc(moment: datetime) -> str:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat()


def _remove(connection: sa.Connection, rows: list[Any], why: str) -> None:
    if not rows:
        return
    now = datetime.now(UTC)
    for row in rows:
        snapshot = {
            "id": row["id"],
            "document_id": row["document_id"],
            "annotator": row["name"],
            "layer": row["layer"],
            "label": row["label"],
            "start": row["start"],
            "end": row["end"],
            "segment": row["segment"],
            "attrs": dict(row["attrs"] or {}),
            "origin": row["origin"],
            "provenance": row["provenance"],
            "created_at": _utc(row["created_at"]),
            "updated_at": _utc(row["updated_at"]),
        }
        connection.execute(
            events.insert().values(
                annotator_id=None,
                document_id=row["document_id"],
                action="dedupe",
                annotation_id=row["id"],
                target_event_id=None,
                before=json.loads(json.dumps(snapshot)),
                after={"reason": why},
                created_at=now,
            )
        )
    connection.execute(annotations.delete().where(annotations.c.id.in_([r["id"] for r in rows])))
    notes = _notes()
    notes.append(f"removed {len(rows)} {why}; each is kept in the events log (action 'dedupe')")
    for row in rows[:SHOWN]:
        attrs = json.dumps(row["attrs"], ensure_ascii=False) if row["attrs"] else ""
        notes.append(
            f"  annotation {row['id']}: {row['name']} {row['layer']}/{row['label']}"
            f" [{row['start']}, {row['end']}) on {row['external_id']!r}"
            + (f" with attributes {attrs}" if attrs else "")
        )
    if len(rows) > SHOWN:
        notes.append(f"  and {len(rows) - SHOWN} more")


def upgrade() -> None:
    connection = op.get_bind()
    op.add_column("annotations", sa.Column("segment", sa.Integer(), nullable=True))
    _fill_segments(connection, _segment_layers(connection))
    c = annotations.c
    _remove(
        connection,
        _duplicates(connection, [c.document_id, c.annotator_id, c.layer, c.segment], True),
        "second label(s) of one annotator on one sentence (the one changed last stays)",
    )
    _remove(
        connection,
        _duplicates(
            connection, [c.document_id, c.annotator_id, c.layer, c.label, c.start, c.end], False
        ),
        "duplicate span(s): same annotator, layer, label and offsets as an earlier one",
    )
    op.create_index(
        "uq_annotations_span",
        "annotations",
        ["document_id", "annotator_id", "layer", "label", "start", "end"],
        unique=True,
    )
    op.create_index(
        "uq_annotations_segment",
        "annotations",
        ["document_id", "annotator_id", "layer", "segment"],
        unique=True,
    )
    if connection.dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTIONS)
        for table in ROW_LEVEL:
            op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            visible = {
                "events": "annotator_id IS NULL OR",
                # a machine's suggestions are for every reviewer: a machine is no reviewer
                "annotations": "annotator_is_machine(annotator_id) OR",
            }.get(table, "")
            op.execute(POSTGRES_POLICIES.format(table=table, visible=visible))


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in ROW_LEVEL:
            for policy in ("own_or_adjudicator", "own_insert", "own_update", "own_delete"):
                op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP FUNCTION IF EXISTS annotator_sees_all()")
        op.execute("DROP FUNCTION IF EXISTS annotator_is_machine(integer)")
        op.execute("DROP FUNCTION IF EXISTS annotator_self_id()")
    op.drop_index("uq_annotations_segment", table_name="annotations")
    op.drop_index("uq_annotations_span", table_name="annotations")
    with op.batch_alter_table("annotations", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("segment")
