"""``annotator demo`` paints its documents screen first and opens the store after.

The database library's import and the open are most of a start-up; doing them in the
documents screen's first read (a worker thread) lets the first frame come as fast as a bare
Textual app's. A store that cannot be opened closes the app and becomes the usual one line.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from tui_support import seed, settle
from typer.testing import CliRunner

from annotator.cli import app as cli_app
from annotator.store.errors import DatabaseError
from annotator.store.repository import Repository
from annotator.tui.app import make_opening_app
from annotator.tui.screens.documents import DocumentsScreen


@pytest.mark.asyncio
async def test_the_documents_screen_paints_before_the_store_opens() -> None:
    repo = Repository.in_memory()
    seed(repo)
    may_open = threading.Event()

    def opener() -> Repository:
        may_open.wait(timeout=30)
        return repo

    app = make_opening_app(opener, annotator="carol")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DocumentsScreen)
        assert not app.session.is_open
        assert app.sub_title == "carol"
        assert app.screen.progress == []
        may_open.set()
        await settle(pilot)
        assert app.session.is_open
        assert len(app.screen.progress) == len(repo.documents()) > 0
        assert app.sub_title == f"carol · {repo.url}"
        assert "carol" in [a.name for a in repo.annotators()]
    repo.close()


@pytest.mark.asyncio
async def test_a_store_that_fails_to_open_closes_the_app() -> None:
    def opener() -> Repository:
        raise DatabaseError("cannot open demo.db: file is not a database")

    app = make_opening_app(opener, annotator="carol")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
    assert app.return_code == 2
    assert isinstance(app.session.failure, DatabaseError)


def test_demo_on_a_broken_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    (tmp_path / "demo.db").write_bytes(b"not a database, not even close" * 100)

    def run_headless(self: object, *args: object, **kwargs: object) -> None:
        from textual.app import App

        App.run(self, headless=True, size=(100, 30))  # type: ignore[arg-type]

    from annotator.tui.app import AnnotatorApp

    monkeypatch.setattr(AnnotatorApp, "run", run_headless)
    result = CliRunner().invoke(cli_app, ["demo"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot open demo.db: file is not a database")
