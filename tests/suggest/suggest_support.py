"""Helpers for the suggester tests: run it on a text, look at what it said per sentence."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from annotator.core.scheme import Scheme
from annotator.core.scheme_loader import load_scheme
from annotator.core.text import canonicalize
from annotator.resources import default_scheme_path
from annotator.suggest import Suggester, Suggestion


@lru_cache(maxsize=1)
def default_scheme() -> Scheme:
    return load_scheme(default_scheme_path())


@lru_cache(maxsize=1)
def default_suggester() -> Suggester:
    return Suggester(default_scheme())


@dataclass(frozen=True)
class Statement:
    """A statement suggestion read back as text: the sentence, its label, source and cue."""

    sentence: str
    label: str
    rule: str
    source: str | None
    cue: str | None
    refers_to: str | None


def statements(text: str) -> list[Statement]:
    text = canonicalize(text)
    found: list[Statement] = []
    for s in default_suggester().suggest(text).suggestions:
        if s.layer != "statement":
            continue
        found.append(
            Statement(
                text[s.start : s.end],
                s.label,
                s.rule,
                _attr(text, s, "source"),
                _attr(text, s, "cue"),
                _attr(text, s, "refers_to"),
            )
        )
    return found


def only_statement(text: str) -> Statement:
    found = statements(text)
    assert len(found) == 1, found
    return found[0]


def spans(text: str) -> list[tuple[str, str, str]]:
    """``(label, covered text, rule)`` of every span suggestion."""
    text = canonicalize(text)
    return [
        (s.label, text[s.start : s.end], s.rule)
        for s in default_suggester().suggest(text).suggestions
        if s.layer == "loaded"
    ]


def _attr(text: str, suggestion: Suggestion, name: str) -> str | None:
    value = suggestion.attrs.get(name)
    if value is None:
        return None
    return text[value["start"] : value["end"]]
