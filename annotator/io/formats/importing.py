"""Import from another tool's format: read, map labels, then the native check-and-write path.

The reader decodes the files; :mod:`annotator.io.formats.resolve` carries offsets through
canonicalization and applies the label map once the database's scheme is known; the records
then go through :func:`annotator.io.importer.build_documents` and ``write_documents`` exactly
as a native file's do, in one all-or-nothing transaction.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from annotator.core.scheme import Scheme
from annotator.core.scheme_loader import load_scheme
from annotator.io.formats.common import ReadOptions
from annotator.io.formats.labelmap import LabelMap, load_label_map
from annotator.io.formats.model import ReadResult
from annotator.io.formats.registry import get_format
from annotator.io.formats.resolve import Resolution, resolve_documents
from annotator.io.importer import ImportProgress, ImportReport, build_documents, write_documents
from annotator.io.merge import Checked
from annotator.resources import default_scheme_path
from annotator.store.engine import resolve_db_target, sqlite_file, target_url
from annotator.store.repository import Repository


def read_format(
    fmt: str,
    paths: Sequence[str | os.PathLike[str]],
    *,
    annotator: str | None = None,
    text_key: str | None = None,
) -> ReadResult:
    """What the files under ``paths`` hold, read as format ``fmt``; no scheme needed yet."""
    reader = get_format(fmt, for_export=False).reader
    assert reader is not None  # get_format checked it
    return reader([os.fspath(p) for p in paths], ReadOptions(annotator, text_key))


def resolve(
    read: ReadResult, scheme: Scheme, mapping: str | os.PathLike[str] | None = None
) -> Resolution:
    """The records of ``read`` for ``scheme``, labels mapped through the map file if any."""
    labels = load_label_map(Path(mapping), scheme) if mapping is not None else LabelMap.empty()
    resolution = resolve_documents(read.documents, scheme, labels)
    return Resolution([*resolution.records, *read.records], [*read.notes, *resolution.notes])


def _checked(
    read: ReadResult,
    scheme: Scheme,
    mapping: str | os.PathLike[str] | None,
    progress: ImportProgress | None,
) -> tuple[list[Checked], list[str]]:
    resolution = resolve(read, scheme, mapping)
    return build_documents(resolution.records, scheme, progress), resolution.notes


def import_format(
    repo: Repository,
    fmt: str,
    paths: Sequence[str | os.PathLike[str]],
    *,
    mapping: str | os.PathLike[str] | None = None,
    text_key: str | None = None,
    annotator: str | None = None,
    progress: ImportProgress | None = None,
) -> ImportReport:
    """Read ``paths`` as ``fmt`` and write them to ``repo`` in one transaction."""
    read = read_format(fmt, paths, annotator=annotator, text_key=text_key)
    checked, notes = _checked(read, repo.scheme(), mapping, progress)
    report = write_documents(repo, checked, progress, provenance=_provenance(fmt, paths))
    return replace(report, notes=tuple(notes))


def _provenance(fmt: str, paths: Sequence[str | os.PathLike[str]]) -> str:
    return f"import --format {fmt} " + " ".join(os.fspath(p) for p in paths)


def run_format_import(
    target: str | None,
    paths: Sequence[str | os.PathLike[str]],
    progress: ImportProgress | None = None,
    *,
    fmt: str,
    mapping: str | os.PathLike[str] | None = None,
    text_key: str | None = None,
    annotator: str | None = None,
) -> ImportReport:
    """``annotator import --format F``: everything is read and checked before a new SQLite
    file is created, so a failed import leaves none behind."""
    read = read_format(fmt, paths, annotator=annotator, text_key=text_key)
    resolved = resolve_db_target(target)
    file = sqlite_file(target_url(resolved))
    done: tuple[list[Checked], list[str]] | None = None
    scheme: Scheme | None = None
    if file is not None and not file.exists():
        scheme = load_scheme(default_scheme_path())
        done = _checked(read, scheme, mapping, progress)
    with Repository.open(resolved) as repo:
        if done is None or repo.scheme() != scheme:
            done = _checked(read, repo.scheme(), mapping, progress)
        checked, notes = done
        report = write_documents(repo, checked, progress, provenance=_provenance(fmt, paths))
    return replace(report, notes=tuple(notes))
