"""The flat CSV table that ``annotator export --format csv`` writes, read back.

The table holds one row per annotation (``document,annotator,layer,label,start,end,text,attrs,
origin``) but not the documents' texts: give them in the same command, as any native files
(``.txt``, ``.md``, ``.jsonl``, ``.csv`` of articles), matched by the document's id. Offsets
are code points into the canonical text, as exported; each row's ``text`` is checked against
it. An annotator with rows on a document is counted as having finished it, unless the texts'
own file says otherwise.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from annotator.io.errors import ImportFileError
from annotator.io.export import CSV_COLUMNS
from annotator.io.formats.common import ReadOptions, given_paths, read_raw
from annotator.io.formats.model import ReadResult
from annotator.io.importer import read_sources
from annotator.io.records import SourceAnnotation, SourceRecord
from annotator.store.dto import DocStatus


def _is_table(path: Path, shown: str) -> bool:
    if path.suffix.lower() != ".csv":
        return False
    first = read_raw(path, shown).lstrip("\ufeff").split("\n", 1)[0].strip()
    return [c.strip().lower() for c in first.split(",")] == list(CSV_COLUMNS)


def _rows(path: Path, shown: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(read_raw(path, shown).lstrip("\ufeff"), newline=""))
    rows: list[tuple[int, dict[str, str]]] = []
    line = 2
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(shown, f"broken CSV: {exc}; check its quotes", line) from None
    return rows


def _annotation(row: dict[str, str], shown: str, line: int) -> SourceAnnotation:
    try:
        start, end = int(row["start"]), int(row["end"])
    except (TypeError, ValueError):
        raise ImportFileError(shown, "start and end must be integers", line) from None
    try:
        attrs: Any = json.loads(row.get("attrs") or "{}")
    except json.JSONDecodeError as exc:
        raise ImportFileError(shown, f"attrs is broken JSON: {exc.msg}", line) from None
    if not isinstance(attrs, dict):
        raise ImportFileError(shown, "attrs must be a JSON object", line)
    origin = (row.get("origin") or "import").strip()
    if origin not in ("manual", "suggestion", "import", "adjudication"):
        raise ImportFileError(
            shown, f"origin {origin!r} is not one of manual, suggestion, import, adjudication", line
        )
    return SourceAnnotation(
        annotator=row.get("annotator") or "",
        layer=row.get("layer") or "",
        label=row.get("label") or "",
        start=start,
        end=end,
        text=row.get("text"),
        attrs=attrs,
        origin=origin,
    )


def read_csv_table(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """The tables' annotations attached to the texts given beside them."""
    tables: list[tuple[Path, str]] = []
    texts: list[str] = []
    for path, shown in given_paths(paths):
        if path.is_file() and _is_table(path, shown):
            tables.append((path, shown))
        else:
            texts.append(shown)
    if not tables:
        raise ImportFileError(
            paths[0] if paths else "import",
            f"no CSV table with the header {','.join(CSV_COLUMNS)}; give the table that "
            "`export --format csv` wrote",
        )
    if not texts:
        raise ImportFileError(
            tables[0][1], "the table holds no texts; give the documents' files too"
        )
    records = read_sources(texts)
    by_id: dict[str, int] = {}
    for index, record in enumerate(records):
        by_id.setdefault(record.external_id, index)
    added: dict[int, list[SourceAnnotation]] = {}
    for path, shown in tables:
        for line, row in _rows(path, shown):
            document = row.get("document") or ""
            if document not in by_id:
                raise ImportFileError(
                    shown,
                    f"document {document!r} is in none of the texts given; add its file",
                    line,
                )
            annotation = _annotation(row, shown, line)
            if not annotation.annotator.strip():
                raise ImportFileError(shown, "the annotator is empty", line)
            added.setdefault(by_id[document], []).append(annotation)
    result = ReadResult()
    for index, record in enumerate(records):
        extra = added.get(index, [])
        if not extra:
            result.records.append(record)
            continue
        status: dict[str, DocStatus] = dict(record.status)
        for annotation in extra:
            status.setdefault(annotation.annotator.strip(), "done")
        result.records.append(
            replace(record, annotations=(*record.annotations, *extra), status=status)
        )
    _ = SourceRecord
    return result
