"""All-or-nothing writes and safe concurrent use."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.store import bulk
from annotator.store.dto import NewAnnotation, NewDocument
from annotator.store.errors import DatabaseError, DuplicateDocument, NotFound
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_failed_import_leaves_the_file_byte_for_byte_unchanged(
    tmp_path: Path, make_doc: MakeDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "annotations.db"
    with Repository.open(str(path)) as store:
        store.import_documents([make_doc("kept", "Already here. Stays.")])
    before = _digest(path)

    monkeypatch.setattr(bulk, "BATCH", 1)  # earlier documents are inserted before the failure
    docs = [make_doc(f"d{i}", f"Article {i}. Fine.") for i in range(3)]
    span = NewAnnotation("bob", "loaded", "emotive", 0, 5, {})
    docs.append(make_doc("kept", "Another text under a used id.", annotations=[span]))
    with Repository.open(str(path)) as store:
        with pytest.raises(DuplicateDocument, match="'kept' is already used"):
            store.import_documents(docs)
        with pytest.raises(DatabaseError, match="refused the change"):
            store.add_span("bob", 1, "loaded", "emotive", 5, 2)
        with pytest.raises(NotFound):
            store.remove_annotation("bob", 1)
        assert [s.external_id for s in store.documents()] == ["kept"]
    assert _digest(path) == before


def test_threads_share_an_in_memory_store(make_doc: MakeDoc) -> None:
    store = Repository.in_memory()
    store.import_documents([make_doc("a")])
    doc_id = store.documents()[0].id
    errors: list[BaseException] = []

    def work(who: str) -> None:
        try:
            for i in range(20):
                span = store.add_span(who, doc_id, "loaded", "emotive", i, i + 3)
                store.update_annotation(who, span.id, label="labeling")
                assert len(store.annotations(doc_id, who)) == i + 1
                sum(1 for _ in store.iter_annotations(annotators=[who]))
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"user{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.info()["annotations"] == 6 * 20
    assert len(store.events()) == 1 + 6 * 40
    store.close()


def test_two_stores_on_one_file_write_in_turn(tmp_path: Path, make_doc: MakeDoc) -> None:
    path = str(tmp_path / "shared.db")
    with Repository.open(path) as setup:
        setup.import_documents([make_doc("a")])
    stores = [Repository.open(path), Repository.open(path)]
    errors: list[BaseException] = []

    def work(store: Repository, who: str) -> None:
        try:
            for i in range(25):
                store.add_span(who, 1, "loaded", "emotive", i, i + 2)
                store.set_status(who, 1, "in_progress" if i % 2 else "done")
        except BaseException as exc:  # collected for the main thread
            errors.append(exc)

    threads = [
        threading.Thread(target=work, args=(store, f"user{n}"))
        for n, store in enumerate(stores * 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for store in stores:
        store.close()
    assert errors == []
    with Repository.open(path) as store:
        assert store.info()["annotations"] == 4 * 25


def test_the_shared_repo_fixture_is_empty_and_uses_the_default_scheme(
    repo: Repository,
) -> None:
    assert repo.scheme().name == "source-bias"
    assert repo.documents() == [] and repo.url == ":memory:"
