"""The suggester: a scheme and lexicons bound once, then applied to document after document.

``Suggester(scheme, lexicons).suggest(text)`` returns every suggestion for one document's
canonical text: loaded-language spans, epistemic cues and scare quotes on the scheme's span
layers, a statement label for every sentence, and lexicon evidence on other segment layers.
It reads nothing but its arguments and keeps no state between documents, so one suggester can
serve a whole corpus (and several processes can each build their own).

Which layers it fills:

* The statement rules need a segment layer with an ``attributed`` label; they use whichever of
  ``vague``, ``mixed``, ``reporting`` and ``editorial`` it also has.
* Epistemic cues and scare quotes go to the first span layer with an ``epistemic`` label.
* Lexicon entries go where their tag says. Built-in entries whose layer or label the scheme
  lacks are left out; a user lexicon must fit the scheme (``LexiconError`` otherwise).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.scheme import Scheme
from annotator.suggest.attribution import Attribution, find_attributions
from annotator.suggest.document import Document, read_document
from annotator.suggest.lexicon import TEAM_SOURCE, Entry, Lexicon, Match, builtin_lexicon
from annotator.suggest.model import Note, Span, Suggestion
from annotator.suggest.spans import best_spans, scare_quotes
from annotator.suggest.statements import (
    EDITORIAL,
    StatementLayer,
    Voice,
    sentence_notes,
    statement_suggestions,
)

__all__ = ["EVIDENCE_THRESHOLD", "TEAM_SOURCE", "Suggester", "Suggestions"]

EVIDENCE_THRESHOLD = 0.6
"""The evidence a sentence needs for a segment label from wording alone (see
``annotator.suggest.statements``). Chosen on the NewsSD-ENG validation split, where it gave
the best accuracy for the editorial voice; lower it to suggest editorial more often."""


_QUOTED_FACTOR = 0.8
_SCARE_QUOTE_WEIGHT = 0.6
_EPISTEMIC = "epistemic"

# How a lexicon entry is used: the kinds of route
_CUE, _VAGUE_SOURCE, _SPAN, _STATEMENT, _SEGMENT = range(5)


@dataclass(frozen=True, slots=True)
class Suggestions:
    """Everything suggested for one document, sorted by offset, and the notes made on the way."""

    suggestions: tuple[Suggestion, ...]
    notes: tuple[Note, ...]


class Suggester:
    """Suggestions for ``scheme`` from the built-in lexicons (unless ``builtin=False``) and
    ``lexicons`` (user files, a team lexicon), checked against the scheme here, once."""

    def __init__(
        self,
        scheme: Scheme,
        lexicons: Sequence[Lexicon] = (),
        *,
        builtin: bool = True,
        threshold: float = EVIDENCE_THRESHOLD,
    ) -> None:
        if not threshold > 0:
            raise ValueError(f"threshold must be above 0, got {threshold}")
        self.threshold = threshold
        for lexicon in lexicons:
            lexicon.check(scheme)
        combined = builtin_lexicon().for_scheme(scheme) if builtin else Lexicon()
        for lexicon in lexicons:
            combined = combined + lexicon
        self.scheme = scheme
        self.lexicon = combined
        self.statement = _statement_layer(scheme)
        self.epistemic = next(
            (layer.name for layer in scheme.span_layers if layer.label(_EPISTEMIC) is not None),
            None,
        )
        span_layers = {layer.name for layer in scheme.span_layers}
        self._routes: dict[int, tuple[int, str, str]] = {}
        for entry in combined.entries:
            self._routes[id(entry)] = _route(entry, span_layers, self.statement)

    def suggest(self, text: str, segments: Sequence[Span] | None = None) -> Suggestions:
        """Suggestions for the canonical ``text``; ``segments`` are its sentences (split here
        with ``split_sentences`` when None)."""
        doc = read_document(text, self.lexicon, segments)
        cues: list[Match] = []
        vague_words: set[int] = set()
        spans: list[Suggestion] = []
        voices = [Voice() for _ in doc.sentences]
        other_segments: dict[tuple[int, str, str], float] = {}
        for match in doc.matches:
            kind, layer, label = self._routes[id(match.entry)]
            if kind == _CUE:
                cues.append(match)
            elif kind == _VAGUE_SOURCE:
                vague_words.update(range(match.first, match.last))
            elif kind == _SPAN:
                spans.append(self._span(doc, match, layer, label, voices))
            else:
                s = doc.sentence_of[match.first]
                if s < 0 or doc.quoted[match.first]:
                    continue
                if kind == _STATEMENT:
                    voices[s].add(label, match.entry.weight, match.start)
                else:
                    key = (s, layer, label)
                    other_segments[key] = other_segments.get(key, 0.0) + match.entry.weight
        found: list[Suggestion] = []
        scare = scare_quotes(doc, self.epistemic or "", _EPISTEMIC)
        for s, suggestion in scare:
            voices[s].add(EDITORIAL, _SCARE_QUOTE_WEIGHT, suggestion.start)
        if self.statement is not None:
            own = find_attributions(doc, cues, frozenset(vague_words))
            statements, final = statement_suggestions(
                doc, self.statement, own, voices, sentence_notes(doc), self.threshold
            )
            found.extend(statements)
            if self.epistemic is not None:
                spans.extend(self._loaded_cues(own, spans))
                spans.extend(suggestion for s, suggestion in scare if final[s] is None)
        elif self.epistemic is not None:
            spans.extend(suggestion for _, suggestion in scare)
        found.extend(best_spans(spans))
        found.extend(_segment_evidence(doc, other_segments, self.threshold))
        found.sort(key=lambda s: (s.start, s.end, s.layer, s.label))
        return Suggestions(tuple(found), tuple(doc.notes))

    def suggest_many(
        self, texts: Iterable[str | tuple[str, Sequence[Span] | None]]
    ) -> Iterable[Suggestions]:
        """``suggest`` over many documents: each a text, or a text with its segments."""
        for item in texts:
            if isinstance(item, str):
                yield self.suggest(item)
            else:
                yield self.suggest(item[0], item[1])

    def _span(
        self, doc: Document, match: Match, layer: str, label: str, voices: list[Voice]
    ) -> Suggestion:
        entry = match.entry
        quoted = doc.quoted[match.first]
        confidence = entry.weight * (_QUOTED_FACTOR if quoted else 1.0)
        s = doc.sentence_of[match.first]
        if not quoted and s >= 0:
            voices[s].add(EDITORIAL, entry.weight, match.start)
        return Suggestion(
            layer,
            label,
            match.start,
            match.end,
            round(confidence, 3),
            lexicon_rule(entry),
            {"expression": entry.expression},
        )

    def _loaded_cues(
        self, own: list[list[Attribution]], spans: list[Suggestion]
    ) -> list[Suggestion]:
        assert self.epistemic is not None
        taken = {(s.start, s.end) for s in spans if s.layer == self.epistemic}
        found: list[Suggestion] = []
        for attributions in own:
            for attribution in attributions:
                cue = attribution.cue
                if not attribution.loaded or cue in taken:
                    continue
                taken.add(cue)
                found.append(
                    Suggestion(
                        self.epistemic,
                        _EPISTEMIC,
                        cue[0],
                        cue[1],
                        0.7,
                        "attribution.loaded-cue",
                        {},
                    )
                )
        return found


def lexicon_rule(entry: Entry) -> str:
    """The rule name of a suggestion made by a lexicon entry: ``lexicon:FILE-STEM`` or
    ``team-lexicon``."""
    if entry.source == TEAM_SOURCE:
        return "team-lexicon"
    return f"lexicon:{Path(entry.source).stem}"


def _statement_layer(scheme: Scheme) -> StatementLayer | None:
    for layer in scheme.segment_layers:
        if layer.label("attributed") is not None:
            return StatementLayer(layer.name, frozenset(layer.label_names))
    return None


def _route(
    entry: Entry, span_layers: set[str], statement: StatementLayer | None
) -> tuple[int, str, str]:
    if entry.cue_flags is not None:
        return (_CUE, "", "")
    if entry.tag == "source:vague":
        return (_VAGUE_SOURCE, "", "")
    pair = entry.layer_label
    assert pair is not None
    layer, label = pair
    if layer in span_layers:
        return (_SPAN, layer, label)
    if statement is not None and layer == statement.name:
        return (_STATEMENT, layer, label)
    return (_SEGMENT, layer, label)


def _segment_evidence(
    doc: Document, evidence: dict[tuple[int, str, str], float], threshold: float
) -> list[Suggestion]:
    """Lexicon evidence on segment layers other than the statement layer."""
    best: dict[tuple[int, str], tuple[float, str]] = {}
    for (s, layer, label), weight in evidence.items():
        current = best.get((s, layer))
        if current is None or (weight, label) > current:
            best[(s, layer)] = (weight, label)
    found: list[Suggestion] = []
    for (s, layer), (weight, label) in best.items():
        if weight >= threshold:
            start, end = doc.sentences[s]
            confidence = round(min(0.9, 0.45 + 0.15 * weight / threshold), 3)
            found.append(Suggestion(layer, label, start, end, confidence, "lexicon.segment", {}))
    return found
