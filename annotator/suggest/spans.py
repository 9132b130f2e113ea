"""Span suggestions: lexicon matches on span layers, loaded cues, and scare quotes.

* Every match of a ``LAYER/LABEL`` lexicon entry on a span layer is suggested with the entry's
  weight as its confidence (a fifth less inside a quotation, where the words are the
  speaker's). Where matches of one label nest, the longest is kept.
* A loaded reporting cue ("claimed", "admitted") is suggested as ``epistemic``, unless a
  lexicon already suggests a span of the same layer on it ("slammed" is emotive).
* **Scare quotes**: a quotation of one to four words, with no sentence-final mark inside,
  in a sentence that attributes nothing, and not a name being reported ("called
  “professional agitators”"): the writer keeping a word at arm's length. The suggestion
  covers the quotation marks, and a "so-called" right before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.suggest.document import Document
from annotator.suggest.model import Suggestion

__all__ = ["best_spans", "scare_quotes"]

_SENTENCE_MARK = re.compile(r"[.!?…‽]")
_NAMING = frozenset(
    [
        "called",
        "dubbed",
        "branded",
        "termed",
        "labelled",
        "labeled",
        "nicknamed",
        "named",
        "as",
        "titled",
        "entitled",
    ]
)
_SO_CALLED = re.compile(r"(?:so-called|so called)\s*$", re.IGNORECASE)
_SCARE_MAX_WORDS = 4
_SCARE_CONFIDENCE = 0.6


def best_spans(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """Suggestions without duplicates: of nested spans with one label, the longest stays."""
    by_label: dict[tuple[str, str], list[Suggestion]] = {}
    for suggestion in suggestions:
        by_label.setdefault((suggestion.layer, suggestion.label), []).append(suggestion)
    kept: list[Suggestion] = []
    for group in by_label.values():
        group.sort(key=lambda s: (s.start, -s.end, -s.confidence))
        reach = -1
        for suggestion in group:
            if suggestion.end <= reach:
                continue  # inside (or equal to) a longer span of this label
            kept.append(suggestion)
            reach = suggestion.end
    kept.sort(key=lambda s: (s.start, s.end, s.layer, s.label))
    return kept


def scare_quotes(doc: Document, layer: str, label: str) -> list[tuple[int, Suggestion]]:
    """Scare-quote candidates as ``(sentence, suggestion)`` pairs (see the module docstring).

    Whether the sentence attributes anything is known only later; the caller keeps the
    candidates of sentences that do not.
    """
    found: list[tuple[int, Suggestion]] = []
    text = doc.text
    words = doc.words
    for quote in doc.quotes:
        if quote.continued:
            continue
        s = doc.sentence_at(quote.start)
        if s < 0:
            continue
        inner_start, inner_end = quote.inner
        inner = words.between(inner_start, inner_end)
        if not 1 <= len(inner) <= _SCARE_MAX_WORDS or _SENTENCE_MARK.search(
            text, inner_start, inner_end
        ):
            continue
        if _inside_long_quote(doc, quote.start):
            continue  # a word quoted inside someone's quotation is theirs
        before = words.first_at_or_after(quote.start) - 1
        if before >= 0 and words.norms[before] in _NAMING:
            continue
        start = quote.start
        so_called = _SO_CALLED.search(text, max(0, start - 12), start)
        if so_called is not None:
            start = so_called.start()
        suggestion = Suggestion(
            layer, label, start, quote.end, _SCARE_CONFIDENCE, "quotes.scare", {}
        )
        found.append((s, suggestion))
    return found


def _inside_long_quote(doc: Document, offset: int) -> bool:
    outer = doc.outer_quote_at(offset)
    return outer is not None and outer.start != offset
