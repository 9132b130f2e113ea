"""The Adjudicate screen settles the reviewers' disagreements into gold: the machines'
suggestions are not shown there, and their keys do nothing."""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import pytest
from adjudicate_support import ADJUDICATOR, COUNCIL, at, council
from textual.pilot import Pilot
from textual.worker import WorkerFailed

from annotator.store.dto import NewAnnotation
from annotator.store.repository import Repository
from annotator.tui.app import make_adjudicate_app
from annotator.tui.config import TuiConfig
from annotator.tui.screens.adjudicate import AdjudicateScreen
from annotator.tui.widgets.document_view import DocumentView


async def settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        for worker in list(pilot.app.workers):
            with suppress(WorkerFailed):
                await worker.wait()
        await pilot.pause()


@pytest.mark.asyncio
async def test_no_suggestions_on_the_gold(repo: Repository) -> None:
    document_id = council(repo)
    offered = [
        NewAnnotation("suggest", "loaded", "fear", *at(COUNCIL, "spending"), {"rule": "x"}),
    ]
    repo.replace_suggestions("suggest", lambda batch: [offered for _ in batch])
    app = make_adjudicate_app(
        repo, TuiConfig(animations=False), adjudicator=ADJUDICATOR, document_id=document_id
    )
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AdjudicateScreen)
        assert screen.pending == []
        view = screen.query_one(DocumentView)
        assert not any(m.suggested for m in view.spans_between(0, len(COUNCIL)))
        view.move_cursor(at(COUNCIL, "spending")[0])
        await pilot.press("s", "backspace")
        await settle(pilot)
        assert repo.rejected_suggestions(ADJUDICATOR, document_id) == frozenset()
        assert len(repo.suggestions(document_id)) == 1
