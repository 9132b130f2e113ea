"""Counts with their nouns, as every front end words them: ``1 sentence``, ``3 sentences``.

Kept apart from the rulebook (which re-exports them) so that a screen can word a count without
importing the rulebook and the store's records: the documents screen of ``annotator demo``
paints before either is loaded.
"""

from __future__ import annotations

import re

_PLURAL_MARK = re.compile(r"(\w)\(s\)")


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """``1 sentence``, ``3 sentences``: a count with its noun."""
    return f"{n} {noun if n == 1 else (nouns or noun + 's')}"


def counted(n: int, phrase: str) -> str:
    """``n`` and a phrase whose ``(s)`` marks plurals: ``counted(1, "relation(s) to it")``
    is ``1 relation to it``, ``counted(2, ...)`` is ``2 relations to it``."""
    return f"{n} " + _PLURAL_MARK.sub(r"\1" if n == 1 else r"\1s", phrase)
