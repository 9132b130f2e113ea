"""Pre-annotation: pure functions from a document's canonical text to suggested annotations.

Nothing here touches a database or a screen: a command stores the suggestions as annotations
of a ``machine`` annotator (origin ``suggestion``), and the annotation screen shows them.

* ``Suggester(scheme, lexicons).suggest(text)`` gives loaded-language spans, epistemic cues,
  scare quotes and a statement label for every sentence (``docs/suggestions.md``).
* ``team_lexicon(documents)`` learns the expressions the team has tagged, to suggest them
  wherever else they occur.
* ``load_lexicon(path)`` reads a user lexicon (format in ``annotator.suggest.lexicon``).
"""

from __future__ import annotations

from annotator.suggest.lexicon import (
    Lexicon,
    LexiconError,
    builtin_lexicon,
    load_lexicon,
    parse_lexicon,
)
from annotator.suggest.model import Note, Span, Suggestion
from annotator.suggest.suggester import TEAM_SOURCE, Suggester, Suggestions

__all__ = [
    "TEAM_SOURCE",
    "Lexicon",
    "LexiconError",
    "Note",
    "Span",
    "Suggester",
    "Suggestion",
    "Suggestions",
    "builtin_lexicon",
    "load_lexicon",
    "parse_lexicon",
]
