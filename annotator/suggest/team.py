"""The team's own lexicon: what annotators tagged in one document, suggested everywhere else.

``team_lexicon`` reads documents with the spans annotators marked on span layers and returns
a ``Lexicon`` with one entry per distinct expression (the words of the span, compared without
regard to case or spacing), tagged with the label most annotators gave it. Give it to a
``Suggester`` and every other occurrence of the expression in the corpus is suggested (rule
``team-lexicon``). The suggestions include the spots already tagged; a command storing them
leaves out those an annotator already has.

The label: each annotator who tagged the expression votes once for each label they gave it
(anywhere in the corpus); the label with the most voters wins, ties going to the label used
most often, then to the name in alphabetical order. The confidence (the entry's weight) is
``voters for the label / (annotators who tagged the expression + 1)``: one annotator alone
gives 0.5, three out of three 0.75, so a word the whole team agrees on outranks one person's
habit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from annotator.suggest.lexicon import TEAM_SOURCE, Entry, Lexicon, literal_entry
from annotator.suggest.tokens import WORD, normalize_word

__all__ = ["TaggedSpan", "team_lexicon"]

MAX_WORDS = 6
"""Longer tagged stretches (a whole clause marked as loaded) are not learnt as expressions."""


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    """One span an annotator marked: ``text[start:end]`` on ``layer`` with ``label``."""

    start: int
    end: int
    layer: str
    label: str
    annotator: str


def team_lexicon(
    documents: Iterable[tuple[str, Iterable[TaggedSpan]]],
    *,
    layers: Sequence[str] | None = None,
    min_annotators: int = 1,
    max_words: int = MAX_WORDS,
) -> Lexicon:
    """Learn the expressions tagged in ``documents`` (pairs of canonical text and spans).

    ``layers`` limits learning to those span layers (all layers by default; give the span
    layers of the scheme, since segment annotations are no expressions). An expression needs
    ``min_annotators`` different annotators to be learnt.
    """
    wanted = None if layers is None else set(layers)
    # (layer, expression key) -> annotator -> labels they used (with counts)
    votes: dict[tuple[str, str], dict[str, Counter[str]]] = {}
    written: dict[tuple[str, str], Counter[str]] = {}
    for text, spans in documents:
        for span in spans:
            if wanted is not None and span.layer not in wanted:
                continue
            expression = _expression(text, span.start, span.end, max_words)
            if expression is None:
                continue
            key = (span.layer, _key(expression))
            votes.setdefault(key, {}).setdefault(span.annotator, Counter())[span.label] += 1
            written.setdefault(key, Counter())[expression] += 1
    entries: list[Entry] = []
    for number, (key, by_annotator) in enumerate(sorted(votes.items()), start=1):
        if len(by_annotator) < min_annotators:
            continue
        voters: Counter[str] = Counter()
        uses: Counter[str] = Counter()
        for labels in by_annotator.values():
            voters.update(labels.keys())
            uses.update(labels)
        label = min(voters, key=lambda name: (-voters[name], -uses[name], name))
        weight = voters[label] / (len(by_annotator) + 1)
        expression = min(written[key], key=lambda e: (-written[key][e], e))
        entry = literal_entry(expression, f"{key[0]}/{label}", weight, TEAM_SOURCE, number)
        if entry is not None:
            entries.append(entry)
    return Lexicon(tuple(entries))


def _expression(text: str, start: int, end: int, max_words: int) -> str | None:
    """The tagged text as an expression, or None if it is no whole-word stretch to learn."""
    if not 0 <= start < end <= len(text):
        return None
    inside = text[start:end]
    words = WORD.findall(inside)
    if not words or len(words) > max_words:
        return None
    # a span that cuts a word ("illegal" inside "illegals") would match other words
    if start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        return None
    if end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        return None
    return " ".join(inside.split())


def _key(expression: str) -> str:
    """The form two taggings share when they are the same expression."""
    return " ".join(normalize_word(word) for word in expression.split())
