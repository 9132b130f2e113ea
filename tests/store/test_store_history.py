"""Undo and redo per annotator, across documents and restarts, driven by the events log."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.store.dto import NewDocument
from annotator.store.errors import HistoryConflict
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]


def _two_documents(store: Repository, make_doc: MakeDoc) -> tuple[int, int]:
    store.import_documents([make_doc("a"), make_doc("b", "Second article. It has two.")])
    first, second = (s.id for s in store.documents())
    return first, second


def _labels(store: Repository, doc_id: int, who: str = "alice") -> list[str]:
    return [a.label for a in store.annotations(doc_id, who)]


def test_add_add_undo_undo_redo(store: Repository, make_doc: MakeDoc) -> None:
    first, second = _two_documents(store, make_doc)
    one = store.add_span("alice", first, "loaded", "emotive", 4, 10)
    two = store.add_span("alice", second, "loaded", "labeling", 0, 6)

    undone = store.undo("alice")
    assert undone is not None and undone.annotation_id == two.id and undone.action == "add"
    assert store.annotations(second, "alice") == []
    assert store.annotations(first, "alice") == [one]

    undone = store.undo("alice")
    assert undone is not None and undone.annotation_id == one.id
    assert store.annotations(first, "alice") == []
    assert store.undo("alice") is None

    redone = store.redo("alice")
    assert redone is not None and redone.annotation_id == one.id
    assert store.annotations(first, "alice") == [one]  # same id, same timestamps
    redone = store.redo("alice")
    assert redone is not None and redone.annotation_id == two.id
    assert store.annotations(second, "alice") == [two]
    assert store.redo("alice") is None
    assert [e.action for e in store.events(annotator="alice")] == [
        "add",
        "add",
        "undo",
        "undo",
        "redo",
        "redo",
    ]


def test_a_new_change_clears_the_redo_stack(store: Repository, make_doc: MakeDoc) -> None:
    first, _ = _two_documents(store, make_doc)
    store.add_span("alice", first, "loaded", "emotive", 4, 10)
    store.add_span("alice", first, "loaded", "labeling", 0, 3)
    store.undo("alice")
    store.add_span("alice", first, "loaded", "fear", 11, 18)
    assert store.redo("alice") is None
    assert sorted(_labels(store, first)) == ["emotive", "fear"]
    undone = store.undo("alice")
    assert undone is not None and undone.after is not None and undone.after["label"] == "fear"
    assert _labels(store, first) == ["emotive"]


def test_undo_reverts_updates_removals_and_relabels(store: Repository, make_doc: MakeDoc) -> None:
    first, _ = _two_documents(store, make_doc)
    span = store.add_span("alice", first, "loaded", "emotive", 4, 10, attrs={"note": "x"})
    store.update_annotation("alice", span.id, start=0, label="labeling")
    store.set_segment_label("alice", first, "statement", 0, "vague")
    store.set_segment_label("alice", first, "statement", 0, "editorial")
    store.remove_annotation("alice", span.id)

    store.undo("alice")  # the removal
    restored = store.annotations(first, "alice", "loaded")
    assert [(a.id, a.start, a.label, dict(a.attrs)) for a in restored] == [
        (span.id, 0, "labeling", {"note": "x"})
    ]
    store.undo("alice")  # editorial -> vague
    assert _labels(store, first) == ["labeling", "vague"]
    store.undo("alice")  # the sentence label goes
    assert _labels(store, first) == ["labeling"]
    store.undo("alice")  # the move and relabel
    assert [(a.start, a.end, a.label) for a in store.annotations(first, "alice")] == [
        (4, 10, "emotive")
    ]
    store.redo("alice")
    store.redo("alice")
    assert _labels(store, first) == ["labeling", "vague"]


def test_history_is_per_annotator(store: Repository, make_doc: MakeDoc) -> None:
    first, _ = _two_documents(store, make_doc)
    store.add_span("alice", first, "loaded", "emotive", 4, 10)
    store.add_span("bob", first, "loaded", "labeling", 4, 10)
    undone = store.undo("alice")
    assert undone is not None and undone.annotator == "alice"
    assert _labels(store, first, "bob") == ["labeling"]
    assert store.undo("carol") is None and store.redo("carol") is None
    store.set_status("bob", first, "done")
    undone = store.undo("bob")  # status changes are not undone; the span is
    assert undone is not None and undone.action == "add"
    assert store.status(first, "bob") == "done"


def test_undo_after_reopening_the_database(target: str, make_doc: MakeDoc) -> None:
    with Repository.open(target) as store:
        first, _ = _two_documents(store, make_doc)
        store.add_span("alice", first, "loaded", "emotive", 4, 10)
        store.add_span("alice", first, "loaded", "labeling", 0, 3)
        store.undo("alice")
    with Repository.open(target) as store:
        redone = store.redo("alice")
        assert redone is not None and redone.after is not None
        assert redone.after["label"] == "labeling"
        store.undo("alice")
        store.undo("alice")
        assert store.annotations(first, "alice") == []
    with Repository.open(target) as store:
        assert store.undo("alice") is None
        assert store.redo("alice") is not None
        assert _labels(store, first) == ["emotive"]


def test_undo_refuses_to_guess_when_the_row_changed_behind_its_back(
    tmp_path: Path, make_doc: MakeDoc
) -> None:
    path = tmp_path / "annotations.db"
    with Repository.open(str(path)) as store:
        first, _ = _two_documents(store, make_doc)
        span = store.add_span("alice", first, "loaded", "emotive", 4, 10)
    outside = sqlite3.connect(path)
    outside.execute("DELETE FROM annotations WHERE id = ?", (span.id,))
    outside.commit()
    outside.close()
    with Repository.open(str(path)) as store:
        count = len(store.events())
        with pytest.raises(HistoryConflict, match=f"annotation {span.id} was removed"):
            store.undo("alice")
        assert len(store.events()) == count
