"""brat standoff: ``X.txt`` holds the text, ``X.ann`` the annotations, one per line.

Lines read (ids are unique within a file, references may point forward):

* ``T1<TAB>Type 0 5;10 15<TAB>text``: a text-bound annotation; ``;`` separates the fragments of
  a discontinuous span; ``text`` is the fragments' text joined by a space, checked against
  ``X.txt`` (line breaks inside a span are written as spaces);
* ``A1<TAB>Name T1`` (binary) and ``A2<TAB>Name T1 Value`` (``M`` the same): attributes of an
  entity, relation or event;
* ``R1<TAB>Type Arg1:T1 Arg2:T2``: a relation; ``E1<TAB>Type:T3 Role:T1 Role2:E2``: an event;
* ``N1<TAB>Reference T1 Wikipedia:534366<TAB>Barack Obama``: a normalization;
* ``#1<TAB>AnnotatorNotes T1<TAB>text``: a note; ``*<TAB>Equiv T1 T2``: an equivalence.

Offsets count characters of ``X.txt`` as brat reads it (a byte-order mark is character 0, CRLF
two characters). A folder whose subfolders hold the pairs is a collection of several
annotators, one per subfolder (unless ``--annotator`` names one person for everything); a
document's id is its path below that folder without ``.txt``. An ``.ann`` file says its
annotator finished the document (an empty one: finished with nothing to mark).

The writer makes the same layout: ``<folder>/<annotator>/<id>.txt`` and ``<id>.ann``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.io.errors import ImportFileError, quote
from annotator.io.formats.common import (
    ReadOptions,
    display,
    given_paths,
    need_annotator,
    read_raw,
    safe_part,
    walk,
)
from annotator.io.formats.graph import (
    ATTRIBUTES,
    DISCONTINUOUS,
    EMPTY_DONE,
    EQUIVALENCES,
    EVENTS,
    NORMALIZATIONS,
    NOTES,
    OTHER_ATTRS,
    RELATIONS,
    SPAN_ATTRIBUTES,
    OutGraph,
    build_graph,
)
from annotator.io.formats.model import Entity, Equivalence, Event, ForeignDocument, Link, ReadResult
from annotator.store.dto import Annotation, DocStatus, Document

HOLDS = frozenset(
    {
        DISCONTINUOUS,
        RELATIONS,
        EVENTS,
        SPAN_ATTRIBUTES,
        NOTES,
        ATTRIBUTES,
        NORMALIZATIONS,
        EQUIVALENCES,
        EMPTY_DONE,
    }
)
_ = OTHER_ATTRS
_FRAGMENT = re.compile(r"^(\d+) (\d+)$")
_NAME = re.compile(r"^[^\s:]+$")


def _flat(text: str) -> str:
    """Span text as a line of a ``.ann`` file holds it: line breaks as spaces."""
    return text.replace("\r", " ").replace("\n", " ")


class _Ann:
    """The parsed lines of one ``.ann`` file."""

    def __init__(self, shown: str, annotator: str, raw: str) -> None:
        self.shown = shown
        self.annotator = annotator
        self.raw = raw
        self.entities: dict[str, Entity] = {}
        self.links: dict[str, Link] = {}
        self.events: dict[str, Event] = {}
        self.equivalences: list[Equivalence] = []
        self.lines: dict[str, int] = {}
        self.pending: list[tuple[int, str, list[str]]] = []

    def fail(self, line: int, message: str) -> ImportFileError:
        return ImportFileError(self.shown, message, line)

    def _new_id(self, key: str, line: int) -> None:
        if key in self.lines:
            raise self.fail(line, f"id {key} is used twice (first on line {self.lines[key]})")
        self.lines[key] = line

    def text_bound(self, line: int, key: str, fields: list[str]) -> None:
        if len(fields) < 2:
            raise self.fail(line, f"{key}: expected 'Type start end<TAB>text'")
        label, _, spans = fields[1].partition(" ")
        fragments: list[tuple[int, int]] = []
        for part in spans.split(";"):
            match = _FRAGMENT.match(part.strip())
            if match is None:
                raise self.fail(
                    line, f"{key}: offsets {part.strip()!r} are not 'start end' integers"
                )
            start, end = int(match.group(1)), int(match.group(2))
            if not 0 <= start < end <= len(self.raw):
                raise self.fail(
                    line,
                    f"{key}: span [{start}, {end}) is empty or past the end of the text "
                    f"({len(self.raw)} characters); fix the offsets or the .txt file",
                )
            fragments.append((start, end))
        if not label or not _NAME.match(label):
            raise self.fail(line, f"{key}: missing or malformed type {label!r}")
        if len(fields) >= 3:
            given = fields[2]
            actual = " ".join(self.raw[s:e] for s, e in fragments)
            if _flat(given) != _flat(actual):
                raise self.fail(
                    line,
                    f"{key}: span text {quote(given)} differs from the .txt file's "
                    f"{quote(actual)} at {spans}; fix the offsets or the text",
                )
        self._new_id(key, line)
        self.entities[key] = Entity(key, self.annotator, label, tuple(fragments), line)

    def relation(self, line: int, key: str, fields: list[str]) -> None:
        parts = fields[1].split() if len(fields) > 1 else []
        if len(parts) != 3 or not all(":" in p for p in parts[1:]):
            raise self.fail(line, f"{key}: expected 'Type Arg1:T1 Arg2:T2'")
        (role1, source), (role2, target) = (p.split(":", 1) for p in parts[1:])
        extra: dict[str, Any] = {}
        if (role1, role2) != ("Arg1", "Arg2"):
            extra["args"] = [role1, role2]
        self._new_id(key, line)
        self.links[key] = Link(self.annotator, parts[0], source, target, line, key, extra=extra)
        self.pending.append((line, key, [source, target]))

    def event(self, line: int, key: str, fields: list[str]) -> None:
        parts = fields[1].split() if len(fields) > 1 else []
        if not parts or not all(":" in p for p in parts):
            raise self.fail(line, f"{key}: expected 'Type:T1 Role:T2 ...'")
        _, trigger = parts[0].split(":", 1)
        args = [(role, ref) for role, ref in (p.split(":", 1) for p in parts[1:])]
        self._new_id(key, line)
        self.events[key] = Event(self.annotator, key, trigger, args, line)
        self.pending.append((line, key, [trigger, *(ref for _, ref in args)]))

    def resolve_refs(self) -> None:
        for line, key, refs in self.pending:
            for ref in refs:
                if ref not in self.entities and not (key.startswith("E") and ref in self.events):
                    kind = "an entity (T) or event (E)" if key.startswith("E") else "an entity (T)"
                    raise self.fail(line, f"{key}: unknown id {ref!r}; it must name {kind}")
            event = self.events.get(key)
            if event is not None and event.trigger not in self.entities:
                raise self.fail(line, f"{key}: trigger {event.trigger!r} is not an entity (T)")

    def owner(self, line: int, key: str, ref: str) -> Entity | Link | Event:
        target = self.entities.get(ref) or self.links.get(ref) or self.events.get(ref)
        if target is None:
            raise self.fail(line, f"{key}: unknown id {ref!r}")
        return target


def parse_ann(shown: str, annotator: str, raw_text: str, content: str) -> _Ann:
    """Every line of an ``.ann`` file, checked against the text; errors name the line."""
    ann = _Ann(shown, annotator, raw_text)
    later: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(content.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = line.split("\t", 2)  # the text of a T, N or # line may hold tabs
        key = fields[0]
        kind = key[:1]
        if kind == "T":
            ann.text_bound(number, key, fields)
        elif kind == "R":
            ann.relation(number, key, fields)
        elif kind == "E":
            ann.event(number, key, fields)
        elif kind in "AMN#*" and kind:
            later.append((number, key, fields))
        else:
            raise ann.fail(
                number,
                f"unknown annotation line {quote(line)}; brat lines start T, A, M, R, E, N, # or *",
            )
    ann.resolve_refs()
    for number, key, fields in later:
        kind = key[:1]
        parts = fields[1].split() if len(fields) > 1 else []
        if kind in "AM":
            if len(parts) not in (2, 3):
                raise ann.fail(number, f"{key}: expected 'Name T1' or 'Name T1 Value'")
            target = ann.owner(number, key, parts[1])
            target.attributes[parts[0]] = parts[2] if len(parts) == 3 else True
        elif kind == "N":
            if len(parts) != 3 or ":" not in parts[2]:
                raise ann.fail(number, f"{key}: expected 'Type T1 Db:id<TAB>text'")
            target = ann.owner(number, key, parts[1])
            if not isinstance(target, Entity):
                raise ann.fail(number, f"{key}: a normalization must point to an entity (T)")
            db, _, ident = parts[2].partition(":")
            item = {"type": parts[0], "db": db, "id": ident}
            if len(fields) > 2:
                item["text"] = fields[2]
            target.normalizations.append(item)
        elif kind == "#":
            if len(parts) != 2:
                raise ann.fail(number, f"{key}: expected 'AnnotatorNotes T1<TAB>note'")
            target = ann.owner(number, key, parts[1])
            target.notes.append(fields[2] if len(fields) > 2 else "")
        else:
            if len(parts) < 3:
                raise ann.fail(number, "*: expected 'Equiv T1 T2 ...'")
            for ref in parts[1:]:
                if ref not in ann.entities:
                    raise ann.fail(number, f"*: unknown entity id {ref!r}")
            ann.equivalences.append(Equivalence(annotator, parts[0], parts[1:], number))
    return ann


def _document(
    txt: Path, txt_shown: str, ann: Path | None, ann_shown: str, doc_id: str, annotator: str
) -> ForeignDocument:
    raw = read_raw(txt, txt_shown)
    document = ForeignDocument(
        path=ann_shown if ann else txt_shown, line=None, external_id=doc_id, raw_text=raw
    )
    if ann is None:
        return document
    parsed = parse_ann(ann_shown, annotator, raw, read_raw(ann, ann_shown).lstrip("\ufeff"))
    document.entities = list(parsed.entities.values())
    document.links = list(parsed.links.values())
    document.events = list(parsed.events.values())
    document.equivalences = parsed.equivalences
    document.done = [annotator]
    return document


def read_brat(paths: Sequence[str], options: ReadOptions) -> ReadResult:
    """Every ``.txt``/``.ann`` pair under ``paths`` (files or folders)."""
    result = ReadResult()
    for path, shown in given_paths(paths):
        if path.is_file():
            stem = path.with_suffix("")
            txt, ann = stem.with_suffix(".txt"), stem.with_suffix(".ann")
            if not txt.is_file():
                raise ImportFileError(shown, f"no {txt.name} beside it; brat needs the text too")
            who = need_annotator(options, shown, "brat files")
            shown_stem = shown[: -len(path.suffix)] if path.suffix else shown
            result.documents.append(
                _document(
                    txt,
                    shown_stem + ".txt",
                    ann if ann.is_file() else None,
                    shown_stem + ".ann",
                    stem.name,
                    who,
                )
            )
            continue
        files = walk(path, (".txt", ".ann"))
        if not files:
            raise ImportFileError(shown, "no .txt or .ann files in this folder; nothing to import")
        stems = sorted({f.with_suffix("") for f in files}, key=lambda p: p.as_posix())
        for stem in stems:
            relative = stem.relative_to(path)
            txt, ann = stem.with_suffix(".txt"), stem.with_suffix(".ann")
            if not txt.is_file():
                raise ImportFileError(
                    display(shown, path, ann), "no .txt file beside this .ann; add the text"
                )
            if options.annotator:
                who, doc_id = options.annotator.strip(), relative.as_posix()
            elif len(relative.parts) < 2:
                raise ImportFileError(
                    display(shown, path, txt),
                    "brat files at the top of the folder name no annotator; put each "
                    "annotator's files in a subfolder named after them, or pass --annotator NAME",
                )
            else:
                who, doc_id = relative.parts[0], Path(*relative.parts[1:]).as_posix()
            result.documents.append(
                _document(
                    txt,
                    display(shown, path, txt),
                    ann if ann.is_file() else None,
                    display(shown, path, ann),
                    doc_id,
                    who,
                )
            )
    return result


# ---------------------------------------------------------------------------- writing


def _value(value: Any) -> str | None:
    if value is True:
        return None
    return str(value).replace("\t", " ").replace("\n", " ")


def ann_lines(text: str, graph: OutGraph) -> list[str]:
    """The lines of an ``.ann`` file for ``graph`` (T, E, R, *, A, N, # in that order)."""
    lines: list[str] = []
    attributes: list[tuple[str, dict[str, Any]]] = []
    notes: list[tuple[str, list[str]]] = []
    normalizations: list[str] = []
    for entity in graph.entities:
        spans = ";".join(f"{s} {e}" for s, e in entity.fragments)
        covered = " ".join(text[s:e] for s, e in entity.fragments)
        lines.append(f"{entity.key}\t{entity.label} {spans}\t{_flat(covered)}")
        attributes.append((entity.key, entity.attributes))
        notes.append((entity.key, entity.notes))
        for item in entity.normalizations:
            normalizations.append(
                f"{item.get('type', 'Reference')} {entity.key} {item.get('db', '')}:"
                f"{item.get('id', '')}" + (f"\t{item['text']}" if "text" in item else "")
            )
    labels = {entity.key: entity.label for entity in graph.entities}
    for event in graph.events:
        args = " ".join(f"{role}:{key}" for role, key in event.args)
        lines.append(
            f"{event.key}\t{labels[event.trigger]}:{event.trigger}" + (f" {args}" if args else "")
        )
        attributes.append((event.key, event.attributes))
        notes.append((event.key, event.notes))
    for link in graph.links:
        first, second = link.extra.get("args") or ["Arg1", "Arg2"]
        lines.append(f"{link.key}\t{link.type} {first}:{link.source} {second}:{link.target}")
        attributes.append((link.key, link.attributes))
        notes.append((link.key, link.notes))
    for kind, members in graph.equivalences:
        lines.append(f"*\t{kind} {' '.join(members)}")
    number = 0
    for key, values in attributes:
        for name in sorted(values):
            number += 1
            value = _value(values[name])
            lines.append(f"A{number}\t{name} {key}" + (f" {value}" if value is not None else ""))
    for number, line in enumerate(normalizations, 1):
        lines.append(f"N{number}\t{line}")
    number = 0
    for key, texts in notes:
        for note in texts:
            number += 1
            lines.append(f"#{number}\tAnnotatorNotes {key}\t{_flat(note)}")
    return lines


def write_brat_document(
    folder: Path,
    external_id: str,
    text: str,
    per_annotator: Iterable[tuple[str, Sequence[Any]]],
    names: Mapping[tuple[str, str], str],
) -> None:
    """``<folder>/<annotator>/<id>.txt`` and ``.ann`` for each annotator given."""
    relative = safe_part(external_id, "document id")
    for annotator, found in per_annotator:
        base = folder / safe_part(annotator, "annotator name") / relative
        base.parent.mkdir(parents=True, exist_ok=True)
        graph = build_graph(found, names, span_attrs_as="event")
        Path(f"{base}.txt").write_text(text, encoding="utf-8", newline="")
        lines = ann_lines(text, graph)
        Path(f"{base}.ann").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8", newline=""
        )


class BratWriter:
    """Writes a brat collection: one subfolder per annotator."""

    def __init__(self, folder: Path, names: Mapping[tuple[str, str], str]) -> None:
        self._folder = folder
        self._names = dict(names)

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None:
        write_brat_document(
            self._folder, document.external_id, document.text, per_annotator, self._names
        )

    def close(self) -> None:
        pass
