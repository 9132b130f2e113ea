"""One statement label per sentence: attributed, vague, mixed, reporting or editorial.

The order of the rules, for each sentence in turn:

1. A reporting cue of the sentence itself, outside quotations, with its source (see
   ``annotator.suggest.attribution``): a loaded cue makes the statement ``mixed``, a named or
   pronoun source ``attributed``, a hidden one ``vague``.
   The writer's own evaluation between the source and the cue ("X, who has made a career
   out of vitriol, said") also makes it ``mixed``.
2. Otherwise a quotation the sentence is part of, attributed by a cue in the sentence where
   the quotation ends (after its closing mark) or starts (before its opening mark). A quotation
   over several sentences gives each of them its speaker.
3. Otherwise, when the sentence opens a quotation that no cue attributes, the quotation
   continues the speaker of the sentence before it (in the same or the previous paragraph).
4. Otherwise the sentence is in the writer's voice: ``editorial`` when the evidence of
   evaluation or speculation outside quotations reaches the threshold (0.6 by default): the
   weights of lexicon entries and loaded spans, 0.6 per scare quote, 1 for a question, 0.6
   for an exclamation, 1 for the first person. Else ``reporting``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace

from annotator.suggest.attribution import Attribution
from annotator.suggest.document import Document
from annotator.suggest.model import Suggestion, span_attr

__all__ = ["StatementLayer", "Voice", "statement_suggestions"]

ATTRIBUTED, VAGUE, MIXED, REPORTING, EDITORIAL = (
    "attributed",
    "vague",
    "mixed",
    "reporting",
    "editorial",
)
_QUESTION_WEIGHT = 1.0
_EXCLAMATION_WEIGHT = 0.6
_FIRST_PERSON_WEIGHT = 1.0
_FIRST_PERSON = frozenset(
    ("I", "me", "my", "we", "We", "us", "our", "Our", "My", "myself", "ourselves")
)
_UNBALANCED_PENALTY = 0.15


@dataclass(frozen=True, slots=True)
class StatementLayer:
    """The scheme's statement layer: its name and which of our labels it has."""

    name: str
    labels: frozenset[str]


@dataclass(slots=True)
class Voice:
    """The evidence for each label found in a sentence, outside quotations.

    ``weights`` holds the totals per label; ``editorial_at`` the offset and weight of each
    piece of editorial evidence, to tell the writer's judgement before a cue ("X, who has made
    a career out of vitriol, said") from the reported content after it.
    """

    weights: dict[str, float] = field(default_factory=dict)
    editorial_at: list[tuple[int, float]] = field(default_factory=list)

    def add(self, label: str, weight: float, offset: int = -1) -> None:
        self.weights[label] = self.weights.get(label, 0.0) + weight
        if label == EDITORIAL and offset >= 0:
            self.editorial_at.append((offset, weight))

    def editorial_between(self, start: int, end: int) -> float:
        return sum(weight for at, weight in self.editorial_at if start <= at < end)


def statement_suggestions(
    doc: Document,
    layer: StatementLayer,
    own: list[list[Attribution]],
    voices: list[Voice],
    notes_by_sentence: dict[int, str],
    threshold: float = 0.6,
) -> tuple[list[Suggestion], list[Attribution | None]]:
    """A statement suggestion per sentence, and the attribution each sentence ended up with."""
    quotes_of = _quotes_by_sentence(doc)
    direct = _quote_attributions(doc, own)
    resolved: dict[int, tuple[Attribution, str]] = {
        q: (a, "attribution.quote") for q, a in direct.items()
    }
    final: list[Attribution | None] = [None] * len(doc.sentences)
    suggestions: list[Suggestion] = []
    for s, (start, end) in enumerate(doc.sentences):
        voice = voices[s]
        speaking = [a for a in own[s] if a.kind != "writer"]
        if any(a.kind == "writer" for a in own[s]):
            voice.add(EDITORIAL, _FIRST_PERSON_WEIGHT)
        chosen: tuple[Attribution, str, float] | None = None
        if speaking:
            attribution = _primary(speaking)
            loaded = any(a.loaded for a in speaking)
            if loaded and not attribution.loaded:
                attribution = next(a for a in speaking if a.loaded)
            rule = attribution.rule
            if not attribution.loaded and _judged_source(attribution, voice, threshold):
                attribution = _loaded(attribution)
                rule = "attribution.with-evaluation"
            chosen = (attribution, rule, attribution.confidence)
        else:
            for q in quotes_of[s]:
                if q not in resolved:
                    continued = _continues(doc, q, s, final)
                    if continued is not None:
                        resolved[q] = (continued, "attribution.continued-quote")
                if q in resolved:
                    attribution, rule = resolved[q]
                    factor = 0.9 if rule == "attribution.quote" else 0.75
                    if rule == "attribution.continued-quote":
                        attribution = _unloaded(attribution)
                    chosen = (attribution, rule, attribution.confidence * factor)
                    break
        note = notes_by_sentence.get(s)
        if chosen is not None:
            attribution, rule, confidence = chosen
            final[s] = attribution
            label, attrs = _attribution_label(attribution, layer)
            if label is None:
                continue
        else:
            label, confidence = _voice_label(doc, s, voice, layer, threshold)
            if label is None:
                continue
            attrs = {}
            rule = "voice.editorial" if label == EDITORIAL else "voice.reporting"
            if label not in (EDITORIAL, REPORTING):
                rule = "voice.lexicon"
        if note is not None:
            confidence = max(0.05, confidence - _UNBALANCED_PENALTY)
            attrs = {**attrs, "note": note}
        suggestions.append(
            Suggestion(layer.name, label, start, end, round(confidence, 3), rule, attrs)
        )
    return suggestions, final


def _primary(attributions: list[Attribution]) -> Attribution:
    """The attribution of the main clause: the first cue in the sentence."""
    return min(attributions, key=lambda a: a.cue[0])


def _judged_source(attribution: Attribution, voice: Voice, threshold: float) -> bool:
    """Whether the writer evaluates the source between naming it and the cue."""
    source = attribution.source
    if source is None or source[1] > attribution.cue[0]:
        return False
    return voice.editorial_between(source[0], attribution.cue[0]) >= threshold


def _unloaded(attribution: Attribution) -> Attribution:
    return replace(attribution, loaded=False) if attribution.loaded else attribution


def _loaded(attribution: Attribution) -> Attribution:
    """The attribution, counted as framed by the writer's evaluation (a mixed statement)."""
    return replace(attribution, loaded=True, confidence=attribution.confidence * 0.8)


def _attribution_label(
    attribution: Attribution, layer: StatementLayer
) -> tuple[str | None, dict[str, object]]:
    attrs: dict[str, object] = {"cue": span_attr(attribution.cue)}
    if attribution.source is not None:
        attrs["source"] = span_attr(attribution.source)
    if attribution.refers_to is not None:
        attrs["refers_to"] = span_attr(attribution.refers_to)
    identified = attribution.kind in ("named", "pronoun") and attribution.source is not None
    wanted = [MIXED] if attribution.loaded else []
    wanted.append(ATTRIBUTED if identified else VAGUE)
    for label in wanted:
        if label in layer.labels:
            return label, attrs
    return None, attrs


def _voice_label(
    doc: Document, s: int, voice: Voice, layer: StatementLayer, threshold: float
) -> tuple[str | None, float]:
    _structural_evidence(doc, s, voice)
    best, weight = None, 0.0
    for label, total in voice.weights.items():
        if label in layer.labels and total > weight:
            best, weight = label, total
    if best is not None and weight >= threshold:
        return best, min(0.9, 0.45 + 0.15 * weight / threshold)
    if REPORTING in layer.labels:
        evidence = voice.weights.get(EDITORIAL, 0.0)
        return REPORTING, max(0.35, 0.7 - 0.3 * evidence / threshold)
    return None, 0.0


def _structural_evidence(doc: Document, s: int, voice: Voice) -> None:
    """A question or an exclamation in the writer's voice; the first person outside quotes."""
    start, end = doc.sentences[s]
    text = doc.text
    k = end
    while k > start and text[k - 1] in "\"'”’»)]":
        k -= 1
    if k > start and doc.outer_quote_at(k - 1) is None:
        mark = text[k - 1]
        if mark in "?‽":
            voice.add(EDITORIAL, _QUESTION_WEIGHT)
        elif mark == "!":
            voice.add(EDITORIAL, _EXCLAMATION_WEIGHT)
    words = doc.words
    span = doc.sentence_words[s]
    if _FIRST_PERSON.isdisjoint(words.raw[span.start : span.stop]):
        return
    for i in span:
        if not doc.quoted[i] and words.raw[i] in _FIRST_PERSON:
            voice.add(EDITORIAL, _FIRST_PERSON_WEIGHT)
            break


def _quotes_by_sentence(doc: Document) -> list[list[int]]:
    """For each sentence, the outer quotations (by index) that overlap it."""
    found: list[list[int]] = [[] for _ in doc.sentences]
    for q, quote in enumerate(doc.outer_quotes):
        first = doc.sentence_at(quote.start)
        last = doc.sentence_at(quote.end - 1)
        if first < 0 or last < 0:
            continue
        for s in range(first, last + 1):
            found[s].append(q)
    return found


def _quote_attributions(doc: Document, own: list[list[Attribution]]) -> dict[int, Attribution]:
    """Quotations attributed by a cue after their end or before their start."""
    # per sentence, the speaking attributions in text order (cues never overlap)
    speaking = [[a for a in found if a.kind != "writer"] for found in own]
    cue_starts = [[a.cue[0] for a in found] for found in speaking]
    cue_ends = [[a.cue[1] for a in found] for found in speaking]
    found: dict[int, Attribution] = {}
    for q, quote in enumerate(doc.outer_quotes):
        last = doc.sentence_at(quote.end - 1)
        if last >= 0:
            k = bisect_left(cue_starts[last], quote.end)
            if k < len(speaking[last]):
                found[q] = speaking[last][k]
                continue
        first = doc.sentence_at(quote.start)
        if first >= 0:
            k = bisect_right(cue_ends[first], quote.start)
            if k > 0:
                found[q] = speaking[first][k - 1]
    return found


def _continues(
    doc: Document, q: int, s: int, final: list[Attribution | None]
) -> Attribution | None:
    """The previous speaker, when quotation ``q`` opens sentence ``s`` and follows them."""
    quote = doc.outer_quotes[q]
    start = doc.sentences[s][0]
    if quote.start != start or s == 0:
        return None
    previous = final[s - 1]
    if previous is None or previous.source is None:
        return None  # no speaker to continue ("It is believed ...")
    if doc.paragraph[s] - doc.paragraph[s - 1] > 1:
        return None
    return previous


def sentence_notes(doc: Document) -> dict[int, str]:
    """For each sentence holding an unpaired quotation mark, the note to attach."""
    found: dict[int, str] = {}
    for note in doc.notes:
        s = doc.sentence_at(note.start)
        if s >= 0 and s not in found:
            found[s] = note.message
    return found
