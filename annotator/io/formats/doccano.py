"""doccano JSONL: one document per line, in any of the shapes doccano has exported.

* ``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (sequence labelling; a list of
  strings instead is a classification: document labels);
* ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}],
  "relations": [{"id", "from_id", "to_id", "type"}]}`` (relation extraction);
* ``{"text": ..., "annotations": [{"label", "start_offset", "end_offset", "user"}]}`` (before
  1.0; ``label`` is often a label *id*: map ids with ``--map``, e.g. ``3: loaded/emotive``).

doccano exports one file per user (``<user>.jsonl``), so a file's annotations are its stem's
unless ``--annotator`` is given or a line names its ``user`` (``doccano-<id>``). A line with
labels marks the document done for their annotator. The text is taken as is, whitespace and
all: doccano strips nothing from an export, and a span's edge whitespace is kept.

doccano spans carry no text to check offsets against. Where the text has CRLF line ends or
characters outside the BMP, the offsets may count code points, UTF-16 units or the text as the
browser shows it (LF): the first of these under which no span edge splits a word is used, and
code points if none fits every span.

The writer makes ``<annotator>.jsonl`` per annotator with ``entities`` and ``relations``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.io.errors import ImportFileError
from annotator.io.formats.common import ReadOptions, display, given_paths, read_raw, walk
from annotator.io.formats.graph import RELATIONS, SPAN_ATTRIBUTES, build_graph
from annotator.io.formats.label_studio import _conventions
from annotator.io.formats.model import Choice, Entity, ForeignDocument, Link, ReadResult
from annotator.store.dto import Annotation, DocStatus, Document

HOLDS = frozenset({RELATIONS, SPAN_ATTRIBUTES})


class _Bad(Exception):
    pass


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _splits_word(raw: str, offset: int) -> bool:
    return 0 < offset < len(raw) and raw[offset - 1].isalnum() and raw[offset].isalnum()


def _convention(raw: str, spans: list[tuple[int, int]]) -> Callable[[int], int | None]:
    conventions = _conventions(raw)
    if len(conventions) == 1 or not spans:
        return conventions[0][1]
    best: tuple[int, int] | None = None
    chosen = conventions[0][1]
    for rank, (_, to_raw) in enumerate(conventions):
        bad = 0
        for start, end in spans:
            s, e = to_raw(start), to_raw(end)
            if s is None or e is None or s >= e:
                bad += 2
                continue
            bad += _splits_word(raw, s) + _splits_word(raw, e)
        if bad == 0:
            return to_raw
        if best is None or (bad, rank) < best:
            best, chosen = (bad, rank), to_raw
    return conventions[0][1] if best is not None and best[0] else chosen


def _spans(obj: dict[str, Any], user: str) -> list[tuple[str, Any, Any, Any, str, Any]]:
    """``(key, label, start, end, annotator, id)`` of every span of a line, in any shape."""
    found: list[tuple[str, Any, Any, Any, str, Any]] = []
    labels = obj.get("label", obj.get("labels"))
    if isinstance(labels, list) and labels and all(isinstance(x, list) for x in labels):
        for index, item in enumerate(labels):
            if len(item) != 3 or not (_is_int(item[0]) and _is_int(item[1])):
                raise _Bad(f"label {index}: expected [start, end, label], got {json.dumps(item)}")
            found.append((f"l{index}", item[2], item[0], item[1], user, None))
    for index, item in enumerate(obj.get("entities") or []):
        if not isinstance(item, dict):
            raise _Bad(f"entity {index} is not an object")
        start, end = item.get("start_offset"), item.get("end_offset")
        if not (_is_int(start) and _is_int(end)):
            raise _Bad(f"entity {index} has no integer start_offset and end_offset")
        key = f"e{item.get('id', index)}"
        found.append((key, item.get("label"), start, end, user, item.get("id")))
    for index, item in enumerate(obj.get("annotations") or []):
        if not isinstance(item, dict):
            raise _Bad(f"annotation {index} is not an object")
        start, end = item.get("start_offset"), item.get("end_offset")
        if not (_is_int(start) and _is_int(end)):
            continue  # a classification annotation (label only): handled as a choice
        who = f"doccano-{item['user']}" if item.get("user") is not None else user
        found.append((f"a{index}", item.get("label"), start, end, who, item.get("id")))
    return found


def _document(obj: Any, line: int, shown: str, id_base: str, user: str) -> ForeignDocument:
    if not isinstance(obj, dict):
        raise _Bad(f"expected a JSON object per line, got {type(obj).__name__}")
    raw = obj.get("text", obj.get("data"))
    if not isinstance(raw, str) or not raw.strip():
        raise _Bad("the line has no 'text'")
    ident = obj.get("id")
    external_id = str(ident) if isinstance(ident, str) and ident.strip() else f"{id_base}:{line}"
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    document = ForeignDocument(shown, line, external_id, raw, meta=dict(meta or {}))
    spans = _spans(obj, user)
    to_raw = _convention(raw, [(s, e) for _, _, s, e, _, _ in spans])
    for key, label, start, end, who, _ in spans:
        if label is None or (isinstance(label, str) and not label.strip()):
            raise _Bad(f"span [{start}, {end}) has no label")
        s, e = to_raw(start), to_raw(end)
        if s is None or e is None or not 0 <= s < e <= len(raw):
            raise _Bad(
                f"span [{start}, {end}) is empty or outside the text ({len(raw)} characters)"
            )
        document.entities.append(Entity(key, who, str(label), ((s, e),), line))
        if who not in document.done:
            document.done.append(who)
    for index, item in enumerate(obj.get("relations") or []):
        if not isinstance(item, dict):
            raise _Bad(f"relation {index} is not an object")
        source, target = f"e{item.get('from_id')}", f"e{item.get('to_id')}"
        keys = {key for key, *_ in spans}
        for end_key, name in ((source, "from_id"), (target, "to_id")):
            if end_key not in keys:
                raise _Bad(f"relation {index}: {name} {item.get(name)!r} is not an entity id")
        document.links.append(Link(user, str(item.get("type", "")), source, target, line))
    labels = obj.get("label", obj.get("labels"))
    if isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels):
        document.choices.append(Choice(user, "label", list(labels), line))
        document.done.append(user)
    for item in obj.get("annotations") or []:
        if isinstance(item, dict) and not _is_int(item.get("start_offset")):
            who = f"doccano-{item['user']}" if item.get("user") is not None else user
            document.choices.append(Choice(who, "label", [str(item.get("label"))], line))
            if who not in document.done:
                document.done.append(who)
    return document


def read_doccano(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """Every line of the doccano JSONL files under ``paths``."""
    result = ReadResult()
    for path, shown in given_paths(paths):
        files = (
            [(path, shown)]
            if path.is_file()
            else [(f, display(shown, path, f)) for f in walk(path, (".jsonl", ".json"))]
        )
        if not files:
            raise ImportFileError(shown, "no .jsonl files in this folder; nothing to import")
        for file, file_shown in files:
            user = (options.annotator or "").strip() or file.stem
            content = read_raw(file, file_shown).lstrip("\ufeff")
            for number, line in enumerate(content.split("\n"), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ImportFileError(
                        file_shown,
                        f"broken JSON: {exc.msg} at column {exc.colno}; fix the line",
                        number,
                    ) from None
                try:
                    result.documents.append(_document(obj, number, file_shown, file.stem, user))
                except _Bad as exc:
                    raise ImportFileError(file_shown, str(exc), number) from None
    return result


class DoccanoWriter:
    """``<annotator>.jsonl`` per annotator, lines in the ``entities``/``relations`` shape."""

    def __init__(self, folder: Path, names: Mapping[tuple[str, str], str]) -> None:
        self._folder = folder
        self._names = dict(names)
        self._files: dict[str, Any] = {}

    def _file(self, annotator: str) -> Any:
        handle = self._files.get(annotator)
        if handle is None:
            if "/" in annotator or annotator.startswith("."):
                from annotator.io.errors import ExportError

                raise ExportError(f"annotator name {annotator!r} cannot be a file name")
            handle = (self._folder / f"{annotator}.jsonl").open("w", encoding="utf-8", newline="")
            self._files[annotator] = handle
        return handle

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None:
        for annotator, found in per_annotator:
            if not found:
                continue
            graph = build_graph(found, self._names, span_attrs_as="relation")
            number = {entity.key: index for index, entity in enumerate(graph.entities, 1)}
            line = {
                "id": document.external_id,
                "text": document.text,
                "entities": [
                    {
                        "id": number[e.key],
                        "label": e.label,
                        "start_offset": e.start,
                        "end_offset": e.end,
                    }
                    for e in graph.entities
                ],
                "relations": [
                    {
                        "id": index,
                        "from_id": number[link.source],
                        "to_id": number[link.target],
                        "type": link.type,
                    }
                    for index, link in enumerate(graph.links, 1)
                ],
            }
            self._file(annotator).write(json.dumps(line, ensure_ascii=False) + "\n")

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
