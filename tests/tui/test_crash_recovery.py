"""Nothing the screen showed as saved is lost when the process is killed outright.

A child process runs the app headless on a database file, tags a word with a scripted pilot,
prints "saved" once the status line says so, and then waits; the test kills it with SIGKILL
(no cleanup, no checkpoint) and reopens the file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from tui_support import HARBOUR, seed, texts

from annotator.store.repository import Repository

CHILD = textwrap.dedent(
    """
    import asyncio
    import sys

    sys.path.insert(0, {support!r})

    from tui_support import HARBOUR, SIZE, app_for

    from annotator.store.repository import Repository
    from annotator.tui.widgets.document_view import DocumentView


    async def main() -> None:
        repo = Repository.open({db!r})
        app = app_for(repo, document_id={doc})
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            app.screen.query_one(DocumentView).move_cursor(HARBOUR.index("regime"))
            await pilot.press("1")
            status = app.screen.query_one("#status")
            while not str(status.content).count("1 span · in progress · saved"):
                await pilot.pause(0.01)
            print("saved", flush=True)
            await asyncio.sleep(3600)


    asyncio.run(main())
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_kill_minus_nine_loses_nothing_shown_as_saved(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    repo = Repository.open(str(db))
    (harbour, *_rest) = seed(repo)
    repo.close()

    script = tmp_path / "child.py"
    script.write_text(
        CHILD.format(support=str(Path(__file__).parent), db=str(db), doc=harbour),
        encoding="utf-8",
    )
    child = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=str(tmp_path),
    )
    guard = threading.Timer(120, child.kill)  # a hung child ends the test instead of hanging it
    guard.start()
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if line.strip() != "saved":
            child.kill()
            _out, err = child.communicate(timeout=30)
            pytest.fail(f"the child did not report a save: {line!r}\n{err}")
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
    finally:
        guard.cancel()
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)

    reopened = Repository.open(str(db))
    try:
        assert texts(reopened, harbour) == [("labeling", "regime")]
        assert HARBOUR[reopened.annotations(harbour, "ana")[0].start :].startswith("regime")
    finally:
        reopened.close()
