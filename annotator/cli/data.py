"""The database as a whole: ``init``, ``info``, ``import`` and ``export``."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from annotator.cli.common import (
    RichImportProgress,
    UserError,
    db_target,
    open_output,
    open_repo,
    read_scheme,
    say,
    shown,
    stdout,
    tell_upgrade,
    user_errors,
)
from annotator.cli.root import app
from annotator.io.export import export_csv, export_jsonl
from annotator.io.importer import run_import
from annotator.service.annotating import plural
from annotator.store.errors import SchemeMismatch
from annotator.store.repository import Repository


@app.command()
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
    with user_errors():
        loaded, body = read_scheme(scheme) if scheme is not None else (None, None)
        target = db_target(ctx)
        try:
            repo = Repository.open(target, scheme=loaded, scheme_body=body)
        except SchemeMismatch:
            repo = Repository.open(target)
        tell_upgrade(repo)
        with repo:
            bound = repo.scheme()
            if loaded is None or loaded == bound:
                say(
                    f"database {repo.url}: scheme {bound.name!r} version {bound.version} "
                    f"(revision {repo.scheme_revision()})"
                )
                return
            assert body is not None
            update = repo.update_scheme(loaded, body)
            say(
                f"database {repo.url}: scheme {bound.name!r} version {bound.version} -> "
                f"{loaded.name!r} version {loaded.version} (revision {update.revision})"
            )
            if update.orphaned:
                total = sum(update.orphaned.values())
                say(
                    f"{plural(total, 'annotation')} kept whose label the new scheme lacks "
                    "(relabel or remove them):"
                )
                for (layer, label), count in update.orphaned.items():
                    say(f"  {layer}/{label}: {count}")


@app.command()
def info(ctx: typer.Context) -> None:
    """Which database, its scheme, and how much is in it."""
    with user_errors(), open_repo(ctx) as repo:
        scheme = repo.scheme()
        counts = repo.info()
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        table.add_row("database", shown(repo.url))
        table.add_row(
            "scheme",
            shown(f"{scheme.name} version {scheme.version} (revision {repo.scheme_revision()})"),
        )
        for name, count in counts.items():
            table.add_row(name, str(count))
        stdout().print(table)


@app.command("import")
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
    progress = RichImportProgress(Console(stderr=True))
    with user_errors():
        try:
            report = run_import(db_target(ctx), [str(p) for p in paths], progress)
        finally:
            progress.close()  # before any error line, so that line comes last
    line = (
        f"imported {plural(report.added, 'document')}, {plural(report.annotations, 'annotation')}"
        f" into {report.url}; {report.skipped} skipped (text already stored or repeated)"
    )
    if report.skipped_annotations:
        line += (
            f" (with {plural(report.skipped_annotations, 'annotation')} not imported: a stored"
            " document keeps its own)"
        )
    for note in report.notes:
        say(note, err=True)
    say(line)
    if report.skipped_files:
        say(f"not read ({plural(len(report.skipped_files), 'name')} in the folders given):")
        for name in report.skipped_files:
            say(f"  {name}")


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
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write text cells as stored, without the leading ' that keeps a"
            " spreadsheet from running =, +, -, @ as a formula.",
        ),
    ] = False,
) -> None:
    """Export documents and annotations as native JSONL or CSV."""
    with user_errors(), open_repo(ctx) as repo:
        writer = export_jsonl if format is ExportFormat.jsonl else partial(export_csv, raw=raw)
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
        what = "document" if format is ExportFormat.jsonl else "annotation row"
        say(f"wrote {plural(count, what)} to {output}", err=True)
