"""The import service: files and folders in, one all-or-nothing store transaction out.

``annotator import`` and ``benchmarks/bench_import.py`` call :func:`run_import`; code that
holds a repository calls :func:`import_paths`. Everything is parsed and validated before the
database is touched, so one bad file or line aborts the whole import with one
:class:`ImportFileError` and nothing is written.

What is read: ``.txt`` and ``.md`` articles, ``.csv`` tables of articles and native ``.jsonl``;
a folder is walked recursively in sorted order, taking only those extensions and skipping hidden
files and folders. A document's external id is its path relative to the folder given (or its
file name), without the extension; CSV rows and JSONL lines use their own ``id`` or
``<that path>:<row or line>``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from annotator.core.scheme import Scheme
from annotator.core.scheme_loader import load_scheme
from annotator.io.build import build_document
from annotator.io.csv_rows import parse_csv_file
from annotator.io.errors import ImportFileError
from annotator.io.jsonl import parse_jsonl_file
from annotator.io.merge import Checked, fold
from annotator.io.plaintext import parse_text_file
from annotator.io.records import SourceRecord
from annotator.resources import default_scheme_path
from annotator.store.dto import NewDocument
from annotator.store.engine import resolve_db_target, sqlite_file, target_url
from annotator.store.repository import Repository

SUFFIXES = (".txt", ".md", ".csv", ".jsonl")


class ImportProgress(Protocol):
    """Receives progress: a phase starts with its total, then advances one item at a time."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, done: int) -> None:
        """``done`` items of the current phase are finished (a running count)."""
        ...


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to read: its path, how messages name it, and the base of its documents' ids."""

    path: Path
    display: str
    id_base: str


def _id_base(relative: Path) -> str:
    return relative.with_suffix("").as_posix()


def _display(given: str, relative: Path | None = None) -> str:
    return given if relative is None else os.path.join(given, *relative.parts)


def collect_files(
    paths: Sequence[str | os.PathLike[str]], skipped: list[str] | None = None
) -> list[SourceFile]:
    """The files to import, in order: each argument's files, folders walked sorted.

    A name in a folder that looks like a file to import but cannot be read as one (a
    symbolic link to nothing, a pipe) is left out and described in ``skipped``, so the
    summary can name it instead of dropping it silently.
    """
    passed: list[str] = [] if skipped is None else skipped
    if not paths:
        raise ImportFileError("import", "no paths given; name files or folders to import")
    files: list[SourceFile] = []
    for given in paths:
        shown = os.fspath(given)
        root = Path(shown).expanduser()
        if root.is_dir():
            odd: list[Path] = []
            found = sorted(
                (p.relative_to(root) for p in _walk(root, odd)), key=lambda rel: rel.as_posix()
            )
            for path in sorted(odd):
                what = "a symbolic link to nothing" if path.is_symlink() else "not a regular file"
                passed.append(f"{_display(shown, path.relative_to(root))} ({what})")
            if not found:
                raise ImportFileError(
                    shown, f"no {', '.join(SUFFIXES)} files in this folder; nothing to import"
                )
            files.extend(
                SourceFile(root / rel, _display(shown, rel), _id_base(rel)) for rel in found
            )
        elif root.is_file():
            if root.suffix.lower() not in SUFFIXES:
                raise ImportFileError(
                    shown,
                    f"cannot import {root.suffix or 'extension-less'} files; "
                    f"use {', '.join(SUFFIXES)}",
                )
            files.append(SourceFile(root, shown, root.stem))
        elif root.exists():
            raise ImportFileError(shown, "not a regular file or folder")
        else:
            raise ImportFileError(shown, "no such file or folder; check the path")
    return files


def _walk(root: Path, odd: list[Path]) -> Iterable[Path]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUFFIXES:
                path = Path(folder, name)
                if path.is_file():
                    yield path
                else:
                    odd.append(path)


def read_file(source: SourceFile) -> list[SourceRecord]:
    """The records of one file, by its extension."""
    suffix = source.path.suffix.lower()
    if suffix == ".csv":
        return parse_csv_file(source.path, source.display, source.id_base)
    if suffix == ".jsonl":
        return parse_jsonl_file(source.path, source.display, source.id_base)
    return [parse_text_file(source.path, source.display, source.id_base)]


def read_sources(
    paths: Sequence[str | os.PathLike[str]],
    progress: ImportProgress | None = None,
    skipped: list[str] | None = None,
) -> list[SourceRecord]:
    """Every record of every file under ``paths``, shape-checked; no scheme needed yet.
    Names left out of folders are described in ``skipped`` (see :func:`collect_files`)."""
    files = collect_files(paths, skipped)
    if progress is not None:
        progress.phase("reading", len(files))
    records: list[SourceRecord] = []
    for done, source in enumerate(files, 1):
        records.extend(read_file(source))
        if progress is not None:
            progress.advance(done)
    return records


def build_documents(
    records: Sequence[SourceRecord], scheme: Scheme, progress: ImportProgress | None = None
) -> list[Checked]:
    """Validated documents, one per distinct text.

    An id may appear twice only for the same text; records of the same text are folded into
    the first (see :mod:`annotator.io.merge`).
    """
    if progress is not None:
        progress.phase("checking", len(records))
    by_id: dict[str, tuple[SourceRecord, str]] = {}
    by_sha: dict[str, int] = {}
    checked: list[Checked] = []
    for done, record in enumerate(records, 1):
        document = build_document(record, scheme)
        earlier = by_id.setdefault(record.external_id, (record, document.sha256))
        if earlier[0] is not record and earlier[1] != document.sha256:
            raise ImportFileError(
                record.path,
                f"duplicate id {record.external_id!r} (first at {earlier[0].where}) with "
                "another text; give each document its own id",
                record.line,
            )
        at = by_sha.setdefault(document.sha256, len(checked))
        if at == len(checked):
            checked.append(Checked(document, record))
        else:
            checked[at] = fold(checked[at], document, record, scheme)
        if progress is not None:
            progress.advance(done)
    return checked


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did.

    ``skipped`` counts documents whose text was already stored or repeated in the import;
    ``skipped_annotations`` the annotations that came with texts already stored (not imported:
    the stored document keeps its own); ``skipped_files`` describes names in folders that
    could not be read as files (a symbolic link to nothing).
    """

    added: int
    annotations: int
    skipped: int
    skipped_annotations: int
    url: str
    notes: tuple[str, ...] = ()
    """What the input held but the import did not keep (another tool's formats), and what
    opening the database did (an upgrade, with its backup), one line each."""
    skipped_files: tuple[str, ...] = ()


def write_documents(
    repo: Repository,
    checked: Sequence[Checked],
    progress: ImportProgress | None = None,
    *,
    provenance: str | None = None,
) -> ImportReport:
    """Write the documents in one transaction; texts already stored are skipped.

    An id already used in the database by a different text is refused, naming the record.
    ``provenance`` (what was imported) is recorded on every imported annotation.
    """
    stored = repo.documents()
    stored_sha = {doc.sha256 for doc in stored}
    stored_ids = {doc.external_id for doc in stored}
    fresh: list[NewDocument] = []
    skipped = sum(item.folded for item in checked)
    skipped_annotations = 0
    for item in checked:
        document = item.document
        if document.sha256 in stored_sha:
            skipped += 1
            skipped_annotations += len(document.annotations)
            continue
        if document.external_id in stored_ids:
            raise ImportFileError(
                item.record.path,
                f"id {document.external_id!r} is already in the database with a different "
                "text; give this document another id",
                item.record.line,
            )
        fresh.append(document)
    on_progress: Callable[[int], None] | None = None
    if progress is not None:
        progress.phase("writing", len(fresh))
        on_progress = progress.advance
    result = repo.import_documents(fresh, on_progress=on_progress, provenance=provenance)
    return ImportReport(
        added=result.added,
        annotations=result.annotations,
        skipped=result.skipped + skipped,
        skipped_annotations=skipped_annotations,
        url=repo.url,
    )


def import_records(
    repo: Repository, records: Sequence[SourceRecord], progress: ImportProgress | None = None
) -> ImportReport:
    """Validate ``records`` against the database's scheme and write them in one transaction."""
    return write_documents(repo, build_documents(records, repo.scheme(), progress), progress)


def run_import(
    target: str | None,
    paths: Sequence[str | os.PathLike[str]],
    progress: ImportProgress | None = None,
    *,
    fmt: str | None = None,
    mapping: str | os.PathLike[str] | None = None,
    text_key: str | None = None,
    annotator: str | None = None,
) -> ImportReport:
    """The ``annotator import`` command: read, validate, open the database, write.

    Files are read and checked before the database is opened; a SQLite file that does not
    exist yet is created (bound to the bundled scheme) only once every record has passed, so a
    failed import leaves no file behind. ``fmt`` names another tool's format (see
    :mod:`annotator.io.formats.registry`), read with the label map ``mapping``, the task field
    ``text_key`` and the default ``annotator``.
    """
    if fmt is not None:
        from annotator.io.formats.importing import run_format_import

        return run_format_import(
            target,
            paths,
            progress,
            fmt=fmt,
            mapping=mapping,
            text_key=text_key,
            annotator=annotator,
        )
    skipped_files: list[str] = []
    records = read_sources(paths, progress, skipped_files)
    resolved = resolve_db_target(target)
    file = sqlite_file(target_url(resolved))
    documents: list[Checked] | None = None
    scheme: Scheme | None = None
    if file is not None and not file.exists():
        scheme = load_scheme(default_scheme_path())
        documents = build_documents(records, scheme, progress)
    with Repository.open(resolved) as repo:
        if documents is None or repo.scheme() != scheme:
            documents = build_documents(records, repo.scheme(), progress)
        provenance = "import " + " ".join(os.fspath(p) for p in paths)
        report = write_documents(repo, documents, progress, provenance=provenance)
        return replace(
            report,
            skipped_files=tuple(skipped_files),
            notes=(*repo.upgrade_notes, *report.notes),
        )


def import_paths(
    repo: Repository,
    paths: Sequence[str | os.PathLike[str]],
    progress: ImportProgress | None = None,
) -> ImportReport:
    """Read, validate and write everything under ``paths``: the whole import in one call."""
    skipped_files: list[str] = []
    records = read_sources(paths, progress, skipped_files)
    report = import_records(repo, records, progress)
    return replace(report, skipped_files=tuple(skipped_files))
