"""What a reader of another tool's files produces: a document and its annotation graph.

Readers of brat, Label Studio, doccano, PTC and WebAnno TSV only decode their format: they give
the document's *raw* text and, per annotator, text-bound annotations (:class:`Entity`) with
code-point offsets into that raw text, the relations between them (:class:`Link`), events
(:class:`Event`) and equivalence sets. :mod:`annotator.io.formats.resolve` then canonicalizes
the text, carries every offset through the canonicalization map, applies the label map and
turns the graph into the store's annotations. Every item remembers its line for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.io.records import SourceRecord


@dataclass(slots=True)
class Entity:
    """A text-bound annotation as a tool wrote it.

    ``fragments`` are raw code-point offsets, half-open, sorted; more than one makes a
    discontinuous span. ``text`` is what the tool says the span covers, when it says so; the
    reader has already compared it with the raw text.
    """

    key: str
    annotator: str
    label: str
    fragments: tuple[tuple[int, int], ...]
    line: int | None = None
    origin: str = "import"
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    normalizations: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Link:
    """A directed relation from one entity to another (brat ``R``, a Label Studio relation).

    ``extra`` holds what a format adds and must get back on export (brat argument names other
    than ``Arg1``/``Arg2``, a Label Studio direction other than ``right``).
    """

    annotator: str
    type: str
    source: str
    target: str
    line: int | None = None
    key: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Event:
    """A brat event: a trigger entity and role-named arguments (entities or other events)."""

    annotator: str
    key: str
    trigger: str
    args: list[tuple[str, str]]
    line: int | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Equivalence:
    """A brat ``*`` line: entities that are the same thing."""

    annotator: str
    type: str
    members: list[str]
    line: int | None = None


@dataclass(slots=True)
class Choice:
    """Labels given to the whole text (Label Studio ``choices``, doccano classification).

    Mapped with ``--map`` to a segment layer, they label the text as one sentence; otherwise
    they are kept as document labels in the document's ``meta``.
    """

    annotator: str
    name: str
    values: list[str]
    line: int | None = None
    origin: str = "import"


@dataclass(slots=True)
class ForeignDocument:
    """One document (and one or more annotators' work on it) read from another tool's files.

    ``done`` names the annotators whose work on the document the file records as finished.
    """

    path: str
    line: int | None
    external_id: str
    raw_text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    equivalences: list[Equivalence] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass(slots=True)
class ReadResult:
    """Everything a reader read, and what it read but did not keep (one line each).

    ``records`` are documents already in our own terms (layers, labels, canonical offsets),
    as the CSV table holds them; they skip the label map.
    """

    documents: list[ForeignDocument] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    records: list[SourceRecord] = field(default_factory=list)
