"""Storing suggestions and deciding them: the rules every front end shares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pytest
from service_support import new_document

from annotator.service.annotating import Annotating
from annotator.service.suggesting import (
    RunPlan,
    SuggestionReview,
    next_pending,
    plan_run,
    run_suggestions,
    team_taggings,
)
from annotator.store.dto import NewAnnotation
from annotator.store.errors import InvalidAnnotation, InvalidInput, NotFound
from annotator.store.repository import Repository
from annotator.suggest import Suggester, TaggedSpan, team_lexicon

ARTICLE = (
    "Mayor Ruth Calloway said the plan would work. Critics say it will fail.\n"
    'The regime slammed critics [/] on Tuesday. "It is a disgrace," she added.'
)
SENTENCE_1 = (0, 45)


@dataclass(frozen=True)
class Proposed:
    """A suggestion as a suggester returns it, written by hand."""

    layer: str
    label: str
    start: int
    end: int
    rule: str = "test.rule"
    attrs: dict[str, Any] = field(default_factory=dict)

    def annotation_attrs(self) -> dict[str, Any]:
        return {**self.attrs, "rule": self.rule, "confidence": 0.5}


REGIME = Proposed("loaded", "labeling", 76, 82, "lexicon:loaded-language")
SLAMMED = Proposed("loaded", "emotive", 83, 90, "lexicon:loaded-language")
STATEMENT = Proposed(
    "statement",
    "attributed",
    *SENTENCE_1,
    "attribution.cue",
    {"source": {"start": 0, "end": 19}, "cue": {"start": 20, "end": 24}},
)


@dataclass(frozen=True)
class Fixed:
    """A suggester that suggests the same for every document."""

    suggestions: tuple[Proposed, ...]

    def suggest(self, text: str, segments: Sequence[tuple[int, int]] | None = None) -> Fixed:
        return self


def fixed(*items: Proposed) -> Callable[[], Fixed]:
    return partial(Fixed, items)


@pytest.fixture
def repo_ab(repo: Repository) -> Repository:
    repo.import_documents([new_document("a", ARTICLE), new_document("b", "Rents soared. Fine.")])
    return repo


def run(repo: Repository, *items: Proposed, documents: Sequence[str] = ("a",)) -> Any:
    return run_suggestions(repo, plan_run(repo, documents=documents), fixed(*items))


def review(repo: Repository, who: str) -> SuggestionReview:
    return SuggestionReview(Annotating(repo, who))


def test_a_run_stores_the_suggestions_of_a_machine(repo_ab: Repository) -> None:
    summary = run(repo_ab, REGIME, STATEMENT)
    assert summary.stored.added == 2 and summary.stored.created
    assert [(p.name, p.role) for p in repo_ab.annotators()] == [("suggest", "machine")]
    stored = repo_ab.suggestions(1)
    assert [(s.layer, s.label, s.start, s.end, s.origin) for s in stored] == [
        ("statement", "attributed", 0, 45, "suggestion"),
        ("loaded", "labeling", 76, 82, "suggestion"),
    ]
    assert stored[0].attrs["rule"] == "attribution.cue"
    assert stored[0].attrs["source"] == {"start": 0, "end": 19}


def test_a_run_is_checked_before_anything_is_written(repo_ab: Repository) -> None:
    repo_ab.ensure_annotator("alice")
    with pytest.raises(InvalidInput, match=r"already exists with role 'annotator'.*--as"):
        plan_run(repo_ab, "alice")
    with pytest.raises(NotFound, match="no document 'zzz'"):
        plan_run(repo_ab, documents=["zzz"])
    with pytest.raises(InvalidInput, match="annotator name is empty"):
        plan_run(repo_ab, "  ")
    assert plan_run(repo_ab, "robot", ["#2"]) == RunPlan("robot", (2,), 1)


def test_no_documents_nothing_to_suggest(repo: Repository) -> None:
    with pytest.raises(InvalidInput, match="no documents to suggest for"):
        plan_run(repo)


def test_a_suggestion_outside_the_text_stops_the_run(repo_ab: Repository) -> None:
    with pytest.raises(InvalidAnnotation, match=r"document 'a', suggestion of rule 'test\.rule'"):
        run(repo_ab, REGIME, Proposed("loaded", "fear", 0, 10_000))
    with pytest.raises(InvalidAnnotation, match="not one of the document's sentences"):
        run(repo_ab, Proposed("statement", "vague", 0, 10))
    assert repo_ab.annotators() == [] and repo_ab.suggestions(1) == []


def test_accepting_makes_the_suggestion_the_reviewers_own(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, STATEMENT)
    alice = review(repo_ab, "alice")
    statement, regime = alice.pending(repo_ab.document(1))
    made = alice.accept(statement.id)
    assert made.status == "in_progress"
    copy = made.value
    assert (copy.annotator, copy.origin, copy.layer, copy.label) == (
        "alice",
        "suggestion",
        "statement",
        "attributed",
    )
    assert copy.attrs == {
        "source": {"start": 0, "end": 19},
        "cue": {"start": 20, "end": 24},
        "suggestion": statement.id,
        "from_rule": "attribution.cue",
    }
    span = alice.accept(regime.id).value
    assert (span.start, span.end, span.attrs["suggestion"]) == (76, 82, regime.id)
    assert alice.pending(repo_ab.document(1)) == []
    with pytest.raises(InvalidAnnotation, match="no longer pending"):
        alice.accept(regime.id)


def test_rejecting_changes_no_annotation_and_undo_brings_it_back(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, SLAMMED)
    alice = review(repo_ab, "alice")
    doc = repo_ab.document(1)
    alice.annotating.mark_done(doc, force=True)
    regime = alice.pending(doc)[0]
    outcome = alice.reject(regime.id)
    assert (outcome.value.id, outcome.status, outcome.reopened) == (regime.id, "done", False)
    assert alice.annotating.annotations(1) == []
    assert [s.label for s in alice.pending(doc)] == ["emotive"]
    undone = alice.annotating.undo()
    assert undone.value is not None and undone.value.action == "reject"
    assert (undone.status, undone.reopened) == ("done", False)
    assert [s.label for s in alice.pending(doc)] == ["labeling", "emotive"]
    alice.annotating.redo()
    assert [s.label for s in alice.pending(doc)] == ["emotive"]


def test_undoing_an_accept_makes_it_pending_again(repo_ab: Repository) -> None:
    run(repo_ab, REGIME)
    alice = review(repo_ab, "alice")
    alice.accept(repo_ab.suggestions(1)[0].id)
    alice.annotating.undo()
    assert alice.annotating.annotations(1) == []
    assert len(alice.pending(repo_ab.document(1))) == 1


def test_reviewers_never_see_each_others_decisions(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, SLAMMED, STATEMENT)
    alice, bob = review(repo_ab, "alice"), review(repo_ab, "bob")
    doc = repo_ab.document(1)
    statement, regime, slammed = alice.pending(doc)
    alice.accept(statement.id)
    alice.reject(regime.id)
    assert [s.id for s in bob.pending(doc)] == [statement.id, regime.id, slammed.id]
    bob.reject(statement.id)
    assert [s.id for s in alice.pending(doc)] == [slammed.id]
    assert repo_ab.rejected_suggestions("bob", 1) == {statement.id}


def test_what_the_reviewer_annotated_is_not_pending(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, SLAMMED, STATEMENT)
    alice = review(repo_ab, "alice")
    alice.annotating.tag(1, "loaded", "labeling", 76, 82)  # the same span, typed
    alice.annotating.tag(1, "loaded", "fear", 83, 90)  # the same span, another label
    alice.annotating.classify(1, "statement", 0, "vague")  # another label of the sentence
    assert [s.label for s in alice.pending(repo_ab.document(1))] == ["emotive"]


def test_two_machines_suggesting_the_same_show_once(repo_ab: Repository) -> None:
    run(repo_ab, REGIME)
    run_suggestions(repo_ab, plan_run(repo_ab, "second", ["a"]), fixed(REGIME, SLAMMED))
    pending = review(repo_ab, "alice").pending(repo_ab.document(1))
    assert [(s.annotator, s.label) for s in pending] == [
        ("suggest", "labeling"),
        ("second", "emotive"),
    ]


def test_a_rerun_replaces_only_undecided_suggestions(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, SLAMMED, STATEMENT)
    statement, regime, slammed = repo_ab.suggestions(1)
    review(repo_ab, "alice").accept(statement.id)
    review(repo_ab, "bob").reject(regime.id)
    summary = run(repo_ab, Proposed("statement", "mixed", *SENTENCE_1), SLAMMED)
    assert (summary.stored.removed, summary.stored.kept, summary.stored.added) == (1, 2, 1)
    after = repo_ab.suggestions(1)
    assert [(s.id, s.label) for s in after if s.id in (statement.id, regime.id)] == [
        (statement.id, "attributed"),
        (regime.id, "labeling"),
    ]
    assert [s.label for s in after] == ["attributed", "labeling", "emotive"]
    assert slammed.id not in {s.id for s in after}  # undecided: replaced


def test_team_lexicon_suggests_elsewhere_but_not_where_tagged(repo: Repository) -> None:
    one = "The illegals crossed. Officials met."
    two = "More illegals came, said the mayor. The illegals left."
    repo.import_documents(
        [
            new_document(
                "one",
                one,
                annotations=[
                    NewAnnotation("ana", "loaded", "labeling", 4, 12, {}, "manual"),
                    NewAnnotation("ben", "loaded", "emotive", 4, 12, {}, "manual"),
                    NewAnnotation("cy", "loaded", "labeling", 4, 12, {}, "manual"),
                    # accepted suggestions teach nothing
                    NewAnnotation("ana", "loaded", "fear", 22, 31, {}, "suggestion"),
                ],
            ),
            new_document(
                "two",
                two,
                annotations=[NewAnnotation("ben", "loaded", "fear", 40, 48, {}, "manual")],
            ),
        ]
    )
    team = team_taggings(repo)
    learnt = team_lexicon(
        (
            (text, [TaggedSpan(t.start, t.end, t.layer, t.label, t.annotator) for t in spans])
            for text, spans in team.learnable(repo)
        ),
        layers=["loaded"],
    )
    assert sorted(e.expression for e in learnt.entries) == ["illegals"]
    make = partial(Suggester, repo.scheme(), [learnt], builtin=False)
    summary = run_suggestions(repo, plan_run(repo), make, team=team)
    team_made = [
        (s.document_id, s.start, s.end, s.label, s.attrs["rule"])
        for d in (1, 2)
        for s in repo.suggestions(d)
        if s.layer == "loaded"
    ]
    # "two": 5-13 is new; 40-48 overlaps ben's span; "one": 4-12 is where they tagged it
    assert team_made == [(2, 5, 13, "labeling", "team-lexicon")]
    assert summary.team_left_out == 2


def test_next_pending_wraps_around(repo_ab: Repository) -> None:
    run(repo_ab, REGIME, SLAMMED, STATEMENT)
    pending = repo_ab.suggestions(1)
    at = next_pending(pending, 0)
    assert at is not None and at.start == 76
    at = next_pending(pending, 83)
    assert at is not None and at.start == 0
    assert next_pending([], 5) is None


def test_worker_processes_store_what_the_inline_run_stores(repo: Repository) -> None:
    texts = [
        'Mayor Ruth Calloway said the plan would work. "It is a disgrace," critics said.',
        "The fat cats met again. Officials say the illegals were frankly everywhere.",
        "Rents soared, it is widely believed. Was it a scandal? It was.",
    ]
    repo.import_documents([new_document(str(i), text) for i, text in enumerate(texts)])
    make = partial(Suggester, repo.scheme())
    inline = run_suggestions(repo, plan_run(repo, "inline"), make, workers=0)
    pooled = run_suggestions(repo, plan_run(repo, "pooled"), make, workers=2)
    assert inline.stored.added == pooled.stored.added > 0

    def shown(machine: str) -> list[tuple[Any, ...]]:
        return [
            (s.document_id, s.layer, s.label, s.start, s.end, dict(s.attrs))
            for d in (1, 2, 3)
            for s in repo.suggestions(d)
            if s.annotator == machine
        ]

    assert shown("inline") == shown("pooled")
