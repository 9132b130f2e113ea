"""Pilot tests of the annotate screen: each flow, asserted on what the store holds."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from tui_support import SIZE, app_for, at, mine, settle, texts

from annotator.store.repository import Repository
from annotator.tui.dialogs.confirm import ConfirmDialog
from annotator.tui.dialogs.note import NoteDialog
from annotator.tui.dialogs.picker import PickerDialog
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.document_view import DocumentView

Store = tuple[Repository, list[int]]

pytestmark = pytest.mark.asyncio


def screen(pilot: Pilot[None]) -> AnnotateScreen:
    current = pilot.app.screen
    assert isinstance(current, AnnotateScreen), type(current).__name__
    return current


def view(pilot: Pilot[None]) -> DocumentView:
    return screen(pilot).query_one(DocumentView)


def panel_text(pilot: Pilot[None]) -> str:
    return str(screen(pilot).query_one("#under-cursor").content)


def status_text(pilot: Pilot[None]) -> str:
    return str(screen(pilot).query_one("#status").content)


async def test_tag_the_selection(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).select(*at("slammed the harbour"))
        await pilot.press("2")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("emotive", "slammed the harbour")]
        assert view(pilot).selection is None
        assert "saved" in status_text(pilot)
        assert "1 span ·" in status_text(pilot)


async def test_tag_the_word_under_the_cursor(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        start, _ = at("regime")
        view(pilot).move_cursor(start + 2)
        await pilot.press("1")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "regime")]
        assert "labeling" in panel_text(pilot)
        assert "regime" in panel_text(pilot)


async def test_classify_and_reclassify_the_sentence(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("Critics")[0] + 3)
        await pilot.press("V")
        await settle(pilot)
        assert texts(repo, ids[0], "statement") == [
            ("vague", "Critics say the regime at city hall ignored the port workers.")
        ]
        await pilot.press("E")
        await settle(pilot)
        assert [a.label for a in mine(repo, ids[0], "statement")] == ["editorial"]
        assert "1/4 classified" in status_text(pilot)


async def test_attributed_asks_for_source_and_cue(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("mayor")[0])
        await pilot.press("A")
        await settle(pilot)
        prompt = screen(pilot).query_one("#prompt")
        assert prompt.display and "SOURCE" in str(prompt.content)
        view(pilot).select(*at("The mayor"))
        await pilot.press("enter")
        await settle(pilot)
        assert "CUE" in str(prompt.content)
        view(pilot).move_cursor(at("slammed")[0] + 1)
        await pilot.press("enter")
        await settle(pilot)
        assert not prompt.display
        (statement,) = mine(repo, ids[0], "statement")
        assert statement.label == "attributed"
        assert dict(statement.attrs) == {
            "source": {"start": 0, "end": 9},
            "cue": {"start": 10, "end": 17},
        }
        assert "Incomplete" not in panel_text(pilot)


async def test_escape_leaves_the_attribution_incomplete(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("Rents")[0])
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        (statement,) = mine(repo, ids[0], "statement")
        assert statement.label == "attributed" and "source" not in statement.attrs
        assert not screen(pilot).query_one("#prompt").display
        assert screen(pilot).gaps.incomplete == (2,)
        assert "Incomplete attributions" in panel_text(pilot)
        assert "sentence 3" in panel_text(pilot)


async def test_remove_asks_which_when_several(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).select(*at("slammed the harbour"))
        await pilot.press("2")
        await settle(pilot)
        view(pilot).move_cursor(at("harbour")[0])
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, PickerDialog)
        assert len(picker.items) == 3  # exaggeration (shortest first), emotive, the statement
        await pilot.press("down", "enter")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("exaggeration", "harbour")]
        assert [a.label for a in mine(repo, ids[0], "statement")] == ["reporting"]


async def test_remove_the_only_annotation_needs_no_picker(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, PickerDialog)
        assert mine(repo, ids[0]) == []


async def test_boundary_keys_move_the_span_edges(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("harbour")[0])
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("left_square_bracket")  # start one word left
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "the harbour")]
        await pilot.press("right_curly_bracket")  # end one word right
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "the harbour plan")]
        await pilot.press("right_parenthesis")  # start one character right
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "he harbour plan")]
        await pilot.press("comma")  # end one character left
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "he harbour pla")]
        await pilot.press("left_parenthesis", "full_stop")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "the harbour plan")]
        await pilot.press("left_curly_bracket", "right_square_bracket")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "harbour")]


async def test_note_is_stored_in_attrs(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("soared")[0])
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NoteDialog)
        await pilot.press(*"[b]two percent[/b] is not a soar")
        await pilot.press("enter")
        await settle(pilot)
        (span,) = mine(repo, ids[0])
        assert span.attrs["note"] == "[b]two percent[/b] is not a soar"
        assert "[b]two percent[/b]" in panel_text(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+u", "enter")
        await settle(pilot)
        assert "note" not in mine(repo, ids[0])[0].attrs


async def test_search_selects_matches_and_tags_them(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.press(*"THE")
        await pilot.press("enter")
        await settle(pilot)
        assert view(pilot).selection == at("The")
        await pilot.press("n")
        assert view(pilot).selection == at("the")
        await pilot.press("n")
        assert view(pilot).selection == at("the", nth=1)
        await pilot.press("N")
        assert view(pilot).selection == at("the")
        await pilot.press("4")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("epistemic", "the")]
        assert mine(repo, ids[0])[0].start == at("the")[0]


async def test_search_escape_closes_the_bar(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", "x", "escape")
        await settle(pilot)
        assert not screen(pilot).query_one("#search").display
        assert pilot.app.focused is view(pilot)
        assert mine(repo, ids[0]) == []


async def test_undo_and_redo(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert mine(repo, ids[0]) == []
        assert "0 spans" in status_text(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "regime")]
        assert "1 span ·" in status_text(pilot)


async def test_undo_goes_to_the_document_it_changes(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert screen(pilot).document_id == ids[1]
        await pilot.press("u")
        await settle(pilot)
        assert mine(repo, ids[0]) == []
        assert screen(pilot).document_id == ids[0]
        assert view(pilot).cursor == at("regime")[0]


async def test_undo_after_a_restart(tmp_path: object) -> None:
    from pathlib import Path

    from tui_support import seed

    path = Path(str(tmp_path)) / "restart.db"
    repo = Repository.open(str(path))
    ids = seed(repo)
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
    repo.close()

    reopened = Repository.open(str(path))
    try:
        assert texts(reopened, ids[0]) == [("labeling", "regime")]
        async with app_for(reopened, document_id=ids[1]).run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("u")
            await settle(pilot)
            assert mine(reopened, ids[0]) == []
            assert screen(pilot).document_id == ids[0]
            await pilot.press("ctrl+r")
            await settle(pilot)
            assert texts(reopened, ids[0]) == [("labeling", "regime")]
    finally:
        reopened.close()


async def test_done_warns_about_gaps(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[1]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("escape", "D")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert dialog.lines[0] == "1 of 2 sentences is not classified."
        assert dialog.lines[1] == "Attributions without source or cue: sentence 1."
        await pilot.press("n")
        await settle(pilot)
        assert repo.status(ids[1], "ana") == "in_progress"
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert repo.status(ids[1], "ana") == "done"
        assert "done" in status_text(pilot)


async def test_done_without_gaps_asks_nothing(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[1]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V")
        await settle(pilot)
        view(pilot).move_cursor(len(repo.document(ids[1]).text) - 3)
        await pilot.press("V")
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ConfirmDialog)
        assert repo.status(ids[1], "ana") == "done"


async def test_next_and_previous_document(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert screen(pilot).document_id == ids[1]
        assert screen(pilot).doc is not None and screen(pilot).doc.title == "Valley dam"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert screen(pilot).document_id == ids[0]
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert screen(pilot).document_id == ids[0]


async def test_reviewers_are_blind_to_each_other(store: Store) -> None:
    repo, ids = store
    repo.add_span("ben", ids[0], "loaded", "emotive", *at("slammed"))
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("slammed")[0])
        await settle(pilot)
        assert screen(pilot).annotations == []
        assert "nothing here" in panel_text(pilot)
        assert "0 spans" in status_text(pilot)


async def test_q_goes_back_to_the_documents(store: Store) -> None:
    from annotator.tui.screens.documents import DocumentsScreen

    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        documents = pilot.app.screen
        assert isinstance(documents, DocumentsScreen)
        harbour = next(p for p in documents.progress if p.document.id == ids[0])
        assert harbour.spans == 1


async def test_a_failed_write_is_reported_and_the_screen_reread(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.store.errors import StoreError

    repo, ids = store

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StoreError("the database is locked; try again")

    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        monkeypatch.setattr(repo, "tag_span", refuse)  # what the service saves a span with
        await pilot.press("1")
        await settle(pilot)
        assert pilot.app.is_running
        notices = [(n.title, str(n.message)) for n in pilot.app._notifications]
        assert ("Not saved", "the database is locked; try again") in notices
        assert "saved" in status_text(pilot)
        assert "0 spans" in status_text(pilot)
        monkeypatch.undo()
        await pilot.press("1")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "regime")]


async def test_a_failed_read_is_not_reported_as_unsaved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.store.errors import StoreError

    repo, ids = store

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise StoreError("cannot read the database: disk I/O error")

    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        monkeypatch.setattr(repo, "document", refuse)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert pilot.app.is_running
        notices = [(n.title, str(n.message)) for n in pilot.app._notifications]
        assert ("Could not load", "cannot read the database: disk I/O error") in notices


async def test_writes_keep_their_order(store: Store) -> None:
    """Tag, undo, redo, remove pressed without waiting: applied in exactly that order."""
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1", "u", "ctrl+r", "2")
        await settle(pilot)
        assert sorted(texts(repo, ids[0])) == [("emotive", "regime"), ("labeling", "regime")]
        history = [e.action for e in repo.events(annotator="ana") if e.action != "status"]
        assert history[-4:] == ["add", "undo", "redo", "add"]


async def test_classifying_again_completes_an_incomplete_attribution(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("mayor")[0])
        await pilot.press("A")
        await settle(pilot)
        view(pilot).select(*at("The mayor"))
        await pilot.press("enter", "escape")  # source given, cue left open
        await settle(pilot)
        (statement,) = mine(repo, ids[0], "statement")
        assert set(statement.attrs) == {"source"}
        assert screen(pilot).gaps.incomplete == (0,)
        await pilot.press("A")  # the same label again: asks only for what is missing
        await settle(pilot)
        assert "CUE" in str(screen(pilot).query_one("#prompt").content)
        view(pilot).move_cursor(at("slammed")[0])
        await pilot.press("enter")
        await settle(pilot)
        (after,) = mine(repo, ids[0], "statement")
        assert after.id == statement.id
        assert dict(after.attrs) == {
            "source": {"start": 0, "end": 9},
            "cue": {"start": 10, "end": 17},
        }
        assert screen(pilot).gaps.incomplete == ()
