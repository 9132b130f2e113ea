"""``annotator annotators``: the people (and machines) who annotate."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from annotator.cli.common import open_repo, say, shown, stdout, user_errors
from annotator.cli.root import command_group

annotators_app = command_group("annotators", "The people (and machines) who annotate.")


class RoleChoice(StrEnum):
    annotator = "annotator"
    adjudicator = "adjudicator"
    machine = "machine"


@annotators_app.command("list")
def annotators_list(ctx: typer.Context) -> None:
    """List annotators and their roles."""
    from rich.table import Table

    with user_errors(), open_repo(ctx) as repo:
        table = Table("#", "name", "role")
        for person in repo.annotators():
            table.add_row(str(person.id), shown(person.name), person.role)
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
    from annotator.service.people import add_annotator

    with user_errors(), open_repo(ctx, create=True) as repo:
        person, created = add_annotator(repo, name, role.value)
        if created:
            say(f"added annotator {person.name!r} ({person.role})")
        else:
            say(f"annotator {person.name!r} ({person.role}) already exists")
