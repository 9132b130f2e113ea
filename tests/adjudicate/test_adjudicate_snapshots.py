"""Deterministic screenshots of the Adjudicate screen (pytest-textual-snapshot).

An in-memory store with the council article (three annotators, see ``adjudicate_support``),
animations and blinking off, a fixed terminal size. Update after a deliberate change with
``pytest tests/adjudicate/test_adjudicate_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

import pytest
from adjudicate_support import ADJUDICATOR, council
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from annotator.service.adjudicating import Adjudicating
from annotator.store.repository import Repository
from annotator.tui.app import AnnotatorApp, make_adjudicate_app
from annotator.tui.config import TuiConfig

Snap = Callable[..., bool]
SIZE = (120, 36)


@pytest.fixture
def repo() -> Iterator[Repository]:
    repository = Repository.in_memory()
    council(repository)
    yield repository
    repository.close()


def app_for(repo: Repository, document_id: int | None = 1) -> AnnotatorApp:
    config = TuiConfig(animations=False)
    return make_adjudicate_app(repo, config, adjudicator=ADJUDICATOR, document_id=document_id)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for reads and writes to return and the screen to redraw."""
    for _ in range(3):
        for worker in list(pilot.app.workers):
            with suppress(WorkerFailed):
                await worker.wait()
        await pilot.pause()


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


def test_statement_whose_sources_differ(snap_compare: Snap, repo: Repository) -> None:
    """On arrival: sentence 1, attributed by all three, carol's source shorter."""
    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=keys())


def test_statement_labels_differ_after_a_decision(snap_compare: Snap, repo: Repository) -> None:
    """Sentence 1 taken from carol (gold marks its source and cue), then sentence 2."""
    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=keys("3", "n"))


def test_span_labels_differ(snap_compare: Snap, repo: Repository) -> None:
    """The "reckless" passage: emotive, exaggeration, emotive; agreements already in gold."""
    Adjudicating(repo, ADJUDICATOR).auto()
    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=keys("n", "n", "n"))


def test_editing_gold_by_hand(snap_compare: Snap, repo: Repository) -> None:
    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=keys("n", "n", "e"))


def test_documents_of_an_adjudicator(snap_compare: Snap, repo: Repository) -> None:
    judge = Adjudicating(repo, ADJUDICATOR)
    judge.reject(judge.case(1).disagreements[0].unit)
    assert snap_compare(app_for(repo, None), terminal_size=SIZE, run_before=keys())
