"""The terminal UI on a team's database: changes made elsewhere, blindness, hostile strings
an older release stored, and a huge token.

A reviewer with two terminals on one document sees, after ``ctrl+l`` (or when the document
is opened again), what the other terminal saved. An annotator who opens the Agreement screen
is told it is for adjudicators and sees no figure. Notes with escape sequences never reach the
terminal. Tagging a token of millions of characters costs what tagging a word does (the
word search it rests on: tests/core/test_long_tokens.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static
from tui_support import SIZE, app_for, at, new_document, seed, settle

from annotator.service.annotating import Annotating
from annotator.store.repository import Repository
from annotator.tui.screens.agreement import AgreementScreen
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.widgets.document_view import DocumentView

pytestmark = pytest.mark.asyncio


def screen(pilot: Pilot[None]) -> AnnotateScreen:
    current = pilot.app.screen
    assert isinstance(current, AnnotateScreen), type(current).__name__
    return current


def shown_spans(pilot: Pilot[None]) -> list[tuple[str, int, int]]:
    return [(a.label, a.start, a.end) for a in screen(pilot).spans()]


async def test_ctrl_l_shows_what_another_terminal_saved(tmp_path: Path) -> None:
    path = str(tmp_path / "team.db")
    with Repository.open(path) as repo:
        harbour, *_ = seed(repo)
    first = Repository.open(path)
    second = Repository.open(path)  # the same reviewer's other terminal
    try:
        async with app_for(first, document_id=harbour).run_test(size=SIZE) as pilot:
            await settle(pilot)
            Annotating(second, "ana").tag(harbour, "loaded", "emotive", *at("slammed"))
            await settle(pilot)
            assert shown_spans(pilot) == []  # not read again on its own
            await pilot.press("ctrl+l")
            await settle(pilot)
            assert shown_spans(pilot) == [("emotive", *at("slammed"))]
            assert "Refreshed" in str(screen(pilot).query_one("#status").content)
            # both terminals tag the same word: one span, no error
            Annotating(second, "ana").tag(harbour, "loaded", "fear", *at("regime"))
            view = screen(pilot).query_one(DocumentView)
            view.move_cursor(at("regime")[0])
            await pilot.press("5")
            await settle(pilot)
            assert [a.label for a in second.annotations(harbour, "ana")].count("fear") == 1
            await pilot.press("q")
            await settle(pilot)
            documents = pilot.app.screen
            assert isinstance(documents, DocumentsScreen)
            Annotating(second, "ana").tag(harbour, "loaded", "labeling", *at("Critics"))
            await pilot.press("ctrl+l")
            await settle(pilot)
            row = next(p for p in documents.progress if p.document.id == harbour)
            assert row.spans == 3
            await pilot.press("enter")  # opened again: read afresh
            await settle(pilot)
            assert len(shown_spans(pilot)) == 3
    finally:
        first.close()
        second.close()


async def test_an_annotator_is_not_shown_the_agreement_figures() -> None:
    repo = Repository.in_memory()
    (harbour, *_) = seed(repo)
    for name in ("ana", "ben"):
        repo.set_segment_label(
            name, harbour, "statement", 0, "vague" if name == "ana" else "reporting"
        )
        repo.set_status(name, harbour, "done")
    async with app_for(repo, annotator="ana").run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        agreement = pilot.app.screen
        assert isinstance(agreement, AgreementScreen)
        status = str(agreement.query_one("#agreement-status", Static).render())
        assert "for adjudicators" in status and "blind" in status
        assert list(agreement.query(DataTable)) == []
        assert agreement.report is None
    repo.ensure_annotator("chair", "adjudicator")
    async with app_for(repo, annotator="chair").run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert pilot.app.screen.query(DataTable)
    repo.close()


async def test_a_note_with_escapes_never_reaches_the_terminal() -> None:
    repo = Repository.in_memory()
    (harbour, *_) = seed(repo)
    # as an older release stored it, behind the rulebook's back
    repo.add_span("ana", harbour, "loaded", "emotive", *at("slammed"),
                  attrs={"note": "look \x1b]0;pwned\x07 here \x1b[2J"})  # fmt: skip
    async with app_for(repo, document_id=harbour).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen(pilot).query_one(DocumentView).move_cursor(at("slammed")[0])
        await settle(pilot)
        panel = str(screen(pilot).query_one("#under-cursor").content)
        assert "look \ufffd]0;pwned\ufffd here \ufffd[2J" in panel
        assert "\x1b" not in panel and "\x07" not in panel
    repo.close()


async def test_tagging_a_huge_token_tags_all_of_it() -> None:
    token = "x" * 2_000_000
    repo = Repository.in_memory()
    repo.import_documents([new_document("huge", "Huge", f"A {token} and then the end.")])
    async with app_for(repo, document_id=1).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen(pilot).query_one(DocumentView).move_cursor(1_000_000)
        await pilot.press("1")
        await settle(pilot)
        (span,) = repo.annotations(1, "ana")
        assert (span.start, span.end) == (2, 2 + len(token))
        panel = str(screen(pilot).query_one("#under-cursor").content)
        assert len(panel) < 2_000  # a quote of the start, not the token
    repo.close()
