"""The ``annotator`` command line (Typer + Rich).

Commands are thin: parse the arguments, call a service (``annotator.io``) or the repository,
print the result. Every error a user can cause is one line on stderr starting ``error: ``,
exit code 2, with nothing written; a traceback means a bug.

The database is ``--db PATH_OR_URL`` (before the command), else ``$ANNOTATOR_DB``, else
``./annotations.db``. Commands that only read refuse to create a database.

One module per command group, each registering its commands on :data:`app` (from
:mod:`annotator.cli.root`); :mod:`annotator.cli.common` holds what they share. A new group is a
new module, imported in :func:`commands` in the place ``annotator --help`` should list it.

Importing this package loads nothing but the standard library: :data:`app` is built on first
use, and :func:`main` runs a plain ``annotator demo`` without it
(:mod:`annotator.cli.shortcut`).
"""

# No `from __future__ import annotations` here: it would bind the name `annotations` in this
# package and hide the submodule of that name.
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

    from annotator.cli.root import app

__all__ = ["app", "commands", "main"]


def commands() -> "typer.Typer":
    """The Typer app with every command registered on it (imported on first call)."""
    # Importing a command module registers its commands; `annotator --help` lists the commands
    # in the order imported here, then the groups in theirs.
    # isort: off
    from annotator.cli import data, report, annotate, adjudicate, suggest  # noqa: F401
    from annotator.cli import docs, annotators, annotations, schema, db  # noqa: F401

    # isort: on
    from annotator.cli.root import app

    return app


def __getattr__(name: str) -> Any:
    """``annotator.cli.app``: the command line, built when first asked for."""
    if name == "app":
        return commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(args: Sequence[str] | None = None) -> None:
    """Console-script entry point (``annotator``); ``args`` default to the command line's."""
    import sys

    from annotator.cli.shortcut import demo_arguments, run_demo

    demo = demo_arguments(sys.argv[1:] if args is None else args)
    if demo is not None:
        run_demo(*demo)
    commands()(args=None if args is None else list(args))
