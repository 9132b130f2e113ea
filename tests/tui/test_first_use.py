"""What a new reviewer met in the terminal UI, each pinned by a test against the screen or the
store: the status after a change, reopening a finished document, the sort arrow, the search
count, the side panel at 80 columns, notes and rows cut short, grammar, sentences counted
from 1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList
from tui_support import HARBOUR, SIZE, app_for, at, mine, new_document, settle

from annotator.store.repository import Repository
from annotator.tui.widgets.document_view import DocumentView

Store = tuple[Repository, list[int]]
NARROW = (80, 24)

pytestmark = pytest.mark.asyncio


def screen_lines(pilot: Pilot[Any]) -> list[str]:
    """The text of every row of the screen on top, as drawn."""
    return [strip.text for strip in pilot.app.screen._compositor.render_strips()]


def status_row(pilot: Pilot[Any]) -> str:
    """The status line as drawn (the row above the footer)."""
    return screen_lines(pilot)[-2]


def view(pilot: Pilot[Any]) -> DocumentView:
    return pilot.app.screen.query_one(DocumentView)


def panel(pilot: Pilot[Any], which: str = "#under-cursor") -> str:
    return str(pilot.app.screen.query_one(which).content)


def help_rows(pilot: Pilot[Any]) -> dict[str, str]:
    """Binding id -> description, as the help dialog lists them."""
    rows: list[tuple[str, str, str]] = pilot.app.screen.rows  # type: ignore[attr-defined]
    return {binding_id: what for _keys, what, binding_id in rows if binding_id}


# -- the status after a change ----------------------------------------------------------------


async def test_a_change_shows_in_progress_on_both_screens(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "todo" in status_row(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        assert "in progress · saved" in status_row(pilot)
        assert repo.status(ids[0], "ana") == "in_progress"
        await pilot.press("q")
        await settle(pilot)
        grid = pilot.app.screen.query_one("#documents", DataTable)
        assert str(grid.get_row_at(0)[-1]) == "in progress"


async def test_changing_a_finished_document_says_it_reopens(store: Store) -> None:
    repo, ids = store
    repo.set_status("ana", ids[0], "done")
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "done · saved" in status_row(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        assert repo.status(ids[0], "ana") == "in_progress"
        row = status_row(pilot)
        assert "reopened" in row and "in progress · saved" in row


# -- the documents list -----------------------------------------------------------------------


async def test_the_sort_arrow_is_drawn_on_the_sorted_column(store: Store) -> None:
    repo, _ids = store
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        grid = pilot.app.screen.query_one("#documents", DataTable)
        await pilot.press("s", "s")  # title, then words
        await settle(pilot)
        header = grid.render_line(0).text
        assert "Words ▲" in header, header
        await pilot.press("s", "s")
        await settle(pilot)
        assert "Spans ▲" in grid.render_line(0).text


async def test_every_column_fits_at_80_columns(store: Store) -> None:
    repo, _ids = store
    async with app_for(repo).run_test(size=NARROW) as pilot:
        await settle(pilot)
        lines = screen_lines(pilot)
        header = next(line for line in lines if "Title" in line)
        assert "Status" in header
        assert any("todo" in line and "Harbour plan" in line for line in lines)


async def test_one_document_is_not_documents() -> None:
    repo = Repository.in_memory()
    try:
        repo.import_documents([new_document("harbour", "Harbour plan", HARBOUR)])
        async with app_for(repo).run_test(size=SIZE) as pilot:
            await settle(pilot)
            summary = str(pilot.app.screen.query_one("#documents-summary").content)
            assert summary.startswith("1 of 1 document · 0 done")
    finally:
        repo.close()


# -- search -----------------------------------------------------------------------------------


async def test_search_says_which_match_of_how_many_and_forgets_it_on_the_next_motion(
    store: Store,
) -> None:
    repo, ids = store
    total = len(re.findall("the", HARBOUR, re.IGNORECASE))  # counted by hand: 5
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"the", "enter")
        await settle(pilot)
        assert f"match 1 of {total}" in status_row(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert f"match 2 of {total}" in status_row(pilot)
        assert "match at" not in status_row(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert "match" not in status_row(pilot)


async def test_v_after_a_search_extends_the_match_and_help_says_so(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"harbour", "enter")
        await settle(pilot)
        await pilot.press("v", "w")
        assert view(pilot).selection == at("harbour plan")
        await pilot.press("question_mark")
        await settle(pilot)
        assert "search" in help_rows(pilot)["document.select-mode"]


# -- the side panel and the status line at 80 columns -----------------------------------------


async def test_p_hides_and_shows_the_side_panel(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=NARROW) as pilot:
        await settle(pilot)
        side = pilot.app.screen.query_one("#side-panel")
        text_width = view(pilot).size.width
        assert side.display and text_width >= 48  # the article keeps most of the row
        await pilot.press("p")
        await settle(pilot)
        assert not side.display
        assert view(pilot).size.width == 80
        await pilot.press("greater_than_sign")  # the choice holds for the next document
        await settle(pilot)
        assert not pilot.app.screen.query_one("#side-panel").display
        await pilot.press("p")
        await settle(pilot)
        assert pilot.app.screen.query_one("#side-panel").display
        await pilot.press("question_mark")
        await settle(pilot)
        assert "side panel" in help_rows(pilot)["toggle-panel"]


async def test_the_status_line_always_shows_the_save_state_at_80_columns(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[2]).run_test(size=NARROW) as pilot:
        await settle(pilot)
        assert status_row(pilot).rstrip().endswith("saved")
        view(pilot).move_cursor(3)
        await pilot.press("A")  # a message, and the attribution prompt
        await settle(pilot)
        assert status_row(pilot).rstrip().endswith("saved")


# -- notes, picker rows, help texts, guideline examples ---------------------------------------


async def test_a_long_note_is_shown_whole(store: Store) -> None:
    repo, ids = store
    note = (
        "Check the wire copy: the agency version says the mayor criticised the plan, and "
        "the word slammed appears only in this paper's headline and lead paragraph."
    )
    span = repo.add_span("ana", ids[0], "loaded", "labeling", *at("regime"))
    repo.update_annotation("ana", span.id, attrs={"note": note})
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await settle(pilot)
        assert note in " ".join(panel(pilot).split())


async def test_picker_rows_are_cut_at_a_word(store: Store) -> None:
    repo, ids = store
    critics = "Critics say the regime at city hall ignored the port workers."
    repo.add_span("ana", ids[0], "loaded", "labeling", *at("regime"))
    repo.set_segment_label("ana", ids[0], "statement", 1, "vague")
    async with app_for(repo, document_id=ids[0]).run_test(size=NARROW) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("x")
        await settle(pilot)
        options = pilot.app.screen.query_one(OptionList)
        prompt = options.get_option_at_index(1).prompt
        assert isinstance(prompt, Text)
        quoted = prompt.plain.split("“", 1)[1].rstrip("”")
        if quoted.endswith("…"):
            kept = quoted.removesuffix("…")
            assert critics.startswith(kept) and critics[len(kept)] == " ", quoted
        else:
            assert quoted == critics
        (row,) = [line for line in screen_lines(pilot) if "vague" in line]
        assert f"“{quoted}”" in row, row  # one row each: nothing wraps


async def test_help_texts_are_never_cut_short(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        rows = help_rows(pilot)
        # The definition's first sentence without its asides, not cut at "(or minimises)".
        assert rows["tag-exaggeration"].startswith(
            "Tag exaggeration: Wording that inflates size, speed or importance"
        )
        lines = "\n".join(screen_lines(pilot))
        assert "tag-labeling" in lines  # the ids show at 80 columns too
        assert "Tag labeling: A one-sided name for a person" in lines


async def test_guideline_examples_keep_their_own_quotes(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A", "escape")
        await settle(pilot)
        guide = panel(pilot, "#guide")
        assert "attributed" in guide
        assert "““" not in guide and "”;" not in guide
        assert "“We did everything by the book,” said Tomas Reyes" in guide


# -- grammar and sentence numbers -------------------------------------------------------------


async def test_counts_and_history_read_as_english(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("1")
        await settle(pilot)
        assert "· 1 span ·" in status_row(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "Undid: added labeling" in status_row(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "Redid: added labeling" in status_row(pilot)
        view(pilot).move_cursor(at("Rents")[0])
        await pilot.press("A", "escape")
        await settle(pilot)
        incomplete = panel(pilot).split("Incomplete attributions", 1)[1]
        assert "sentence 3" in incomplete and "sentences" not in incomplete
        await pilot.press("D")
        await settle(pilot)
        lines = pilot.app.screen.lines  # type: ignore[attr-defined]
        assert lines[0] == "3 of 4 sentences are not classified."
        assert lines[1] == "Attributions without source or cue: sentence 3."


async def test_one_unclassified_sentence_is_not_plural(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[1]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("V", "D")
        await settle(pilot)
        assert pilot.app.screen.lines[0] == "1 of 2 sentences is not classified."  # type: ignore[attr-defined]


async def test_sentences_are_counted_from_one_in_the_panel(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "sentence 1 of 4" in panel(pilot)
        view(pilot).move_cursor(at("March")[0])
        await settle(pilot)
        assert "sentence 4 of 4" in panel(pilot)
        assert mine(repo, ids[0]) == []


async def test_keys_typed_right_after_slash_go_to_the_search_bar(store: Store) -> None:
    """The bar has the focus as soon as "/" is handled, not a tick later: in a real terminal
    the next keys can arrive before that tick, and "p" would hide the side panel."""
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.app.screen.run_action("search")
        assert pilot.app.focused is pilot.app.screen.query_one("#search")
        await pilot.press("p", "o", "r", "t", "enter")
        await settle(pilot)
        assert pilot.app.screen.query_one("#side-panel").display
        assert view(pilot).selection == at("port")


async def test_the_match_count_survives_keys_pressed_faster_than_the_screen_redraws(
    store: Store,
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"the", "enter")
        await settle(pilot)
        screen = pilot.app.screen
        await screen.run_action("search_next")  # no pause: both moves queue their messages
        await screen.run_action("search_next")
        await settle(pilot)
        assert "match 3 of 5" in status_row(pilot)
