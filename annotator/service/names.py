"""The rulebook's check of a reviewer's name, apart from the other checks.

The terminal UI checks the reviewer's name when it makes its session, before the first frame;
the other checks (:mod:`annotator.service.checks`, which re-exports this one) need the store's
records and the scheme model, which ``annotator demo`` loads only after its documents screen has
painted.
"""

from __future__ import annotations

from annotator.core.text import has_control
from annotator.store.errors import InvalidInput

MAX_NAME = 200
"""Longest annotator name, in characters."""


def check_name(name: object, where: str = "") -> str:
    """An annotator name without surrounding blanks; empty or control characters refused."""
    cleaned = name.strip() if isinstance(name, str) else ""
    if not cleaned:
        raise InvalidInput(_at(where, "annotator name is empty; give a name such as --as alice"))
    if len(cleaned) > MAX_NAME or has_control(cleaned):
        shown = ascii(cleaned[:40])
        raise InvalidInput(
            _at(
                where,
                f"annotator name {shown} is too long or holds control characters;"
                f" use at most {MAX_NAME} printable characters",
            )
        )
    return cleaned


def _at(where: str, message: str) -> str:
    return f"{where}: {message}" if where else message
