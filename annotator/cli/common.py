"""Plumbing every command shares: one-line errors, the database, stdout, output files, progress.

Every error a user can cause is one line on stderr starting ``error: ``, exit code 2, with
nothing written; a traceback means a bug.

Every command module imports this one, and ``annotator --help`` imports every command module,
so this module imports only Typer and the standard library at the top; the store, SQLAlchemy,
Rich's progress bars and the scheme loader are imported by the functions that use them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from annotator.core.scheme import Scheme
    from annotator.store.repository import Repository

EXIT_USER_ERROR = 2
PROGRESS_THRESHOLD = 200
"""Above this many items an import shows a progress bar even when stderr is not a terminal."""


class UserError(Exception):
    """A mistake in the command's arguments; ``str()`` is the line to print."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the root callback learned: the ``--db`` given, if any."""

    db: str | None


def one_line(message: str) -> str:
    """``message`` with every run of whitespace (newlines included) folded to one space."""
    return " ".join(message.split())


def fail(message: str) -> NoReturn:
    """Print ``error: message`` on stderr and exit with code 2."""
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a user can cause into one ``error:`` line and exit code 2."""
    try:
        yield
    except UserError as exc:
        fail(str(exc))
    except Exception as exc:
        if isinstance(exc, _user_error_types()):
            fail(str(exc))
        raise


def _user_error_types() -> tuple[type[Exception], ...]:
    """The errors of the layers below that a user can cause (imported only once one is raised,
    by when the module that raised it is loaded anyway)."""
    from annotator.core.scheme_loader import SchemeError
    from annotator.io.errors import ExportError, ImportFileError
    from annotator.store.errors import StoreError

    return (StoreError, SchemeError, ImportFileError, ExportError)


@contextmanager
def tui_errors() -> Iterator[None]:
    """A settings file or a ``--doc`` the app cannot start with: one ``error:`` line."""
    from annotator.tui.launch import LaunchError

    try:
        yield
    except LaunchError as exc:
        fail(str(exc))


def db_target(ctx: typer.Context, override: str | None = None) -> str:
    """The database the command works on (``override`` wins over the root ``--db``)."""
    from annotator.store.engine import resolve_db_target

    settings = ctx.find_object(Settings)
    return resolve_db_target(override or (settings.db if settings else None))


def existing_target(ctx: typer.Context, db: str | None = None) -> str:
    """The command's database, which must exist: a missing SQLite file is an error."""
    from annotator.store.engine import sqlite_file, target_url

    target = db_target(ctx, db)
    file = sqlite_file(target_url(target))
    if file is not None and not file.exists():
        raise UserError(
            f"no database at {file}; create one with `annotator init` or "
            "`annotator import PATH`, or point --db at an existing one"
        )
    return target


def open_repo(ctx: typer.Context, *, create: bool = False, db: str | None = None) -> Repository:
    """Open the command's database; unless ``create``, a missing SQLite file is an error."""
    from annotator.store.repository import Repository

    target = db_target(ctx, db) if create else existing_target(ctx, db)
    return Repository.open(target)


def stdout() -> Console:
    """A console on the current stdout (created per command, so tests can capture it)."""
    from rich.console import Console

    return Console(highlight=False)


def read_scheme(path: Path) -> tuple[Scheme, str]:
    """The scheme in a YAML file and the file's text; an unreadable file is a user error."""
    from annotator.core.scheme_loader import load_scheme_text

    try:
        body = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"{path}: no such scheme file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid UTF-8"
        raise UserError(f"{path}: cannot read the scheme file: {reason}") from None
    return load_scheme_text(body, str(path)), body


# ---------------------------------------------------------------------------- output files


def _default_file_mode() -> int:
    """The mode a new file would get from ``open()``: 0666 less the process umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to ``path`` (written whole or not at all) or to stdout."""
    import io
    import tempfile

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


# ---------------------------------------------------------------------------- progress bars


def _progress_bar(console: Console, *, description_width: int) -> Progress:
    """A started Rich progress bar: phase name, bar, done/total, time elapsed."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        TextColumn(f"{{task.description:<{description_width}}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    progress.start()
    return progress


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
            self._progress = _progress_bar(self._console, description_width=9)
        elif self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, done: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


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
            self._progress = _progress_bar(self._console, description_width=20)
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task(phase, total=total)
        self._progress.update(self._tasks[phase], completed=done, total=total)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
