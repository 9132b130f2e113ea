"""``annotator annotate`` and ``annotator demo``: the terminal UI.

A plain ``annotator demo`` is run without the command line being built, by
:mod:`annotator.cli.shortcut`; the ``demo`` command here reads every other form of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import DOCUMENT_ID, open_repo, tui_errors, user_errors
from annotator.cli.root import app

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (theme, keymap, animations). "
        "Default: $ANNOTATOR_CONFIG, else ~/.config/annotator/config.yaml.",
    ),
]


@app.command()
def annotate(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Option("--as", metavar="NAME", help="Annotate as this reviewer (created if new)."),
    ],
    doc: Annotated[
        str | None,
        typer.Option("--doc", metavar="ID", help=f"Open this document: {DOCUMENT_ID}."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Open the annotation screens as reviewer NAME."""
    from annotator.service.checks import check_reviewer
    from annotator.tui.launch import annotate as run_annotate
    from annotator.tui.launch import read_config, reviewer_name

    with user_errors(), tui_errors():
        reviewer_name(name)
        read_config(config)
        repo = open_repo(ctx)
        try:
            check_reviewer(repo, name)
            run_annotate(repo, name, doc=doc, config_path=config)
        finally:
            repo.close()


@app.command(short_help="Annotate ./demo.db, built from the examples, as `you`.")
def demo(
    config: ConfigOption = None,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Rebuild ./demo.db, discarding what was annotated in it."),
    ] = False,
) -> None:
    """Annotate ./demo.db (built from the examples on first use) as a third reviewer, `you`."""
    # `annotator demo` with plain arguments does not come here: `main` runs it without Typer.
    from annotator.cli.shortcut import launch_demo

    launch_demo(config, fresh)
