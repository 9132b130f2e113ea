"""Scheme binding: a database keeps the scheme it was created with, and its updates."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.scheme import Label, Layer, Scheme
from annotator.core.scheme_loader import load_scheme_text, scheme_to_yaml
from annotator.resources import default_scheme_path
from annotator.service.annotating import Annotating
from annotator.store.dto import NewDocument
from annotator.store.errors import InvalidAnnotation, InvalidInput, SchemeMismatch
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]


def _without(scheme: Scheme, layer: str, label: str) -> Scheme:
    layers = []
    for item in scheme.layers:
        if item.name == layer:
            item = dataclasses.replace(
                item, labels=tuple(x for x in item.labels if x.name != label)
            )
        layers.append(item)
    return dataclasses.replace(scheme, version=scheme.version + 1, layers=tuple(layers))


def test_new_database_stores_the_default_scheme(target: str, default_scheme: Scheme) -> None:
    with Repository.open(target) as store:
        assert store.scheme() == default_scheme
        assert store.scheme_revision() == 1
    with Repository.open(target) as store:
        assert store.scheme() == default_scheme
    with Repository.open(target, scheme=default_scheme) as store:
        assert store.scheme() == default_scheme


def test_a_scheme_given_at_creation_is_kept(target: str) -> None:
    small = Scheme(
        name="tiny",
        version=3,
        layers=(
            Layer("tone", "span", (Label("angry", "a", 0),)),
            Layer("voice", "segment", (Label("own", "o", 0), Label("quoted", "r", 1))),
        ),
    )
    Repository.open(target, scheme=small).close()
    with Repository.open(target) as store:
        assert store.scheme() == small


def test_a_scheme_that_cannot_be_read_back_is_refused(tmp_path: Path) -> None:
    bad = Scheme(name="bad", version=1, layers=(Layer("tone", "span", (Label("x", "q", 0),)),))
    with pytest.raises(InvalidInput, match="cannot store the scheme"):
        Repository.open(str(tmp_path / "a.db"), scheme=bad)
    assert list(tmp_path.iterdir()) == []
    assert Repository.in_memory(bad).scheme() == bad


def test_a_different_scheme_is_refused_not_switched(target: str, default_scheme: Scheme) -> None:
    Repository.open(target).close()
    other = _without(default_scheme, "loaded", "fear")
    with pytest.raises(SchemeMismatch) as caught:
        Repository.open(target, scheme=other)
    message = str(caught.value)
    assert "annotator init --scheme FILE" in message and "\n" not in message
    with Repository.open(target) as store:
        assert store.scheme() == default_scheme


def test_update_keeps_and_reports_orphaned_annotations(
    target: str, default_scheme: Scheme, make_doc: MakeDoc
) -> None:
    with Repository.open(target) as store:
        store.import_documents([make_doc("a")])
        doc_id = store.documents()[0].id
        store.add_span("alice", doc_id, "loaded", "fear", 4, 10)
        store.add_span("bob", doc_id, "loaded", "fear", 4, 10)
        store.add_span("bob", doc_id, "loaded", "emotive", 11, 18)
        store.set_segment_label("alice", doc_id, "statement", 0, "mixed")

        newer = _without(_without(default_scheme, "loaded", "fear"), "statement", "mixed")
        update = store.update_scheme(newer, scheme_to_yaml(newer))
        assert update.changed and update.revision == 2
        assert dict(update.orphaned) == {("loaded", "fear"): 2, ("statement", "mixed"): 1}
        assert store.scheme() == newer
        assert store.info()["annotations"] == 4
        assert [a.label for a in store.annotations(doc_id, "alice")] == ["fear", "mixed"]
        with pytest.raises(InvalidAnnotation, match="label 'fear' is not in layer"):
            Annotating(store, "alice").tag(doc_id, "loaded", "fear", 0, 3)
        orphan = store.annotations(doc_id, "alice", "loaded")[0]
        store.remove_annotation("alice", orphan.id)  # orphans can still be cleaned up

        again = store.update_scheme(newer, scheme_to_yaml(newer))
        assert not again.changed and again.revision == 2
        assert store.events()[-2].action == "scheme"
    with Repository.open(target) as store:
        assert store.scheme() == newer and store.scheme_revision() == 2
    with pytest.raises(SchemeMismatch):
        Repository.open(target, scheme=default_scheme)


def test_the_stored_body_is_the_scheme_file(target: str) -> None:
    body = default_scheme_path().read_text(encoding="utf-8")
    with Repository.open(target, scheme_body=body) as store:
        assert store.scheme() == load_scheme_text(body)
