"""The Typer app, its root callback (``--db``; no command opens the UI) and its group class.

Each command module registers its commands on :data:`app` (a group of subcommands through
:func:`command_group`); ``annotator.cli`` imports them in the order ``annotator --help`` lists
them.

Help is Click's plain text rather than Typer's Rich panels: rendering those imports Rich's
Markdown, syntax-highlighting and traceback modules, which would double the time
``annotator --help`` takes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # Typer 0.2x ships its own copy of Click; older releases use Click itself.
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import (  # type: ignore[assignment]
        ClickException,
        NoArgsIsHelpError,
        UsageError,
    )

from annotator.cli.common import (
    EXIT_USER_ERROR,
    Settings,
    one_line,
    open_repo,
    say,
    tui_errors,
    user_errors,
)


def usage_line(message: str, command_path: str | None) -> str:
    """Click's usage message as one sentence of ours, with where to read more.

    ``No such command 'reprot'. Did you mean 'report', 'export'?`` becomes ``no such command
    'reprot'. Did you mean 'report', 'export'? See `annotator --help`.``
    """
    line = one_line(message)
    if line[:1].isupper() and not line[1:2].isupper():
        line = line[0].lower() + line[1:]
    if command_path is None:
        return line
    if line.endswith((".", "?", "!")):
        return f"{line} See `{command_path} --help`."
    return f"{line}; see `{command_path} --help`"


class OneLineErrors(TyperGroup):
    """Report usage errors (a missing option, a bad value) as one ``error:`` line, exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except NoArgsIsHelpError as exc:  # a group named without its command: list them
            typer.echo(exc.format_message(), err=True)
            sys.exit(EXIT_USER_ERROR)
        except UsageError as exc:
            path = exc.ctx.command_path if exc.ctx is not None else None
            say(f"error: {usage_line(exc.format_message(), path)}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except ClickException as exc:
            say(f"error: {one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            say("aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="annotator",
    cls=OneLineErrors,
    help="Review news articles for source bias: import, annotate, measure agreement, export.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,  # plain help: no `<bool>` beside every flag, and no Rich to import
)


def command_group(name: str, help: str) -> typer.Typer:
    """A group of subcommands, ``annotator NAME ...``, registered on :data:`app`."""
    group = typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="SQLite file or database URL (postgresql+psycopg://...). "
            "Default: $ANNOTATOR_DB, else ./annotations.db.",
        ),
    ] = None,
) -> None:
    """Review news articles for source bias: import, annotate, measure agreement, export.

    With no command, opens the annotation screen as the reviewer who worked here last.
    """
    ctx.obj = Settings(db=db)
    if ctx.invoked_subcommand is None:
        from annotator.tui.launch import annotate_last

        with user_errors(), tui_errors():
            repo = open_repo(ctx)
            try:
                annotate_last(repo)
            finally:
                repo.close()
