"""``annotator docs``: the documents in the database."""

from __future__ import annotations

import typer

from annotator.cli.common import open_repo, shown, stdout, user_errors
from annotator.cli.root import command_group

docs_app = command_group("docs", "The documents in the database.")


@docs_app.command("list")
def docs_list(ctx: typer.Context) -> None:
    """List documents: number, external id, title, size, sentences."""
    from rich.table import Table

    with user_errors(), open_repo(ctx) as repo:
        table = Table("#", "id", "title", "chars", "words", "sentences")
        for column in table.columns[3:]:
            column.justify = "right"
        for doc in repo.documents():
            table.add_row(
                str(doc.id),
                shown(doc.external_id),
                shown(doc.title),
                str(doc.n_chars),
                str(doc.n_words),
                str(doc.n_segments),
            )
        stdout().print(table)
