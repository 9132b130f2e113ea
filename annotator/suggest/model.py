"""What the pre-annotators return: suggestions and notes, as plain frozen values.

A ``Suggestion`` has the shape of a stored annotation (layer, label, half-open code-point
offsets into the canonical text, attrs), plus how sure the rule is and which rule fired, so a
command can store it as an annotation of a ``machine`` annotator with origin ``suggestion``
(``annotation_attrs()`` folds the rule and the confidence into the attrs). A ``Note`` is
something the rules noticed but would not guess about, such as a quotation mark with no partner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Note", "Span", "Suggestion", "span_attr"]

Span = tuple[int, int]
"""A half-open ``(start, end)`` range of code points in the canonical text."""


def span_attr(span: Span) -> dict[str, int]:
    """An attribute span in the store's form, ``{"start": s, "end": e}``."""
    return {"start": span[0], "end": span[1]}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested annotation.

    ``attrs`` holds the attribute spans of a statement (``source``, ``cue`` and, for a pronoun
    source, ``refers_to``: the named person it stands for) in the store's
    ``{"start", "end"}`` form. ``confidence`` is in ``(0, 1]``: how often the rule is right in
    the text it was written for, a figure to sort and filter by, not a calibrated probability.
    ``rule`` names the rule that fired (``attribution.cue``, ``lexicon:loaded-language``,
    ``team-lexicon`` ...); ``docs/suggestions.md`` lists them.
    """

    layer: str
    label: str
    start: int
    end: int
    confidence: float
    rule: str
    attrs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    def annotation_attrs(self) -> dict[str, Any]:
        """The attrs to store with the annotation: the spans, ``rule`` and ``confidence``."""
        return {**self.attrs, "rule": self.rule, "confidence": round(self.confidence, 3)}


@dataclass(frozen=True, slots=True)
class Note:
    """Something a rule found and left alone, at ``[start, end)``, with a one-line reason."""

    start: int
    end: int
    rule: str
    message: str
