"""Label Studio's JSON export: a list of tasks, each with ``data`` and annotations.

Read:

* the text is ``data.<KEY>`` (``--text-key``; default ``text``, else the only string field of
  ``data``); ``data.id`` and ``data.title``, when strings, are the document's id and title
  (else ``<file>:<task id>``), the other fields of ``data`` go to its ``meta``;
* ``labels`` results become spans, ``relation`` results relations, ``choices`` on the whole
  text document labels (or, mapped with ``--map`` to a segment layer, a label of the text as one
  sentence); a region's ``meta.text`` is its note;
* ``completed_by`` is the annotator: ``ls-<id>``, or the email when the export gives one (else
  ``--annotator``); a completed annotation marks the document done for its annotator;
  cancelled annotations and drafts are skipped and counted; predictions become suggestions
  (origin ``suggestion``) of an annotator named after the ``model_version``;
* offsets are checked against each region's ``value.text``: newer exports count code points,
  older ones UTF-16 code units, and a text with CRLF may have been counted as the browser shows
  it (LF). The convention that fits every region of a task is used for the task; a task that
  none fits is refused with its file and line.

Write: one task per document with the same shape, code-point offsets, ``id``/``title``/``meta``
in ``data``, each annotator's work as an annotation (suggestions as predictions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.core.offsets import lf_view_map, utf16_map
from annotator.io.errors import ImportFileError, quote
from annotator.io.formats.common import ReadOptions, display, given_paths, read_raw, walk
from annotator.io.formats.graph import (
    EMPTY_DONE,
    NOTES,
    RELATIONS,
    SPAN_ATTRIBUTES,
    SUGGESTIONS,
    build_graph,
)
from annotator.io.formats.model import Choice, Entity, ForeignDocument, Link, ReadResult
from annotator.store.dto import Annotation, DocStatus, Document

HOLDS = frozenset({RELATIONS, SPAN_ATTRIBUTES, NOTES, SUGGESTIONS, EMPTY_DONE})
_LS_ID = re.compile(r"^ls-(\d+)$")


class _Bad(Exception):
    pass


def _tasks(text: str, shown: str) -> list[tuple[int, Any]]:
    """The tasks of a file with the line each starts on (a list, or a single task object)."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    try:
        if text[start : start + 1] != "[":
            value, _ = decoder.raw_decode(text, start)
            return [(text.count("\n", 0, start) + 1, value)]
        tasks: list[tuple[int, Any]] = []
        index = start + 1
        while True:
            while index < len(text) and text[index] in " \t\r\n":
                index += 1
            if text[index : index + 1] == "]":
                break
            value, end = decoder.raw_decode(text, index)
            tasks.append((text.count("\n", 0, index) + 1, value))
            index = end
            while index < len(text) and text[index] in " \t\r\n":
                index += 1
            if text[index : index + 1] == ",":
                index += 1
            elif text[index : index + 1] != "]":
                raise json.JSONDecodeError("expected ',' or ']'", text, index)
        return tasks
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            shown, f"broken JSON: {exc.msg} at column {exc.colno}; fix the file", exc.lineno
        ) from None


def _annotator(value: Any, fallback: str | None) -> str | None:
    if isinstance(value, dict):
        email = value.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        value = value.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"ls-{value}"
    if isinstance(value, str) and value.strip():
        return value.strip()
    return fallback


def _text_of(data: dict[str, Any], key: str | None) -> tuple[str, str]:
    if key is not None:
        value = data.get(key)
        if not isinstance(value, str):
            raise _Bad(f"data has no string field {key!r}; check --text-key")
        return key, value
    if isinstance(data.get("text"), str):
        return "text", data["text"]
    strings = [k for k, v in data.items() if isinstance(v, str) and k not in ("id", "title")]
    if len(strings) != 1:
        fields = ", ".join(strings) or "none"
        raise _Bad(
            f"cannot tell which field of data holds the text (string fields: {fields}); "
            "pass --text-key KEY"
        )
    return strings[0], data[strings[0]]


Convention = tuple[str, Callable[[int], int | None]]


def _conventions(raw: str) -> list[Convention]:
    """Ways the offsets may count, each as a map to raw code points (most likely first)."""
    found: list[Convention] = [("code points", lambda i: i if 0 <= i <= len(raw) else None)]
    astral = any(ord(ch) > 0xFFFF for ch in raw)
    if astral:
        found.append(("UTF-16 code units", utf16_map(raw)))
    if "\r\n" in raw:
        view = raw.replace("\r\n", "\n")
        to_raw = lf_view_map(raw)
        found.append(("code points of the text with LF line ends", to_raw))
        if astral:
            to_view = utf16_map(view)

            def both(i: int) -> int | None:
                j = to_view(i)
                return None if j is None else to_raw(j)

            found.append(("UTF-16 code units of the text with LF line ends", both))
    return found


def _regions(results: list[Any]) -> list[tuple[int, int, str | None]]:
    spans = []
    for result in results:
        if isinstance(result, dict) and result.get("type") == "labels":
            value = result.get("value") or {}
            start, end = value.get("start"), value.get("end")
            if isinstance(start, int) and isinstance(end, int):
                text = value.get("text")
                spans.append((start, end, text if isinstance(text, str) else None))
    return spans


def _choose(raw: str, regions: list[tuple[int, int, str | None]]) -> Convention:
    conventions = _conventions(raw)
    checked = [(s, e, t) for s, e, t in regions if t is not None]
    for name, to_raw in conventions:
        good = True
        for start, end, text in checked:
            s, e = to_raw(start), to_raw(end)
            if (
                s is None
                or e is None
                or raw[s:e].replace("\r\n", "\n") != text.replace("\r\n", "\n")
            ):
                good = False
                break
        if good:
            return name, to_raw
    start, end, text = (
        checked[0] if len(checked) == 1 else next((s, e, t) for s, e, t in checked if raw[s:e] != t)
    )
    raise _Bad(
        f"region [{start}, {end}) says its text is {quote(text or '')} but the task text has "
        f"{quote(raw[start:end])} there; the offsets fit neither code points nor UTF-16 code "
        "units; fix the offsets or the region text"
    )


class _Task:
    """One task being turned into a :class:`ForeignDocument`."""

    def __init__(self, document: ForeignDocument, to_raw: Callable[[int], int | None]) -> None:
        self.document = document
        self.to_raw = to_raw
        self.ignored: dict[str, int] = {}

    def results(self, results: list[Any], annotator: str, scope: str, origin: str) -> None:
        line = self.document.line
        for index, result in enumerate(results):
            if not isinstance(result, dict):
                raise _Bad(f"result {index} of {scope} is not an object")
            kind = result.get("type")
            value = result.get("value") or {}
            if kind == "labels":
                self._labels(
                    result, value, annotator, f"{scope}:{result.get('id', index)}", origin, line
                )
            elif kind == "relation":
                labels = result.get("labels") or [""]
                extra: dict[str, Any] = {}
                if result.get("direction", "right") != "right":
                    extra["direction"] = result.get("direction")
                for label in labels:
                    self.document.links.append(
                        Link(
                            annotator,
                            str(label),
                            f"{scope}:{result.get('from_id')}",
                            f"{scope}:{result.get('to_id')}",
                            line,
                            extra=dict(extra),
                        )
                    )
            elif kind == "choices" and "start" not in value:
                choices = value.get("choices") or []
                self.document.choices.append(
                    Choice(
                        annotator,
                        str(result.get("from_name", "choices")),
                        [str(c) for c in choices],
                        line,
                        origin,
                    )
                )
            else:
                what = f"{kind} results" if kind else "results without a type"
                self.ignored[what] = self.ignored.get(what, 0) + 1

    def _labels(
        self,
        result: dict[str, Any],
        value: dict[str, Any],
        annotator: str,
        key: str,
        origin: str,
        line: int | None,
    ) -> None:
        start, end = value.get("start"), value.get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            raise _Bad(f"region {result.get('id')!r} has no integer start and end")
        s, e = self.to_raw(start), self.to_raw(end)
        if s is None or e is None or not s < e:
            raise _Bad(f"region {result.get('id')!r} [{start}, {end}) does not fit the task text")
        meta = result.get("meta") or {}
        notes = meta.get("text") if isinstance(meta, dict) else None
        labels = value.get("labels") or []
        if not labels:
            raise _Bad(f"region {result.get('id')!r} has no labels")
        for number, label in enumerate(labels):
            self.document.entities.append(
                Entity(
                    key if number == 0 else f"{key}#{number}",
                    annotator,
                    str(label),
                    ((s, e),),
                    line,
                    origin=origin,
                    notes=[str(n) for n in notes]
                    if isinstance(notes, list)
                    else ([str(notes)] if notes else []),
                )
            )


def _document(
    task: Any, line: int, shown: str, id_base: str, options: ReadOptions, counts: dict[str, int]
) -> ForeignDocument:
    if not isinstance(task, dict):
        raise _Bad(f"a task must be an object, not {type(task).__name__}")
    data = task.get("data")
    if not isinstance(data, dict):
        raise _Bad("the task has no 'data' object")
    key, raw = _text_of(data, options.text_key)
    ident = data.get("id")
    external_id = (
        ident if isinstance(ident, str) and ident.strip() else (f"{id_base}:{task.get('id', line)}")
    )
    title = data.get("title") if isinstance(data.get("title"), str) else ""
    meta = {k: v for k, v in data.items() if k not in (key, "id", "title", "meta")}
    if isinstance(data.get("meta"), dict):
        meta.update(data["meta"])
    document = ForeignDocument(shown, line, external_id, raw, title=str(title), meta=meta)
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    everything: list[Any] = []
    for item in [*annotations, *predictions]:
        everything.extend(item.get("result") or [])
    _, to_raw = _choose(raw, _regions(everything))
    builder = _Task(document, to_raw)
    counts["drafts"] = counts.get("drafts", 0) + len(task.get("drafts") or [])
    for number, annotation in enumerate(annotations):
        if annotation.get("was_cancelled"):
            counts["cancelled annotations"] = counts.get("cancelled annotations", 0) + 1
            continue
        who = _annotator(annotation.get("completed_by"), options.annotator)
        if who is None:
            raise _Bad(
                f"annotation {number} names no annotator (completed_by); pass --annotator NAME"
            )
        builder.results(annotation.get("result") or [], who, f"a{number}", "import")
        if who not in document.done:
            document.done.append(who)
    for number, prediction in enumerate(predictions):
        version = prediction.get("model_version")
        who = str(version) if isinstance(version, str) and version.strip() else "ls-prediction"
        builder.results(prediction.get("result") or [], who, f"p{number}", "suggestion")
    for what, count in builder.ignored.items():
        counts[what] = counts.get(what, 0) + count
    return document


def read_label_studio(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """Every task of the JSON exports under ``paths``."""
    result = ReadResult()
    counts: dict[str, int] = {}
    for path, shown in given_paths(paths):
        files = (
            [(path, shown)]
            if path.is_file()
            else [(f, display(shown, path, f)) for f in walk(path, (".json",))]
        )
        if not files:
            raise ImportFileError(shown, "no .json files in this folder; nothing to import")
        for file, file_shown in files:
            tasks = _tasks(read_raw(file, file_shown).lstrip("\ufeff"), file_shown)
            for line, task in tasks:
                try:
                    result.documents.append(
                        _document(task, line, file_shown, file.stem, options, counts)
                    )
                except _Bad as exc:
                    raise ImportFileError(file_shown, str(exc), line) from None
    for what, count in sorted(counts.items()):
        if count:
            verb = "skipped" if what in ("drafts", "cancelled annotations") else "ignored"
            result.notes.append(f"{verb} {count} {what}")
    return result


# ---------------------------------------------------------------------------- writing


def _completed_by(name: str) -> Any:
    match = _LS_ID.match(name)
    return int(match.group(1)) if match else {"email": name}


class LabelStudioWriter:
    """A JSON list of tasks, written as documents arrive."""

    def __init__(self, path: Path, names: Mapping[tuple[str, str], str]) -> None:
        self._handle = path.open("w", encoding="utf-8", newline="")
        self._names = dict(names)
        self._count = 0
        self._handle.write("[")

    def _results(
        self, annotations: Sequence[Annotation], layer_of: dict[str, str], text: str
    ) -> list[dict[str, Any]]:
        graph = build_graph(annotations, self._names, span_attrs_as="relation")
        results: list[dict[str, Any]] = []
        for entity in graph.entities:
            item: dict[str, Any] = {
                "id": entity.key,
                "from_name": layer_of.get(entity.label, "label"),
                "to_name": "text",
                "type": "labels",
                "value": {
                    "start": entity.start,
                    "end": entity.end,
                    "text": text[entity.start : entity.end],
                    "labels": [entity.label],
                },
            }
            if entity.notes:
                item["meta"] = {"text": entity.notes}
            results.append(item)
        grouped: dict[tuple[str, str, str], list[str]] = {}
        for link in graph.links:
            direction = str(link.extra.get("direction", "right"))
            grouped.setdefault((link.source, link.target, direction), []).append(link.type)
        for (source, target, direction), types in grouped.items():
            results.append(
                {
                    "from_id": source,
                    "to_id": target,
                    "type": "relation",
                    "direction": direction,
                    "labels": [t for t in types if t],
                }
            )
        return results

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None:
        layer_of = {name: layer for (layer, _), name in self._names.items()}
        meta = dict(document.meta)
        labels = meta.pop("labels", None)
        labels = labels if isinstance(labels, dict) else {}
        data: dict[str, Any] = {"text": document.text, "id": document.external_id}
        if document.title != document.external_id:
            data["title"] = document.title
        if meta:
            data["meta"] = meta
        annotations: list[dict[str, Any]] = []
        predictions: list[dict[str, Any]] = []
        people = [name for name, _ in per_annotator]
        people += [name for name in sorted(labels) if name not in people]
        found = dict(per_annotator)
        for name in people:
            own = [a for a in found.get(name, []) if a.origin != "suggestion"]
            suggested = [a for a in found.get(name, []) if a.origin == "suggestion"]
            results = self._results(own, layer_of, document.text)
            for choice_name, values in (labels.get(name) or {}).items():
                results.append(
                    {
                        "id": f"c-{choice_name}",
                        "from_name": choice_name,
                        "to_name": "text",
                        "type": "choices",
                        "value": {"choices": list(values)},
                    }
                )
            if own or status.get(name) == "done" or name in labels:
                annotations.append(
                    {"completed_by": _completed_by(name), "was_cancelled": False, "result": results}
                )
            if suggested:
                predictions.append(
                    {
                        "model_version": name,
                        "result": self._results(suggested, layer_of, document.text),
                    }
                )
        self._count += 1
        task: dict[str, Any] = {"id": self._count, "data": data, "annotations": annotations}
        if predictions:
            task["predictions"] = predictions
        self._handle.write(("," if self._count > 1 else "") + "\n")
        self._handle.write(json.dumps(task, ensure_ascii=False))

    def close(self) -> None:
        self._handle.write("\n]\n")
        self._handle.close()
