"""``annotator report``: the inter-annotator report as Markdown, JSON, HTML or CSV tables."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from annotator.cli.common import (
    DOCUMENT_ID,
    RichReportProgress,
    UserError,
    fail,
    open_output,
    open_repo,
    say,
    stderr_progress,
    user_errors,
)
from annotator.cli.root import app


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    csv = "csv"


@app.command(short_help="Inter-annotator report: agreement, disagreements, bias.")
def report(
    ctx: typer.Context,
    format: Annotated[
        ReportFormat,
        typer.Option(
            "--format",
            "-f",
            help="md (stdout by default), json (stdout by default), html (one file), "
            "csv (a folder of tables).",
        ),
    ] = ReportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write here instead of stdout; required for html, a folder for csv.",
        ),
    ] = None,
    layer: Annotated[
        list[str] | None,
        typer.Option("--layer", metavar="NAME", help="Only this layer (repeatable)."),
    ] = None,
    annotator: Annotated[
        list[str] | None,
        typer.Option(
            "--annotator",
            metavar="NAME",
            help="Only this annotator (repeatable). Default: every annotator of role annotator.",
        ),
    ] = None,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--documents",
            "--document",
            metavar="ID",
            help=f"Only this document: {DOCUMENT_ID} (repeatable).",
        ),
    ] = None,
    group_by: Annotated[
        list[str] | None,
        typer.Option(
            "--group-by",
            metavar="FIELD",
            help="Compare groups of documents by this meta key (outlet, topic, ...) or by"
            " annotator: rates with 95% CIs, differences with permutation p-values (repeatable).",
        ),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            metavar="B",
            min=0,
            help="Bootstrap resamples for the 95% CIs (and permutations for --group-by).",
        ),
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", min=0, help="Seed of the resampling.")
    ] = 0,
    include_unfinished: Annotated[
        bool,
        typer.Option(
            "--include-unfinished",
            help="Count annotators who have not marked a document done.",
        ),
    ] = False,
    raw: Annotated[
        bool,
        typer.Option(
            "--raw",
            help="csv: write text cells as they are, without the leading ' that keeps a"
            " spreadsheet from running =, +, -, @ as a formula.",
        ),
    ] = False,
) -> None:
    """Inter-annotator report: agreement per layer, disagreements, bias profile, provenance."""
    from annotator.report import (
        ReportError,
        ReportOptions,
        build_report,
        render_html,
        render_json,
        render_md,
        write_csv,
    )
    from annotator.report.options import MAX_BOOTSTRAP

    if bootstrap > MAX_BOOTSTRAP:
        fail(
            f"--bootstrap {bootstrap}: give 0 (no interval) to {MAX_BOOTSTRAP:,} resamples;"
            " 1000 is the usual choice"
        )
    if format in (ReportFormat.html, ReportFormat.csv) and output is None:
        where = "FILE.html" if format is ReportFormat.html else "FOLDER"
        fail(f"--format {format.value} needs --output {where}")
    if format is ReportFormat.csv and output is not None and output.is_file():
        fail(f"--output {output} is a file; csv writes one file per table, give a folder")
    options = ReportOptions(
        layers=tuple(layer or ()),
        annotators=tuple(annotator or ()),
        documents=tuple(documents or ()),
        bootstrap=bootstrap,
        seed=seed,
        include_unfinished=include_unfinished,
        group_by=tuple(group_by or ()),
    )
    with user_errors(), stderr_progress(RichReportProgress) as progress, open_repo(ctx) as repo:
        try:
            built = build_report(repo, options, on_progress=progress)
        except ReportError as exc:
            raise UserError(str(exc)) from None
    with user_errors():
        if format is ReportFormat.csv:
            assert output is not None
            try:
                files = write_csv(built, output, raw=raw)
            except OSError as exc:
                raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
            from annotator.core.wording import plural

            say(f"wrote {plural(len(files), 'table')} to {output}", err=True)
            return
        renderer = {
            ReportFormat.md: render_md,
            ReportFormat.json: render_json,
            ReportFormat.html: render_html,
        }[format]
        text = renderer(built)
        try:
            with open_output(output) as out:
                out.write(text)
        except OSError as exc:
            raise UserError(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
    if output is not None:
        say(f"wrote the {format.value} report to {output}", err=True)
