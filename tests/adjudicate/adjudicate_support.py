"""Articles written for the adjudication tests, with three annotators' work on them.

``COUNCIL`` is annotated by alice, bob and carol (all done) so that it has, on purpose:

- loaded spans: "slammed" emotive by all three (agreement); "the regime" labeling by alice and
  bob, nothing by carol; "reckless" emotive by alice and carol, exaggeration by bob;
- statements: sentence 1 attributed by all three, alice and bob with source "Mayor Ruth
  Calloway", carol with source "Ruth Calloway" (same cue "said"); sentence 2 editorial by alice
  and bob, mixed by carol; sentence 3 reporting by all three (agreement).

Disagreements in document order (by where they start): sentence 1, sentence 2, "the regime",
"reckless".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from typer.testing import Result

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.store.dto import DocStatus, NewAnnotation, NewDocument
from annotator.store.repository import Repository

COUNCIL = (
    "Mayor Ruth Calloway said the plan would work. "
    "Critics slammed the regime for its reckless spending. "
    "The council meets again on Friday."
)
Run = Callable[..., Result]
"""Runs ``annotator --db <database> ARGS`` in-process."""
PEOPLE = ("alice", "bob", "carol")
ADJUDICATOR = "judge"


def at(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    """The offsets of the ``nth`` occurrence of ``phrase`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def span(text: str, who: str, label: str, phrase: str) -> NewAnnotation:
    start, end = at(text, phrase)
    return NewAnnotation(who, "loaded", label, start, end, {})


def statement(
    text: str,
    who: str,
    sentence: int,
    label: str,
    *,
    source: str | None = None,
    cue: str | None = None,
    note: str | None = None,
) -> NewAnnotation:
    segments = split_sentences(text)
    start, end = segments[sentence]
    attrs: dict[str, Any] = {}
    if source is not None:
        s, e = at(text, source)
        attrs["source"] = {"start": s, "end": e}
    if cue is not None:
        s, e = at(text, cue)
        attrs["cue"] = {"start": s, "end": e}
    if note is not None:
        attrs["note"] = note
    return NewAnnotation(who, "statement", label, start, end, attrs)


def council_annotations(text: str = COUNCIL) -> list[NewAnnotation]:
    out = [span(text, who, "emotive", "slammed") for who in PEOPLE]
    out += [span(text, who, "labeling", "the regime") for who in ("alice", "bob")]
    out += [
        span(text, "alice", "emotive", "reckless"),
        span(text, "bob", "exaggeration", "reckless"),
        span(text, "carol", "emotive", "reckless"),
    ]
    out += [
        statement(text, "alice", 0, "attributed", source="Mayor Ruth Calloway", cue="said"),
        statement(
            text, "bob", 0, "attributed", source="Mayor Ruth Calloway", cue="said", note="easy"
        ),
        statement(text, "carol", 0, "attributed", source="Ruth Calloway", cue="said"),
        statement(text, "alice", 1, "editorial"),
        statement(text, "bob", 1, "editorial"),
        statement(text, "carol", 1, "mixed"),
    ]
    out += [statement(text, who, 2, "reporting") for who in PEOPLE]
    return out


def new_document(
    external_id: str,
    text: str,
    annotations: Sequence[NewAnnotation] = (),
    status: dict[str, DocStatus] | None = None,
) -> NewDocument:
    body = canonicalize(text)
    return NewDocument(
        external_id=external_id,
        title=f"Article {external_id}",
        text=body,
        sha256=text_sha256(body),
        meta={},
        segments=tuple(split_sentences(body)),
        status=status if status is not None else dict.fromkeys(PEOPLE, "done"),
        annotations=tuple(annotations),
    )


def council(repo: Repository, external_id: str = "council") -> int:
    """Import the council article with the three annotators' work; add the adjudicator."""
    repo.import_documents([new_document(external_id, COUNCIL, council_annotations())])
    repo.ensure_annotator(ADJUDICATOR, "adjudicator")
    found = repo.summary(external_id=external_id)
    assert found is not None
    return found.id
