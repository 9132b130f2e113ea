"""Pilot tests of the documents screen, the help screen, keymaps, mouse selection and hostile
text, against an injected in-memory store."""

from __future__ import annotations

from typing import cast

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from tui_support import HARBOUR, SIZE, app_for, mine, settle, texts

from annotator.store.repository import Repository
from annotator.tui.config import TuiConfig
from annotator.tui.dialogs.help import HelpDialog
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.widgets.document_view import DocumentView

Store = tuple[Repository, list[int]]

pytestmark = pytest.mark.asyncio


def table(pilot: Pilot[None]) -> DataTable[Text]:
    return pilot.app.screen.query_one("#documents", DataTable)


def titles(pilot: Pilot[None]) -> list[str]:
    grid = table(pilot)
    return [str(grid.get_row_at(row)[1]) for row in range(grid.row_count)]


async def test_documents_table_shows_progress(store: Store) -> None:
    repo, ids = store
    repo.set_segment_label("ana", ids[0], "statement", 0, "reporting")
    repo.add_span("ana", ids[0], "loaded", "emotive", 10, 17)
    repo.add_span("ben", ids[1], "loaded", "emotive", 0, 9)
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentsScreen)
        grid = table(pilot)
        assert grid.row_count == 3
        harbour = [str(cell) for cell in grid.get_row_at(0)]
        assert harbour == ["1", "Harbour plan", "33", "1/4", "1", "in progress"]
        valley = [str(cell) for cell in grid.get_row_at(1)]
        assert valley[3:] == ["0/2", "0", "todo"]  # ben's span is not ana's progress


async def test_filter_sort_and_open(store: Store) -> None:
    repo, _ids = store
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"VALL")
        await settle(pilot)
        assert titles(pilot) == ["Valley dam"]
        await pilot.press("escape")
        assert isinstance(pilot.app.focused, DataTable)
        await pilot.press("slash")
        await pilot.press("ctrl+u")
        await pilot.press("enter")
        await settle(pilot)
        assert len(titles(pilot)) == 3
        screen = cast(DocumentsScreen, pilot.app.screen)
        await pilot.press("s")  # title
        assert screen.sort_key == "title"
        assert titles(pilot)[1:] == ["Harbour plan", "Valley dam"]  # "[" sorts first
        await pilot.press("s")  # words
        assert screen.sort_key == "words"
        assert titles(pilot)[-1] == "Harbour plan"
        await pilot.press("down", "enter")
        await settle(pilot)
        annotate = pilot.app.screen
        assert isinstance(annotate, AnnotateScreen)
        shown = [row for row in titles_sorted_by_words(repo)]
        assert annotate.doc is not None and annotate.doc.title == shown[1]


def titles_sorted_by_words(repo: Repository) -> list[str]:
    docs = sorted(repo.documents(), key=lambda d: (d.n_words, d.id))
    return [d.title for d in docs]


async def test_clicking_a_header_sorts_and_reverses(store: Store) -> None:
    repo, _ids = store
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = cast(DocumentsScreen, pilot.app.screen)
        grid = table(pilot)
        grid.post_message(
            DataTable.HeaderSelected(grid, grid.ordered_columns[2].key, 2, Text("Words"))
        )
        await settle(pilot)
        assert (screen.sort_key, screen.sort_reverse) == ("words", False)
        grid.post_message(
            DataTable.HeaderSelected(grid, grid.ordered_columns[2].key, 2, Text("Words"))
        )
        await settle(pilot)
        assert (screen.sort_key, screen.sort_reverse) == ("words", True)
        assert titles(pilot)[0] == "Harbour plan"
        assert "▼" in str(grid.ordered_columns[2].label)


async def test_clicking_the_header_with_the_mouse(store: Store) -> None:
    repo, _ids = store
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = cast(DocumentsScreen, pilot.app.screen)
        grid = table(pilot)
        for _ in range(50):  # the columns take their widths from the rows once they are in
            if grid.row_count == 3 and not grid._require_update_dimensions:
                break
            await pilot.pause(0.02)
        x = sum(column.get_render_width(grid) for column in grid.ordered_columns[:4]) + 2
        await pilot.click(grid, offset=(x, 0))
        await settle(pilot)
        assert screen.sort_key == "spans"


async def test_help_lists_the_keys_as_bound(store: Store) -> None:
    repo, ids = store
    config = TuiConfig(animations=False, keymap={"undo": "z", "tag-labeling": "f1"})
    async with app_for(repo, document_id=ids[0], config=config).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpDialog)
        rows = {binding_id: keys for keys, _what, binding_id in help_screen.rows}
        assert rows["undo"] == "z"
        assert rows["tag-labeling"] == "f1"
        assert rows["classify-attributed"] == "A"
        assert rows["remove"] == "x"
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, AnnotateScreen)


async def test_keymap_rebinds_keys(store: Store) -> None:
    repo, ids = store
    config = TuiConfig(animations=False, keymap={"undo": "z", "tag-labeling": "f1"})
    async with app_for(repo, document_id=ids[0], config=config).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one(DocumentView)
        start = HARBOUR.index("regime")
        view.move_cursor(start)
        await pilot.press("1")
        await settle(pilot)
        assert mine(repo, ids[0]) == []
        await pilot.press("f1")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "regime")]
        await pilot.press("z")
        await settle(pilot)
        assert mine(repo, ids[0]) == []


async def test_command_palette_runs_screen_actions(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        app = pilot.app
        commands = list(app.get_system_commands(app.screen))
        names = [command.title for command in commands]
        assert "Undo (u)" in names
        assert "Agreement report" in names
        assert "Mark the document done (warns about gaps); again to reopen" in [
            c.help for c in commands
        ]
        view = app.screen.query_one(DocumentView)
        view.move_cursor(HARBOUR.index("regime"))
        tag = next(c for c in commands if c.title == "labeling (1)")
        await tag.callback()
        await settle(pilot)
        assert texts(repo, ids[0]) == [("labeling", "regime")]


async def test_mouse_drag_selects_then_tags(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one(DocumentView)
        gutter = 3
        # "The mayor slammed": drag from the "m" of mayor to the "d" of slammed
        start, last = HARBOUR.index("mayor"), HARBOUR.index("slammed") + len("slammed") - 1
        await pilot.mouse_down(view, offset=(gutter + start, 0))
        await pilot.hover(view, offset=(gutter + last, 0))
        await pilot.mouse_up(view, offset=(gutter + last, 0))
        await settle(pilot)
        assert view.selection == (start, last + 1)
        await pilot.press("2")
        await settle(pilot)
        assert texts(repo, ids[0]) == [("emotive", "mayor slammed")]


async def test_hostile_text_stays_inert(store: Store) -> None:
    repo, ids = store
    hostile = ids[2]
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = titles(pilot)[2]
        assert "[@click=app.quit]" in shown and "[/]" in shown
        await pilot.click(table(pilot), offset=(10, 3))
        await pilot.press("end", "enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, AnnotateScreen) and screen.document_id == hostile
        view = screen.query_one(DocumentView)
        text = repo.document(hostile).text
        assert "\x1b" not in text
        start = text.index("[@click=app.quit]")
        view.select(start, start + len("[@click=app.quit]a link[/]"))
        await pilot.press("5")
        await settle(pilot)
        view.move_cursor(start + 3)
        await settle(pilot)
        panel = str(screen.query_one("#under-cursor").content)
        assert "[@click=app.quit]a link[/]" in panel
        await pilot.click(screen.query_one("#under-cursor"), offset=(4, 2))
        await pilot.click(screen.query_one("#status"), offset=(5, 0))
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press(*"[bold]x[/] [@click=app.quit]y[/]", "enter")
        await settle(pilot)
        await pilot.press("x")  # the only annotation here: removed at once
        await settle(pilot)
        await pilot.press("u")  # and back
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await pilot.click(pilot.app.screen, offset=(60, 18))
        await pilot.press("n")
        await settle(pilot)
        assert pilot.app.is_running
        assert pilot.app.return_code is None
        (span,) = mine(repo, hostile)
        assert span.attrs["note"] == "[bold]x[/] [@click=app.quit]y[/]"
        assert text[span.start : span.end] == "[@click=app.quit]a link[/]"


async def test_agreement_opens_from_the_documents_screen(store: Store) -> None:
    from annotator.tui.screens.agreement import AgreementScreen

    repo, _ids = store
    async with app_for(repo).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgreementScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DocumentsScreen)


async def test_keymap_reaches_the_article_view(store: Store) -> None:
    repo, ids = store
    config = TuiConfig(animations=False, keymap={"document.word-next": "ctrl+right"})
    async with app_for(repo, document_id=ids[0], config=config).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = pilot.app.screen.query_one(DocumentView)
        await pilot.press("ctrl+right")
        assert view.cursor == HARBOUR.index("mayor")
        await pilot.press("w")
        assert view.cursor == HARBOUR.index("mayor")


async def test_an_empty_database_says_how_to_add_documents() -> None:
    repo = Repository.in_memory()
    try:
        async with app_for(repo).run_test(size=SIZE) as pilot:
            await settle(pilot)
            summary = str(pilot.app.screen.query_one("#documents-summary").content)
            assert "annotator import PATH" in summary
            await pilot.press("enter", "s", "question_mark")
            assert pilot.app.is_running
    finally:
        repo.close()
