"""Machine suggestions in the store, on every backend: a run replaces only what no reviewer
decided, in one transaction; rejections are undoable events of the reviewer."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from annotator.store.dto import SUGGESTION_KEY, Document, NewAnnotation, NewDocument
from annotator.store.errors import InvalidInput, NotFound
from annotator.store.repository import Repository
from annotator.store.suggestions import Propose

MakeDoc = Callable[..., NewDocument]


def spans(*items: tuple[str, str, int, int]) -> list[NewAnnotation]:
    return [
        NewAnnotation("ignored", layer, label, start, end, {"rule": f"rule-{label}"}, "suggestion")
        for layer, label, start, end in items
    ]


def stored(store: Repository, document_id: int = 1) -> set[tuple[str, str, int, int]]:
    return {(a.layer, a.label, a.start, a.end) for a in store.suggestions(document_id)}


def each(propose: Callable[[Document], Iterable[NewAnnotation]]) -> Propose:
    """A run's batch function from one for a document."""
    return lambda batch: [propose(doc) for doc in batch]


FIRST = spans(("loaded", "emotive", 11, 18), ("loaded", "labeling", 4, 10))


def test_a_run_stores_a_machine_annotators_suggestions(
    store: Repository, make_doc: MakeDoc
) -> None:
    store.import_documents([make_doc("a"), make_doc("b", "Rents soared. Prices fell.")])
    seen: list[str] = []

    def propose(doc: Document) -> Iterable[NewAnnotation]:
        seen.append(doc.external_id)
        return FIRST if doc.external_id == "a" else []

    done = store.replace_suggestions("suggest", each(propose))
    assert (done.documents, done.added, done.removed, done.kept, done.created) == (2, 2, 0, 0, True)
    assert seen == ["a", "b"]
    assert [(a.name, a.role) for a in store.annotators()] == [("suggest", "machine")]
    found = store.suggestions(1)
    assert {a.annotator for a in found} == {"suggest"} and {a.origin for a in found} == {
        "suggestion"
    }
    assert [a.attrs["rule"] for a in found] == ["rule-labeling", "rule-emotive"]  # text order
    assert store.events()[-1].action == "suggest"
    assert store.events()[-1].after == {"documents": 2, "added": 2, "removed": 0, "kept": 0}


def test_a_person_is_no_machine(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    store.ensure_annotator("alice")
    before = store.info()
    with pytest.raises(InvalidInput, match="role 'annotator'"):
        store.replace_suggestions("alice", each(lambda doc: FIRST))
    assert store.info() == before


def test_a_rerun_keeps_what_reviewers_decided(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    store.replace_suggestions("suggest", each(lambda doc: FIRST))
    emotive, labeling = sorted(store.suggestions(1), key=lambda a: a.label)
    # alice accepts one (her copy names it), bob rejects the other
    store.add_span(
        "alice",
        1,
        "loaded",
        "emotive",
        11,
        18,
        attrs={SUGGESTION_KEY: emotive.id},
        origin="suggestion",
    )
    store.reject_suggestion("bob", labeling.id)
    again = spans(("loaded", "emotive", 11, 18), ("loaded", "fear", 0, 3))
    done = store.replace_suggestions("suggest", each(lambda doc: again))
    assert (done.added, done.removed, done.kept, done.created) == (1, 0, 2, False)
    after = {a.id: (a.label, a.start) for a in store.suggestions(1)}
    assert after[emotive.id] == ("emotive", 11) and after[labeling.id] == ("labeling", 4)
    assert sorted(after.values()) == [("emotive", 11), ("fear", 0), ("labeling", 4)]


def test_an_undone_rejection_leaves_the_suggestion_undecided(
    store: Repository, make_doc: MakeDoc
) -> None:
    store.import_documents([make_doc("a")])
    store.replace_suggestions("suggest", each(lambda doc: FIRST))
    target = store.suggestions(1)[0]
    store.reject_suggestion("bob", target.id)
    store.reject_suggestion("bob", target.id)  # again: nothing new
    assert [e.action for e in store.events(annotator="bob")] == ["reject"]
    assert store.rejected_suggestions("bob", 1) == {target.id}
    assert store.rejected_suggestions("alice", 1) == frozenset()
    undone = store.undo("bob")
    assert undone is not None and undone.action == "reject"
    assert store.rejected_suggestions("bob", 1) == frozenset()
    assert store.redo("bob") is not None
    assert store.rejected_suggestions("bob", 1) == {target.id}
    store.undo("bob")
    done = store.replace_suggestions("suggest", each(lambda doc: []))
    assert (done.removed, done.kept) == (2, 0)
    assert store.suggestions(1) == []


def test_one_label_per_sentence_and_no_repeated_span(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    sentence = store.document(1).segments[0]
    first = spans(("statement", "attributed", *sentence))
    store.replace_suggestions("suggest", each(lambda doc: first))
    kept = store.suggestions(1)[0]
    store.reject_suggestion("bob", kept.id)
    # a new label for the same sentence, and a span given twice
    second = spans(
        ("statement", "vague", *sentence), ("loaded", "fear", 0, 3), ("loaded", "fear", 0, 3)
    )
    done = store.replace_suggestions("suggest", each(lambda doc: second))
    assert done.added == 1
    assert stored(store) == {("statement", "attributed", *sentence), ("loaded", "fear", 0, 3)}


def test_a_run_on_some_documents_leaves_the_others(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a"), make_doc("b", "Rents soared. Prices fell.")])
    store.replace_suggestions("suggest", each(lambda doc: FIRST))
    store.replace_suggestions("suggest", each(lambda doc: []), document_ids=[2])
    assert len(store.suggestions(1)) == 2 and store.suggestions(2) == []
    done = store.replace_suggestions("suggest", each(lambda doc: []), document_ids=[1])
    assert (done.documents, done.removed) == (1, 2)


def test_a_failing_run_writes_nothing(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a"), make_doc("b", "Rents soared. Prices fell.")])
    before = store.info()

    def propose(doc: Document) -> list[NewAnnotation]:
        if doc.external_id == "b":
            raise RuntimeError("the suggester broke")
        return FIRST

    with pytest.raises(RuntimeError):
        store.replace_suggestions("suggest", each(propose))
    assert store.info() == before and store.annotators() == []


def test_only_machines_suggest(store: Repository, make_doc: MakeDoc) -> None:
    store.import_documents([make_doc("a")])
    mine = store.add_span("alice", 1, "loaded", "fear", 0, 3)
    assert store.suggestions(1) == []
    with pytest.raises(NotFound, match="no suggestion"):
        store.suggestion(mine.id)
    with pytest.raises(NotFound, match="no suggestion"):
        store.reject_suggestion("bob", mine.id)
