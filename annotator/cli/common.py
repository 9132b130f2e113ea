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
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, TypeVar, cast

import typer

from annotator.core.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.text import Text

    from annotator.core.scheme import Scheme
    from annotator.store.repository import Repository

EXIT_USER_ERROR = 2
DOCUMENT_ID = "its external id, else its number; #N is always the number"
"""How every --doc and --documents option reads its value (annotator.service.documents)."""
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
    """Print ``error: message`` on stderr and exit with code 2.

    The message may quote a file name, an id or a name the user gave: control characters
    and undecodable bytes are shown as U+FFFD, never written to the terminal.
    """
    say(f"error: {one_line(message)}", err=True)
    raise typer.Exit(EXIT_USER_ERROR)


def say(line: str, *, err: bool = False) -> None:
    """Print one line that may quote user data (ids, names, notes, file names) safely."""
    typer.echo(printable(line), err=err)


def shown(value: str, *, newlines: bool = False) -> Text:
    """User data as a Rich cell: never markup, never a control character."""
    from rich.text import Text

    return Text(printable(value, newlines=newlines))


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
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):  # a damaged file read where the store did not expect
            fail(
                f"the database refused a read or write: {one_line(str(exc.orig))};"
                " `annotator db check` says what is wrong"
            )
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
    """The command's database, which must exist: a missing or empty SQLite file, or one of
    another program, is an error (and is left as it is)."""
    from annotator.store.engine import sqlite_file, target_url

    target = db_target(ctx, db)
    file = sqlite_file(target_url(target))
    if file is not None:
        from annotator.store.engine import check_sqlite_file

        check_sqlite_file(file, create=False)
    return target


def open_repo(ctx: typer.Context, *, create: bool = False, db: str | None = None) -> Repository:
    """Open the command's database; unless ``create``, a missing or empty SQLite file is an
    error. What an upgrade of an older database did is told on stderr."""
    from annotator.store.repository import Repository

    repo = Repository.open(db_target(ctx, db), create=create)
    tell_upgrade(repo)
    return repo


def tell_upgrade(repo: Repository) -> None:
    """The lines opening ``repo`` left for the user (a backup made, duplicates removed)."""
    for line in repo.upgrade_notes:
        say(line, err=True)


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


INCOMPLETE = ".incomplete-"
"""Infix of the file an output is written to before it is complete: ``FILE.incomplete-PID``."""


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to ``path`` (written whole or not at all) or to stdout.

    The text goes to ``FILE.incomplete-PID`` beside ``path`` and replaces ``path`` only once
    complete. Interrupted (ctrl+c, a polite kill), that file is removed; a process killed
    outright cannot clean up, so its leftover, named for what it is, is removed by the next
    write to ``path`` once no process with that PID runs.
    """
    import io

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
    remove_stale_outputs(path)
    partial = directory / f"{path.name}{INCOMPLETE}{os.getpid()}"
    try:
        handle = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with handle, _terminate_as_exit():
            yield cast(TextIO, handle)
        os.chmod(partial, _default_file_mode())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def remove_stale_outputs(path: Path) -> list[Path]:
    """Remove ``FILE.incomplete-PID`` files beside ``path`` whose process is gone."""
    directory = path.parent if str(path.parent) else Path(".")
    removed: list[Path] = []
    try:
        candidates = list(directory.glob(f"{glob_escape(path.name)}{INCOMPLETE}*"))
    except OSError:
        return removed
    for candidate in candidates:
        pid = candidate.name.rsplit(INCOMPLETE, 1)[-1]
        if pid.isdigit() and not _running(int(pid)):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed


def glob_escape(name: str) -> str:
    return "".join(f"[{ch}]" if ch in "*?[" else ch for ch in name)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


@contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """While writing, SIGTERM ends the command like ctrl+c: cleanly, partial file removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise SystemExit(143)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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


Bar = TypeVar("Bar", RichImportProgress, RichReportProgress)


@contextmanager
def stderr_progress(kind: type[Bar]) -> Iterator[Bar]:
    """A progress bar of ``kind`` on stderr for the work inside the ``with``, closed when
    that work ends or fails; opened inside ``user_errors()``, it is closed before the error
    line is printed, so that line comes last."""
    from rich.console import Console

    progress = kind(Console(stderr=True))
    try:
        yield progress
    finally:
        progress.close()
