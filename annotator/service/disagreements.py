"""Where a document's annotators disagree: units, and each annotator's version of a unit.

Adjudication settles a document unit by unit. A **unit** is

- on a span layer, a cluster of overlapping spans: the counted annotators' spans of the layer,
  sorted, grouped while each one starts before the group's furthest end (so a long span and
  the short ones inside it are one unit);
- on a segment layer, a sentence that at least one counted annotator labelled.

An annotator's **version** of a unit is what they did there: the spans (offsets and label) they
marked inside the cluster, possibly none; or the statement label they gave the sentence with,
for a label that requires them (``attributed``), its ``source`` and ``cue`` spans, or no label.
Two versions agree exactly when they are equal; a unit whose versions are not all equal is a
**disagreement**. Notes never count: they are the annotator's own.

Everything here is pure: it takes annotations and returns values, so the rules can be tested
without a database and the report could use them too.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from annotator.core.attributes import attr_span
from annotator.core.scheme import Layer, LayerKind, Scheme
from annotator.store.dto import Annotation

Span = tuple[int, int, str]
"""A span as adjudication compares it: ``(start, end, label)``."""


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement label with the attribute spans its label requires, as ``(role, start, end)``
    in the order the label lists them; a missing attribute is left out."""

    label: str
    attributes: tuple[tuple[str, int, int], ...] = ()

    def attribute(self, role: str) -> tuple[int, int] | None:
        for name, start, end in self.attributes:
            if name == role:
                return (start, end)
        return None


@dataclass(frozen=True, slots=True)
class Version:
    """One annotator's version of a unit: spans on a span layer, a statement on a segment
    layer; both empty means the annotator did nothing there."""

    spans: tuple[Span, ...] = ()
    statement: Statement | None = None

    @property
    def empty(self) -> bool:
        return not self.spans and self.statement is None


NOTHING = Version()


@dataclass(frozen=True, slots=True)
class Unit:
    """A place where the counted annotators' versions can be compared and gold decided.

    ``versions`` maps every counted annotator (in alphabetical order) to their version.
    ``sentence`` is the index of the sentence the unit starts in.
    """

    document_id: int
    layer: str
    kind: LayerKind
    start: int
    end: int
    sentence: int
    versions: tuple[tuple[str, Version], ...]

    @property
    def key(self) -> tuple[int, str, int, int]:
        """What names the unit in the store: document, layer and extent."""
        return (self.document_id, self.layer, self.start, self.end)

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.versions)

    def version(self, annotator: str) -> Version:
        for name, version in self.versions:
            if name == annotator:
                return version
        return NOTHING

    @property
    def disagreement(self) -> bool:
        """True when the counted annotators' versions are not all the same."""
        return len({version for _, version in self.versions}) > 1

    def groups(self) -> list[tuple[Version, tuple[str, ...]]]:
        """Each distinct version with the annotators who gave it, in the order of the first
        annotator giving it."""
        found: dict[Version, list[str]] = {}
        for name, version in self.versions:
            found.setdefault(version, []).append(name)
        return [(version, tuple(names)) for version, names in found.items()]

    def supporters(self, version: Version) -> tuple[str, ...]:
        """The annotators whose version is exactly ``version``, sorted."""
        return tuple(sorted(name for name, mine in self.versions if mine == version))

    def span_supporters(self, span: Span) -> tuple[str, ...]:
        """The annotators who marked exactly ``span`` in this unit, sorted."""
        return tuple(sorted(name for name, mine in self.versions if span in mine.spans))

    def distinct_spans(self) -> tuple[Span, ...]:
        """Every span any annotator marked here, each once, in text order."""
        return tuple(sorted({span for _, version in self.versions for span in version.spans}))


def statement_of(layer: Layer, annotation: Annotation | None) -> Statement | None:
    """The statement an annotation on a segment layer gives, as adjudication compares it."""
    if annotation is None:
        return None
    label = layer.label(annotation.label)
    requires = label.requires if label is not None else ()
    found: list[tuple[str, int, int]] = []
    for role in requires:
        span = attr_span(annotation.attrs, role)
        if span is not None:
            found.append((role, span[0], span[1]))
    return Statement(annotation.label, tuple(found))


def span_clusters(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """The extents of the clusters of overlapping spans, in text order.

    >>> span_clusters([(0, 4, "a"), (2, 6, "b"), (6, 8, "a"), (10, 12, "a")])
    [(0, 6), (6, 8), (10, 12)]
    """
    out: list[tuple[int, int]] = []
    for start, end, _ in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _sentence_of(starts: Sequence[int], offset: int) -> int:
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def find_units(
    scheme: Scheme,
    document_id: int,
    segments: Sequence[tuple[int, int]],
    counted: Sequence[str],
    annotations: Mapping[str, Sequence[Annotation]],
) -> list[Unit]:
    """Every unit of a document, in document order (by start, then the scheme's layer order).

    ``counted`` are the annotators whose work is compared (sorted here); ``annotations`` maps
    each of them to their annotations on the document. Annotations on layers the scheme lacks
    are ignored.
    """
    people = sorted(counted)
    starts = [start for start, _ in segments]
    segment_index = {segment: i for i, segment in enumerate(segments)}
    order = {layer.name: i for i, layer in enumerate(scheme.layers)}
    units: list[Unit] = []
    for layer in scheme.layers:
        mine = {
            name: [a for a in annotations.get(name, ()) if a.layer == layer.name] for name in people
        }
        if layer.kind == "span":
            units.extend(_span_units(document_id, layer, people, mine, starts))
        else:
            units.extend(_segment_units(document_id, layer, people, mine, segments, segment_index))
    units.sort(key=lambda u: (u.start, order[u.layer], u.end))
    return units


def _span_units(
    document_id: int,
    layer: Layer,
    people: Sequence[str],
    mine: Mapping[str, Sequence[Annotation]],
    starts: Sequence[int],
) -> list[Unit]:
    spans = {name: sorted({(a.start, a.end, a.label) for a in mine[name]}) for name in people}
    clusters = span_clusters(span for own in spans.values() for span in own)
    units = []
    for start, end in clusters:
        versions = tuple(
            (name, Version(spans=tuple(s for s in spans[name] if start <= s[0] and s[1] <= end)))
            for name in people
        )
        units.append(
            Unit(document_id, layer.name, "span", start, end, _sentence_of(starts, start), versions)
        )
    return units


def _segment_units(
    document_id: int,
    layer: Layer,
    people: Sequence[str],
    mine: Mapping[str, Sequence[Annotation]],
    segments: Sequence[tuple[int, int]],
    segment_index: Mapping[tuple[int, int], int],
) -> list[Unit]:
    labels: dict[str, dict[int, Annotation]] = {}
    for name in people:
        labels[name] = {}
        for a in mine[name]:
            index = segment_index.get((a.start, a.end))
            if index is not None:
                labels[name][index] = a
    labelled = sorted({index for own in labels.values() for index in own})
    units = []
    for index in labelled:
        start, end = segments[index]
        versions = tuple(
            (name, Version(statement=statement_of(layer, labels[name].get(index))))
            for name in people
        )
        units.append(Unit(document_id, layer.name, "segment", start, end, index, versions))
    return units


def in_unit(unit: Unit, annotation: Annotation) -> bool:
    """Whether ``annotation`` (a gold one) lies in ``unit``: same layer, overlapping it."""
    return (
        annotation.layer == unit.layer
        and annotation.start < unit.end
        and annotation.end > unit.start
    )
