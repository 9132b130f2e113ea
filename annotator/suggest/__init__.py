"""Pre-annotation: pure functions from a document's canonical text to suggested annotations.

Nothing here touches a database or a screen: a command stores the suggestions as annotations
of a ``machine`` annotator (origin ``suggestion``), and the annotation screen shows them.

* ``Suggester(scheme, lexicons).suggest(text)`` gives loaded-language spans, epistemic cues,
  scare quotes and a statement label for every sentence (``docs/suggestions.md``).
* ``team_lexicon(documents)`` learns the expressions the team has tagged, to suggest them
  wherever else they occur.
* ``load_lexicon(path)`` reads a user lexicon (format in ``annotator.suggest.lexicon``);
  ``scheme_lexicons(scheme)`` those a scheme names under ``lexicons:``.
"""

from __future__ import annotations

from annotator.suggest.lexicon import (
    TEAM_SOURCE,
    Lexicon,
    LexiconError,
    builtin_lexicon,
    load_lexicon,
    parse_lexicon,
    scheme_lexicons,
)
from annotator.suggest.model import Note, Span, Suggestion
from annotator.suggest.suggester import EVIDENCE_THRESHOLD, Suggester, Suggestions
from annotator.suggest.team import TaggedSpan, team_lexicon

__all__ = [
    "EVIDENCE_THRESHOLD",
    "TEAM_SOURCE",
    "Lexicon",
    "LexiconError",
    "Note",
    "Span",
    "Suggester",
    "Suggestion",
    "Suggestions",
    "TaggedSpan",
    "builtin_lexicon",
    "load_lexicon",
    "parse_lexicon",
    "scheme_lexicons",
    "team_lexicon",
]
