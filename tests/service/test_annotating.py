"""A reviewer's operations: each checked, each moving the document's status the same way."""

from __future__ import annotations

import pytest
from service_support import new_document

from annotator.service.annotating import Annotating, Gaps, missing_attributes
from annotator.store.errors import InvalidAnnotation, NotFound
from annotator.store.repository import Repository


@pytest.fixture
def desk(repo: Repository) -> Annotating:
    repo.import_documents([new_document("a")])
    return Annotating(repo, "  alice ")


def test_the_reviewer_name_is_cleaned_once(desk: Annotating) -> None:
    assert desk.reviewer == "alice"


def test_a_first_change_puts_the_document_in_progress(desk: Annotating) -> None:
    assert desk.status(1) == "todo"
    made = desk.tag(1, "loaded", "emotive", 0, 5, note="verb")
    assert made.value.attrs == {"note": "verb"}
    assert (made.status, made.reopened, made.notice) == ("in_progress", False, "")
    assert desk.status(1) == "in_progress"


def test_changing_a_finished_document_reopens_it_and_says_so(desk: Annotating) -> None:
    doc = desk.repo.document(1)
    assert desk.mark_done(doc, force=True)
    assert desk.status(1) == "done"
    changed = desk.classify(1, "statement", 1, "vague")
    assert changed.reopened and changed.status == "in_progress"
    assert "reopened" in changed.notice
    assert desk.status(1) == "in_progress"


def test_undo_moves_the_status_of_the_document_it_changed(desk: Annotating) -> None:
    span = desk.tag(1, "loaded", "emotive", 0, 5).value
    desk.mark_done(desk.repo.document(1), force=True)
    undone = desk.undo()
    assert undone.value is not None and undone.value.annotation_id == span.id
    assert undone.reopened and desk.annotations(1) == []
    assert desk.undo().value is None


def test_done_reports_gaps_and_changes_nothing_unless_forced(desk: Annotating) -> None:
    doc = desk.repo.document(1)
    total = len(doc.segments)
    desk.classify(1, "statement", 0, "attributed")
    gaps = desk.mark_done(doc)
    assert gaps == Gaps(total=total, unclassified=total - 1, incomplete=(0,))
    assert desk.status(1) == "in_progress"
    assert gaps.lines() == [
        f"{total - 1} of {total} sentences are not classified.",
        "Attributions without source or cue: sentence 1.",
    ]
    desk.mark_done(doc, force=True)
    assert desk.status(1) == "done"


def test_gap_lines_speak_of_one_sentence_in_the_singular() -> None:
    assert Gaps(total=1, unclassified=1, incomplete=()).lines() == [
        "1 of 1 sentence is not classified."
    ]
    assert Gaps(total=4, unclassified=0, incomplete=(1, 3)).lines() == [
        "Attributions without source or cue: sentences 2, 4."
    ]


def test_attribution_fills_source_and_cue(desk: Annotating) -> None:
    statement = desk.classify(1, "statement", 0, "attributed").value
    assert missing_attributes(desk.scheme, statement) == ("source", "cue")
    half = desk.attribute(statement.id, {"source": (0, 19)}).value
    assert missing_attributes(desk.scheme, half) == ("cue",)
    whole = desk.attribute(statement.id, {"cue": (20, 24)}).value
    assert whole.attrs == {"source": {"start": 0, "end": 19}, "cue": {"start": 20, "end": 24}}
    assert missing_attributes(desk.scheme, whole) == ()
    assert not desk.gaps(desk.repo.document(1)).incomplete
    relabelled = desk.classify(1, "statement", 0, "vague").value
    assert relabelled.attrs == whole.attrs  # kept, in case the reviewer changes their mind


def test_a_label_without_roles_takes_no_source(desk: Annotating) -> None:
    statement = desk.classify(1, "statement", 1, "vague").value
    with pytest.raises(InvalidAnnotation, match="label 'vague' takes no attribute spans"):
        desk.attribute(statement.id, {"source": (0, 3)})


def test_notes_are_written_replaced_and_removed(desk: Annotating) -> None:
    span = desk.tag(1, "loaded", "emotive", 0, 5).value
    assert desk.note(span.id, "first").value.attrs == {"note": "first"}
    assert desk.note(span.id, "").value.attrs == {}


def test_wrong_kinds_offsets_and_sentences_are_refused(desk: Annotating) -> None:
    with pytest.raises(InvalidAnnotation, match="labels whole sentences"):
        desk.tag(1, "statement", "vague", 0, 4)
    with pytest.raises(InvalidAnnotation, match="holds spans"):
        desk.classify(1, "loaded", 0, "emotive")
    with pytest.raises(InvalidAnnotation, match="no sentence 100"):
        desk.classify(1, "statement", 99, "vague")
    span = desk.tag(1, "loaded", "emotive", 0, 5).value
    with pytest.raises(InvalidAnnotation, match="outside the text"):
        desk.move(span.id, 0, 100_000)
    label = desk.classify(1, "statement", 0, "vague").value
    with pytest.raises(InvalidAnnotation, match="labels whole sentences"):
        desk.move(label.id, label.start, label.end - 1)
    with pytest.raises(NotFound, match="no document #9"):
        desk.tag(9, "loaded", "emotive", 0, 5)
    assert [a.label for a in desk.annotations(1)] == ["emotive", "vague"]


def test_reviewers_cannot_touch_each_others_work(desk: Annotating) -> None:
    theirs = Annotating(desk.repo, "bob").tag(1, "loaded", "emotive", 0, 5).value
    with pytest.raises(NotFound, match="alice has no annotation"):
        desk.remove(theirs.id)
    with pytest.raises(NotFound):
        desk.note(theirs.id, "mine now")
