"""What the article view colours for a reviewer's annotations: spans, statement marks in the
gutter, and the source and cue spans of attributed statements; and, outlined, the machines'
suggestions still pending for the reviewer."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from annotator.core.scheme import Scheme
from annotator.service.annotating import label_of, missing_attributes
from annotator.store.dto import Annotation
from annotator.tui.widgets.document_view import GutterMark, SpanMark
from annotator.tui.widgets.palette import CUE_SLOT, GREY_SLOT, SOURCE_SLOT, label_slot

ATTRIBUTE_SLOTS = {"source": SOURCE_SLOT, "cue": CUE_SLOT}

INCOMPLETE_SYMBOL = "?"
"""The gutter mark of an attributed statement still missing its source or cue."""


def document_marks(
    scheme: Scheme, segments: Sequence[tuple[int, int]], annotations: Iterable[Annotation]
) -> tuple[list[SpanMark], dict[int, GutterMark]]:
    """The spans to colour and the gutter marks (keyed by sentence index) of ``annotations``.

    Span-layer annotations keep their ids; the role spans of a statement get negative ids
    derived from the statement's, so a click on them never selects a span to edit.
    """
    statement_layers = scheme.segment_layers
    statement_layer = statement_layers[0].name if statement_layers else None
    index = {segment: i for i, segment in enumerate(segments)}
    marks: list[SpanMark] = []
    gutter: dict[int, GutterMark] = {}
    for annotation in annotations:
        layer = scheme.layer(annotation.layer)
        label = label_of(scheme, annotation)
        if layer is not None and layer.kind == "span":
            marks.append(
                SpanMark(
                    annotation.id,
                    annotation.start,
                    annotation.end,
                    annotation.label,
                    label_slot(label),
                )
            )
            continue
        sentence = index.get((annotation.start, annotation.end))
        if annotation.layer != statement_layer or sentence is None:
            continue
        missing = missing_attributes(scheme, annotation)
        symbol = (label.key if label and label.key else annotation.label[:1]).upper()
        gutter[sentence] = GutterMark(
            INCOMPLETE_SYMBOL if missing else symbol,
            label_slot(label),
            annotation.label + (" (incomplete)" if missing else ""),
        )
        for offset, role in enumerate(label.requires if label is not None else (), start=1):
            value = annotation.attrs.get(role)
            if isinstance(value, Mapping) and "start" in value and "end" in value:
                marks.append(
                    SpanMark(
                        -(annotation.id * 100 + offset),
                        int(value["start"]),
                        int(value["end"]),
                        role,
                        ATTRIBUTE_SLOTS.get(role, GREY_SLOT),
                    )
                )
    return marks, gutter


def suggestion_marks(
    scheme: Scheme, segments: Sequence[tuple[int, int]], pending: Iterable[Annotation]
) -> tuple[list[SpanMark], dict[int, GutterMark]]:
    """The pending suggestions as outlined spans and dim gutter marks (the label's symbol in
    lower case), to draw beside the reviewer's own marks, which take precedence."""
    statement_layers = scheme.segment_layers
    statement_layer = statement_layers[0].name if statement_layers else None
    index = {segment: i for i, segment in enumerate(segments)}
    marks: list[SpanMark] = []
    gutter: dict[int, GutterMark] = {}
    for suggestion in pending:
        layer = scheme.layer(suggestion.layer)
        label = label_of(scheme, suggestion)
        if layer is not None and layer.kind == "span":
            marks.append(
                SpanMark(
                    suggestion.id,
                    suggestion.start,
                    suggestion.end,
                    suggestion.label,
                    label_slot(label),
                    suggested=True,
                )
            )
            continue
        sentence = index.get((suggestion.start, suggestion.end))
        if suggestion.layer != statement_layer or sentence is None:
            continue
        symbol = (label.key if label and label.key else suggestion.label[:1]).lower()
        gutter[sentence] = GutterMark(
            symbol, label_slot(label), f"{suggestion.label} (suggested)", suggested=True
        )
    return marks, gutter
