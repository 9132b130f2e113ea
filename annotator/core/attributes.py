"""Span attributes of a statement: the ``source`` and ``cue`` an attributed statement marks.

They are stored in an annotation's ``attrs`` as ``{"source": {"start": s, "end": e}}``; the
report, the bias profile and adjudication all read them the same way, through
:func:`attr_span`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def attr_span(attrs: Mapping[str, Any], name: str) -> tuple[int, int] | None:
    """The ``(start, end)`` of a span attribute such as ``source``, or None if absent."""
    value = attrs.get(name)
    if value is None:  # the usual case; an ABC isinstance check costs more than the rest
        return None
    if isinstance(value, Mapping):
        start, end = value.get("start"), value.get("end")
        if isinstance(start, int) and isinstance(end, int) and start < end:
            return (start, end)
    return None
