"""Export to another tool's format: list what it cannot hold, then write all or nothing.

:func:`export_format` walks the database once, hands each document with its annotators' work to
the format's writer (into a staging file or folder) and collects every loss: a discontinuous
span PTC cannot hold, a note Label Studio has no place for, unfinished work that would read
back as finished. With losses and without ``force`` it raises :class:`LossesFound` and the
staging output is removed: nothing is written. ``annotators`` keeps only those people;
``gold`` only the gold: on each document, the adjudicator who marked it done last.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.wording import counted
from annotator.io.errors import ExportError
from annotator.io.export import (
    _check_annotators,
    _documents_with_annotations,
    gold_annotators,
    gold_documents,
)
from annotator.io.formats.common import new_file, new_folder
from annotator.io.formats.graph import count_losses, document_losses, label_names
from annotator.io.formats.registry import Format, get_format
from annotator.store.dto import Annotation
from annotator.store.engine import resolve_db_target, sqlite_file, target_url

if TYPE_CHECKING:
    from annotator.store.repository import Repository


class LossesFound(ExportError):
    """What the format cannot hold; ``losses`` has one line per kind of loss."""

    def __init__(self, format_name: str, losses: Sequence[str]) -> None:
        super().__init__(
            f"{format_name} cannot hold everything in this export"
            f" ({counted(len(losses), 'kind(s)')} of loss listed above); nothing was written;"
            " pass --force to write it anyway"
        )
        self.losses = list(losses)


@dataclass(slots=True)
class ExportReport:
    """What an export wrote (or would have) and what it lost."""

    documents: int = 0
    files: int = 0
    annotations: int = 0
    losses: list[str] = field(default_factory=list)


def selected_annotators(
    repo: Repository, annotators: Sequence[str] | None, *, gold: bool
) -> list[str] | None:
    """The annotators an export keeps (None: everyone); ``gold``: the adjudicators only."""
    if not gold:
        return _check_annotators(repo, annotators)
    return gold_annotators(repo, annotators)


def export_format(
    repo: Repository,
    fmt: Format,
    output: Path,
    *,
    annotators: Sequence[str] | None = None,
    gold: bool = False,
    force: bool = False,
    on_document: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the database (or the chosen annotators' work) as ``fmt`` to ``output``."""
    if fmt.writer is None:
        raise ExportError(f"cannot export to {fmt.name}")
    names = selected_annotators(repo, annotators, gold=gold)
    chosen = gold_documents(repo, annotators) if gold else None
    labels = label_names(repo.scheme())
    statuses = repo.statuses()
    report = ExportReport()
    lost: list[tuple[str, str]] = []
    people: set[str] = set()
    staging = new_folder(output) if fmt.output == "folder" else new_file(output)
    with staging as path:
        writer = fmt.writer(path, labels)
        for document, found in _documents_with_annotations(repo, names, on_document, chosen):
            status = {
                name: state
                for name, state in statuses.get(document.id, {}).items()
                if (names is None or name in names)
                and (chosen is None or name == chosen.get(document.id))
            }
            per: dict[str, list[Annotation]] = defaultdict(list)
            for annotation in found:
                per[annotation.annotator].append(annotation)
            who = sorted(set(per) | {name for name, state in status.items() if state != "todo"})
            if not who:
                continue
            people.update(who)
            lost.extend(
                (document.external_id, what) for what in document_losses(per, status, fmt.holds)
            )
            writer.add(document, [(name, per.get(name, [])) for name in who], status)
            report.documents += 1
            report.annotations += len(found)
        if fmt.one_annotator and len(people) > 1:
            raise ExportError(
                f"{fmt.name} files hold one set of labels, but {len(people)} annotators have "
                f"work here ({', '.join(sorted(people))}); choose one with --annotator NAME "
                "or --gold"
            )
        writer.close()
        lost.extend(getattr(writer, "losses", []))
        report.losses = count_losses(lost)
        if report.losses and not force:
            raise LossesFound(fmt.name, report.losses)
    report.files = sum(len(files) for _, _, files in os.walk(output)) if output.is_dir() else 1
    return report


def run_export(
    target: str | None,
    format_name: str,
    output: str | os.PathLike[str],
    *,
    annotators: Sequence[str] | None = None,
    gold: bool = False,
    force: bool = False,
    on_document: Callable[[int], None] | None = None,
) -> ExportReport:
    """The ``annotator export --format F -o PATH`` command for another tool's format."""
    from annotator.store.repository import Repository

    fmt = get_format(format_name, for_export=True)
    resolved = resolve_db_target(target)
    file = sqlite_file(target_url(resolved))
    if file is not None and not file.exists():
        raise ExportError(f"no database at {file}; import something first or point --db at one")
    with Repository.open(resolved) as repo:
        return export_format(
            repo,
            fmt,
            Path(output),
            annotators=annotators,
            gold=gold,
            force=force,
            on_document=on_document,
        )
