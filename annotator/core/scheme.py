"""The annotation scheme: layers of labels, as loaded from ``schemas/*.yaml``.

These are plain frozen values. Loading and validating the YAML lives in
``annotator.core.scheme_loader``; the store keeps the scheme body and its sha256.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LayerKind = Literal["span", "segment"]
Level = Literal["nominal", "ordinal", "interval"]


@dataclass(frozen=True, slots=True)
class Label:
    """One label of a layer.

    ``key`` is the hotkey that applies it in the UI, ``color`` a colour slot (0-based index into
    the UI palette), ``requires`` the span attributes a segment label asks for (the
    ``attributed`` statement requires ``("source", "cue")``).
    """

    name: str
    key: str
    color: int
    description: str = ""
    examples: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Layer:
    """A span layer (free character spans) or a segment layer (one label per sentence)."""

    name: str
    kind: LayerKind
    labels: tuple[Label, ...]
    level: Level = "nominal"
    description: str = ""

    def label(self, name: str) -> Label | None:
        """The label called ``name``, or None."""
        for label in self.labels:
            if label.name == name:
                return label
        return None

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)


@dataclass(frozen=True, slots=True)
class Scheme:
    """A named, versioned list of layers.

    ``lexicons`` are the user lexicon files the suggester reads with this scheme, as written
    in the scheme file (a relative path is relative to the scheme file's folder); their format
    is described in ``annotator.suggest.lexicon``.
    """

    name: str
    version: int
    layers: tuple[Layer, ...]
    description: str = ""
    lexicons: tuple[str, ...] = ()
    source_path: str | None = field(default=None, compare=False)

    def layer(self, name: str) -> Layer | None:
        """The layer called ``name``, or None."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        return None

    @property
    def span_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "span")

    @property
    def segment_layers(self) -> tuple[Layer, ...]:
        return tuple(layer for layer in self.layers if layer.kind == "segment")
