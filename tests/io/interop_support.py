"""Helpers for the format tests: write files, export and import through the io layer."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from annotator.io.export import export_jsonl
from annotator.io.formats.exporting import ExportReport, export_format
from annotator.io.formats.importing import import_format
from annotator.io.formats.registry import get_format
from annotator.io.importer import ImportReport
from annotator.store.repository import Repository


def put(path: Path, content: str | bytes) -> Path:
    """Write ``content`` byte for byte (no newline translation)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def native(repo: Repository) -> list[dict[str, Any]]:
    """The database as native JSONL records."""
    out = io.StringIO()
    export_jsonl(repo, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without what an import records about itself (origin manual/import)."""
    result = []
    for record in records:
        record = dict(record)
        record["annotations"] = [
            {**a, "origin": "import" if a["origin"] == "manual" else a["origin"]}
            for a in record["annotations"]
        ]
        result.append(record)
    return result


def imported(fmt: str, *paths: Path, **options: Any) -> tuple[Repository, ImportReport]:
    repo = Repository.in_memory()
    report = import_format(repo, fmt, list(paths), **options)
    return repo, report


def exported(repo: Repository, fmt: str, out: Path, **options: Any) -> ExportReport:
    return export_format(repo, get_format(fmt, for_export=True), out, **options)


def files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path -> text), for byte-for-byte comparison."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
