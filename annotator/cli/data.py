"""The database as a whole: ``init``, ``info``, ``import`` and ``export``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import (
    RichImportProgress,
    UserError,
    db_target,
    existing_target,
    open_output,
    open_repo,
    read_scheme,
    say,
    stderr_progress,
    tell_upgrade,
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
    from annotator.core.wording import plural
    from annotator.store.errors import SchemeMismatch
    from annotator.store.repository import Repository

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
    # Plain lines rather than a Rich table: this is the command people run to check where they
    # are, and importing Rich's console and table would add about a tenth to its start-up.
    from annotator.store.peek import Peek, peek

    with user_errors():
        found = peek(existing_target(ctx))
        if found is None:  # not current, or not readable this way: the full open says why
            with open_repo(ctx) as repo:
                scheme = repo.scheme()
                found = Peek(
                    repo.url, scheme.name, scheme.version, repo.scheme_revision(), repo.info()
                )
    rows = {
        "database": found.url,
        "scheme": f"{found.scheme_name} version {found.scheme_version}"
        f" (revision {found.scheme_revision})",
        **{name: str(count) for name, count in found.counts.items()},
    }
    width = max(len(name) for name in rows)
    for name, value in rows.items():
        say(f"{name:<{width}}  {value}")


@app.command("import", short_help="Import articles in one transaction: all or nothing.")
def import_(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Files (.txt .md .csv .jsonl) or folders (read recursively), or files of the "
            "--format given.",
            show_default=False,
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="F",
            help="Another tool's format: brat, label-studio, doccano, ptc, webanno (INCEpTION "
            "TSV 3) or csv (the table `export --format csv` writes, with the texts).",
        ),
    ] = None,
    annotator: Annotated[
        str | None,
        typer.Option(
            "--annotator", metavar="NAME", help="Whose annotations, when the files name nobody."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--map",
            metavar="FILE",
            help="Label map (YAML): 'source label: layer/label' or ': drop', one per line.",
        ),
    ] = None,
    text_key: Annotated[
        str | None,
        typer.Option(
            "--text-key", metavar="KEY", help="Label Studio: the data field holding the text."
        ),
    ] = None,
) -> None:
    """Import articles in one transaction: all or nothing; texts already stored are skipped."""

    from annotator.core.wording import plural
    from annotator.io.formats.labelmap import UnmappedLabels
    from annotator.io.importer import run_import

    with user_errors():
        if format is None and (annotator or mapping or text_key):
            raise UserError(
                "--annotator, --map and --text-key apply to --format F imports; add --format"
            )
        with stderr_progress(RichImportProgress) as progress:
            try:
                report = run_import(
                    db_target(ctx),
                    [str(p) for p in paths],
                    progress,
                    fmt=format,
                    mapping=mapping,
                    text_key=text_key,
                    annotator=annotator,
                )
            except UnmappedLabels as exc:
                progress.close()  # the ready-to-edit map goes to stdout after the bar
                sys.stdout.write(exc.template)
                sys.stdout.flush()
                raise
    line = (
        f"imported {plural(report.added, 'document')}, {plural(report.annotations, 'annotation')}"
        f" into {report.url}; {report.skipped} skipped (text already stored or repeated)"
    )
    if report.skipped_annotations:
        line += (
            f" (with {plural(report.skipped_annotations, 'annotation')} not imported: a stored"
            " document keeps its own)"
        )
    say(line)
    for note in report.notes:
        say(f"note: {note}", err=True)
    if report.skipped_files:
        say(f"not read ({plural(len(report.skipped_files), 'name')} in the folders given):")
        for name in report.skipped_files:
            say(f"  {name}")


NATIVE_FORMATS = ("jsonl", "csv")


def _export_format_name(value: str) -> str:
    from annotator.io.formats.registry import ALIASES, names

    usable = [*NATIVE_FORMATS, *(n for n in names() if n not in ("webanno", "csv"))]
    if value.lower() not in usable and ALIASES.get(value.lower()) not in usable:
        raise typer.BadParameter(f"{value!r} is not one of {', '.join(usable)}")
    return value


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="F",
            help="jsonl: native, lossless; csv: one row per annotation; or another tool's: "
            "brat, label-studio, doccano, ptc, spacy (these need -o).",
            callback=_export_format_name,
        ),
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="PATH", help="Write here (a file or a new folder)."),
    ] = None,
    annotator: Annotated[
        list[str] | None,
        typer.Option("--annotator", metavar="NAME", help="Only this annotator (repeatable)."),
    ] = None,
    gold: Annotated[
        bool,
        typer.Option(
            "--gold",
            help="Only the gold: each document with its adjudicator's annotations and status"
            " (the one who marked it done last).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write even what the format cannot hold (losses listed)."),
    ] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="CSV: write text cells as stored, without the leading ' that keeps a"
            " spreadsheet from running =, +, -, @ as a formula.",
        ),
    ] = False,
) -> None:
    """Export documents and annotations as native JSONL or CSV, or another tool's format.

    Before writing another tool's format, every loss (what it cannot hold) is listed; with any,
    nothing is written unless --force.
    """
    if format.lower() not in NATIVE_FORMATS:
        _export_format(ctx, format, output, annotator, gold=gold, force=force)
        return
    from functools import partial

    from annotator.core.wording import plural
    from annotator.io.export import export_csv, export_jsonl

    with user_errors(), open_repo(ctx) as repo:
        writer = export_jsonl if format.lower() == "jsonl" else partial(export_csv, raw=raw)
        notices: list[str] = []
        with stderr_progress(RichImportProgress) as progress:
            try:
                progress.phase("export", repo.info().get("documents", 0))
                with open_output(output) as out:
                    count = writer(
                        repo, out, annotator, progress.advance, gold=gold, on_notice=notices.append
                    )
            except BrokenPipeError:
                # the reader went away (`annotator export | head`): stop quietly, as cat does
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
                raise typer.Exit(1) from None
            except OSError as exc:
                where = output or "stdout"
                raise UserError(f"cannot write {where}: {exc.strerror or exc}") from None
    for line in notices:
        typer.echo(f"note: {line}", err=True)
    if output is not None:
        what = "document" if format.lower() == "jsonl" else "annotation row"
        say(f"wrote {plural(count, what)} to {output}", err=True)


def _export_format(
    ctx: typer.Context,
    format: str,
    output: Path | None,
    annotators: list[str] | None,
    *,
    gold: bool,
    force: bool,
) -> None:
    """``export --format F -o PATH`` for another tool's format (see annotator.io.formats)."""

    from annotator.core.wording import plural
    from annotator.io.formats.exporting import LossesFound, export_format
    from annotator.io.formats.registry import get_format

    with user_errors():
        fmt = get_format(format, for_export=True)
        if output is None:
            what = "folder" if fmt.output == "folder" else "file"
            raise UserError(f"--format {fmt.name} writes a {what}; name it with -o PATH")
        with open_repo(ctx) as repo, stderr_progress(RichImportProgress) as progress:
            try:
                progress.phase("export", repo.info().get("documents", 0))
                report = export_format(
                    repo,
                    fmt,
                    output,
                    annotators=annotators,
                    gold=gold,
                    force=force,
                    on_document=progress.advance,
                )
            except LossesFound as exc:
                progress.close()  # the losses are listed below the bar
                for loss in exc.losses:
                    say(f"loss: {loss}", err=True)
                raise
            except OSError as exc:
                raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
    for loss in report.losses:
        say(f"loss (written anyway): {loss}", err=True)
    say(
        f"wrote {plural(report.documents, 'document')} "
        f"({plural(report.annotations, 'annotation')}) as {fmt.name} to {output}",
        err=True,
    )
