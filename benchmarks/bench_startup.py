"""How long annotator takes to start, against the floor of what it is built on.

Three pairs of process launches, each timed from launch to the moment that counts:

* ``annotator --help`` to exit, against ``python -c pass`` (target: at most 12x; importing
  Typer alone takes 5x to 7x).
* ``annotator info`` on the demo database to exit, against ``python -c "import sqlalchemy"``
  (target: at most 1.5x): the store must open without Alembic when the database is current,
  and with no Textual, numpy or report code.
* ``annotator demo`` on an existing ``demo.db`` until its documents screen has painted, against
  a bare Textual app with the same widgets (Header, Input, DataTable, Footer) until it has
  painted (target: at most 1.5x). Both run headless at 120x40 through the same driver
  (``PAINT`` below): the screen's ``on_mount`` asks for a callback after the next refresh,
  which prints the time and exits.

Each figure is the median of N launches (default 9); the launches of a pair alternate, so a
busy machine slows both sides alike. Prints the medians and the three ratios.

Usage: ``python benchmarks/bench_startup.py [--n 9]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; from annotator.cli import main; sys.exit(main())"
"""What the installed ``annotator`` script runs."""


# ---------------------------------------------------------------------------- the paint driver

PAINT = """
import sys, time
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input

def painted(screen):
    print(f"painted {time.time():.6f}", flush=True)
    screen.app.exit()

original_run = App.run
App.run = lambda self, *args, **kwargs: original_run(self, headless=True, size=(120, 40))

if sys.argv[1] == "bare":
    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Input(placeholder="Filter")
            yield DataTable()
            yield Footer()

        def on_mount(self):
            self.call_after_refresh(painted, self.screen)

    Bare().run()
else:
    from annotator.tui.screens.documents import DocumentsScreen

    mounted = DocumentsScreen.on_mount

    def on_mount(self):
        mounted(self)
        self.call_after_refresh(painted, self)

    DocumentsScreen.on_mount = on_mount
    from annotator.cli import main

    sys.argv = ["annotator", "demo"]
    main()
"""
"""Runs ``annotator demo`` (in the current folder) or the bare app headless, prints the time of
the first refresh after its screen mounted, and exits. Both pay for this driver alike."""


# ---------------------------------------------------------------------------- timing


def environment(folder: Path) -> dict[str, str]:
    """This checkout first on the path; no settings file or database from the user."""
    env = {k: v for k, v in os.environ.items() if k not in ("ANNOTATOR_DB", "ANNOTATOR_CONFIG")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    return env


def until_exit(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    """Seconds from launch to exit; the command must succeed."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def until_painted(which: str, cwd: Path, env: dict[str, str]) -> float:
    """Seconds from launch to the first paint the driver reports."""
    start = time.time()
    done = subprocess.run(
        [sys.executable, "-c", PAINT, which],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    stamps = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("painted ")]
    if not stamps:
        raise RuntimeError(f"{which}: no paint reported\n{done.stdout}\n{done.stderr}")
    return float(stamps[0]) - start


def medians(ours: Callable[[], float], peer: Callable[[], float], n: int) -> tuple[float, float]:
    """Median seconds of ``n`` alternating runs of each (after one unmeasured run of each)."""
    ours()
    peer()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(n):
        times[1].append(peer())
        times[0].append(ours())
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=9, help="launches of each (default 9)")
    args = parser.parse_args()

    from annotator.tui.launch import DEMO_DB, build_demo

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = environment(folder)
        build_demo(folder / DEMO_DB).close()
        python = sys.executable
        db = ["--db", str(folder / DEMO_DB)]
        rows = [
            (
                "annotator --help",
                "python -c pass",
                12.0,
                medians(
                    lambda: until_exit([python, "-c", CLI, "--help"], folder, env),
                    lambda: until_exit([python, "-c", "pass"], folder, env),
                    args.n,
                ),
            ),
            (
                "annotator info",
                "import sqlalchemy",
                1.5,
                medians(
                    lambda: until_exit([python, "-c", CLI, *db, "info"], folder, env),
                    lambda: until_exit([python, "-c", "import sqlalchemy"], folder, env),
                    args.n,
                ),
            ),
            (
                "demo: documents painted",
                "bare Textual app painted",
                1.5,
                medians(
                    lambda: until_painted("demo", folder, env),
                    lambda: until_painted("bare", folder, env),
                    args.n,
                ),
            ),
        ]
    print(f"startup, median of {args.n} launches each (Python {sys.version.split()[0]})")
    for ours_name, peer_name, target, (ours, peer) in rows:
        print(
            f"{ours_name:<24} {ours * 1000:7.1f} ms   {peer_name:<25} {peer * 1000:7.1f} ms"
            f"   ratio {ours / peer:5.2f}x (target <= {target:g}x)"
        )


if __name__ == "__main__":
    main()
