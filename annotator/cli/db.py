"""``annotator db``: the team's database: logins, merging, backups and checks."""

from __future__ import annotations

import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from annotator.cli.common import UserError, db_target, open_repo, say, user_errors
from annotator.cli.root import command_group

if TYPE_CHECKING:
    from annotator.store.repository import Repository

EXIT_PROBLEMS = 1
"""``db check`` found problems (2 stays for a mistake in the command)."""

db_app = command_group("db", "The team's database: reviewers' logins, merging, backups, checks.")


class GrantRole(StrEnum):
    annotator = "annotator"
    adjudicator = "adjudicator"


class Prefer(StrEnum):
    other = "other"
    ours = "ours"


def _password() -> str:
    """A password typed twice on a terminal, or the first line of stdin."""
    if sys.stdin.isatty():
        return str(typer.prompt("password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise UserError("--password: stdin is empty; give the password on its first line")
    return line


@db_app.command("grant")
def db_grant(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The reviewer's name.")],
    role: Annotated[
        GrantRole,
        typer.Option("--role", help="annotator: sees only their own work; adjudicator: all."),
    ] = GrantRole.annotator,
    password: Annotated[
        bool,
        typer.Option(
            "--password",
            help="Also set a password (asked on a terminal, else read from stdin's first"
            " line). Without it the login uses the server's password-less local"
            " authentication (a reviewer logged in over ssh).",
        ),
    ] = False,
) -> None:
    """PostgreSQL: a login for one reviewer, who then reads only their own annotations."""
    from annotator.service.names import check_name

    with user_errors():
        clean = check_name(name)
        secret = _password() if password else None
        with open_repo(ctx) as repo:
            created, before = repo.grant(clean, role.value, secret)
        login = "created login" if created else "updated login"
        if not before:
            change = f"annotator {clean!r} added as {role.value}"
        elif before != role.value:
            change = f"annotator {clean!r} is now {role.value} (was {before})"
        else:
            change = f"annotator {clean!r} stays {role.value}"
        sees = "everyone's annotations" if role is GrantRole.adjudicator else "only their own"
        say(f"{login} {clean!r} on {repo.url}: {change}; reads {sees}")


@db_app.command("revoke")
def db_revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The reviewer's name.")],
) -> None:
    """PostgreSQL: take a reviewer's login away; their annotations stay."""
    from annotator.service.names import check_name

    with user_errors():
        clean = check_name(name)
        with open_repo(ctx) as repo:
            dropped = repo.revoke(clean)
        if dropped:
            say(f"dropped login {clean!r} on {repo.url}; their annotations stay")
        else:
            say(
                f"revoked login {clean!r}'s access to {repo.url}; the login stays because it"
                " still has privileges in another database on this server"
            )


def _open_other(other: str, workspace: Path) -> Repository:
    """The other database, never changed: a SQLite file is read from a consistent copy
    (upgraded there if it is older), a server database must be at the newest revision."""
    from annotator.store.engine import check_sqlite_file, sqlite_file, target_url
    from annotator.store.health import backup_file
    from annotator.store.repository import Repository

    path = sqlite_file(target_url(other))
    if path is None:
        return Repository.open(other, create=False, upgrade=False)

    check_sqlite_file(path, create=False)
    copy = workspace / "other.db"
    backup_file(path, copy)
    return Repository.open(str(copy), create=False)


@db_app.command("merge")
def db_merge(
    ctx: typer.Context,
    other: Annotated[
        str, typer.Argument(metavar="OTHER", help="The other database: a file or a URL.")
    ],
    prefer: Annotated[
        Prefer | None,
        typer.Option(
            "--prefer",
            help="On a conflict take theirs (other) or keep ours without listing it (ours)."
            " Default: list conflicts and keep ours.",
        ),
    ] = None,
) -> None:
    """Add what another database holds: documents by text, annotators by name, their
    annotations and statuses. Conflicts are listed and left as they are."""
    from annotator.core.wording import plural
    from annotator.service.merging import merge_databases

    with user_errors(), tempfile.TemporaryDirectory(prefix="annotator-merge-") as workspace:
        if Path(other).expanduser().resolve() == Path(db_target(ctx)).expanduser().resolve():
            raise UserError(f"{other} is this database; merge another one into it")
        with _open_other(other, Path(workspace)) as theirs, open_repo(ctx) as ours:
            report = merge_databases(ours, theirs, None if prefer is None else prefer.value)
    r = report.result
    say(
        f"merged {other} into {ours.url}: {plural(r.documents, 'document')} added,"
        f" {report.matched} already here; {plural(r.annotations, 'annotation')} added,"
        f" {r.replaced} replaced; {plural(r.statuses, 'status', 'statuses')} set;"
        f" {plural(r.annotators, 'annotator')} added or changed"
    )
    if report.conflicts:
        say(
            f"{plural(len(report.conflicts), 'conflict')} left as they are here"
            " (--prefer other takes theirs, --prefer ours keeps these quietly):"
        )
        for line in report.conflicts:
            say(f"  {line}")


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The new backup file.")],
) -> None:
    """Copy the SQLite database to FILE, consistent even while others write.

    PostgreSQL: use pg_dump (pg_dump -Fc -f FILE DATABASE; pg_restore to restore).
    """
    with user_errors(), open_repo(ctx) as repo:
        size = repo.backup(file)
    say(f"backed up {repo.url} to {file} ({size:,} bytes)")


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check the database: SQLite's integrity and foreign keys, the unique rules, sentences,
    offsets, hostile strings. Exit code 1 when something is wrong."""
    from annotator.core.wording import plural
    from annotator.store.health import check_database

    with user_errors():
        where, findings = check_database(db_target(ctx))
    if not findings:
        say(f"{where}: no problems found")
        return
    say(f"{where}: {plural(len(findings), 'problem')} found")
    for line in findings:
        say(f"  {line}")
    raise typer.Exit(EXIT_PROBLEMS)
