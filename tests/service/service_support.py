"""Documents written for the rulebook's tests."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.store.dto import DocStatus, NewAnnotation, NewDocument

ARTICLE = (
    "Mayor Ruth Calloway said the plan would work. Critics say it will fail.\n"
    'The regime slammed critics [/] on Tuesday. "It is a disgrace," she added.'
)


def new_document(
    external_id: str,
    raw: str = ARTICLE,
    *,
    annotations: Sequence[NewAnnotation] = (),
    status: dict[str, DocStatus] | None = None,
) -> NewDocument:
    """A document as the importers build it: canonical text, sentences, sha256."""
    body = canonicalize(raw)
    return NewDocument(
        external_id=external_id,
        title=f"Article {external_id}",
        text=body,
        sha256=text_sha256(body),
        meta={},
        segments=tuple(split_sentences(body)),
        status=status or {},
        annotations=tuple(annotations),
    )
