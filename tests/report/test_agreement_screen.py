"""Pilot tests of the Agreement screen: opened with ``i`` from the documents screen, figures
equal to the report service's, ``r`` rebuilds, ``escape``/``q`` close; hostile names stay
plain text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from report_support import news_corpus
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from annotator.report import ReportOptions, build_report
from annotator.report.present import fig
from annotator.store.repository import Repository
from annotator.tui.app import AnnotatorApp, make_app
from annotator.tui.config import TuiConfig
from annotator.tui.screens.agreement import AgreementScreen
from annotator.tui.screens.documents import DocumentsScreen

pytestmark = pytest.mark.asyncio
SIZE = (140, 48)
QUIET = TuiConfig(animations=False)


async def settle(pilot: Pilot[None]) -> None:
    app = cast(AnnotatorApp, pilot.app)
    for _ in range(4):
        await app.workers.wait_for_complete()
        await pilot.pause()


def rows(pilot: Pilot[None], table_id: str) -> list[list[str]]:
    grid: DataTable[Text] = pilot.app.screen.query_one(f"#{table_id}", DataTable)
    for row in range(grid.row_count):
        assert all(isinstance(cell, Text) for cell in grid.get_row_at(row))
    return [[str(cell) for cell in grid.get_row_at(row)] for row in range(grid.row_count)]


async def open_agreement(pilot: Pilot[None]) -> None:
    await settle(pilot)
    assert isinstance(pilot.app.screen, DocumentsScreen)
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AgreementScreen)


async def test_figures_equal_the_report(news_repo: Repository) -> None:
    expected = build_report(news_repo, ReportOptions())
    statement = next(layer for layer in expected.layers if layer.name == "statement")
    async with make_app(news_repo, QUIET, annotator="ann").run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        layers = rows(pilot, "agreement-layers")
        assert [r[0] for r in layers] == ["loaded", "statement"]
        assert layers[1][3] == f"alpha {fig(statement.krippendorff_alpha)}"
        assert layers[1][4] == (
            f"{statement.alpha_ci95[0]:.3f} to {statement.alpha_ci95[1]:.3f}"  # type: ignore[index]
        )
        pairs = rows(pilot, "agreement-pairs")
        assert ["statement", "ann / bob", "7", f"kappa {fig(statement.pairwise[0].cohen_kappa)}",
                "agreement 85.7%"] in pairs  # fmt: skip
        anatomy = dict((r[0], int(r[1])) for r in rows(pilot, "agreement-anatomy"))
        assert anatomy == dict(expected.anatomy.counts)
        worst = rows(pilot, "agreement-documents")
        assert [r[0] for r in worst] == ["city-budget", "senate-night"]


async def test_refresh_picks_up_new_work_and_escape_closes(news_repo: Repository) -> None:
    async with make_app(news_repo, QUIET, annotator="ann").run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        before = rows(pilot, "agreement-layers")[1][2]
        assert before == "9"
        quiet_day = news_repo.document_by_external_id("quiet-day")
        assert quiet_day is not None
        news_repo.set_status("bob", quiet_day.id, "done")
        await pilot.press("r")
        await settle(pilot)
        status = str(pilot.app.screen.query_one("#agreement-status", Static).render())
        assert "3 documents" in status
        quiet = rows(pilot, "agreement-documents")
        assert "quiet-day" in [r[0] for r in quiet]  # now two annotators counted there
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentsScreen)
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentsScreen)


async def test_hostile_names_are_plain_text(import_jsonl: Callable[..., Repository]) -> None:
    corpus: list[dict[str, Any]] = news_corpus()
    hostile = "[@click=app.quit]x[/]"
    corpus[0]["id"] = hostile
    for doc in corpus:
        for ann in doc["annotations"]:
            if ann["annotator"] == "bob":
                ann["annotator"] = "[b]bob[/b]"
        if "bob" in doc["status"]:
            doc["status"]["[b]bob[/b]"] = doc["status"].pop("bob")
    repo = import_jsonl(corpus)
    async with make_app(repo, QUIET, annotator="ann").run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        worst = rows(pilot, "agreement-documents")
        assert hostile in [r[0] for r in worst]
        assert any("[b]bob[/b]" in r[1] for r in rows(pilot, "agreement-pairs"))
        assert pilot.app.is_running  # the [@click=app.quit] id did not quit the app


async def test_an_unknown_layer_is_shown_not_raised(news_repo: Repository) -> None:
    app = make_app(news_repo, QUIET, annotator="ann")
    screen = AgreementScreen(app.session, ReportOptions(layers=("nope",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        status = str(screen.query_one("#agreement-status", Static).render())
        assert "could not be built" in status and "no layer named 'nope'" in status
