"""A writer killed with SIGKILL at any moment loses nothing it was told was saved.

A child process adds annotations through the service as fast as it can and prints the id of
each one the moment the call returns; the test kills it with SIGKILL after a random number of
them (sometimes before the first, often in the middle of a transaction), 50 times on the same
file. After every kill the database opens, passes ``annotator db check``, and holds every
annotation the child printed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from team_support import seed_database

from annotator.store.health import check_database
from annotator.store.repository import Repository

KILLS = 50

CHILD = textwrap.dedent(
    """
    import random
    import sys

    from annotator.service.annotating import Annotating
    from annotator.store.repository import Repository

    rng = random.Random(int(sys.argv[2]))
    with Repository.open(sys.argv[1], create=False) as repo:
        desk = Annotating(repo, "kim")
        docs = [repo.document(s.id) for s in repo.documents()]
        print("ready", flush=True)
        while True:
            doc = rng.choice(docs)
            if rng.random() < 0.5:
                made = desk.classify(doc.id, "statement", rng.randrange(len(doc.segments)),
                                     rng.choice(["attributed", "vague", "reporting"]))
            else:
                start = rng.randrange(len(doc.text) - 8)
                made = desk.tag(doc.id, "loaded", "emotive", start, start + rng.randrange(1, 8))
            print(made.value.id, flush=True)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "killed.db"
    seed_database(str(db), documents=2)
    script = tmp_path / "writer.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(20261201)
    acknowledged: set[int] = set()
    for round_ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(script), str(db), str(round_)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        )
        guard = threading.Timer(60, child.kill)  # a hung child ends the test, not the suite
        guard.start()
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "ready\n", child.stderr.read() if child.stderr else ""
            wanted = rng.randrange(0, 40)
            deadline = time.monotonic() + rng.uniform(0, 0.05)
            seen = 0
            while seen < wanted:
                line = child.stdout.readline()
                if not line:
                    break
                acknowledged.add(int(line))
                seen += 1
            while time.monotonic() < deadline:
                pass  # a moment more: the kill lands anywhere, inside a transaction too
            child.send_signal(signal.SIGKILL)
            remaining, errors = child.communicate(timeout=60)
            acknowledged.update(int(line) for line in remaining.split())
            assert "Traceback" not in errors, errors
        finally:
            guard.cancel()
        _where, findings = check_database(str(db))
        assert findings == [], (round_, findings)
        with Repository.open(str(db), create=False) as repo:
            stored = {a.id for a in repo.iter_annotations()}
        assert acknowledged <= stored, (round_, sorted(acknowledged - stored)[:5])
    assert len(acknowledged) > KILLS
