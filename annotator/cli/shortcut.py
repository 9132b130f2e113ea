"""``annotator demo`` run without building the command line, when its arguments are plain.

The demo is the first command a newcomer runs, and the one whose start shows most: its
documents screen should come up as fast as a bare Textual app's. Building the command line
(importing Typer and Click, every command module, and turning some forty command functions into
Click commands) takes about 50 ms before anything else can start. So :func:`annotator.cli.main`
first asks :func:`demo_arguments` whether the arguments are ``demo`` with nothing but
``--fresh`` and ``--config FILE``; if so it calls :func:`run_demo` directly. Everything else
(``demo --help``, a misspelt option, ``--db`` before the command, shell completion) goes to
Typer, which gives the usual help and the usual one-line errors.

Both ways run :func:`launch_demo`, which the Typer command calls too, so the demo behaves the
same however it was reached: the same errors, the same exit codes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

EXIT_INTERRUPTED = 130
"""What Typer exits with on ctrl+c outside the app (the app itself takes ctrl+c as a key)."""


def demo_arguments(args: Sequence[str]) -> tuple[Path | None, bool] | None:
    """``(config, fresh)`` when ``args`` are ``demo`` with at most one plain ``--config FILE``
    (or ``--config=FILE``) and ``--fresh``; None for anything the command line should read.

    A value that is empty or starts with ``-`` is left to Click, which decides what it means.
    """
    if not args or args[0] != "demo" or _completion_requested():
        return None
    config: Path | None = None
    fresh = False
    rest = list(args[1:])
    while rest:
        arg = rest.pop(0)
        if arg == "--fresh" and not fresh:
            fresh = True
            continue
        if arg.startswith("--config="):
            value = arg.removeprefix("--config=")
        elif arg == "--config" and rest:
            value = rest.pop(0)
        else:
            return None
        if config is not None or not value or value.startswith("-"):
            return None
        config = Path(value)
    return config, fresh


def _completion_requested() -> bool:
    """Whether a shell asks Click for completions (``_ANNOTATOR_COMPLETE=...``)."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)


def launch_demo(config: Path | None, fresh: bool) -> None:
    """Open ``./demo.db`` as ``you``: what ``annotator demo`` does once its arguments are read.

    A user's mistake (a bad settings file, a damaged database) becomes the command line's one
    ``error:`` line through :func:`~annotator.cli.common.user_errors`, raised as Typer's
    ``Exit(2)``; that module and Typer are imported only then.
    """
    from annotator.tui.launch import DEMO_DB, demo

    try:
        demo(DEMO_DB, config_path=config, fresh=fresh)
    except Exception:
        from annotator.cli.common import tui_errors, user_errors

        with user_errors(), tui_errors():
            raise


def run_demo(config: Path | None, fresh: bool) -> NoReturn:
    """:func:`launch_demo`, then exit as the Typer command would: 0, 2 after an ``error:``
    line, 130 when interrupted before the app took over the keyboard."""
    try:
        launch_demo(config, fresh)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:
        from typer import Exit

        if isinstance(error, Exit):
            sys.exit(error.exit_code)
        raise
    sys.exit(0)
