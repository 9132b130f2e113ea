"""One rule for which document ``--doc X`` means, whatever the front end."""

from __future__ import annotations

import pytest
from service_support import new_document

from annotator.service.documents import resolve_document, resolve_documents
from annotator.store.errors import NotFound
from annotator.store.repository import Repository


@pytest.fixture
def numbered(repo: Repository) -> Repository:
    """Document 1 is imported as ``2``; document 2 as ``harbor``; document 3 as ``#1``."""
    repo.import_documents(
        [
            new_document("2", "First text. It has an id that looks like a number."),
            new_document("harbor", "Second text. Its id is a word."),
            new_document("#1", "Third text. Its id starts with a hash."),
        ]
    )
    return repo


def test_an_external_id_wins_over_a_number(numbered: Repository) -> None:
    assert resolve_document(numbered, "2").external_id == "2"
    assert resolve_document(numbered, "2").id == 1


def test_a_number_names_the_document_with_that_number(numbered: Repository) -> None:
    assert resolve_document(numbered, "3").external_id == "#1"
    assert resolve_document(numbered, "harbor").id == 2


def test_hash_number_always_means_the_number(numbered: Repository) -> None:
    assert resolve_document(numbered, "#2").external_id == "harbor"
    assert resolve_document(numbered, "#1").external_id == "2"


@pytest.mark.parametrize("ref", ["4", "#4", "0", "-1", "nope", "", "#", "99999999999999999999"])
def test_an_unknown_document_is_one_line_with_the_hint(numbered: Repository, ref: str) -> None:
    with pytest.raises(NotFound) as caught:
        resolve_document(numbered, ref)
    assert str(caught.value) == (
        f"no document {ref!r}; `annotator docs list` shows each document's number and id"
    )


def test_several_references_resolve_to_sorted_numbers(numbered: Repository) -> None:
    assert resolve_documents(numbered, ["harbor", "2", "#2", "3"]) == (1, 2, 3)
