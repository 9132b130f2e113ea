"""``annotator adjudicate``: settle the annotators' disagreements into a gold standard.

With ``--auto`` it fills gold where enough annotators agree and prints what it added; without,
it opens the Adjudicate screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.annotate import ConfigOption
from annotator.cli.common import DOCUMENT_ID, UserError, open_repo, tui_errors, user_errors
from annotator.cli.root import app

if TYPE_CHECKING:
    from annotator.service.adjudicating import AutoResult, Filled


@app.command()
def adjudicate(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Option(
            "--as", metavar="NAME", help="Adjudicate as NAME (an annotator of role adjudicator)."
        ),
    ],
    doc: Annotated[
        str | None,
        typer.Option("--doc", metavar="ID", help=f"Open this document: {DOCUMENT_ID}."),
    ] = None,
    auto: Annotated[
        bool,
        typer.Option(
            "--auto",
            help="Fill gold where enough annotators agree exactly, print what was added, exit.",
        ),
    ] = False,
    min_agree: Annotated[
        int | None,
        typer.Option(
            "--min-agree",
            metavar="K",
            help="With --auto: annotators who must agree. Default: all who finished (2 or more).",
        ),
    ] = None,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--documents",
            "--document",
            metavar="ID",
            help=f"With --auto: only this document: {DOCUMENT_ID} (repeatable)."
            " Default: every document.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Turn the annotators' disagreements into gold, as an adjudicator.

    Gold is the adjudicator's own annotations; the annotators' work is never changed.
    """
    from annotator.service.adjudicating import Adjudicating
    from annotator.service.documents import resolve_documents

    with user_errors():
        if not auto and (min_agree is not None or documents):
            given = "--min-agree" if min_agree is not None else "--documents"
            raise UserError(f"{given} goes with --auto; add --auto, or open one with --doc")
        if auto and doc is not None:
            raise UserError("--doc opens the Adjudicate screen; with --auto give --documents ID")
        with open_repo(ctx) as repo:
            judge = Adjudicating(repo, name)
            if auto:
                ids = resolve_documents(repo, documents) if documents else None
                for line in auto_lines(judge.auto(min_agree, ids)):
                    typer.echo(line)
                return
    _open_screen(ctx, name, doc, config)


def _open_screen(ctx: typer.Context, name: str, doc: str | None, config: Path | None) -> None:
    from annotator.tui.launch import adjudicate as run_adjudicate
    from annotator.tui.launch import read_config

    with user_errors(), tui_errors():
        read_config(config)
        repo = open_repo(ctx)
        try:
            run_adjudicate(repo, name, doc=doc, config_path=config)
        finally:
            repo.close()


def filled_line(item: Filled) -> str:
    """One unit ``--auto`` settled: where, what gold got, and who agreed."""
    unit = item.unit
    where = (
        f"sentence {unit.sentence + 1}" if unit.kind == "segment" else f"[{unit.start}, {unit.end})"
    )
    who = ", ".join(item.agreeing)
    if not item.annotations:
        return f"{item.external_id}  {unit.layer}  {where}  nothing: {who} agree on no annotation"
    return f"{item.external_id}  {unit.layer}  {where}  {' + '.join(item.summaries)}  from {who}"


def auto_lines(result: AutoResult) -> list[str]:
    """What ``--auto`` prints: a line per unit settled, then a summary."""
    from annotator.core.wording import plural

    lines = [filled_line(item) for item in result.filled]
    documents = len({item.external_id for item in result.filled})
    lines.append(
        f"added {plural(result.added, 'gold annotation')} in"
        f" {plural(len(result.filled), 'place')} on {documents} of"
        f" {plural(result.documents, 'document')};"
        f" {plural(result.open, 'disagreement')} still open"
    )
    if result.ties:
        lines.append(
            f"left open: {plural(result.ties, 'place')} where two versions each had enough"
            " annotators"
        )
    for external_id, reason in result.skipped:
        lines.append(f"skipped {external_id}: {reason}")
    for external_id in result.reopened:
        lines.append(f"{external_id} was marked done; adding to its gold reopened it")
    return lines
