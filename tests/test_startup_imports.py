"""What each way in loads before it does its work: the import that would make it start slowly.

``annotator --help`` needs Typer and nothing of the database, the UI or the statistics;
``annotator info`` on a database at the newest revision needs SQLAlchemy but not Alembic,
Textual or numpy; ``annotator demo`` paints its documents screen with Textual and a few light
modules of ours: no Typer, no YAML, no database library, no store records, no rulebook (those
load after the first frame, in the screen's first read). Each runs in a fresh interpreter that
prints what it loaded. How fast each starts is measured by ``benchmarks/bench_startup.py``;
tests never assert on time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.store.repository import Repository

ROOT = Path(__file__).resolve().parents[1]
UI_AND_STATISTICS = {"textual", "numpy", "jinja2", "alembic"}
HEAVY = UI_AND_STATISTICS | {"sqlalchemy", "pydantic"}

REPORT_MODULES = """
import json, sys
print("MODULES " + json.dumps(sorted(m for m in sys.modules if not m.startswith("_"))))
"""

RUN_CLI = (
    """
import sys
from annotator.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    print("EXIT", exit.code)
"""
    + REPORT_MODULES
)

PAINT_DEMO = (
    """
import sys, threading
from textual.app import App

original_run = App.run
App.run = lambda self, *args, **kwargs: original_run(self, headless=True, size=(120, 40))
from annotator.tui import launch
from annotator.tui.screens import documents

# The store opens in the screen's first read, a worker thread: held back until the modules
# are listed, so that the list is what the first frame needed and nothing the read loaded.
listed = threading.Event()
open_demo = launch.open_demo

def held_open_demo(*args, **kwargs):
    listed.wait(timeout=60)
    return open_demo(*args, **kwargs)

launch.open_demo = held_open_demo
mounted = documents.DocumentsScreen.on_mount

def on_mount(self):
    mounted(self)
    self.call_after_refresh(painted, self)

def painted(screen):
    table = screen.query_one("#documents")
    print("COLUMNS", " ".join(str(column.label).split()[0] for column in table.columns.values()))
    print("TITLE", screen.app.title, "-", screen.app.sub_title)
"""
    + "\n".join("    " + line for line in REPORT_MODULES.strip().splitlines())
    + """
    listed.set()
    screen.app.exit()

documents.DocumentsScreen.on_mount = on_mount
from annotator.cli import main

main(["demo"])
"""
)
"""Runs ``annotator demo`` headless and lists the modules loaded when its documents screen has
painted (the moment ``benchmarks/bench_startup.py`` times), with the table's columns."""

OFF_THE_FIRST_FRAME = {
    "annotator.cli.root",
    "annotator.cli.common",
    "annotator.core.scheme",
    "annotator.service.annotating",
    "annotator.service.checks",
    "annotator.store.dto",
    "annotator.store.repository",
    "hashlib",
}
"""Modules of ours (and the standard library's OpenSSL) that the documents screen's first
frame must not wait for: the command line, the scheme, the rulebook, the store's records."""


def run(code: str, *args: str, cwd: Path) -> tuple[str, set[str]]:
    """Run ``code`` with ``args`` in a fresh interpreter; its output and the top-level
    packages it had loaded."""
    output, modules = run_modules(code, *args, cwd=cwd)
    return output, {name.split(".")[0] for name in modules}


def run_modules(code: str, *args: str, cwd: Path) -> tuple[str, set[str]]:
    """Run ``code`` with ``args`` in a fresh interpreter; its output and every module it had
    loaded."""
    env = {k: v for k, v in os.environ.items() if k not in ("ANNOTATOR_DB", "ANNOTATOR_CONFIG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["XDG_CONFIG_HOME"] = str(cwd / "config")
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    output, _, modules = done.stdout.rpartition("MODULES ")
    assert modules, done.stdout + done.stderr
    return output, set(json.loads(modules))


def test_importing_the_command_line_loads_nothing_but_the_standard_library(
    tmp_path: Path,
) -> None:
    _, loaded = run("import annotator.cli" + REPORT_MODULES, cwd=tmp_path)
    assert loaded & (HEAVY | {"typer", "click", "rich", "yaml"}) == set()


def test_the_command_line_app_loads_no_database_ui_or_statistics(tmp_path: Path) -> None:
    output, loaded = run(
        "from annotator.cli import app; print(type(app).__name__)" + REPORT_MODULES, cwd=tmp_path
    )
    assert output.strip() == "Typer"
    assert loaded & (HEAVY | {"rich", "yaml"}) == set()


def test_help_loads_no_database_ui_or_statistics(tmp_path: Path) -> None:
    output, modules = run_modules(RUN_CLI, "--help", cwd=tmp_path)
    assert "Usage:" in output and "annotations" in output
    assert "EXIT 0" in output
    assert {name.split(".")[0] for name in modules} & HEAVY == set()
    assert modules & {"annotator.store.dto", "annotator.service.checks"} == set()


def test_info_on_a_current_database_loads_no_ui_statistics_or_migrations(tmp_path: Path) -> None:
    Repository.open(str(tmp_path / "team.db")).close()
    output, loaded = run(RUN_CLI, "--db", "team.db", "info", cwd=tmp_path)
    assert "source-bias version 1 (revision 1)" in output
    assert "sqlalchemy" in loaded
    assert loaded & (UI_AND_STATISTICS | {"pydantic"}) == set()


def test_the_demo_paints_its_documents_before_the_command_line_store_or_rulebook(
    tmp_path: Path,
) -> None:
    from annotator.tui.launch import DEMO_DB, build_demo

    build_demo(tmp_path / DEMO_DB).close()
    output, modules = run_modules(PAINT_DEMO, cwd=tmp_path)
    assert "COLUMNS # Title Words Classified Spans Status" in output
    assert "TITLE annotator - you" in output
    assert "annotator.tui.screens.documents" in modules
    loaded = {name.split(".")[0] for name in modules}
    assert "textual" in loaded
    assert loaded & (HEAVY - {"textual"} | {"typer", "click", "yaml"}) == set()
    assert modules & OFF_THE_FIRST_FRAME == set()
