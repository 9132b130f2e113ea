"""Our annotations as a graph for a writer, and the list of what a format cannot hold.

The reverse of :mod:`annotator.io.formats.resolve`: one annotator's annotations on one document
become entities (with fresh keys ``T1``, ``T2`` ...), relations, events and equivalences.
Span attributes (the ``source`` and ``cue`` of an attributed statement) become an entity
labelled with the attribute's name, tied to the statement by an event argument (brat) or a
relation (Label Studio, doccano) whose role is that name, which the reader folds back.

:func:`features` names what an annotation uses (a discontinuous span, relations, a note ...);
an export compares them with what its format holds and lists every loss before writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.scheme import Scheme
from annotator.core.wording import plural
from annotator.store.dto import Annotation, DocStatus

KNOWN_ATTRS = frozenset(
    {"fragments", "note", "attributes", "normalizations", "relations", "events", "equivalences"}
)

DISCONTINUOUS = "discontinuous spans"
RELATIONS = "relations"
EVENTS = "events"
SPAN_ATTRIBUTES = "statement attributes (source and cue spans)"
NOTES = "notes"
ATTRIBUTES = "attributes"
NORMALIZATIONS = "normalizations"
EQUIVALENCES = "equivalences"
SUGGESTIONS = "suggestions (they would read back as an annotator's own work)"
OTHER_ATTRS = "other annotation attributes"
UNFINISHED = "unfinished work (status todo or in progress would read back as done)"
EMPTY_DONE = "finished documents with no annotations (they would read back as not started)"
DOCUMENT_LABELS = "document labels"
SEVERAL_ANNOTATORS = "more than one annotator"


def is_span_attr(value: object) -> bool:
    """A span-shaped attribute value: ``{"start": s, "end": e}``."""
    return isinstance(value, Mapping) and "start" in value and "end" in value


def features(annotation: Annotation) -> list[str]:
    """What ``annotation`` uses beyond a label on one stretch of text."""
    used: list[str] = []
    attrs = annotation.attrs
    if attrs.get("fragments"):
        used.append(DISCONTINUOUS)
    for key, name in (
        ("relations", RELATIONS),
        ("events", EVENTS),
        ("note", NOTES),
        ("attributes", ATTRIBUTES),
        ("normalizations", NORMALIZATIONS),
        ("equivalences", EQUIVALENCES),
    ):
        if attrs.get(key):
            used.append(name)
    if any(is_span_attr(v) for v in attrs.values()):
        used.append(SPAN_ATTRIBUTES)
    if any(k not in KNOWN_ATTRS and not is_span_attr(v) for k, v in attrs.items()):
        used.append(OTHER_ATTRS)
    if annotation.origin == "suggestion":
        used.append(SUGGESTIONS)
    return used


def label_names(scheme: Scheme) -> dict[tuple[str, str], str]:
    """The name each ``(layer, label)`` is written under: the label, or ``layer/label`` when
    another layer has a label of the same name (the reader maps both forms back)."""
    count: dict[str, int] = {}
    for layer in scheme.layers:
        for name in layer.label_names:
            count[name] = count.get(name, 0) + 1
    return {
        (layer.name, name): name if count[name] == 1 else f"{layer.name}/{name}"
        for layer in scheme.layers
        for name in layer.label_names
    }


@dataclass(slots=True)
class OutEntity:
    key: str
    label: str
    fragments: list[tuple[int, int]]
    origin: str = "import"
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    normalizations: list[dict[str, str]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass(slots=True)
class OutLink:
    key: str
    type: str
    source: str
    target: str
    extra: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OutEvent:
    key: str
    trigger: str
    args: list[tuple[str, str]]
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OutGraph:
    entities: list[OutEntity] = field(default_factory=list)
    links: list[OutLink] = field(default_factory=list)
    events: list[OutEvent] = field(default_factory=list)
    equivalences: list[tuple[str, list[str]]] = field(default_factory=list)
    dangling: int = 0
    """References to annotations not found (removed since): not written."""


def _ref_key(ref: Mapping[str, Any]) -> tuple[Any, ...]:
    fragments = ref.get("fragments")
    return (
        ref.get("layer"),
        ref.get("label"),
        ref.get("start"),
        ref.get("end"),
        tuple(tuple(f) for f in fragments) if fragments else None,
    )


def _own_key(annotation: Annotation) -> tuple[Any, ...]:
    fragments = annotation.attrs.get("fragments")
    return (
        annotation.layer,
        annotation.label,
        annotation.start,
        annotation.end,
        tuple(tuple(f) for f in fragments) if fragments else None,
    )


def _notes(value: object) -> list[str]:
    return str(value).split("\n") if isinstance(value, str) and value else []


def build_graph(
    annotations: Sequence[Annotation],
    names: Mapping[tuple[str, str], str],
    *,
    span_attrs_as: str,
) -> OutGraph:
    """The graph of one annotator's ``annotations`` on one document.

    ``span_attrs_as`` is ``"event"`` (brat) or ``"relation"`` (Label Studio, doccano): how a
    span attribute ties its entity to the annotation that carries it.
    """
    graph = OutGraph()
    ordered = sorted(annotations, key=lambda a: (a.start, a.end, a.layer, a.label, a.id))
    keys: dict[tuple[Any, ...], str] = {}
    entity_of: dict[int, OutEntity] = {}
    for annotation in ordered:
        fragments = annotation.attrs.get("fragments") or [[annotation.start, annotation.end]]
        attributes = annotation.attrs.get("attributes")
        entity = OutEntity(
            key=f"T{len(graph.entities) + 1}",
            label=names.get(
                (annotation.layer, annotation.label), f"{annotation.layer}/{annotation.label}"
            ),
            fragments=[(int(s), int(e)) for s, e in fragments],
            origin=annotation.origin,
            attributes=dict(attributes) if isinstance(attributes, Mapping) else {},
            notes=_notes(annotation.attrs.get("note")),
            normalizations=[dict(n) for n in annotation.attrs.get("normalizations") or []],
        )
        graph.entities.append(entity)
        keys.setdefault(_own_key(annotation), entity.key)
        entity_of[annotation.id] = entity
    attr_entities: list[OutEntity] = []
    for annotation in ordered:
        owner = entity_of[annotation.id]
        roles: list[tuple[str, str]] = []
        for name, value in annotation.attrs.items():
            if not is_span_attr(value):
                continue
            extra = OutEntity(
                key="",
                label=name,
                fragments=[(int(value["start"]), int(value["end"]))],
                origin=annotation.origin,
            )
            attr_entities.append(extra)
            roles.append((name, str(id(extra))))
            if span_attrs_as == "relation":
                graph.links.append(OutLink("", name, owner.key, str(id(extra))))
        if roles and span_attrs_as == "event":
            graph.events.append(OutEvent("", owner.key, roles))
        for relation in annotation.attrs.get("relations") or []:
            target = keys.get(_ref_key(relation.get("to") or {}))
            if target is None:
                graph.dangling += 1
                continue
            extra_fields = {
                k: v for k, v in relation.items() if k not in ("type", "to", "note", "attributes")
            }
            graph.links.append(
                OutLink(
                    "",
                    str(relation.get("type", "")),
                    owner.key,
                    target,
                    extra=extra_fields,
                    attributes=dict(relation.get("attributes") or {}),
                    notes=_notes(relation.get("note")),
                )
            )
        for event in annotation.attrs.get("events") or []:
            args: list[tuple[str, str]] = []
            for arg in event.get("args") or []:
                target = keys.get(_ref_key(arg.get("to") or {}))
                if target is None:
                    graph.dangling += 1
                    continue
                args.append((str(arg.get("role", "")), ("E:" if arg.get("event") else "") + target))
            graph.events.append(
                OutEvent(
                    "",
                    owner.key,
                    args,
                    attributes=dict(event.get("attributes") or {}),
                    notes=_notes(event.get("note")),
                )
            )
        for equivalence in annotation.attrs.get("equivalences") or []:
            members = [owner.key]
            for ref in equivalence.get("with") or []:
                target = keys.get(_ref_key(ref))
                if target is None:
                    graph.dangling += 1
                    continue
                members.append(target)
            if len(members) > 1:
                graph.equivalences.append((str(equivalence.get("type", "Equiv")), members))
    # Attribute entities come after the annotations' own, numbered on.
    renamed: dict[str, str] = {}
    for extra in sorted(attr_entities, key=lambda e: (e.start, e.end, e.label)):
        old = str(id(extra))
        extra.key = f"T{len(graph.entities) + 1}"
        renamed[old] = extra.key
        graph.entities.append(extra)
    for link in graph.links:
        link.target = renamed.get(link.target, link.target)
    for number, link in enumerate(graph.links, 1):
        link.key = f"R{number}"
    event_of_trigger: dict[str, str] = {}
    for number, event in enumerate(graph.events, 1):
        event.key = f"E{number}"
        event.args = [(role, renamed.get(key, key)) for role, key in event.args]
        event_of_trigger.setdefault(event.trigger, event.key)
    for event in graph.events:
        event.args = [
            (role, event_of_trigger.get(key[2:], key[2:]) if key.startswith("E:") else key)
            for role, key in event.args
        ]
    return graph


def document_losses(
    annotations_by_annotator: Mapping[str, Sequence[Annotation]],
    status: Mapping[str, DocStatus],
    holds: frozenset[str],
) -> list[str]:
    """What of one document's annotations a format that ``holds`` these features loses."""
    lost: list[str] = []
    for name in sorted(set(annotations_by_annotator) | set(status)):
        found = annotations_by_annotator.get(name, ())
        state = status.get(name, "todo")
        own = [a for a in found if a.origin != "suggestion"]
        if own and state != "done" and UNFINISHED not in holds:
            lost.append(UNFINISHED)
        if not found and state == "done" and EMPTY_DONE not in holds:
            lost.append(EMPTY_DONE)
        for annotation in found:
            lost.extend(f for f in features(annotation) if f not in holds)
    return lost


def count_losses(items: Iterable[tuple[str, str]]) -> list[str]:
    """``(document id, what)`` pairs as sorted lines: ``what: N in K documents (first: X)``."""
    per: dict[str, list[str]] = {}
    for document, what in items:
        per.setdefault(what, []).append(document)
    lines = []
    for what in sorted(per):
        documents = per[what]
        distinct = list(dict.fromkeys(documents))
        lines.append(
            f"{what}: {len(documents)} in {plural(len(distinct), 'document')}"
            f" (first: {distinct[0]!r})"
        )
    return lines
