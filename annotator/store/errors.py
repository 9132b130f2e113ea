"""Errors the store raises.

Every error's ``str()`` is one line a user can act on: what went wrong, where, and how to fix
it. The CLI and the UI print it as is; nothing above the store needs to know SQLAlchemy's
exceptions.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class NotFound(StoreError):
    """A document, annotation or segment that does not exist (or is not the caller's)."""


class InvalidAnnotation(StoreError):
    """An annotation the scheme or the document's text does not allow."""


class InvalidInput(StoreError):
    """A bad argument other than an annotation: an empty annotator name, an unknown status."""


class DuplicateDocument(StoreError):
    """A document id already used by a document with different text."""


class SchemeMismatch(StoreError):
    """The database is bound to another scheme than the one asked for."""


class HistoryConflict(StoreError):
    """An undo or redo that no longer applies because the annotation changed meanwhile."""


class DatabaseError(StoreError):
    """A database that cannot be opened, migrated or backed up."""


def one_line(error: BaseException | None) -> str:
    """An error's message on one line (drivers' messages can span several)."""
    return " ".join(str(error).split())
