"""Adjudication's rules, against what the store holds afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from adjudicate_support import (
    ADJUDICATOR,
    COUNCIL,
    PEOPLE,
    at,
    council,
    new_document,
    statement,
)

from annotator.service.adjudicating import Adjudicating
from annotator.service.cases import DocumentCase, UnitState, document_agreement, gold_adjudicator
from annotator.store.errors import InvalidAnnotation, InvalidInput, NotFound
from annotator.store.repository import Repository


@pytest.fixture
def judge(repo: Repository) -> Adjudicating:
    council(repo)
    return Adjudicating(repo, ADJUDICATOR)


def unit_at(case: DocumentCase, layer: str, phrase: str) -> UnitState:
    start, _ = at(COUNCIL, phrase)
    return next(
        s for s in case.units if s.unit.layer == layer and s.unit.start <= start < s.unit.end
    )


def gold(judge: Adjudicating) -> list[tuple[str, str, str, dict[str, object], str]]:
    return [
        (a.layer, a.label, COUNCIL[a.start : a.end], dict(a.attrs), a.origin)
        for a in judge.annotations(1)
    ]


# ---------------------------------------------------------------------------- who


def test_only_an_adjudicator_may_adjudicate(repo: Repository) -> None:
    council(repo)
    with pytest.raises(InvalidInput, match=r"'alice' is an annotator, not an adjudicator"):
        Adjudicating(repo, "alice")
    with pytest.raises(InvalidInput, match=r"no adjudicator named 'nobody'.*--role adjudicator"):
        Adjudicating(repo, "nobody")


def test_counted_annotators_are_those_who_finished_in_alphabetical_order(
    repo: Repository,
) -> None:
    council(repo)
    repo.set_status("bob", 1, "in_progress")
    case = Adjudicating(repo, ADJUDICATOR).case(1)
    assert case.counted == ("alice", "carol")
    assert case.number("carol") == 2


# ---------------------------------------------------------------------------- units


def test_the_disagreements_of_a_document_in_document_order(judge: Adjudicating) -> None:
    case = judge.case(1)
    assert case.counted == PEOPLE
    shown = [(s.unit.layer, COUNCIL[s.unit.start : s.unit.end][:20]) for s in case.disagreements]
    assert shown == [
        ("statement", "Mayor Ruth Calloway "),
        ("statement", "Critics slammed the "),
        ("loaded", "the regime"),
        ("loaded", "reckless"),
    ]
    assert (case.tally.open, case.tally.decided, case.tally.unfilled) == (4, 0, 2)
    first = case.disagreements[0].unit
    assert first.version("alice") == first.version("bob") != first.version("carol")
    assert first.supporters(first.version("alice")) == ("alice", "bob")


def test_n_steps_through_open_disagreements_and_wraps(judge: Adjudicating) -> None:
    case = judge.case(1)
    keys = [s.unit.key for s in case.disagreements]
    assert case.next_open().unit.key == keys[0]  # type: ignore[union-attr]
    assert case.next_open(keys[0]).unit.key == keys[1]  # type: ignore[union-attr]
    assert case.next_open(keys[3]).unit.key == keys[0]  # type: ignore[union-attr]
    assert case.next_open(keys[0], backwards=True).unit.key == keys[3]  # type: ignore[union-attr]
    judge.reject(case.disagreements[1].unit)
    assert judge.case(1).next_open(keys[0]).unit.key == keys[2]  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- decisions


def test_taking_a_version_writes_it_with_provenance(judge: Adjudicating) -> None:
    reckless = unit_at(judge.case(1), "loaded", "reckless").unit
    made = judge.take(reckless, 2)  # bob
    assert [(a.label, a.attrs) for a in made.value] == [("exaggeration", {"from": ["bob"]})]
    assert made.status == "in_progress"
    judge.take(reckless, 3)  # carol: replaces bob's
    assert gold(judge) == [
        ("loaded", "emotive", "reckless", {"from": ["alice", "carol"]}, "adjudication")
    ]
    state = unit_at(judge.case(1), "loaded", "reckless")
    assert state.decision is not None and state.decision.verdict == "take"
    assert state.decision.taken == ("alice", "carol")
    assert state.describe() == "taken from alice, carol"
    # the annotators' rows are untouched
    assert [a.label for a in judge.repo.annotations(1, "bob", "loaded")] == [
        "emotive",
        "labeling",
        "exaggeration",
    ]


def test_taking_an_attributed_statement_takes_its_source_and_cue(judge: Adjudicating) -> None:
    sentence = judge.case(1).disagreements[0].unit
    judge.take(sentence, 3)  # carol: source "Ruth Calloway"
    (only,) = judge.annotations(1)
    assert (only.layer, only.label, only.origin) == ("statement", "attributed", "adjudication")
    source, cue = at(COUNCIL, "Ruth Calloway"), at(COUNCIL, "said")
    assert only.attrs == {
        "source": {"start": source[0], "end": source[1]},
        "cue": {"start": cue[0], "end": cue[1]},
        "from": ["carol"],
    }
    judge.take(sentence, 2)  # bob's, which alice gave too; bob's note stays his own
    (only,) = judge.annotations(1)
    assert only.attrs["from"] == ["alice", "bob"] and "note" not in only.attrs
    assert only.attrs["source"] == {"start": 0, "end": len("Mayor Ruth Calloway")}


def test_a_number_beyond_the_annotators_is_refused(judge: Adjudicating) -> None:
    sentence = judge.case(1).disagreements[0].unit
    with pytest.raises(InvalidInput, match=r"no annotator 4 here: 3 annotators .* 1-3"):
        judge.take(sentence, 4)
    assert judge.annotations(1) == []


def test_take_all_takes_every_distinct_span(judge: Adjudicating) -> None:
    reckless = unit_at(judge.case(1), "loaded", "reckless").unit
    judge.take_all(reckless)
    assert sorted((label, attrs["from"]) for _, label, _, attrs, _ in gold(judge)) == [
        ("emotive", ["alice", "carol"]),
        ("exaggeration", ["bob"]),
    ]
    with pytest.raises(InvalidAnnotation, match="one statement label"):
        judge.take_all(judge.case(1).disagreements[0].unit)


def test_a_rejection_writes_nothing_and_stays_decided(judge: Adjudicating) -> None:
    regime = unit_at(judge.case(1), "loaded", "the regime")
    judge.take(regime.unit, 1)
    judge.reject(regime.unit)
    assert judge.annotations(1) == []
    state = unit_at(judge.case(1), "loaded", "the regime")
    assert state.decided and not state.open and state.describe() == "rejected"
    judge.auto(min_agree=2)
    assert not [g for g in gold(judge) if g[2] == "the regime"]


def test_undo_and_redo_of_a_decision(judge: Adjudicating) -> None:
    reckless = unit_at(judge.case(1), "loaded", "reckless").unit
    judge.take(reckless, 1)
    judge.take(reckless, 2)
    taken = judge.annotations(1)
    undone = judge.undo()
    assert undone.value is not None and undone.value.action == "decide"
    assert [a.label for a in judge.annotations(1)] == ["emotive"]
    judge.undo()
    assert judge.annotations(1) == []
    assert unit_at(judge.case(1), "loaded", "reckless").open
    judge.redo()
    judge.redo()
    assert [(a.id, a.label, a.attrs) for a in judge.annotations(1)] == [
        (a.id, a.label, a.attrs) for a in taken
    ]
    assert unit_at(judge.case(1), "loaded", "reckless").describe() == "taken from bob"
    assert [e.action for e in judge.repo.events(annotator=ADJUDICATOR)][-4:] == [
        "undo",
        "undo",
        "redo",
        "redo",
    ]


def test_a_decision_on_a_passage_that_changed_is_refused(judge: Adjudicating) -> None:
    reckless = unit_at(judge.case(1), "loaded", "reckless").unit
    mine = next(a for a in judge.repo.annotations(1, "bob", "loaded") if a.label == "exaggeration")
    judge.repo.update_annotation("bob", mine.id, end=mine.end + 1)
    with pytest.raises(NotFound, match="changed since it was shown"):
        judge.take(reckless, 1)


# ---------------------------------------------------------------------------- auto


def test_auto_fills_what_everyone_agrees_on_and_is_idempotent(judge: Adjudicating) -> None:
    result = judge.auto()
    assert [(f.unit.layer, f.agreeing) for f in result.filled] == [
        ("loaded", PEOPLE),
        ("statement", PEOPLE),
    ]
    assert result.added == 2
    assert sorted((g[1], g[3]["from"]) for g in gold(judge)) == [
        ("emotive", list(PEOPLE)),
        ("reporting", list(PEOPLE)),
    ]
    events = len(judge.repo.events())
    again = judge.auto()
    assert again.filled == () and again.added == 0
    assert len(judge.repo.events()) == events
    assert judge.case(1).tally.open == 4


def test_auto_with_a_quorum_keeps_every_manual_decision(judge: Adjudicating) -> None:
    case = judge.case(1)
    sentence_one = case.disagreements[0].unit
    judge.take(sentence_one, 3)  # carol alone
    regime = unit_at(case, "loaded", "the regime").unit
    judge.reject(regime)
    start, end = at(COUNCIL, "reckless spending")
    judge.tag(1, "loaded", "fear", start, end)  # by hand, over "reckless"
    before = {(a.id, a.label, str(a.attrs)) for a in judge.annotations(1)}
    result = judge.auto(min_agree=2)
    after = {(a.id, a.label, str(a.attrs)) for a in judge.annotations(1)}
    assert before <= after
    assert [(f.unit.layer, COUNCIL[f.unit.start : f.unit.end][:12]) for f in result.filled] == [
        ("statement", "Critics slam"),
        ("loaded", "slammed"),
        ("statement", "The council "),
    ]
    editorial = next(a for a in judge.annotations(1) if a.label == "editorial")
    assert editorial.attrs == {"from": ["alice", "bob"]}
    assert judge.case(1).tally.open == 0


def test_auto_never_re_adds_what_the_adjudicator_removed(judge: Adjudicating) -> None:
    judge.auto()
    slammed = next(a for a in judge.annotations(1) if a.label == "emotive")
    judge.remove(slammed.id)
    assert judge.auto().added == 0
    assert "emotive" not in [a.label for a in judge.annotations(1)]


def test_auto_leaves_a_tie_open_and_skips_documents_with_too_few(repo: Repository) -> None:
    text = "The mayor spoke at length. The vote is on Friday."
    four = ("alice", "bob", "carol", "dave")
    labels = ("editorial", "editorial", "reporting", "reporting")
    notes = [statement(text, who, 0, label) for who, label in zip(four, labels, strict=True)]
    repo.import_documents(
        [
            new_document("tie", text, notes, dict.fromkeys(four, "done")),
            new_document("alone", "Only one reviewer finished this.", (), {"alice": "done"}),
        ]
    )
    repo.ensure_annotator(ADJUDICATOR, "adjudicator")
    result = Adjudicating(repo, ADJUDICATOR).auto(min_agree=2)
    assert result.filled == () and result.ties == 1
    assert result.skipped == (("alone", "1 annotator finished it, 2 needed"),)
    with pytest.raises(InvalidInput, match="--min-agree 1 is too small"):
        Adjudicating(repo, ADJUDICATOR).auto(min_agree=1)


def test_auto_on_a_document_the_adjudicator_finished_reopens_it(judge: Adjudicating) -> None:
    judge.mark_gold_done(judge.repo.document(1), force=True)
    result = judge.auto()
    assert result.reopened == ("council",)
    assert judge.status(1) == "in_progress"


# ---------------------------------------------------------------------------- hand edits


def test_hand_edits_are_gold_from_no_one(judge: Adjudicating) -> None:
    judge.auto()
    start, end = at(COUNCIL, "reckless")
    made = judge.tag(1, "loaded", "fear", start, end).value
    assert (made.origin, made.attrs) == ("adjudication", {"from": []})
    slammed = next(a for a in judge.annotations(1) if a.label == "emotive")
    noted = judge.note(slammed.id, "clearly loaded").value
    assert noted.attrs == {"from": list(PEOPLE), "note": "clearly loaded"}
    moved = judge.move(slammed.id, slammed.start, slammed.end + 4).value
    assert moved.attrs == {"from": [], "note": "clearly loaded"}
    relabelled = judge.classify(1, "statement", 2, "editorial").value
    assert (relabelled.origin, relabelled.attrs) == ("adjudication", {"from": []})
    assert unit_at(judge.case(1), "loaded", "reckless").describe() == "edited by hand"


# ---------------------------------------------------------------------------- done and gold


def test_marking_gold_done_warns_while_disagreements_are_open(judge: Adjudicating) -> None:
    document = judge.repo.document(1)
    judge.auto()
    check = judge.mark_gold_done(document)
    assert check.open == 4
    assert check.lines()[0] == "4 disagreements are still open."
    assert judge.status(1) == "in_progress"
    for state in judge.case(1).disagreements:
        judge.take(state.unit, 1)
    assert not judge.mark_gold_done(document)
    assert judge.status(1) == "done"


def test_the_gold_of_whoever_marked_a_document_done_last_counts() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    times = {
        "ann": ("done", t0),
        "zed": ("done", t0 + timedelta(hours=1)),
        "mia": ("in_progress", t0 + timedelta(hours=2)),
        "alice": ("done", t0 + timedelta(hours=3)),
    }
    adjudicators = {"ann", "zed", "mia"}
    assert gold_adjudicator(times, adjudicators) == ("zed", ("ann",))
    assert gold_adjudicator({"mia": times["mia"]}, adjudicators) == (None, ())
    assert gold_adjudicator({"mia": times["mia"]}, adjudicators, finished=False) == ("mia", ())


def test_overview_counts_open_and_decided_per_document(judge: Adjudicating) -> None:
    judge.repo.import_documents([new_document("blank", "Nothing was marked here.")])
    judge.reject(judge.case(1).disagreements[0].unit)
    tallies = judge.overview()
    assert (tallies[1].open, tallies[1].decided) == (3, 1)
    assert (tallies[2].open, tallies[2].decided) == (0, 0)


def test_a_documents_agreement_matches_a_peer_library(judge: Adjudicating) -> None:
    import krippendorff

    loaded, statements = document_agreement(judge.scheme, judge.case(1))
    codes = {"attributed": 0, "editorial": 1, "mixed": 2, "reporting": 3}
    rows = [
        ["attributed", "editorial", "reporting"],
        ["attributed", "editorial", "reporting"],
        ["attributed", "mixed", "reporting"],
    ]
    peer = krippendorff.alpha(
        reliability_data=[[codes[x] for x in row] for row in rows], level_of_measurement="nominal"
    )
    assert statements.value == pytest.approx(peer)
    assert (statements.agreed, statements.units) == (1, 3)
    # loaded: pairwise partial F1 alice/bob 2/3, alice/carol 4/5, bob/carol 2/5
    assert loaded.value == pytest.approx((2 / 3 + 4 / 5 + 2 / 5) / 3)
