"""From another tool's annotation graph to our records: offsets, labels, attributes.

For each :class:`ForeignDocument`:

1. The raw text is canonicalized with :func:`~annotator.core.offsets.canonical_map` and every
   fragment is carried through the map. A fragment edge that falls inside a character
   canonicalization merges (CR|LF, a letter and its combining accent) is refused, naming the
   file and line. Whitespace at a span's edge is kept.
2. Labels go through the label map (:mod:`annotator.io.formats.labelmap`); every unmapped label
   of the whole input is listed at once.
3. The graph becomes attributes (``attrs``) of the annotations:

   * a discontinuous span: ``start``/``end`` are its outer bounds and ``fragments`` lists its
     ``[start, end]`` pieces;
   * notes: ``note`` (several are joined by line breaks); brat attributes: ``attributes``
     (``{"Negation": true, "Certainty": "high"}``); brat normalizations: ``normalizations``;
   * a relation or an event argument whose role names the target's own label (a ``source``
     relation to an entity labelled ``source``) is a *span attribute*: the target's offsets go
     to ``attrs[role]`` (``{"start": s, "end": e}``) as the ``source`` and ``cue`` of an
     attributed statement do, and the target is not imported on its own;
   * other relations: ``relations`` on the source annotation, ``[{"type": T, "to": REF}]``;
     events: ``events`` on the trigger, ``[{"args": [{"role": R, "to": REF}]}]``;
     equivalences: ``equivalences`` on the first member, ``[{"type": T, "with": [REF, ...]}]``.
     ``REF`` names the other annotation by ``layer``, ``label``, ``start`` and ``end`` (and
     ``fragments``), which survives any export and import, unlike a file's ids.

The records are canonical (offsets already mapped), so :mod:`annotator.io.build` checks them
as it checks a native file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.offsets import canonical_map
from annotator.core.scheme import Scheme
from annotator.core.text import canonicalize
from annotator.core.wording import counted
from annotator.io.errors import ImportFileError
from annotator.io.formats.labelmap import (
    LabelMap,
    Target,
    UnmappedLabels,
    map_template,
    resolve_label,
)
from annotator.io.formats.model import Entity, ForeignDocument
from annotator.io.records import SourceAnnotation, SourceRecord
from annotator.store.dto import DocStatus


@dataclass(slots=True)
class _Placed:
    """An entity after mapping: canonical fragments, its target, and what it will carry."""

    entity: Entity
    fragments: tuple[tuple[int, int], ...]
    target: Target
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def ref(self) -> dict[str, Any]:
        ref: dict[str, Any] = {
            "layer": self.target.layer,
            "label": self.target.label,
            "start": self.start,
            "end": self.end,
        }
        if len(self.fragments) > 1:
            ref["fragments"] = [list(pair) for pair in self.fragments]
        return ref


def _role_targets(document: ForeignDocument) -> set[tuple[str, str]]:
    """``(annotator, key)`` of entities that are span attributes of another annotation."""
    labels = {(e.annotator, e.key): e.label for e in document.entities}
    consumed: set[tuple[str, str]] = set()
    for link in document.links:
        target = (link.annotator, link.target)
        if labels.get(target, "\0").lower() == link.type.lower() and not link.attributes:
            consumed.add(target)
    for event in document.events:
        for role, key in event.args:
            target = (event.annotator, key)
            if labels.get(target, "\0").lower() == role.lower():
                consumed.add(target)
    return consumed


def unmapped_labels(
    documents: Sequence[ForeignDocument], scheme: Scheme, mapping: LabelMap
) -> None:
    """Raise :class:`UnmappedLabels` listing every label of the input with no target."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[str, int | None]] = {}
    for document in documents:
        consumed = _role_targets(document)
        for entity in document.entities:
            if (entity.annotator, entity.key) in consumed:
                continue
            if resolve_label(entity.label, scheme, mapping) is None:
                counts[entity.label] += 1
                first.setdefault(entity.label, (document.path, entity.line))
    if counts:
        labels = dict(sorted(counts.items()))
        path, line = first[next(iter(labels))]
        raise UnmappedLabels(path, line, labels, map_template(labels, scheme, mapping))


def _place(
    document: ForeignDocument,
    entity: Entity,
    to_canonical: Any,
    raw_length: int,
) -> tuple[tuple[int, int], ...]:
    fragments = sorted(entity.fragments)
    placed: list[tuple[int, int]] = []
    for start, end in fragments:
        if not 0 <= start < end <= raw_length:
            raise ImportFileError(
                document.path,
                f"span {entity.key} [{start}, {end}) is empty or outside the text "
                f"({raw_length} characters); fix its offsets",
                entity.line,
            )
        if placed and start < fragments[len(placed) - 1][1]:
            raise ImportFileError(
                document.path,
                f"span {entity.key} has overlapping fragments; list each stretch once",
                entity.line,
            )
        cs, ce = to_canonical(start), to_canonical(end)
        if cs is None or ce is None:
            edge = start if cs is None else end
            raise ImportFileError(
                document.path,
                f"span {entity.key} [{start}, {end}): offset {edge} falls inside a character "
                "that canonicalization joins (CR+LF, or a letter and its combining mark); "
                "move the edge before or after it",
                entity.line,
            )
        if ce <= cs:
            raise ImportFileError(
                document.path,
                f"span {entity.key} [{start}, {end}) covers only characters that "
                "canonicalization removes (a byte-order mark); fix its offsets",
                entity.line,
            )
        placed.append((cs, ce))
    return tuple(placed)


def _note(attrs: dict[str, Any], notes: Iterable[str]) -> None:
    notes = [n for n in notes if n]
    if notes:
        attrs["note"] = "\n".join(notes)


def _extra_attrs(attrs: dict[str, Any], attributes: dict[str, Any], notes: list[str]) -> None:
    if attributes:
        attrs["attributes"] = dict(attributes)
    _note(attrs, notes)


@dataclass(slots=True)
class Resolution:
    """The records of an input, and what was read but not kept (one line each)."""

    records: list[SourceRecord]
    notes: list[str]


def resolve_documents(
    documents: Sequence[ForeignDocument], scheme: Scheme, mapping: LabelMap
) -> Resolution:
    """The :class:`SourceRecord` of each document; raises on the first bad span or label."""
    unmapped_labels(documents, scheme, mapping)
    dropped: Counter[str] = Counter()
    records = [_resolve(document, scheme, mapping, dropped) for document in documents]
    notes = [f"dropped {counted(count, what)}" for what, count in sorted(dropped.items())]
    return Resolution(records, notes)


def _resolve(
    document: ForeignDocument, scheme: Scheme, mapping: LabelMap, dropped: Counter[str]
) -> SourceRecord:
    raw = document.raw_text
    text, to_canonical = canonical_map(raw)
    if not text.strip():
        raise ImportFileError(document.path, "the text is empty", document.line)
    consumed = _role_targets(document)
    placed: dict[tuple[str, str], _Placed] = {}
    for entity in document.entities:
        fragments = _place(document, entity, to_canonical, len(raw))
        found = resolve_label(entity.label, scheme, mapping)
        key = (entity.annotator, entity.key)
        if key in consumed:
            found = Target("", entity.label)
        elif found is None or found.dropped:
            dropped[f"annotation(s) labelled {entity.label!r} (mapped to drop)"] += 1
            continue
        item = _Placed(entity, fragments, found)
        if len(fragments) > 1:
            item.attrs["fragments"] = [list(pair) for pair in fragments]
        if entity.normalizations:
            item.attrs["normalizations"] = [dict(n) for n in entity.normalizations]
        _extra_attrs(item.attrs, entity.attributes, entity.notes)
        placed[key] = item

    def live(annotator: str, key: str) -> _Placed | None:
        item = placed.get((annotator, key))
        return item if item is not None and item.target.layer else None

    def span_attr(owner: _Placed, role: str, target: _Placed, line: int | None) -> None:
        if len(target.fragments) > 1:
            raise ImportFileError(
                document.path,
                f"{role!r} of {owner.entity.key} is a discontinuous span; an attribute span "
                "must be one stretch of text",
                line,
            )
        requires = scheme.layer(owner.target.layer)
        label = requires.label(owner.target.label) if requires is not None else None
        name = role.lower() if label is not None and role.lower() in label.requires else role
        owner.attrs[name] = {"start": target.start, "end": target.end}

    for link in document.links:
        source = live(link.annotator, link.source)
        other = placed.get((link.annotator, link.target))
        if source is None or other is None:
            dropped["relation(s) to or from a dropped annotation"] += 1
            continue
        if not other.target.layer:
            span_attr(source, link.type, other, link.line)
            continue
        relation: dict[str, Any] = {"type": link.type, "to": other.ref()}
        relation.update(link.extra)
        _extra_attrs(relation, link.attributes, link.notes)
        source.attrs.setdefault("relations", []).append(relation)

    triggers = {(e.annotator, e.key): e.trigger for e in document.events}
    for event in document.events:
        owner = live(event.annotator, event.trigger)
        if owner is None:
            dropped["event(s) whose trigger was dropped"] += 1
            continue
        args: list[dict[str, Any]] = []
        for role, ref in event.args:
            is_event = (event.annotator, ref) in triggers
            trigger_key = triggers.get((event.annotator, ref), ref)
            argument = placed.get((event.annotator, trigger_key))
            if argument is None:
                dropped["event argument(s) that point to a dropped annotation"] += 1
                continue
            if not argument.target.layer:
                span_attr(owner, role, argument, event.line)
                continue
            arg: dict[str, Any] = {"role": role, "to": argument.ref()}
            if is_event:
                arg["event"] = True
            args.append(arg)
        if args or event.attributes or event.notes or not event.args:
            record: dict[str, Any] = {"args": args}
            _extra_attrs(record, event.attributes, event.notes)
            owner.attrs.setdefault("events", []).append(record)

    for equivalence in document.equivalences:
        members = [live(equivalence.annotator, key) for key in equivalence.members]
        kept = [m for m in members if m is not None]
        if len(kept) < 2:
            dropped["equivalence(s) of dropped annotations"] += 1
            continue
        kept[0].attrs.setdefault("equivalences", []).append(
            {"type": equivalence.type, "with": [m.ref() for m in kept[1:]]}
        )

    annotations: list[SourceAnnotation] = []
    for item in placed.values():
        if not item.target.layer:
            continue
        entity = item.entity
        start, end = item.start, item.end
        raw_start, raw_end = entity.fragments[0][0], max(e for _, e in entity.fragments)
        expected = None
        if raw_start == 0 or raw[raw_start] != "\ufeff":
            expected = canonicalize(raw[raw_start:raw_end])
        annotations.append(
            SourceAnnotation(
                annotator=entity.annotator,
                layer=item.target.layer,
                label=item.target.label,
                start=start,
                end=end,
                text=expected,
                attrs=item.attrs,
                origin=entity.origin,
            )
        )
    segments: tuple[tuple[int, int], ...] | None = None
    labels: dict[str, dict[str, list[str]]] = {}
    for choice in document.choices:
        for value in choice.values:
            mapped = mapping.entries.get(value)
            if mapped is None:
                labels.setdefault(choice.annotator, {}).setdefault(choice.name, []).append(value)
                continue
            if mapped.dropped:
                dropped[f"document label(s) {value!r} (mapped to drop)"] += 1
                continue
            layer = scheme.layer(mapped.layer)
            if layer is None or layer.kind != "segment":
                raise ImportFileError(
                    document.path,
                    f"whole-text label {value!r} is mapped to {mapped.layer}/{mapped.label}, "
                    "a span layer; map it to a segment layer (a sentence label) or leave it out "
                    "of the map to keep it as a document label",
                    choice.line,
                )
            first = len(text) - len(text.lstrip())
            last = len(text.rstrip())
            segments = ((first, last),)
            annotations.append(
                SourceAnnotation(
                    annotator=choice.annotator,
                    layer=mapped.layer,
                    label=mapped.label,
                    start=first,
                    end=last,
                    text=None,
                    attrs={},
                    origin=choice.origin,
                )
            )
    meta = dict(document.meta)
    if labels:
        meta["labels"] = labels
    status: dict[str, DocStatus] = {name: "done" for name in document.done}
    return SourceRecord(
        path=document.path,
        line=document.line,
        external_id=document.external_id,
        title=document.title or document.external_id,
        text=text,
        meta=meta,
        segments=segments,
        status=status,
        annotations=tuple(annotations),
        canonical=True,
    )
