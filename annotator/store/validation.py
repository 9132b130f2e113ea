"""Checks an annotation must pass before it is written: scheme, offsets, segments, attrs.

The same rules serve interactive edits and bulk imports; messages are one line and start
with where the problem is (``where``), so an import can name the document and annotation.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from annotator.core.scheme import Layer, Scheme
from annotator.store.errors import InvalidAnnotation, InvalidInput

STATUS_VALUES = ("todo", "in_progress", "done")
ORIGIN_VALUES = ("manual", "suggestion", "import", "adjudication")
ROLE_VALUES = ("annotator", "adjudicator", "machine")
MAX_NAME = 200


def _fail(where: str, message: str) -> InvalidAnnotation:
    return InvalidAnnotation(f"{where}: {message}" if where else message)


def check_layer_label(scheme: Scheme, layer_name: str, label: str, where: str = "") -> Layer:
    """The layer, if it exists in ``scheme`` and has ``label``."""
    layer = scheme.layer(layer_name)
    if layer is None:
        names = ", ".join(item.name for item in scheme.layers)
        raise _fail(where, f"layer {layer_name!r} is not in scheme {scheme.name!r} ({names})")
    if layer.label(label) is None:
        names = ", ".join(layer.label_names)
        raise _fail(where, f"label {label!r} is not in layer {layer_name!r} ({names})")
    return layer


def check_offsets(start: int, end: int, n_chars: int, where: str = "") -> None:
    """``0 <= start < end <= n_chars``, in code points."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise _fail(where, f"offsets must be integers, got {start!r}..{end!r}")
    if not 0 <= start < end <= n_chars:
        raise _fail(
            where,
            f"span [{start}, {end}) is outside the text (0..{n_chars} code points)"
            " or empty; offsets are code points, half-open",
        )


def check_segment(
    layer: Layer, start: int, end: int, segments: Collection[tuple[int, int]], where: str = ""
) -> None:
    """A segment-layer annotation must cover exactly one segment."""
    if (start, end) not in segments:
        raise _fail(
            where,
            f"layer {layer.name!r} labels whole sentences, but [{start}, {end}) is not one"
            " of the document's segments",
        )


def check_origin(origin: str, where: str = "") -> None:
    if origin not in ORIGIN_VALUES:
        raise _fail(where, f"origin {origin!r} is not one of {', '.join(ORIGIN_VALUES)}")


def clean_attrs(attrs: Mapping[str, Any] | None, n_chars: int, where: str = "") -> dict[str, Any]:
    """``attrs`` as a JSON-safe dict; attribute spans (``{"start", "end"}``) must be in bounds."""
    if attrs is None:
        return {}
    if not isinstance(attrs, Mapping):
        raise _fail(where, f"attrs must be a mapping, got {type(attrs).__name__}")
    result = dict(attrs)
    if not result:
        return result
    for key, value in result.items():
        if not isinstance(key, str):
            raise _fail(where, f"attribute name {key!r} is not a string")
        if isinstance(value, Mapping) and "start" in value and "end" in value:
            inner = f"{where}, attribute {key!r}" if where else f"attribute {key!r}"
            check_offsets(value["start"], value["end"], n_chars, inner)
    try:
        json.dumps(result, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise _fail(where, f"attrs cannot be stored as JSON ({exc})") from None
    return result


def clean_name(name: str) -> str:
    """An annotator name without surrounding blanks; empty or control characters refused."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise InvalidInput("annotator name is empty; give a name such as --annotator alice")
    if len(cleaned) > MAX_NAME or any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in cleaned):
        raise InvalidInput(
            f"annotator name {cleaned[:40]!r} is too long or holds control characters;"
            f" use at most {MAX_NAME} printable characters"
        )
    return cleaned
