"""The Adjudicate screen driven with Pilot: keys in, what the store holds out."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any, cast

import pytest
from adjudicate_support import ADJUDICATOR, COUNCIL, at, council, new_document, span
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from annotator.service.adjudicating import Adjudicating
from annotator.store.errors import InvalidInput
from annotator.store.repository import Repository
from annotator.tui.app import AnnotatorApp, make_adjudicate_app
from annotator.tui.bindings import binding_ids
from annotator.tui.config import TuiConfig
from annotator.tui.dialogs.confirm import ConfirmDialog
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.screens.adjudicate_documents import AdjudicationDocumentsScreen
from annotator.tui.widgets.side_panel import PanelText

QUIET = TuiConfig(animations=False)
SIZE = (130, 40)
HOSTILE = "A [bold]bold[/] claim and [@click=app.quit]a link[/] appear. An escape \x1b[2J ends."


@pytest.mark.asyncio
async def settle(pilot: Pilot[Any]) -> None:
    """Wait for reads and writes to return and the screen to redraw."""
    for _ in range(3):
        for worker in list(pilot.app.workers):
            with suppress(WorkerFailed):
                await worker.wait()
        await pilot.pause()


def screen(pilot: Pilot[Any]) -> AdjudicateScreen:
    found = pilot.app.screen
    assert isinstance(found, AdjudicateScreen), type(found)
    return found


def panel(pilot: Pilot[Any]) -> str:
    return str(screen(pilot).query_one("#versions", PanelText).render())


def gold(repo: Repository) -> list[tuple[str, str, str, object, str]]:
    return [
        (a.layer, a.label, COUNCIL[a.start : a.end], a.attrs.get("from"), a.origin)
        for a in repo.annotations(1, ADJUDICATOR)
    ]


@pytest.fixture
def app(repo: Repository) -> AnnotatorApp:
    council(repo)
    return make_adjudicate_app(repo, QUIET, adjudicator=ADJUDICATOR, document_id=1)


def test_an_annotator_gets_no_adjudicate_screen(repo: Repository) -> None:
    council(repo)
    with pytest.raises(InvalidInput, match="not an adjudicator"):
        make_adjudicate_app(repo, QUIET, adjudicator="alice")


@pytest.mark.asyncio
async def test_step_through_with_n_and_settle_each_with_one_key(
    app: AnnotatorApp, repo: Repository
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        here = screen(pilot)
        assert here.current == (1, "statement", 0, 45)  # the first open one, on arrival
        assert "Disagreement 1 of 4 · open" in panel(pilot)
        assert "source “Ruth Calloway”" in panel(pilot)
        await pilot.press("3")  # carol's attribution
        await settle(pilot)
        assert "taken from carol" in panel(pilot)
        await pilot.press("n", "1")  # sentence 2: alice's editorial
        await settle(pilot)
        await pilot.press("n", "x")  # "the regime": rejected
        await settle(pilot)
        await pilot.press("n", "a")  # "reckless": every version
        await settle(pilot)
        assert here.case is not None and here.case.tally.open == 0
        await pilot.press("n")
        await settle(pilot)
        assert "No open disagreement left" in here.message
    assert sorted(gold(repo)) == [
        ("loaded", "emotive", "reckless", ["alice", "carol"], "adjudication"),
        ("loaded", "exaggeration", "reckless", ["bob"], "adjudication"),
        ("statement", "attributed", COUNCIL[0:45], ["carol"], "adjudication"),
        ("statement", "editorial", COUNCIL[46:99], ["alice", "bob"], "adjudication"),
    ]
    verdicts = [(d.layer, d.start, d.verdict) for d in repo.decisions(ADJUDICATOR)]
    assert ("loaded", 62, "reject") in verdicts and len(verdicts) == 4
    assert [a.label for a in repo.annotations(1, "bob", "loaded")].count("exaggeration") == 1


@pytest.mark.asyncio
async def test_undo_and_redo_of_a_decision(app: AnnotatorApp, repo: Repository) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        taken = repo.annotations(1, ADJUDICATOR)
        assert [a.attrs["from"] for a in taken] == [["alice", "bob"]]
        await pilot.press("u")
        await settle(pilot)
        assert repo.annotations(1, ADJUDICATOR) == []
        assert "Undid: taking" in screen(pilot).message
        assert "· open" in panel(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert repo.annotations(1, ADJUDICATOR) == taken
        assert "taken from alice, bob" in panel(pilot)


@pytest.mark.asyncio
async def test_a_rejection_survives_auto(app: AnnotatorApp, repo: Repository) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n", "n", "x")  # "the regime"
        await settle(pilot)
    result = Adjudicating(repo, ADJUDICATOR).auto(min_agree=2)
    assert "the regime" not in [COUNCIL[a.start : a.end] for a in repo.annotations(1, "judge")]
    assert all(f.unit.start != at(COUNCIL, "the regime")[0] for f in result.filled)


@pytest.mark.asyncio
async def test_e_edits_gold_by_hand_with_the_annotate_keys(
    app: AnnotatorApp, repo: Repository
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        here = screen(pilot)
        await pilot.press("e")
        assert here.editing
        here.view.select(*at(COUNCIL, "would work"))
        await pilot.press("5")  # fear, the annotate screen's key
        await settle(pilot)
        await pilot.press("escape", "escape")  # clear the selection, then stop editing
        assert not here.editing
        await pilot.press("2")  # deciding again: bob's version of sentence 1
        await settle(pilot)
    assert sorted(gold(repo)) == [
        ("loaded", "fear", "would work", [], "adjudication"),
        ("statement", "attributed", COUNCIL[0:45], ["alice", "bob"], "adjudication"),
    ]


@pytest.mark.asyncio
async def test_done_warns_while_disagreements_are_open(app: AnnotatorApp, repo: Repository) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.title_text == "Gold not finished"
        assert dialog.lines[-1] == "Mark the gold done anyway?"
        await pilot.press("escape")
        await settle(pilot)
        assert repo.status(1, ADJUDICATOR) == "todo"
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")  # done anyway, disagreements open
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AdjudicateScreen)
        assert repo.status(1, ADJUDICATOR) == "done"
        assert screen.message == "Gold marked done"
        await pilot.press("D")  # done already: reopened, nothing asked
        await settle(pilot)
        assert repo.status(1, ADJUDICATOR) == "in_progress"
        assert screen.message == "Gold reopened"


@pytest.mark.asyncio
async def test_the_documents_list_shows_open_and_decided(repo: Repository) -> None:
    council(repo)
    Adjudicating(repo, ADJUDICATOR).reject(
        Adjudicating(repo, ADJUDICATOR).case(1).disagreements[0].unit
    )
    app = make_adjudicate_app(repo, QUIET, adjudicator=ADJUDICATOR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = pilot.app.screen
        assert isinstance(listed, AdjudicationDocumentsScreen)
        (row,) = listed.rows
        assert (row.finished, row.open, row.decided, row.status) == (3, 3, 1, "in progress")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AdjudicateScreen)


@pytest.mark.asyncio
async def test_hostile_text_is_shown_as_text(repo: Repository) -> None:
    repo.ensure_annotator(ADJUDICATOR, "adjudicator")
    work = [
        span(HOSTILE, "alice", "emotive", "[bold]bold[/]"),
        span(HOSTILE, "bob", "fear", "bold"),
    ]
    repo.import_documents(
        [new_document("hostile", HOSTILE, work, {"alice": "done", "bob": "done"})]
    )
    app = cast(
        AnnotatorApp, make_adjudicate_app(repo, QUIET, adjudicator=ADJUDICATOR, document_id=1)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "“[bold]bold[/]”" in panel(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert pilot.app.is_running
    assert [a.label for a in repo.annotations(1, ADJUDICATOR)] == ["emotive"]


def test_the_deciding_keys_can_be_rebound_by_the_ids_the_readme_gives(repo: Repository) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- section:adjudicate:begin -->")[1].split("<!-- section:adjudicate")[0]
    documented = {
        part.strip("` ")
        for line in block.splitlines()
        if line.startswith("| `")
        for part in line.strip().strip("|").split("|")[2].replace("…", ",").split(",")
        if part.strip("` ")
    }
    deciding = {"next-disagreement", "take-1", "take-9", "take-all", "reject", "edit-gold"}
    assert deciding <= documented
    assert documented <= binding_ids(repo.scheme())
