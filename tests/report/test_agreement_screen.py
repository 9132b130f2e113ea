"""Pilot tests of the Agreement screen: opened with ``i`` from the documents screen, figures
equal to the report service's, ``r`` rebuilds, ``escape``/``q`` close; hostile names stay
plain text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

import pytest
from report_support import PARADOX_SCHEME, news_corpus, paradox_corpus
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


def chair(repo: Repository) -> str:
    """An adjudicator to look at the figures: they show how the others labelled, so a
    reviewer is not shown them."""
    repo.ensure_annotator("chair", "adjudicator")
    return "chair"


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
    async with make_app(news_repo, QUIET, annotator=chair(news_repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        layers = rows(pilot, "agreement-layers")
        assert [r[0] for r in layers] == ["loaded", "statement"]
        assert layers[1][2] == f"alpha {fig(statement.krippendorff_alpha)}"
        assert layers[1][3] == (
            f"{statement.alpha_ci95[0]:.3f} to {statement.alpha_ci95[1]:.3f}"  # type: ignore[index]
        )
        assert statement.gwet is not None
        below = str(pilot.app.screen.query_one("#agreement-layers-notes", Static).render())
        assert f"statement: Gwet's AC1 {fig(statement.gwet.value)} (95% CI " in below
        loaded = next(layer for layer in expected.layers if layer.name == "loaded")
        assert f"loaded: gamma {fig(loaded.gamma)} (95% range " in below  # type: ignore[union-attr]
        pairs = rows(pilot, "agreement-pairs")
        kappa = f"kappa {fig(statement.pairwise[0].cohen_kappa)}"
        ac = f"AC1 {fig(statement.pairwise[0].gwet_ac)}"
        assert ["statement", "ann / bob", "7 sentences", kappa, "agreement 85.7%", ac] in pairs
        anatomy = dict((r[0], int(r[1])) for r in rows(pilot, "agreement-anatomy"))
        assert anatomy == dict(expected.anatomy.counts)
        worst = rows(pilot, "agreement-documents")
        assert [r[0] for r in worst] == ["city-budget", "senate-night"]


async def test_refresh_picks_up_new_work_and_escape_closes(news_repo: Repository) -> None:
    async with make_app(news_repo, QUIET, annotator=chair(news_repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        before = rows(pilot, "agreement-layers")[1][4]
        assert before == "9 sentences"
        quiet_day = news_repo.document_by_external_id("quiet-day")
        assert quiet_day is not None
        news_repo.set_status("bob", quiet_day.id, "done")
        await pilot.press("r")
        await settle(pilot)
        status = str(pilot.app.screen.query_one("#agreement-status", Static).render())
        assert "3 of 3 documents with two or more annotators" in status
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
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        worst = rows(pilot, "agreement-documents")
        assert hostile in [r[0] for r in worst]
        assert any("[b]bob[/b]" in r[1] for r in rows(pilot, "agreement-pairs"))
        assert pilot.app.is_running  # the [@click=app.quit] id did not quit the app


async def test_an_unknown_layer_is_shown_not_raised(news_repo: Repository) -> None:
    app = make_app(news_repo, QUIET, annotator=chair(news_repo))
    screen = AgreementScreen(app.session, ReportOptions(layers=("nope",)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.push_screen(screen)
        await settle(pilot)
        status = str(screen.query_one("#agreement-status", Static).render())
        assert "could not be built" in status and "layer 'nope' is not in scheme" in status


async def test_nothing_to_compare_is_one_line_and_no_tables(
    import_jsonl: Callable[..., Repository],
) -> None:
    corpus: list[dict[str, Any]] = news_corpus()
    for doc in corpus:
        doc["status"] = {}
    repo = import_jsonl(corpus)
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        status = str(pilot.app.screen.query_one("#agreement-status", Static).render())
        assert "no annotator has marked any document done" in status
        assert "D in the annotation screen" in status
        assert "\n" not in status.strip()
        assert not pilot.app.screen.query(DataTable)


def two_reviewers_one_article() -> list[dict[str, Any]]:
    """Two sentences labelled by ana and ben (reporting/reporting, vague/editorial) and one
    span each: every label but three is unused, so most per-label figures are undefined."""
    text = "The council met on Tuesday. Critics say the regime slammed the plan."
    second = text.index("Critics")
    segments = [[0, second - 1], [second, len(text)]]
    slammed = text.index("slammed")
    annotations: list[dict[str, Any]] = []
    for who, label in (("ana", "vague"), ("ben", "editorial")):
        for (start, end), given in zip(segments, ("reporting", label), strict=True):
            annotations.append({"annotator": who, "layer": "statement", "label": given,
                                "start": start, "end": end})  # fmt: skip
        annotations.append({"annotator": who, "layer": "loaded", "label": "emotive",
                            "start": slammed, "end": slammed + 7})  # fmt: skip
    return [{"id": "council", "title": "Council", "text": text, "segments": segments,
             "status": {"ana": "done", "ben": "done"}, "annotations": annotations}]  # fmt: skip


async def test_long_reasons_are_notes_below_the_table(
    import_jsonl: Callable[..., Repository],
) -> None:
    repo = import_jsonl(two_reviewers_one_article())
    report = build_report(repo, ReportOptions())
    statement = next(layer for layer in report.layers if layer.name == "statement")
    attributed = next(lab for lab in statement.per_label if lab.label == "attributed")
    reason = attributed.alpha.reason
    assert reason is not None and len(reason) > 60  # the kind of text that overflowed
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        screen = pilot.app.screen
        labels = rows(pilot, "agreement-labels")
        row = next(r for r in labels if r[:2] == ["statement", "attributed"])
        assert re.fullmatch(r"alpha undefined \(note \d+\)", row[2])
        number = re.search(r"\d+", row[2]).group()  # type: ignore[union-attr]
        notes = str(screen.query_one("#agreement-labels-notes", Static).render())
        assert f"note {number}: {reason}" in notes.splitlines()
        for table in screen.query(DataTable):
            assert table.virtual_size.width <= SIZE[0], table.id
            for r in range(table.row_count):
                for cell in table.get_row_at(r):
                    if "undefined" in str(cell):
                        assert re.search(r"undefined \(note \d+\)$", str(cell)), str(cell)


async def test_figures_on_one_document_carry_their_n(news_repo: Repository) -> None:
    report = build_report(news_repo, ReportOptions())
    async with make_app(news_repo, QUIET, annotator=chair(news_repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        header = [str(c.label) for c in pilot.app.screen.query_one(
            "#agreement-documents", DataTable).columns.values()]  # fmt: skip
        assert header == ["document", "title", "score", "disagreements", "loaded", "statement"]
        shown = {r[0]: r for r in rows(pilot, "agreement-documents")}
        for doc in report.documents:
            loaded, statement = doc.layers["loaded"], doc.layers["statement"]
            assert shown[doc.external_id][4] == (
                f"F1 {fig(loaded.agreement)} on {loaded.units} spans"
            )
            assert shown[doc.external_id][5].endswith(f"on {statement.units} sentences")
        assert shown["city-budget"][5].endswith("on 4 sentences")  # the article has four
        pairs = rows(pilot, "agreement-pairs")
        assert pairs[0][:3] == ["loaded", "ann / bob", "2 documents"]


async def test_label_counts_cover_the_documents_of_the_figure(
    import_jsonl: Callable[..., Repository],
) -> None:
    corpus: list[dict[str, Any]] = news_corpus()
    quiet = corpus[2]
    quiet["status"] = {"ann": "done", "bob": "done", "cat": "in_progress"}
    start = quiet["text"].index("loaded")
    quiet["annotations"].append({"annotator": "ann", "layer": "loaded", "label": "emotive",
                                 "start": start, "end": start + 6})  # fmt: skip
    repo = import_jsonl(corpus)
    # alpha_U covers the two documents all three finished; count their spans by hand
    emotive = {"ann": 0, "bob": 0, "cat": 0}
    for doc in corpus[:2]:
        for a in doc["annotations"]:
            if a["layer"] == "loaded" and a["label"] == "emotive":
                emotive[a["annotator"]] += 1
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        row = next(r for r in rows(pilot, "agreement-labels") if r[:2] == ["loaded", "emotive"])
        assert row[3] == "2 documents"
        assert row[4] == ", ".join(f"{who} {n}" for who, n in emotive.items())


async def test_one_of_a_thing_is_singular_on_the_screen(
    import_jsonl: Callable[..., Repository],
) -> None:
    repo = import_jsonl(two_reviewers_one_article())
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        status = str(pilot.app.screen.query_one("#agreement-status", Static).render())
        assert "1 of 1 document with two or more annotators" in status
        assert status.endswith("· 1 disagreement")
        layers = rows(pilot, "agreement-layers")
        assert layers[0][4:] == [
            "1 document end to end",
            "2 spans in 1 document",
        ]
        assert rows(pilot, "agreement-pairs")[0][2] == "1 document"


async def test_the_kappa_paradox_is_explained_below_the_tables(
    import_jsonl: Callable[..., Repository],
) -> None:
    repo = import_jsonl(paradox_corpus(), PARADOX_SCHEME)
    async with make_app(repo, QUIET, annotator=chair(repo)).run_test(size=SIZE) as pilot:
        await open_agreement(pilot)
        claim = next(r for r in rows(pilot, "agreement-layers") if r[0] == "claim")
        assert claim[2] == "alpha 0.310"  # figures by hand: see the report's tests
        pair = next(r for r in rows(pilot, "agreement-pairs") if r[:2] == ["claim", "ann / bob"])
        assert pair[3:] == ["kappa -0.053", "agreement 90.0%", "AC1 0.890"]
        below = str(pilot.app.screen.query_one("#agreement-layers-notes", Static).render())
        lines = below.splitlines()
        gwet = next(line for line in lines if line.startswith("claim: Gwet's AC1 0.926 (95% CI "))
        assert gwet.endswith("prevalence index 0.90, bias index 0.00)")
        assert any(line.startswith("claim: ") and "one label dominates" in line for line in lines)
        assert "loaded: gamma 1.000" in below and "unused: gamma undefined (note " in below
        pairs_below = str(pilot.app.screen.query_one("#agreement-pairs-notes", Static).render())
        assert "claim, ann / bob: AC1 0.89 vs kappa -0.05: one label dominates" in pairs_below
