"""CSV files of articles: one row, one document.

The header must name a ``text`` column; ``id`` and ``title`` columns are optional (header names
are matched case-insensitively) and every other column goes to the document's ``meta``. Quoting
follows the ``csv`` module's defaults (RFC 4180: fields may hold commas, quotes and newlines).
A row without an id gets ``<file>:<row>``, ``row`` counting data rows from 1.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

from annotator.io.decode import read_utf8
from annotator.io.errors import ImportFileError
from annotator.io.records import SourceRecord

# An article can be far longer than the csv module's default 128 KiB field limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def parse_csv_file(path: Path, display: str, id_base: str) -> list[SourceRecord]:
    """The documents of one CSV file, each remembering the line its row starts on."""
    reader = csv.reader(io.StringIO(read_utf8(path, display), newline=""), strict=True)
    next_line = 1  # where the row being read starts
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError(display, "the file is empty", 1)
        columns = [name.strip() for name in header]
        lowered = [name.lower() for name in columns]
        for index, name in enumerate(lowered):
            if not name:
                raise ImportFileError(
                    display, f"column {index + 1} of the header has no name; name it", 1
                )
            if lowered.index(name) != index:
                raise ImportFileError(
                    display, f"column {columns[index]!r} appears twice in the header", 1
                )
        if "text" not in lowered:
            raise ImportFileError(
                display,
                f"no 'text' column in the header ({', '.join(columns)}); "
                "name the column that holds the article 'text'",
                1,
            )
        text_at = lowered.index("text")
        id_at = lowered.index("id") if "id" in lowered else None
        title_at = lowered.index("title") if "title" in lowered else None
        meta_at = [i for i in range(len(columns)) if i not in (text_at, id_at, title_at)]
        records: list[SourceRecord] = []
        row_number = 0
        next_line = reader.line_num + 1
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            row_number += 1
            if len(row) != len(columns):
                raise ImportFileError(
                    display,
                    f"row has {len(row)} fields but the header has {len(columns)}; "
                    "quote fields that contain commas",
                    line,
                )
            text = row[text_at]
            if not text.strip():
                raise ImportFileError(display, "the 'text' field is empty", line)
            external_id = row[id_at].strip() if id_at is not None else ""
            external_id = external_id or f"{id_base}:{row_number}"
            title = row[title_at].strip() if title_at is not None else ""
            meta = {columns[i]: row[i] for i in meta_at}
            records.append(
                SourceRecord(
                    path=display,
                    line=line,
                    external_id=external_id,
                    title=title or external_id,
                    text=text,
                    meta=meta,
                )
            )
    except csv.Error as exc:
        raise ImportFileError(
            display, f"broken CSV in the row starting here: {exc}; check its quotes", next_line
        ) from None
    if not records:
        raise ImportFileError(display, "the file has a header but no rows", 1)
    return records
