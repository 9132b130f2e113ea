"""Which document a user means: one rule for ``--doc``, ``--documents`` and the UI.

A reference equal to a document's external id means that document; otherwise a positive
integer means the document with that number in ``annotator docs list``; ``#N`` always means
number N. So ``--doc 2`` names the document imported as ``2`` when there is one (ids from a
spreadsheet are often numbers), and ``--doc '#2'`` names number 2 whatever the ids are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from annotator.store.dto import DocumentSummary
from annotator.store.errors import NotFound
from annotator.store.queries import DOCS_HINT

if TYPE_CHECKING:
    from annotator.store.repository import Repository

_NUMBER = re.compile(r"#?([1-9][0-9]{0,17})")
"""A document number: digits, optionally after ``#`` (at most 18 digits: a 64-bit id)."""


def resolve_document(repo: Repository, ref: str) -> DocumentSummary:
    """The document ``ref`` names, by the rule of this module; ``NotFound`` otherwise."""
    wanted = ref.strip()
    explicit = wanted.startswith("#")
    if not explicit and wanted:
        found = repo.summary(external_id=wanted)
        if found is not None:
            return found
    match = _NUMBER.fullmatch(wanted)
    if match is not None:
        found = repo.summary(document_id=int(match.group(1)))
        if found is not None:
            return found
    raise NotFound(f"no document {ref!r}; {DOCS_HINT}")


def resolve_documents(repo: Repository, refs: Iterable[str]) -> tuple[int, ...]:
    """The numbers of the documents ``refs`` name, sorted, each once."""
    return tuple(sorted({resolve_document(repo, ref).id for ref in refs}))
