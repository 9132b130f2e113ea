"""What a parser reads from a file before it is checked against the text and the scheme.

Parsers (``plaintext``, ``csv_rows``, ``jsonl``) only decode and check the shape of their input;
``build`` then canonicalizes the text, segments it and validates every offset and label, turning
a :class:`SourceRecord` into the store's :class:`~annotator.store.dto.NewDocument`. Each record
remembers its file and line so that any error can name them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from annotator.store.dto import DocStatus


@dataclass(frozen=True, slots=True)
class SourceAnnotation:
    """One annotation as written in a native JSONL line, not yet checked against the text."""

    annotator: str
    layer: str
    label: str
    start: int
    end: int
    text: str | None
    attrs: Mapping[str, Any]
    origin: str


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One document read from a file.

    ``canonical`` says the parser already canonicalized ``text`` (plain-text files do, to find
    the title); ``segments`` is None when the file carries none and they are to be computed.
    """

    path: str
    line: int | None
    external_id: str
    title: str
    text: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    segments: tuple[tuple[int, int], ...] | None = None
    status: Mapping[str, DocStatus] = field(default_factory=dict)
    annotations: tuple[SourceAnnotation, ...] = ()
    canonical: bool = False

    @property
    def where(self) -> str:
        """``path:line`` (or just the path) for messages."""
        return f"{self.path}:{self.line}" if self.line is not None else self.path
