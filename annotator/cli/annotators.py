"""``annotator annotators``: the people (and machines) who annotate."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import UserError, open_repo, stdout, user_errors
from annotator.cli.root import command_group

if TYPE_CHECKING:
    from annotator.store.dto import Role

annotators_app = command_group("annotators", "The people (and machines) who annotate.")


class RoleChoice(StrEnum):
    annotator = "annotator"
    adjudicator = "adjudicator"
    machine = "machine"


@annotators_app.command("list")
def annotators_list(ctx: typer.Context) -> None:
    """List annotators and their roles."""
    from rich.table import Table
    from rich.text import Text

    with user_errors(), open_repo(ctx) as repo:
        table = Table("#", "name", "role")
        for person in repo.annotators():
            table.add_row(str(person.id), Text(person.name), person.role)
        stdout().print(table)


@annotators_app.command("add")
def annotators_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The annotator's name.")],
    role: Annotated[RoleChoice, typer.Option("--role", help="What they do.")] = (
        RoleChoice.annotator
    ),
) -> None:
    """Add an annotator (creating the database if needed)."""
    with user_errors(), open_repo(ctx, create=True) as repo:
        existing = {a.name: a for a in repo.annotators()}
        wanted: Role = role.value
        if name.strip() in existing:
            person = existing[name.strip()]
            if person.role != wanted:
                raise UserError(
                    f"annotator {person.name!r} already exists with role {person.role!r}"
                )
            typer.echo(f"annotator {person.name!r} ({person.role}) already exists")
            return
        person = repo.ensure_annotator(name, wanted)
        typer.echo(f"added annotator {person.name!r} ({person.role})")
