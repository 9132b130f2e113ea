"""The native JSONL format: one document per line, with its segments, statuses and annotations.

A line is a JSON object::

    {"id": str, "title": str, "text": str, "meta": {...},
     "segments": [[start, end], ...],
     "status": {"<annotator>": "todo" | "in_progress" | "done"},
     "annotations": [{"annotator": str, "layer": str, "label": str, "start": int, "end": int,
                      "text": str, "attrs": {...}, "origin": str}, ...]}

Only ``text`` is required. Offsets are Unicode code points, half-open, into ``text``.
:func:`parse_jsonl_file` checks the shape of each line; :mod:`annotator.io.build` checks the
offsets and labels. :func:`document_line` writes one exported line in a fixed key order, so that
export -> import -> export is byte-identical. The JSON Schema is
``schemas/annotations.schema.json``.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, get_args

from annotator.core.text import canonicalize
from annotator.io.decode import read_utf8
from annotator.io.errors import ImportFileError
from annotator.io.records import SourceAnnotation, SourceRecord
from annotator.service.checks import MAX_JSON_DEPTH
from annotator.store.dto import Annotation, DocStatus, Document, Origin

DOCUMENT_KEYS = ("id", "title", "text", "meta", "segments", "status", "annotations")
ANNOTATION_KEYS = ("annotator", "layer", "label", "start", "end", "text", "attrs", "origin")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
STATUSES: tuple[str, ...] = get_args(DocStatus)
ORIGINS: tuple[str, ...] = get_args(Origin)


class _Bad(Exception):
    """A shape error inside one line; the caller adds the file and line."""


def _no_constant(name: str) -> float:
    raise _Bad(f"{name} is not JSON; write a number or null")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Bad(f"number {text} is too large; write a smaller number or a string")
    return value


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _string(obj: Mapping[str, Any], key: str, what: str, *, required: bool) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise _Bad(f"{what}has no {key!r}; add it")
        return None
    if not isinstance(value, str):
        raise _Bad(f"{what}{key!r} must be a string, not {type(value).__name__}")
    return value


def _object(obj: Mapping[str, Any], key: str, what: str) -> dict[str, Any]:
    value = obj.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _Bad(f"{what}{key!r} must be an object, not {type(value).__name__}")
    return value


def _check_keys(obj: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
    for key in obj:
        if key not in allowed:
            raise _Bad(f"{what}unknown field {key!r}; expected only {', '.join(allowed)}")


def _segments(value: object) -> tuple[tuple[int, int], ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise _Bad(f"'segments' must be a list of [start, end] pairs, not {type(value).__name__}")
    pairs: list[tuple[int, int]] = []
    for index, pair in enumerate(value, 1):
        if not (isinstance(pair, list) and len(pair) == 2 and all(_is_int(x) for x in pair)):
            raise _Bad(f"segment {index}: expected [start, end] integers, got {json.dumps(pair)}")
        pairs.append((pair[0], pair[1]))
    return tuple(pairs)


def _status(value: dict[str, Any]) -> dict[str, DocStatus]:
    status: dict[str, DocStatus] = {}
    for name, state in value.items():
        if not name.strip():
            raise _Bad("'status' has an empty annotator name")
        if state not in STATUSES:
            raise _Bad(
                f"status of {name!r} is {json.dumps(state)}; use one of {', '.join(STATUSES)}"
            )
        status[name] = state
    return status


def _annotation(index: int, value: object) -> SourceAnnotation:
    what = f"annotation {index}: "
    if not isinstance(value, dict):
        raise _Bad(f"{what}must be an object, not {type(value).__name__}")
    _check_keys(value, ANNOTATION_KEYS, what)
    annotator = _string(value, "annotator", what, required=True) or ""
    if not annotator.strip():
        raise _Bad(f"{what}'annotator' is empty; name who made it")
    layer = _string(value, "layer", what, required=True) or ""
    label = _string(value, "label", what, required=True) or ""
    offsets = []
    for key in ("start", "end"):
        if key not in value:
            raise _Bad(f"{what}has no {key!r}; add it")
        if not _is_int(value[key]):
            raise _Bad(f"{what}{key!r} must be an integer, got {json.dumps(value[key])}")
        offsets.append(value[key])
    attrs = _object(value, "attrs", what)
    _check_fragments(attrs.get("fragments"), offsets[0], offsets[1], what)
    origin = _string(value, "origin", what, required=False) or "import"
    if origin not in ORIGINS:
        raise _Bad(f"{what}origin {origin!r} is not one of {', '.join(ORIGINS)}")
    return SourceAnnotation(
        annotator=annotator,
        layer=layer,
        label=label,
        start=offsets[0],
        end=offsets[1],
        text=_string(value, "text", what, required=False),
        attrs=attrs,
        origin=origin,
    )


def _check_fragments(fragments: object, start: int, end: int, what: str) -> None:
    """A discontinuous span's ``attrs.fragments``: sorted, disjoint ``[s, e]`` pieces that
    start at ``start`` and end at ``end`` (the outer bounds)."""
    if fragments is None:
        return
    pairs = fragments if isinstance(fragments, list) else []
    good = len(pairs) >= 2 and all(
        isinstance(p, list) and len(p) == 2 and all(_is_int(x) for x in p) and p[0] < p[1]
        for p in pairs
    )
    if good:
        good = (
            pairs[0][0] == start
            and pairs[-1][1] == end
            and all(a[1] <= b[0] for a, b in itertools.pairwise(pairs))
        )
    if not good:
        raise _Bad(
            f"{what}attrs.fragments must be two or more sorted, disjoint [start, end] pieces "
            f"from {start} to {end}, got {json.dumps(fragments)}"
        )


def parse_document_line(obj: object, default_id: str) -> dict[str, Any]:
    """The fields of one decoded line, shape-checked; raises ``_Bad`` with the reason."""
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object per line, got {type(obj).__name__}")
    _check_keys(obj, DOCUMENT_KEYS, "")
    text = _string(obj, "text", "", required=True) or ""
    if not canonicalize(text).strip():  # "\x1f" is blank to str.strip(), U+FFFD once stored
        raise _Bad("'text' is empty")
    external_id = _string(obj, "id", "", required=False)
    if external_id is not None and not external_id.strip():
        raise _Bad("'id' is empty; give the document an id or leave the field out")
    external_id = external_id or default_id
    annotations = obj.get("annotations")
    if annotations is None:
        annotations = []
    if not isinstance(annotations, list):
        raise _Bad(f"'annotations' must be a list, not {type(annotations).__name__}")
    return {
        "external_id": external_id,
        "title": _string(obj, "title", "", required=False) or external_id,
        "text": text,
        "meta": _object(obj, "meta", ""),
        "segments": _segments(obj.get("segments")),
        "status": _status(_object(obj, "status", "")),
        "annotations": tuple(_annotation(i, a) for i, a in enumerate(annotations, 1)),
    }


def parse_jsonl_file(path: Path, display: str, id_base: str) -> list[SourceRecord]:
    """The documents of one native JSONL file; blank lines are allowed and ignored."""
    records: list[SourceRecord] = []
    for number, line in enumerate(read_utf8(path, display).split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_constant=_no_constant, parse_float=_finite_float)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                display, f"broken JSON: {exc.msg} at column {exc.colno}; fix the line", number
            ) from None
        except _Bad as exc:
            raise ImportFileError(display, str(exc), number) from None
        except RecursionError:
            raise ImportFileError(
                display,
                f"the JSON is nested too deeply to read (meta and attrs may nest at most"
                f" {MAX_JSON_DEPTH} levels); flatten it",
                number,
            ) from None
        except ValueError:  # Python reads integers of at most 4,300 digits
            raise ImportFileError(
                display, "a number has more than 4,300 digits; write it as a string", number
            ) from None
        if _ESCAPED_SURROGATE.search(line):
            try:
                json.dumps(obj, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise ImportFileError(
                    display,
                    "an unpaired \\uD800-\\uDFFF escape is not a character; "
                    "write the character itself or a valid surrogate pair",
                    number,
                ) from None
        try:
            fields = parse_document_line(obj, f"{id_base}:{number}")
        except _Bad as exc:
            raise ImportFileError(display, str(exc), number) from None
        records.append(SourceRecord(path=display, line=number, **fields))
    if not records:
        raise ImportFileError(display, "the file has no documents")
    return records


def sorted_keys(value: Any) -> Any:
    """``value`` with every mapping's keys sorted, for output that does not depend on storage."""
    if isinstance(value, Mapping):
        return {str(k): sorted_keys(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [sorted_keys(v) for v in value]
    return value


def document_record(
    document: Document, annotations: Iterable[Annotation], status: Mapping[str, DocStatus]
) -> dict[str, Any]:
    """The native record of a document, keys in the order of :data:`DOCUMENT_KEYS`."""
    text = document.text
    return {
        "id": document.external_id,
        "title": document.title,
        "text": text,
        "meta": sorted_keys(document.meta),
        "segments": [[start, end] for start, end in document.segments],
        "status": {name: status[name] for name in sorted(status)},
        "annotations": [
            {
                "annotator": a.annotator,
                "layer": a.layer,
                "label": a.label,
                "start": a.start,
                "end": a.end,
                "text": text[a.start : a.end],
                "attrs": sorted_keys(a.attrs),
                "origin": a.origin,
            }
            for a in annotations
        ],
    }


def document_line(
    document: Document, annotations: Iterable[Annotation], status: Mapping[str, DocStatus]
) -> str:
    """One exported JSONL line (without its newline): UTF-8 as is, fixed key order."""
    record = document_record(document, annotations, status)
    return json.dumps(record, ensure_ascii=False, sort_keys=False)
