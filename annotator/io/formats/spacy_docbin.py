"""spaCy ``DocBin`` (``.spacy``): one ``Doc`` per document and annotator, for training.

Needs spaCy (``pip install 'annotator[spacy]'``); no language model is loaded: the text is
tokenized by ``spacy.blank("xx")``. Each layer's annotations go to ``doc.spans[<layer>]`` (a span
group holds overlapping spans) with the label as the span's label; ``doc.user_data`` holds the
document's id and title and the annotator. A span whose edge falls inside a token is widened to
whole tokens, and listed as a loss.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from annotator.io.errors import ExportError
from annotator.io.formats.graph import EMPTY_DONE
from annotator.store.dto import Annotation, DocStatus, Document

HOLDS = frozenset({EMPTY_DONE})
WIDENED = "spans whose edges fall inside a spaCy token (widened to whole tokens)"


class DocBinWriter:
    """Collects Docs and writes them as one DocBin file on ``close()``."""

    def __init__(self, path: Path, names: Mapping[tuple[str, str], str]) -> None:
        try:
            import spacy
            from spacy.tokens import DocBin
        except ImportError:
            raise ExportError(
                "the spacy format needs spaCy; install it with pip install 'annotator[spacy]'"
            ) from None
        self._path = path
        self._nlp: Any = spacy.blank("xx")
        self._bin: Any = DocBin(store_user_data=True)
        self.losses: list[tuple[str, str]] = []

    def add(
        self,
        document: Document,
        per_annotator: Sequence[tuple[str, Sequence[Annotation]]],
        status: Mapping[str, DocStatus],
    ) -> None:
        for annotator, found in per_annotator:
            doc = self._nlp.make_doc(document.text)
            groups: dict[str, list[Any]] = {}
            for a in sorted(found, key=lambda a: (a.layer, a.start, a.end, a.label)):
                span = doc.char_span(a.start, a.end, label=a.label)
                if span is None:
                    span = doc.char_span(a.start, a.end, label=a.label, alignment_mode="expand")
                    self.losses.append((document.external_id, WIDENED))
                if span is not None:
                    groups.setdefault(a.layer, []).append(span)
            for layer, spans in groups.items():
                doc.spans[layer] = spans
            doc.user_data["id"] = document.external_id
            doc.user_data["title"] = document.title
            doc.user_data["annotator"] = annotator
            self._bin.add(doc)

    def close(self) -> None:
        self._bin.to_disk(self._path)
