"""``annotator suggest``: store machine suggestions for reviewers to accept or reject."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import (
    DOCUMENT_ID,
    RichImportProgress,
    UserError,
    open_repo,
    stderr_progress,
    user_errors,
)
from annotator.cli.root import app

if TYPE_CHECKING:
    from annotator.service.suggesting import TeamTaggings
    from annotator.store.repository import Repository
    from annotator.suggest import Lexicon, Suggester


@app.command(short_help="Store machine suggestions for reviewers to accept or reject.")
def suggest(
    ctx: typer.Context,
    machine: Annotated[
        str,
        typer.Option(
            "--as",
            metavar="NAME",
            help="The machine annotator the suggestions belong to (created with role machine).",
        ),
    ] = "suggest",
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--documents",
            "--document",
            metavar="ID",
            help=f"Only this document: {DOCUMENT_ID} (repeatable). Default: every document.",
        ),
    ] = None,
    lexicons: Annotated[
        list[Path] | None,
        typer.Option(
            "--lexicon",
            metavar="FILE",
            help="A lexicon file (EXPRESSION TAG [WEIGHT] per line; docs/suggestions.md)"
            " to use beside the scheme's and the built-in ones (repeatable).",
        ),
    ] = None,
    team: Annotated[
        bool,
        typer.Option(
            "--team/--no-team",
            help="Suggest what people tagged in one document wherever else it occurs.",
        ),
    ] = True,
    builtin: Annotated[
        bool,
        typer.Option("--builtin/--no-builtin", help="Use the built-in lexicons."),
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            min=0,
            help="Worker processes (0: none). Default: one per core for 500 documents or more.",
        ),
    ] = None,
) -> None:
    """Suggest annotations with rules and lexicons, stored as a machine annotator's.

    Reviewers see them on the annotation screen and accept (Enter) or reject (Backspace)
    each. Running again replaces only the suggestions no reviewer has decided yet.
    """
    from annotator.core.wording import plural
    from annotator.service.suggesting import plan_run, run_suggestions, team_taggings

    with user_errors(), open_repo(ctx) as repo:
        plan = plan_run(repo, machine, documents or ())
        taggings = team_taggings(repo) if team else None
        suggester, learnt = _suggester(repo, lexicons or [], taggings, builtin=builtin)
        with stderr_progress(RichImportProgress) as progress:
            progress.phase("suggest", plan.documents)
            summary = run_suggestions(
                repo,
                plan,
                suggester,
                team=taggings,
                workers=workers,
                on_progress=progress.advance,
            )
    stored = summary.stored
    made = "new machine annotator" if stored.created else "machine annotator"
    typer.echo(
        f"stored {plural(stored.added, 'suggestion')} on {plural(stored.documents, 'document')}"
        f" as {stored.machine!r} ({made}); {stored.removed} undecided replaced,"
        f" {stored.kept} decided kept"
    )
    if taggings is not None:
        line = f"team lexicon: {plural(learnt, 'expression')} learnt from people's spans"
        if summary.team_left_out:
            line += (
                f"; {plural(summary.team_left_out, 'suggestion')} left out where a span was"
                " marked already"
            )
        typer.echo(line)


def _suggester(
    repo: Repository, paths: list[Path], taggings: TeamTaggings | None, *, builtin: bool
) -> tuple[Callable[[], Suggester], int]:
    """A recipe for the suggester of the database's scheme with the lexicons asked for (each
    checked against the scheme), and how many expressions the team lexicon learnt; a lexicon
    that cannot be used is a user error."""
    from annotator.suggest import (
        LexiconError,
        Suggester,
        TaggedSpan,
        load_lexicon,
        scheme_lexicons,
        team_lexicon,
    )

    scheme = repo.scheme()
    try:
        lexicons: list[Lexicon] = [load_lexicon(path) for path in paths]
        for lexicon in lexicons:
            lexicon.check(scheme)
        lexicons.extend(scheme_lexicons(scheme))
    except LexiconError as exc:
        raise UserError(str(exc)) from None
    learnt = 0
    if taggings is not None:
        team = team_lexicon(
            (
                (text, [TaggedSpan(t.start, t.end, t.layer, t.label, t.annotator) for t in spans])
                for text, spans in taggings.learnable(repo)
            ),
            layers=[layer.name for layer in scheme.span_layers],
        )
        learnt = len(team)
        lexicons.append(team)
    return partial(Suggester, scheme, lexicons, builtin=builtin), learnt
