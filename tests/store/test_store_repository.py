"""Documents, annotations, statuses and the events log, on every backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from annotator.store import reads
from annotator.store.dto import NewAnnotation, NewDocument
from annotator.store.errors import (
    DuplicateDocument,
    NotFound,
    StoreError,
)
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]


def _span(annotator: str, label: str, start: int, end: int, **attrs: Any) -> NewAnnotation:
    return NewAnnotation(annotator, "loaded", label, start, end, attrs)


def test_import_writes_documents_segments_annotations_and_statuses(
    store: Repository, make_doc: MakeDoc
) -> None:
    doc = make_doc(
        "a1",
        annotations=[_span("bob", "labeling", 4, 10), _span("carol", "emotive", 11, 18)],
        status={"bob": "done"},
    )
    result = store.import_documents([doc, make_doc("a2", "A second article. Short.")])
    assert (result.added, result.skipped, result.annotations) == (2, 0, 2)

    summaries = store.documents()
    assert [s.external_id for s in summaries] == ["a1", "a2"]
    first = store.document(summaries[0].id)
    assert first.text == doc.text and first.segments == doc.segments
    assert first.meta == {"source": "tests"}
    assert summaries[0].n_chars == len(doc.text)
    assert summaries[0].n_segments == len(doc.segments)
    assert summaries[0].n_words > 10
    assert store.document_by_external_id("a2") == store.document(summaries[1].id)
    assert store.document_by_external_id("nope") is None
    assert [a.name for a in store.annotators()] == ["bob", "carol"]
    assert store.status(first.id, "bob") == "done"
    assert store.status(first.id, "carol") == "todo"
    assert store.statuses() == {first.id: {"bob": "done"}}
    assert store.info()["segments"] == len(doc.segments) + 2


def test_bulk_reads_equal_per_annotator_reads(store: Repository, make_doc: MakeDoc) -> None:
    attrs = {"source": {"start": 0, "end": 3}, "cue": {"start": 11, "end": 18}, "note": "ü [/]"}
    first, second = make_doc("a").segments[:2]
    doc = make_doc(
        "a",
        annotations=[
            NewAnnotation("bob", "statement", "attributed", *first, attrs),
            NewAnnotation("bob", "statement", "vague", *second, {}, "suggestion"),
            _span("carol", "emotive", 11, 18),
        ],
    )
    store.import_documents([doc], provenance="articles.jsonl")
    doc_id = store.documents()[0].id
    store.add_span("bob", doc_id, "loaded", "fear", 0, 3, attrs={"note": "later"})
    bulk = list(store.iter_annotations())
    single = store.annotations(doc_id, "bob") + store.annotations(doc_id, "carol")
    assert sorted(bulk, key=lambda a: a.id) == sorted(single, key=lambda a: a.id)
    attributed = next(a for a in bulk if a.label == "attributed")
    assert attributed.attrs == attrs and attributed.origin == "import"
    assert attributed.created_at.tzinfo is not None


def test_hostile_text_round_trips_exactly(store: Repository, make_doc: MakeDoc) -> None:
    raw = "Tab\there, CRLF\r\nESC \x1b[31m red, [/] and [@click=app.quit], 👩‍👩‍👧, e\u0301."
    doc = make_doc("hostile", raw)
    store.import_documents([doc])
    stored = store.document(store.documents()[0].id)
    assert stored.text == doc.text
    assert "\x1b" not in stored.text and "\t" not in stored.text and "\r" not in stored.text
    start = stored.text.index("[@click")
    end = start + len("[@click=app.quit]")
    span = store.add_span("alice", stored.id, "loaded", "emotive", start, end)
    assert stored.text[span.start : span.end] == "[@click=app.quit]"


def test_reimport_skips_known_texts(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a1")])
    again = store.import_documents([make_doc("a1"), make_doc("a1-copy"), make_doc("b", "New.")])
    assert (again.added, again.skipped) == (1, 2)
    assert [s.external_id for s in store.documents()] == ["a1", "b"]


def test_same_id_with_other_text_is_refused(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a1")])
    with pytest.raises(DuplicateDocument, match="'a1'"):
        store.import_documents([make_doc("new"), make_doc("a1", "A different text.")])
    assert [s.external_id for s in store.documents()] == ["a1"]


def test_import_reports_progress_cumulatively(
    store: Repository, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.store import bulk

    monkeypatch.setattr(bulk, "BATCH", 2)
    seen: list[int] = []
    docs = [make_doc(f"d{i}", f"Article number {i}. It is short.") for i in range(5)]
    result = store.import_documents(docs, on_progress=seen.append)
    assert result.added == 5
    assert seen == [2, 4, 5]
    assert [s.external_id for s in store.documents()] == [f"d{i}" for i in range(5)]


def test_reads_are_blind(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    doc_id = store.documents()[0].id
    mine = store.add_span("alice", doc_id, "loaded", "emotive", 4, 10)
    theirs = store.add_span("bob", doc_id, "loaded", "labeling", 4, 10)
    assert store.annotations(doc_id, "alice") == [mine]
    assert store.annotations(doc_id, "bob") == [theirs]
    assert store.annotations(doc_id, "nobody") == []
    with pytest.raises(NotFound, match="alice has no annotation"):
        store.remove_annotation("alice", theirs.id)
    with pytest.raises(NotFound):
        store.update_annotation("alice", theirs.id, label="emotive")
    assert store.annotations(doc_id, "bob") == [theirs]


def test_segment_label_replaces_the_previous_one(store: Repository, make_doc: MakeDoc) -> None:
    doc = make_doc("a")
    store.import_documents([doc])
    doc_id = store.documents()[0].id
    first = store.set_segment_label("alice", doc_id, "statement", 1, "vague", attrs={"note": "n"})
    second = store.set_segment_label("alice", doc_id, "statement", 1, "attributed")
    assert second.id == first.id
    assert (second.start, second.end) == doc.segments[1]
    assert second.attrs == {"note": "n"}
    assert [a.label for a in store.annotations(doc_id, "alice", "statement")] == ["attributed"]
    with pytest.raises(NotFound, match="has no sentence 100"):
        store.set_segment_label("alice", doc_id, "statement", 99, "vague")


def test_update_annotation(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    doc_id = store.documents()[0].id
    span = store.add_span("alice", doc_id, "loaded", "emotive", 4, 10)
    moved = store.update_annotation("alice", span.id, start=11, end=18, label="labeling")
    assert (moved.start, moved.end, moved.label) == (11, 18, "labeling")
    assert moved.created_at == span.created_at and moved.updated_at >= span.updated_at


def _mutations(store: Repository, doc_id: int) -> list[tuple[str, Any]]:
    span = store.add_span("alice", doc_id, "loaded", "emotive", 4, 10)
    return [
        ("add", lambda: store.add_span("alice", doc_id, "loaded", "labeling", 0, 3)),
        ("add", lambda: store.set_segment_label("alice", doc_id, "statement", 0, "vague")),
        ("update", lambda: store.update_annotation("alice", span.id, label="labeling")),
        ("remove", lambda: store.remove_annotation("alice", span.id)),
        ("status", lambda: store.set_status("alice", doc_id, "done")),
        ("annotator", lambda: store.ensure_annotator("dave", "adjudicator")),
    ]


def test_every_mutation_writes_exactly_one_event(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    doc_id = store.documents()[0].id
    for action, mutate in _mutations(store, doc_id):
        count = len(store.events())
        mutate()
        events = store.events()
        assert len(events) == count + 1, action
        assert events[-1].action == action
    assert store.last_annotator() == "dave"
    history = store.events(annotator="alice", document_id=doc_id)
    assert [e.action for e in history] == ["add", "add", "add", "update", "remove", "status"]
    assert history[-1].before == {"status": "todo"} and history[-1].after == {"status": "done"}
    removed = history[-2]
    assert removed.before is not None and removed.before["label"] == "labeling"
    assert removed.after is None


def test_no_op_changes_write_no_event(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    doc_id = store.documents()[0].id
    span = store.add_span("alice", doc_id, "loaded", "emotive", 4, 10)
    store.set_segment_label("alice", doc_id, "statement", 0, "vague")
    store.set_status("alice", doc_id, "in_progress")
    count = len(store.events())
    store.update_annotation("alice", span.id, label="emotive")
    store.set_segment_label("alice", doc_id, "statement", 0, "vague")
    store.set_status("alice", doc_id, "in_progress")
    store.ensure_annotator("alice")
    assert len(store.events()) == count


def test_bad_arguments_are_one_line_store_errors(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    calls = [
        lambda: store.document(999),
        lambda: store.add_span("alice", 999, "loaded", "emotive", 0, 3),
        lambda: store.remove_annotation("alice", 999),
        lambda: store.annotation("alice", 999),
    ]
    for call in calls:
        with pytest.raises(StoreError) as caught:
            call()
        assert "\n" not in str(caught.value) and str(caught.value)
    assert [e.action for e in store.events()] == ["import"]


def test_progress_counts_first_segment_layer_and_spans(
    store: Repository, make_doc: MakeDoc
) -> None:
    store.import_documents([make_doc("a"), make_doc("b", "Second one. Two sentences.")])
    first, second = (s.id for s in store.documents())
    store.add_span("alice", first, "loaded", "emotive", 4, 10)
    store.add_span("alice", first, "loaded", "labeling", 4, 10)
    store.set_segment_label("alice", first, "statement", 0, "vague")
    store.set_segment_label("bob", second, "statement", 0, "vague")
    store.set_status("alice", second, "done")
    progress = store.progress("alice")
    assert [(p.document.id, p.status, p.classified, p.spans) for p in progress] == [
        (first, "todo", 1, 2),
        (second, "done", 0, 0),
    ]
    assert [p.classified for p in store.progress("nobody")] == [0, 0]


def test_iterators_stream_in_chunks_and_keep_order(
    store: Repository, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reads, "DOCUMENT_CHUNK", 2)
    monkeypatch.setattr(reads, "ANNOTATION_CHUNK", 3)
    monkeypatch.setattr(reads, "ID_CHUNK", 1)
    docs = [
        make_doc(f"d{i}", f"The regime slammed critics on Tuesday. Officials say so. Number {i}.")
        for i in range(5)
    ]
    store.import_documents(docs)
    ids = [s.id for s in store.documents()]
    for doc_id in reversed(ids):
        for who in ("zoe", "adam"):
            store.add_span(who, doc_id, "loaded", "emotive", 11, 18)
            store.add_span(who, doc_id, "loaded", "emotive", 4, 10)
            store.set_segment_label(who, doc_id, "statement", 0, "vague")

    assert [d.external_id for d in store.iter_documents()] == [f"d{i}" for i in range(5)]
    everything = list(store.iter_annotations())
    assert len(everything) == 5 * 2 * 3
    keys = [(a.document_id, a.annotator, a.layer, a.start, a.end) for a in everything]
    assert keys == sorted(keys)
    assert {a.annotator for a in store.iter_annotations(annotators=["zoe"])} == {"zoe"}
    assert {a.layer for a in store.iter_annotations(layers=["statement"])} == {"statement"}
    picked = list(store.iter_annotations(document_ids=[ids[1], ids[3]], annotators=["adam"]))
    assert {a.document_id for a in picked} == {ids[1], ids[3]} and len(picked) == 6
    # ids in any order, repeated, counted a few per query: still each once, in id order
    picked = list(store.iter_annotations(document_ids=[ids[3], ids[1], ids[3]]))
    assert [a.document_id for a in picked] == [ids[1]] * 6 + [ids[3]] * 6
    assert list(store.iter_annotations(annotators=["nobody"])) == []

    # a consumer may use the repository between items
    for document in store.iter_documents():
        store.annotations(document.id, "zoe")
