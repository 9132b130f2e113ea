"""Decisions: written with the gold they replace in one transaction, undone as one step."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.store.dto import GoldAnnotation, NewDocument, Ruling
from annotator.store.errors import DatabaseError, HistoryConflict
from annotator.store.repository import Repository

MakeDoc = Callable[..., NewDocument]


def _gold(store: Repository) -> list[tuple[str, int, int, object]]:
    return [(a.label, a.start, a.end, a.attrs.get("from")) for a in store.annotations(1, "judge")]


@pytest.fixture
def judged(store: Repository, make_doc: MakeDoc) -> Repository:
    store.import_documents([make_doc("a")])
    store.ensure_annotator("judge", "adjudicator")
    return store


def test_a_ruling_replaces_the_gold_in_its_unit_and_records_the_verdict(
    judged: Repository,
) -> None:
    judged.add_span("judge", 1, "loaded", "fear", 2, 8, origin="adjudication")
    judged.add_span("judge", 1, "loaded", "fear", 20, 24, origin="adjudication")
    take = Ruling(
        "loaded",
        4,
        10,
        "take",
        ("alice",),
        (GoldAnnotation("loaded", "emotive", 4, 10, {"from": ["alice"]}),),
    )
    added = judged.decide("judge", {1: [take]})
    assert [(a.label, a.origin) for a in added[1]] == [("emotive", "adjudication")]
    assert _gold(judged) == [("emotive", 4, 10, ["alice"]), ("fear", 20, 24, None)]
    (decision,) = judged.decisions("judge")
    assert (decision.verdict, decision.taken, decision.start, decision.end) == (
        "take",
        ("alice",),
        4,
        10,
    )
    event = judged.events(annotator="judge")[-1]
    assert event.action == "decide" and event.annotation_id is None
    assert event.before is not None and [a["label"] for a in event.before["annotations"]] == [
        "fear"
    ]


def test_undo_restores_the_replaced_gold_under_its_old_id(judged: Repository) -> None:
    old = judged.add_span("judge", 1, "loaded", "fear", 2, 8, origin="adjudication")
    judged.decide("judge", {1: [Ruling("loaded", 2, 8, "reject", ())]})
    assert _gold(judged) == [] and judged.decisions("judge")[0].verdict == "reject"
    judged.undo("judge")
    assert judged.annotations(1, "judge") == [old]
    assert judged.decisions("judge") == []
    judged.redo("judge")
    assert _gold(judged) == [] and len(judged.decisions("judge")) == 1


def test_a_decision_whose_gold_was_removed_outside_its_history_is_not_replayed(
    tmp_path: Path, make_doc: MakeDoc
) -> None:
    path = tmp_path / "gold.db"
    gold = GoldAnnotation("loaded", "emotive", 4, 10, {"from": []})
    with Repository.open(str(path)) as store:
        store.import_documents([make_doc("a")])
        store.ensure_annotator("judge", "adjudicator")
        (made,) = store.decide("judge", {1: [Ruling("loaded", 4, 10, "take", (), (gold,))]})[1]
    outside = sqlite3.connect(path)
    outside.execute("DELETE FROM annotations WHERE id = ?", (made.id,))
    outside.commit()
    outside.close()
    with Repository.open(str(path)) as store:
        count = len(store.events())
        with pytest.raises(HistoryConflict, match=f"annotation {made.id} was removed meanwhile"):
            store.undo("judge")
        assert len(store.events()) == count
        assert len(store.decisions("judge")) == 1


def test_rulings_on_a_missing_document_change_nothing(judged: Repository) -> None:
    ok = Ruling("loaded", 0, 3, "reject", ())
    with pytest.raises(Exception, match="no document #99") as caught:
        judged.decide("judge", {1: [ok], 99: [ok]})
    assert not isinstance(caught.value, DatabaseError)
    assert judged.decisions("judge") == []


def test_a_decision_reopens_the_gold_in_its_own_transaction(judged: Repository) -> None:
    judged.set_status("judge", 1, "done")
    reject = Ruling("loaded", 0, 3, "reject", ())
    quiet = judged.decide_touching("judge", {1: [reject]}, touch="written")
    assert quiet.previous == {} and judged.status(1, "judge") == "done"  # nothing written
    decided = judged.decide_touching("judge", {1: [reject]}, touch="always")
    assert decided.previous == {1: "done"} and judged.status(1, "judge") == "in_progress"
    judged.set_status("judge", 1, "done")
    with pytest.raises(Exception, match="no document #99"):
        judged.decide_touching("judge", {1: [reject], 99: [reject]}, touch="always")
    assert judged.status(1, "judge") == "done"  # the failed decision moved nothing
    assert len(judged.decisions("judge")) == 1


def test_status_times_say_when_each_status_was_set(judged: Repository) -> None:
    judged.set_status("judge", 1, "done")
    ((status, moment),) = judged.status_times([1])[1].values()
    assert status == "done" and moment.tzinfo is not None
    assert judged.status_times([2]) == {}
