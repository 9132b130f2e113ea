"""The ``annotator`` command line (Typer + Rich).

Commands are thin: parse the arguments, call a service (``annotator.io``) or the repository,
print the result. Every error a user can cause is one line on stderr starting ``error: ``,
exit code 2, with nothing written; a traceback means a bug.

The database is ``--db PATH_OR_URL`` (before the command), else ``$ANNOTATOR_DB``, else
``./annotations.db``. Commands that only read refuse to create a database.

The file has one section per command group; a new group goes in its own section and is
registered on ``app`` there.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TextIO, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from annotator.core.scheme import Scheme

try:  # Typer 0.2x ships its own copy of Click; older releases use Click itself.
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException, UsageError  # type: ignore[assignment]

from annotator.core.scheme_loader import SchemeError, load_scheme_text
from annotator.io.errors import ExportError, ImportFileError
from annotator.io.export import export_csv, export_jsonl
from annotator.io.importer import run_import
from annotator.store.dto import Document, Role
from annotator.store.engine import resolve_db_target, sqlite_file, target_url
from annotator.store.errors import SchemeMismatch, StoreError
from annotator.store.repository import Repository

EXIT_USER_ERROR = 2
PROGRESS_THRESHOLD = 200
"""Above this many items an import shows a progress bar even when stderr is not a terminal."""


# ---------------------------------------------------------------------------- plumbing


class UserError(Exception):
    """A mistake in the command's arguments; ``str()`` is the line to print."""


class OneLineErrors(TyperGroup):
    """Report usage errors (a missing option, a bad value) as one ``error:`` line, exit 2."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except UsageError as exc:
            where = f"; see `{exc.ctx.command_path} --help`" if exc.ctx is not None else ""
            typer.echo(f"error: {_one_line(exc.format_message())}{where}", err=True)
            sys.exit(EXIT_USER_ERROR)
        except ClickException as exc:
            typer.echo(f"error: {_one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the root callback learned: the ``--db`` given, if any."""

    db: str | None


app = typer.Typer(
    name="annotator",
    cls=OneLineErrors,
    help="Review news articles for source bias: import, annotate, measure agreement, export.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="SQLite file or database URL (postgresql+psycopg://...). "
            "Default: $ANNOTATOR_DB, else ./annotations.db.",
        ),
    ] = None,
) -> None:
    """Review news articles for source bias: import, annotate, measure agreement, export.

    With no command, opens the annotation screen as the reviewer who worked here last.
    """
    ctx.obj = Settings(db=db)
    if ctx.invoked_subcommand is None:
        from annotator.tui.launch import annotate_last

        with user_errors(), tui_errors():
            repo = open_repo(ctx)
            try:
                annotate_last(repo)
            finally:
                repo.close()


def _one_line(message: str) -> str:
    return " ".join(message.split())


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on stderr and exit with code 2."""
    typer.echo(f"error: {_one_line(message)}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one ``error:`` line and exit code 2."""
    try:
        yield
    except (StoreError, SchemeError, ImportFileError, ExportError, UserError) as exc:
        fail(str(exc))


def db_target(ctx: typer.Context, override: str | None = None) -> str:
    """The database the command works on (``override`` wins over the root ``--db``)."""
    settings = ctx.find_object(Settings)
    return resolve_db_target(override or (settings.db if settings else None))


def open_repo(ctx: typer.Context, *, create: bool = False, db: str | None = None) -> Repository:
    """Open the command's database; unless ``create``, a missing SQLite file is an error."""
    target = db_target(ctx, db)
    if not create:
        file = sqlite_file(target_url(target))
        if file is not None and not file.exists():
            raise UserError(
                f"no database at {file}; create one with `annotator init` or "
                "`annotator import PATH`, or point --db at an existing one"
            )
    return Repository.open(target)


def stdout() -> Console:
    """A console on the current stdout (created per command, so tests can capture it)."""
    return Console(highlight=False)


def resolve_document(repo: Repository, ref: str) -> Document:
    """A document by external id, else by numeric id."""
    document = repo.document_by_external_id(ref)
    if document is not None:
        return document
    if ref.strip().isdigit():
        return repo.document(int(ref))
    raise UserError(
        f"no document with id {ref!r}; see `annotator docs list` for the ids (external or #)"
    )


def _read_scheme(path: Path) -> tuple[Scheme, str]:
    try:
        body = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such scheme file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        raise UserError(f"{path}: cannot read the scheme file: {reason}") from None
    return load_scheme_text(body, str(path)), body


# ---------------------------------------------------------------------------- init, info


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
        loaded, body = _read_scheme(scheme) if scheme is not None else (None, None)
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
    with user_errors(), open_repo(ctx) as repo:
        scheme = repo.scheme()
        counts = repo.info()
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column(style="bold")
        table.add_column()
        table.add_row("database", Text(repo.url))
        table.add_row(
            "scheme",
            Text(f"{scheme.name} version {scheme.version} (revision {repo.scheme_revision()})"),
        )
        for name, count in counts.items():
            table.add_row(name, str(count))
        stdout().print(table)


# ---------------------------------------------------------------------------- import, export


class RichImportProgress:
    """A progress bar on stderr for an import or an export, on a terminal or for large work."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._task: Any = None

    def phase(self, name: str, total: int) -> None:
        if self._progress is None:
            if not (self._console.is_terminal or total > PROGRESS_THRESHOLD):
                return
            self._progress = Progress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console,
            )
            self._progress.start()
        elif self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, done: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


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


def _default_file_mode() -> int:
    """The mode a new file would get from ``open()``: 0666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def _output(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to ``path`` (written whole or not at all) or to stdout."""
    if path is None:
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
        try:
            yield stream
        finally:
            stream.flush()
            stream.detach()
        return
    directory = path.parent if str(path.parent) else Path(".")
    try:
        # Closed by the `with handle` below, after the caller has written everything.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w",
            encoding="utf-8",
            newline="",
            dir=directory,
            prefix=f".{path.name}.",
            delete=False,
        )
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with handle:
            yield cast(TextIO, handle)
        # A temporary file is private (0600); the finished file gets the user's usual mode.
        os.chmod(handle.name, _default_file_mode())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


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
    with user_errors(), open_repo(ctx) as repo:
        writer = export_jsonl if format is ExportFormat.jsonl else export_csv
        progress = RichImportProgress(Console(stderr=True))
        try:
            progress.phase("export", repo.info().get("documents", 0))
            with _output(output) as out:
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


# ---------------------------------------------------------------------------- docs

docs_app = typer.Typer(help="The documents in the database.", no_args_is_help=True)
app.add_typer(docs_app, name="docs")


@docs_app.command("list")
def docs_list(ctx: typer.Context) -> None:
    """List documents: number, external id, title, size, sentences."""
    with user_errors(), open_repo(ctx) as repo:
        table = Table("#", "id", "title", "chars", "words", "sentences")
        for column in table.columns[3:]:
            column.justify = "right"
        for doc in repo.documents():
            table.add_row(
                str(doc.id),
                Text(doc.external_id),
                Text(doc.title),
                str(doc.n_chars),
                str(doc.n_words),
                str(doc.n_segments),
            )
        stdout().print(table)


# ---------------------------------------------------------------------------- annotators

annotators_app = typer.Typer(help="The people (and machines) who annotate.", no_args_is_help=True)
app.add_typer(annotators_app, name="annotators")


class RoleChoice(StrEnum):
    annotator = "annotator"
    adjudicator = "adjudicator"
    machine = "machine"


@annotators_app.command("list")
def annotators_list(ctx: typer.Context) -> None:
    """List annotators and their roles."""
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


# ---------------------------------------------------------------------------- annotations

annotations_app = typer.Typer(help="Add, remove and list annotations.", no_args_is_help=True)
app.add_typer(annotations_app, name="annotations")

AsOption = Annotated[str, typer.Option("--as", metavar="NAME", help="Who is annotating.")]


def _excerpt(text: str, limit: int = 60) -> Text:
    flat = " ".join(text.split())
    return Text(flat if len(flat) <= limit else flat[: limit - 1] + "…")


@annotations_app.command("add")
def annotations_add(
    ctx: typer.Context,
    as_: AsOption,
    doc: Annotated[str, typer.Option("--doc", metavar="ID", help="Document id (or #).")],
    layer: Annotated[str, typer.Option("--layer", metavar="L", help="Layer of the scheme.")],
    label: Annotated[str, typer.Option("--label", metavar="X", help="Label of that layer.")],
    start: Annotated[
        int | None, typer.Option("--start", metavar="S", help="Span start (code points).")
    ] = None,
    end: Annotated[
        int | None, typer.Option("--end", metavar="E", help="Span end, exclusive.")
    ] = None,
    segment: Annotated[
        int | None,
        typer.Option("--segment", metavar="N", help="Sentence number, from 0 (segment layers)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", metavar="T", help="A note.")] = None,
) -> None:
    """Add a span (--start S --end E) or label a sentence (--segment N)."""
    with user_errors(), open_repo(ctx) as repo:
        document = resolve_document(repo, doc)
        scheme_layer = repo.scheme().layer(layer)
        if scheme_layer is None:
            names = ", ".join(layer.name for layer in repo.scheme().layers)
            raise UserError(f"unknown layer {layer!r}; the scheme has {names}")
        attrs = {"note": note} if note else None
        if scheme_layer.kind == "span":
            if start is None or end is None or segment is not None:
                raise UserError(
                    f"layer {layer!r} holds spans: give --start and --end (not --segment)"
                )
            made = repo.add_span(as_, document.id, layer, label, start, end, attrs=attrs)
        else:
            if segment is None or start is not None or end is not None:
                raise UserError(
                    f"layer {layer!r} labels sentences: give --segment N (not --start/--end)"
                )
            made = repo.set_segment_label(as_, document.id, layer, segment, label, attrs=attrs)
        quoted = document.text[made.start : made.end]
        typer.echo(
            f"added annotation {made.id}: {made.layer}/{made.label} [{made.start}, {made.end}) "
            f"{_excerpt(quoted).plain!r} on {document.external_id!r} by {made.annotator!r}"
        )


@annotations_app.command("remove")
def annotations_remove(
    ctx: typer.Context,
    as_: AsOption,
    annotation_id: Annotated[int, typer.Argument(metavar="ID", help="Annotation id.")],
) -> None:
    """Remove one of your annotations (undoable from the UI's history)."""
    with user_errors(), open_repo(ctx) as repo:
        gone = repo.remove_annotation(as_, annotation_id)
        typer.echo(
            f"removed annotation {gone.id}: {gone.layer}/{gone.label} [{gone.start}, {gone.end})"
        )


@annotations_app.command("list")
def annotations_list(
    ctx: typer.Context,
    as_: Annotated[
        str | None, typer.Option("--as", metavar="NAME", help="Only this annotator's.")
    ] = None,
    doc: Annotated[
        str | None, typer.Option("--doc", metavar="ID", help="Only this document.")
    ] = None,
) -> None:
    """List annotations with their text."""
    with user_errors(), open_repo(ctx) as repo:
        document_ids = [resolve_document(repo, doc).id] if doc is not None else None
        annotators = [as_] if as_ is not None else None
        table = Table("id", "doc", "annotator", "layer", "label", "start", "end", "text", "note")
        texts: dict[int, Document] = {}
        for a in repo.iter_annotations(annotators=annotators, document_ids=document_ids):
            if a.document_id not in texts:
                texts[a.document_id] = repo.document(a.document_id)
            document = texts[a.document_id]
            note = a.attrs.get("note")
            table.add_row(
                str(a.id),
                Text(document.external_id),
                Text(a.annotator),
                Text(a.layer),
                Text(a.label),
                str(a.start),
                str(a.end),
                _excerpt(document.text[a.start : a.end]),
                _excerpt(note) if isinstance(note, str) else Text(""),
            )
        stdout().print(table)


# ---------------------------------------------------------------------------- schema

schema_app = typer.Typer(
    help="Annotation schemes: check a file, show the one in use.", no_args_is_help=True
)
app.add_typer(schema_app, name="schema")


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
        scheme, _body = _read_scheme(path)
        typer.echo(f"ok: {_scheme_summary(scheme)}")


@schema_app.command("show")
def schema_show(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH_OR_URL", help="Database (default: the root --db)."),
    ] = None,
) -> None:
    """Print the scheme the database is bound to: layers, labels, keys, definitions."""
    with user_errors(), open_repo(ctx, db=db) as repo:
        scheme = repo.scheme()
        console = stdout()
        console.print(
            Text(f"{scheme.name} version {scheme.version} (revision {repo.scheme_revision()})"),
            style="bold",
        )
        if scheme.description:
            console.print(Text(scheme.description))
        for layer in scheme.layers:
            level = f", {layer.level}" if layer.kind == "segment" else ""
            table = Table(
                "label",
                "key",
                "colour",
                "requires",
                "definition",
                title=Text(f"{layer.name} ({layer.kind}{level})"),
                title_justify="left",
            )
            for label in layer.labels:
                table.add_row(
                    Text(label.name),
                    Text(label.key or "-"),
                    str(label.color),
                    Text(", ".join(label.requires) or "-"),
                    Text(label.description),
                )
            console.print(table)


# ---------------------------------------------------------------------------- report


class ReportFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"
    csv = "csv"


class RichReportProgress:
    """The report's progress bar on stderr, for a terminal or a corpus of many documents."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._progress: Progress | None = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self._progress is None:
            if not (self._console.is_terminal or total > PROGRESS_THRESHOLD):
                return
            self._progress = Progress(
                TextColumn("{task.description:<20}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self._console,
            )
            self._progress.start()
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(self._tasks[phase], completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.command()
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
            "--documents", "--document", metavar="ID", help="Only this document (repeatable)."
        ),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap", metavar="B", min=0, help="Bootstrap resamples for alpha's 95% CI."
        ),
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="Bootstrap seed.")] = 0,
    include_unfinished: Annotated[
        bool,
        typer.Option(
            "--include-unfinished",
            help="Count annotators who have not marked a document done.",
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
    )
    progress = RichReportProgress(Console(stderr=True))
    try:
        with user_errors(), open_repo(ctx) as repo:
            try:
                built = build_report(repo, options, on_progress=progress)
            except ReportError as exc:
                raise UserError(str(exc)) from None
    finally:
        progress.close()
    with user_errors():
        if format is ReportFormat.csv:
            assert output is not None
            try:
                files = write_csv(built, output)
            except OSError as exc:
                raise UserError(f"cannot write {output}: {exc.strerror or exc}") from None
            typer.echo(f"wrote {len(files)} table(s) to {output}", err=True)
            return
        renderer = {
            ReportFormat.md: render_md,
            ReportFormat.json: render_json,
            ReportFormat.html: render_html,
        }[format]
        text = renderer(built)
        try:
            with _output(output) as out:
                out.write(text)
        except OSError as exc:
            raise UserError(f"cannot write {output or 'stdout'}: {exc.strerror or exc}") from None
    if output is not None:
        typer.echo(f"wrote the {format.value} report to {output}", err=True)


# ---------------------------------------------------------------------------- terminal UI


@contextmanager
def tui_errors() -> Iterator[None]:
    """A settings file or a ``--doc`` the app cannot start with: one ``error:`` line."""
    from annotator.tui.launch import LaunchError

    try:
        yield
    except LaunchError as exc:
        fail(str(exc))


ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Settings file (theme, keymap, animations). "
        "Default: $ANNOTATOR_CONFIG, else ~/.config/annotator/config.yaml.",
    ),
]


@app.command()
def annotate(
    ctx: typer.Context,
    name: Annotated[
        str,
        typer.Option("--as", metavar="NAME", help="Annotate as this reviewer (created if new)."),
    ],
    doc: Annotated[
        str | None,
        typer.Option("--doc", metavar="ID", help="Open this document (external id or number)."),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Open the annotation screens as reviewer NAME."""
    from annotator.tui.launch import annotate as run_annotate
    from annotator.tui.launch import read_config, reviewer_name

    with user_errors(), tui_errors():
        reviewer_name(name)
        read_config(config)
        repo = open_repo(ctx, create=True)
        try:
            run_annotate(repo, name, doc=doc, config_path=config)
        finally:
            repo.close()


@app.command()
def demo(
    config: ConfigOption = None,
    fresh: Annotated[
        bool,
        typer.Option("--fresh", help="Rebuild ./demo.db, discarding what was annotated in it."),
    ] = False,
) -> None:
    """Annotate ./demo.db (built from the examples on first use) as a third reviewer, `you`."""
    from annotator.tui.launch import DEMO_DB
    from annotator.tui.launch import demo as run_demo

    with user_errors(), tui_errors():
        run_demo(DEMO_DB, config_path=config, fresh=fresh)


# ---------------------------------------------------------------------------- entry point


def main() -> None:
    """Console-script entry point (``annotator``)."""
    app()


if __name__ == "__main__":
    main()
