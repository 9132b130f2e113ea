"""The database as a whole: ``init``, ``info``, ``import`` and ``export``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import (
    RichImportProgress,
    UserError,
    db_target,
    open_output,
    open_repo,
    read_scheme,
    user_errors,
)
from annotator.cli.root import app


@app.command(short_help="Create a database bound to a scheme, or change its scheme.")
def init(
    ctx: typer.Context,
    scheme: Annotated[
        Path | None,
        typer.Option(
            "--scheme",
            metavar="FILE",
            help="Annotation scheme (YAML). Default: the bundled source-bias scheme.",
        ),
    ] = None,
) -> None:
    """Create a database bound to a scheme, or move an existing one to a changed scheme.

    Annotations whose label or layer the new scheme lacks are kept and reported, never dropped.
    """
    from annotator.store.errors import SchemeMismatch
    from annotator.store.repository import Repository

    with user_errors():
        loaded, body = read_scheme(scheme) if scheme is not None else (None, None)
        target = db_target(ctx)
        try:
            repo = Repository.open(target, scheme=loaded, scheme_body=body)
        except SchemeMismatch:
            repo = Repository.open(target)
        with repo:
            bound = repo.scheme()
            if loaded is None or loaded == bound:
                typer.echo(
                    f"database {repo.url}: scheme {bound.name!r} version {bound.version} "
                    f"(revision {repo.scheme_revision()})"
                )
                return
            assert body is not None
            update = repo.update_scheme(loaded, body)
            typer.echo(
                f"database {repo.url}: scheme {bound.name!r} version {bound.version} -> "
                f"{loaded.name!r} version {loaded.version} (revision {update.revision})"
            )
            if update.orphaned:
                total = sum(update.orphaned.values())
                typer.echo(
                    f"{total} annotation(s) kept whose label the new scheme lacks "
                    "(relabel or remove them):"
                )
                for (layer, label), count in update.orphaned.items():
                    typer.echo(f"  {layer}/{label}: {count}")


@app.command()
def info(ctx: typer.Context) -> None:
    """Which database, its scheme, and how much is in it."""
    # Plain lines rather than a Rich table: this is the command people run to check where they
    # are, and importing Rich's console and table would add about a tenth to its start-up.
    with user_errors(), open_repo(ctx) as repo:
        scheme = repo.scheme()
        rows = {
            "database": repo.url,
            "scheme": f"{scheme.name} version {scheme.version} (revision {repo.scheme_revision()})",
            **{name: str(count) for name, count in repo.info().items()},
        }
    width = max(len(name) for name in rows)
    for name, value in rows.items():
        typer.echo(f"{name:<{width}}  {value}")


@app.command("import", short_help="Import articles in one transaction: all or nothing.")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Files (.txt .md .csv .jsonl) or folders (read recursively).",
            show_default=False,
        ),
    ],
) -> None:
    """Import articles in one transaction: all or nothing; texts already stored are skipped."""
    from rich.console import Console

    from annotator.io.importer import run_import

    progress = RichImportProgress(Console(stderr=True))
    with user_errors():
        try:
            report = run_import(db_target(ctx), [str(p) for p in paths], progress)
        finally:
            progress.close()  # before any error line, so that line comes last
    line = (
        f"imported {report.added} document(s), {report.annotations} annotation(s) into "
        f"{report.url}; {report.skipped} skipped (text already stored or repeated)"
    )
    if report.skipped_annotations:
        line += (
            f" (with {report.skipped_annotations} annotation(s) not imported: a stored document"
            " keeps its own)"
        )
    typer.echo(line)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="jsonl: native, lossless; csv: one row per annotation."
        ),
    ] = ExportFormat.jsonl,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout."),
    ] = None,
    annotator: Annotated[
        list[str] | None,
        typer.Option("--annotator", metavar="NAME", help="Only this annotator (repeatable)."),
    ] = None,
) -> None:
    """Export documents and annotations as native JSONL or CSV."""
    from rich.console import Console

    from annotator.io.export import export_csv, export_jsonl

    with user_errors(), open_repo(ctx) as repo:
        writer = export_jsonl if format is ExportFormat.jsonl else export_csv
        progress = RichImportProgress(Console(stderr=True))
        try:
            progress.phase("export", repo.info().get("documents", 0))
            with open_output(output) as out:
                count = writer(repo, out, annotator, progress.advance)
        except BrokenPipeError:
            # the reader went away (`annotator export | head`): stop quietly, as cat does
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except OSError as exc:
            raise UserError(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
        finally:
            progress.close()  # before any error line, so that line comes last
    if output is not None:
        what = "document(s)" if format is ExportFormat.jsonl else "annotation row(s)"
        typer.echo(f"wrote {count} {what} to {output}", err=True)
