"""What the ``annotate``, ``demo`` and bare ``annotator`` commands do, minus argument parsing.

Each function returns nothing or raises :class:`LaunchError`, whose ``str()`` is the one line
the CLI prints before exiting non-zero.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.theme import BUILTIN_THEMES

from annotator.resources import examples_dir
from annotator.tui.app import make_adjudicate_app, make_app, make_opening_app
from annotator.tui.bindings import binding_ids
from annotator.tui.config import ConfigError, TuiConfig, config_path, load_config

if TYPE_CHECKING:
    from annotator.core.scheme import Scheme
    from annotator.store.repository import Repository

DEMO_DB = "demo.db"
DEMO_REVIEWER = "you"
REVIEWS_FILE = "reviews.jsonl"
ARTICLE_SUFFIXES = (".txt", ".md")


class LaunchError(Exception):
    """The app cannot start; ``str()`` says why and how to fix it, in one line."""


def read_config(path: str | Path | None) -> TuiConfig:
    """The settings file, checked; a theme must be one Textual ships."""
    try:
        config = load_config(path)
    except ConfigError as error:
        raise LaunchError(str(error)) from None
    if config.theme not in BUILTIN_THEMES:
        names = ", ".join(sorted(BUILTIN_THEMES))
        raise LaunchError(
            f"{config_path(path)}: unknown theme {config.theme!r}; choose one of {names}"
        )
    return config


def check_keymap(config: TuiConfig, scheme: Scheme, path: str | Path | None) -> None:
    """Refuse a keymap entry that names no binding (a typo would otherwise do nothing)."""
    if not config.keymap:
        return  # spares importing every screen (and the report) before the first paint
    known = binding_ids(scheme)
    for binding_id in config.keymap:
        if binding_id not in known:
            raise LaunchError(
                f"{config_path(path)}: keymap: no key has the id {binding_id!r};"
                " press ? in the app to see the ids"
            )


def reviewer_name(name: str) -> str:
    """A ``--as`` value, trimmed; refused when empty."""
    if not name.strip():
        raise LaunchError("--as: give the reviewer's name, e.g. --as ana")
    return name.strip()


def annotate(
    repo: Repository,
    annotator: str,
    *,
    doc: str | None = None,
    config_path: str | Path | None = None,
) -> None:
    """Run the terminal UI on ``repo`` as ``annotator`` (created when new).

    ``doc`` names the document to open by the rulebook's one rule for ``--doc``; an unknown
    one raises the rulebook's ``NotFound``, with its message.
    """
    from annotator.service.documents import resolve_document

    name = reviewer_name(annotator)
    config = read_config(config_path)
    check_keymap(config, repo.scheme(), config_path)
    document_id = None if doc is None else resolve_document(repo, doc).id
    make_app(repo, config, annotator=name, document_id=document_id).run()


def adjudicate(
    repo: Repository,
    adjudicator: str,
    *,
    doc: str | None = None,
    config_path: str | Path | None = None,
) -> None:
    """Run the terminal UI on ``repo`` as ``adjudicator`` (who must have that role); ``doc``
    as for :func:`annotate`."""
    from annotator.service.documents import resolve_document

    name = reviewer_name(adjudicator)
    config = read_config(config_path)
    check_keymap(config, repo.scheme(), config_path)
    document_id = None if doc is None else resolve_document(repo, doc).id
    make_adjudicate_app(repo, config, adjudicator=name, document_id=document_id).run()


def annotate_last(repo: Repository, *, config_path: str | Path | None = None) -> None:
    """Run the terminal UI as whoever annotated last in this database."""
    name = repo.last_annotator()
    if name is None:
        raise LaunchError(
            f"{repo.url}: nobody has annotated here yet; start with `annotator annotate --as NAME`"
            " (or try `annotator demo`)"
        )
    annotate(repo, name, config_path=config_path)


def demo_sources(folder: Path) -> tuple[list[Path], list[Path]]:
    """The reviews file(s) and the plain articles of the bundled examples folder."""
    reviews = [folder / REVIEWS_FILE] if (folder / REVIEWS_FILE).is_file() else []
    articles = sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix in ARTICLE_SUFFIXES and not path.name.startswith(".")
    )
    return reviews, articles


def build_demo(path: Path) -> Repository:
    """A fresh demo database: the sample articles, and two reviewers' annotations of them.

    The reviews are imported first, so an article they already carry is skipped when its
    plain-text copy comes next (the store skips texts it already holds).
    """
    from annotator.io.importer import import_paths
    from annotator.store.repository import Repository

    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        stale.unlink(missing_ok=True)
    repo = Repository.open(str(path))
    try:
        reviews, articles = demo_sources(examples_dir())
        if reviews:
            import_paths(repo, reviews)
        if articles:
            import_paths(repo, articles)
    except BaseException:
        repo.close()
        raise
    return repo


def open_demo(path: Path, *, fresh: bool = False) -> Repository:
    """The demo database: built on first use, then reopened with the work done in it.

    Rebuilding it every time would throw away what a newcomer annotated in their first try;
    ``fresh`` asks for exactly that.
    """
    if path.exists() and not fresh:
        from annotator.store.repository import Repository

        return Repository.open(str(path))
    return build_demo(path)


def demo(
    path: str | os.PathLike[str] = DEMO_DB,
    *,
    config_path: str | Path | None = None,
    fresh: bool = False,
) -> None:
    """Open ``demo.db`` (built on first use, or afresh) as a third reviewer, ``you``.

    An existing ``demo.db`` is opened after the documents screen has painted (the first read
    opens it, off the UI thread); a store that fails to open closes the app and is raised here.
    """
    config = read_config(config_path)
    where = Path(path)
    if where.exists() and not fresh and not config.keymap:
        app = make_opening_app(lambda: open_demo(where), config, annotator=DEMO_REVIEWER)
        try:
            app.run()
        finally:
            app.session.writer.close()
            app.session.close()
        if app.session.failure is not None:
            raise app.session.failure
        return
    repo = open_demo(where, fresh=fresh)
    try:
        check_keymap(config, repo.scheme(), config_path)
        make_app(repo, config, annotator=DEMO_REVIEWER).run()
    finally:
        repo.close()
