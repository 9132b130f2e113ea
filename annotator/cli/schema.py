"""``annotator schema``: check a scheme file, show the scheme a database is bound to."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import open_repo, read_scheme, say, shown, stdout, user_errors
from annotator.cli.root import command_group

if TYPE_CHECKING:
    from annotator.core.scheme import Scheme

schema_app = command_group("schema", "Annotation schemes: check a file, show the one in use.")


def _scheme_summary(scheme: Scheme) -> str:
    layers = "; ".join(
        f"{layer.name} ({layer.kind}, {len(layer.labels)} labels)" for layer in scheme.layers
    )
    return f"{scheme.name} version {scheme.version}: {layers}"


@schema_app.command("check")
def schema_check(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Scheme file (YAML).")],
) -> None:
    """Check a scheme file; prints its layers, or the first problem with file and line."""
    with user_errors():
        scheme, _body = read_scheme(path)
        say(f"ok: {_scheme_summary(scheme)}")


@schema_app.command("show")
def schema_show(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH_OR_URL", help="Database (default: the root --db)."),
    ] = None,
) -> None:
    """Print the scheme the database is bound to: layers, labels, keys, definitions."""
    from rich.table import Table

    with user_errors(), open_repo(ctx, db=db) as repo:
        scheme = repo.scheme()
        console = stdout()
        console.print(
            shown(f"{scheme.name} version {scheme.version} (revision {repo.scheme_revision()})"),
            style="bold",
        )
        if scheme.description:
            console.print(shown(scheme.description, newlines=True))
        for layer in scheme.layers:
            level = f", {layer.level}" if layer.kind == "segment" else ""
            table = Table(
                "label",
                "key",
                "colour",
                "requires",
                "definition",
                title=shown(f"{layer.name} ({layer.kind}{level})"),
                title_justify="left",
            )
            for label in layer.labels:
                table.add_row(
                    shown(label.name),
                    shown(label.key or "-"),
                    str(label.color),
                    shown(", ".join(label.requires) or "-"),
                    shown(label.description, newlines=True),
                )
            console.print(table)
