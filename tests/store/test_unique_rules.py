"""The unique rules hold in the database itself, and the store keeps to them without errors.

One label per annotator and sentence on a segment layer, and no two identical spans (same
annotator, layer, label and offsets): the database refuses a second row whatever program
writes it, while the repository answers a repeated request with the row it has.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.service.annotating import Annotating
from annotator.store.dto import NewDocument
from annotator.store.models import AnnotationRow
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _raw_insert(store: Repository, **values: object) -> None:
    """Insert an annotation row behind the repository's back, as another program would."""
    row = {
        "document_id": 1,
        "annotator_id": 1,
        "layer": "loaded",
        "label": "emotive",
        "start": 0,
        "end": 3,
        "segment": None,
        "attrs": {},
        "origin": "manual",
        "created_at": NOW,
        "updated_at": NOW,
        **values,
    }
    with Session(store._engine) as session, session.begin():
        session.execute(insert(AnnotationRow).values(**row))


def test_the_database_refuses_an_identical_span(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    store.ensure_annotator("ana")
    _raw_insert(store)
    _raw_insert(store, label="fear")  # another label on the same offsets is another span
    with pytest.raises(IntegrityError):
        _raw_insert(store, attrs={"note": "a note does not make it another span"})


def test_the_database_refuses_a_second_label_on_a_sentence(
    store: Repository, make_doc: MakeDoc
) -> None:
    store.import_documents([make_doc("a")])
    store.ensure_annotator("ana")
    document = store.document(1)
    start, end = document.segments[0]
    sentence = {"layer": "statement", "start": start, "end": end, "segment": 0}
    _raw_insert(store, label="vague", **sentence)
    with pytest.raises(IntegrityError):
        _raw_insert(store, label="editorial", **sentence)


def test_tagging_the_same_span_twice_stores_it_once(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    first = store.tag_span("ana", 1, "loaded", "emotive", 4, 10, attrs={"note": "first"})
    again = store.tag_span("ana", 1, "loaded", "emotive", 4, 10, attrs={"note": "second"})
    assert first.fresh and not again.fresh
    assert again.annotation == first.annotation
    assert [a.attrs for a in store.annotations(1, "ana")] == [{"note": "first"}]
    assert [e.action for e in store.events(annotator="ana")].count("add") == 1


def test_the_service_says_a_span_was_already_there(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    desk = Annotating(store, "ana")
    made = desk.tag(1, "loaded", "emotive", 4, 10)
    again = desk.tag(1, "loaded", "emotive", 4, 10)
    assert not made.existed and again.existed
    assert again.value.id == made.value.id
    assert "already there" in again.notice
    assert len(store.annotations(1, "ana")) == 1


def test_relabelling_a_sentence_keeps_one_row(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    desk = Annotating(store, "ana")
    first = desk.classify(1, "statement", 0, "vague")
    second = desk.classify(1, "statement", 0, "editorial")
    assert first.value.id == second.value.id
    assert [(a.layer, a.label) for a in store.annotations(1, "ana")] == [("statement", "editorial")]


def test_undo_of_a_removed_label_puts_back_its_sentence(
    store: Repository, make_doc: MakeDoc
) -> None:
    store.import_documents([make_doc("a")])
    desk = Annotating(store, "ana")
    made = desk.classify(1, "statement", 1, "vague")
    desk.remove(made.value.id)
    desk.undo()
    desk.classify(1, "statement", 1, "reporting")  # the restored row is the one relabelled
    assert [(a.id, a.label) for a in store.annotations(1, "ana")] == [(made.value.id, "reporting")]


def test_a_change_and_its_status_are_one_transaction(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    desk = Annotating(store, "ana")
    store.set_status("ana", 1, "done")
    outcome = desk.tag(1, "loaded", "fear", 0, 3)
    assert outcome.status == "in_progress" and outcome.reopened
    assert store.status(1, "ana") == "in_progress"
    add, status = [e for e in store.events(annotator="ana")][-2:]
    assert (add.action, status.action) == ("add", "status")
