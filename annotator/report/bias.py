"""The bias profile of an article, read from its settled annotations.

Settled means the gold annotations of an adjudicator who marked the document done, else the
majority of the counted annotators: a statement label given by more annotators than any other
label, a loaded span where more than half of the annotators marked the same characters with the
same label. From those: the share of each statement kind, loaded spans per 100 words in the
writer's own voice versus inside attributed statements, and the sources quoted with the reporting
verbs (cues) used for each. Words are counted by :func:`annotator.core.text.word_count`, the
count ``annotator docs list`` shows, so an article has one number of words everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.core.scheme import Layer, Scheme
from annotator.core.text import word_count
from annotator.core.wording import plural
from annotator.report.anatomy import attr_span
from annotator.report.collect import DocumentWork
from annotator.report.cues import cue_tone, normalise_phrase
from annotator.report.model import BiasProfile, CueUse, Metric, SourceCues, undefined

WRITER_VOICE: frozenset[str] = frozenset({"reporting", "editorial"})
"""Statement labels in the writer's own voice."""
ATTRIBUTED_VOICE: frozenset[str] = frozenset({"attributed", "vague", "mixed"})
"""Statement labels that report what someone else said (named or not)."""
MAX_CORPUS_SOURCES = 30


def statement_layer(scheme: Scheme) -> Layer | None:
    """The layer that classifies statements: ``statement`` if present, else the first segment
    layer."""
    return scheme.layer("statement") or next(iter(scheme.segment_layers), None)


def loaded_layer(scheme: Scheme) -> Layer | None:
    """The layer of loaded phrasing: ``loaded`` if present, else the first span layer."""
    return scheme.layer("loaded") or next(iter(scheme.span_layers), None)


@dataclass(frozen=True, slots=True)
class _Settled:
    basis: str
    labels: dict[int, str]
    attrs: dict[int, Mapping[str, object]]
    spans: list[tuple[int, int, str]]
    unresolved: int


def _majority_spans(work: DocumentWork, layer: Layer) -> list[tuple[int, int, str]]:
    """Stretches that more than half of the counted coders marked with the same label.

    A sweep over span boundaries: each coder's spans of a label are merged first, so one coder
    votes at most once for a character.
    """
    need = len(work.counted) // 2 + 1
    events: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for coder in work.counted:
        own: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for ann in work.of(coder, layer.name):
            own[ann.label].append((ann.start, ann.end))
        for label, spans in own.items():
            spans.sort()
            start, end = spans[0]
            for s, e in spans[1:]:
                if s <= end:
                    end = max(end, e)
                    continue
                events[label] += [(start, 1), (end, -1)]
                start, end = s, e
            events[label] += [(start, 1), (end, -1)]
    out: list[tuple[int, int, str]] = []
    for label, marks in events.items():
        marks.sort()
        votes, opened = 0, -1
        for offset, step in marks:
            before = votes
            votes += step
            if before < need <= votes:
                opened = offset
            elif votes < need <= before and offset > opened:
                out.append((opened, offset, label))
    out.sort()
    return out


def _settle(work: DocumentWork, statements: Layer | None, loaded: Layer | None) -> _Settled:
    if work.gold is not None:
        gold = work.gold
        labels: dict[int, str] = {}
        attrs: dict[int, Mapping[str, object]] = {}
        if statements is not None:
            for index, ann in work.segment_labels(gold, statements.name).items():
                labels[index] = ann.label
                attrs[index] = ann.attrs
        spans = [(a.start, a.end, a.label) for a in work.of(gold, loaded.name)] if loaded else []
        return _Settled("gold", labels, attrs, spans, 0)
    labels, attrs = {}, {}
    unresolved = 0
    if statements is not None:
        per_coder = {c: work.segment_labels(c, statements.name) for c in work.counted}
        for index in range(len(work.document.segments)):
            votes: dict[str, int] = {}
            for c in work.counted:
                given = per_coder[c].get(index)
                if given is not None:
                    votes[given.label] = votes.get(given.label, 0) + 1
            if not votes:
                continue
            most = max(votes.values())
            leaders = [lab for lab, n in votes.items() if n == most]
            if len(leaders) > 1:  # a tie for the most votes settles nothing
                unresolved += 1
                continue
            label = leaders[0]
            labels[index] = label
            for c in work.counted:
                given = per_coder[c].get(index)
                if given is not None and given.label == label and given.attrs:
                    attrs[index] = given.attrs
                    break
    spans = _majority_spans(work, loaded) if loaded is not None and work.counted else []
    return _Settled("majority", labels, attrs, spans, unresolved)


def _per_100(count: int, words: int) -> Metric:
    if words == 0:
        return undefined("no words in statements of this voice")
    return Metric(100.0 * count / words)


def _profile(
    document_id: int | None,
    external_id: str,
    title: str,
    basis: str,
    words: int,
    statements: Counter[str],
    unresolved: int,
    counts: tuple[int, int, int, int],
    sources: Iterable[SourceCues],
    label_order: tuple[str, ...],
) -> BiasProfile:
    total = sum(statements.values())
    ordered = {label: statements.get(label, 0) for label in label_order}
    shares = {label: (n / total if total else 0.0) for label, n in ordered.items()}
    loaded_w, words_w, loaded_a, words_a = counts
    return BiasProfile(
        document_id=document_id,
        external_id=external_id,
        title=title,
        basis=basis,
        words=words,
        statements=ordered,
        shares=shares,
        unresolved_statements=unresolved,
        loaded_writer=loaded_w,
        words_writer=words_w,
        loaded_attributed=loaded_a,
        words_attributed=words_a,
        loaded_per_100_writer=_per_100(loaded_w, words_w),
        loaded_per_100_attributed=_per_100(loaded_a, words_a),
        sources=tuple(sources),
    )


def sources_of(pairs: Iterable[tuple[str, str, bool]]) -> list[SourceCues]:
    """Group ``(source, cue, cue_is_tagged_loaded)`` by source, most quoted first."""
    names: dict[str, str] = {}
    cues: dict[str, Counter[str]] = defaultdict(Counter)
    tagged: set[tuple[str, str]] = set()
    statements: Counter[str] = Counter()
    for source, cue, is_loaded in pairs:
        key = source.casefold()
        names.setdefault(key, source)
        statements[key] += 1
        if cue:
            cues[key][cue] += 1
            if is_loaded:
                tagged.add((key, cue))
    out = []
    for key, n in sorted(statements.items(), key=lambda kv: (-kv[1], kv[0])):
        uses = tuple(
            CueUse(cue, count, "loaded" if (key, cue) in tagged else cue_tone(cue))
            for cue, count in sorted(cues[key].items(), key=lambda kv: (-kv[1], kv[0]))
        )
        out.append(SourceCues(names[key], n, uses))
    return out


@dataclass(frozen=True, slots=True)
class Measured:
    """What one reading of one article holds, in counts that add up over a corpus or a group.

    ``counts`` are (loaded spans in the writer's voice, words in the writer's voice, loaded
    spans in attributed statements, words in attributed statements); ``loaded`` the text of
    every loaded span (whitespace collapsed), in any voice; ``pairs`` (source, cue, cue tagged
    as loaded) of each statement with a source.
    """

    basis: str
    words: int
    statements: Counter[str]
    counts: tuple[int, int, int, int]
    loaded: tuple[str, ...]
    pairs: tuple[tuple[str, str, bool], ...]


def measure(work: DocumentWork, settled: _Settled) -> Measured:
    """Count words, statements, loaded spans by voice, and sources with their cues."""
    text = work.document.text
    segments = work.document.segments
    statements = Counter(settled.labels.values())
    voice_of = {
        i: ("writer" if lab in WRITER_VOICE else "attributed" if lab in ATTRIBUTED_VOICE else "")
        for i, lab in settled.labels.items()
    }
    words_w = words_a = 0
    for index, voice in voice_of.items():
        if voice:
            start, end = segments[index]
            n = word_count(text[start:end])
            if voice == "writer":
                words_w += n
            else:
                words_a += n
    loaded_w = loaded_a = 0
    for start, _end, _label in settled.spans:
        voice = voice_of.get(work.segment_of(start), "")
        if voice == "writer":
            loaded_w += 1
        elif voice == "attributed":
            loaded_a += 1
    pairs: list[tuple[str, str, bool]] = []
    for _index, attrs in sorted(settled.attrs.items()):
        source = attr_span(attrs, "source")
        if source is None:
            continue
        cue = attr_span(attrs, "cue")
        cue_text = normalise_phrase(text[cue[0] : cue[1]]) if cue else ""
        is_loaded = cue is not None and any(
            min(cue[1], e) > max(cue[0], s) for s, e, _ in settled.spans
        )
        pairs.append((normalise_phrase(text[source[0] : source[1]]), cue_text, is_loaded))
    return Measured(
        basis=settled.basis,
        words=word_count(text),
        statements=statements,
        counts=(loaded_w, words_w, loaded_a, words_a),
        loaded=tuple(normalise_phrase(text[s:e]) for s, e, _ in settled.spans),
        pairs=tuple(pairs),
    )


def measure_own(
    work: DocumentWork, coder: str, statements: Layer | None, loaded: Layer | None
) -> Measured:
    """One annotator's own reading of an article, measured as a settled one is: their
    statement labels and their loaded spans, nobody else's."""
    labels: dict[int, str] = {}
    attrs: dict[int, Mapping[str, object]] = {}
    if statements is not None:
        for index, ann in work.segment_labels(coder, statements.name).items():
            labels[index] = ann.label
            attrs[index] = ann.attrs
    spans = [(a.start, a.end, a.label) for a in work.of(coder, loaded.name)] if loaded else []
    return measure(work, _Settled("own", labels, attrs, sorted(spans), 0))


class BiasAccumulator:
    """Builds each article's profile as documents stream past, and the corpus summary."""

    def __init__(self, scheme: Scheme) -> None:
        self.statements = statement_layer(scheme)
        self.loaded = loaded_layer(scheme)
        self.label_order = self.statements.label_names if self.statements else ()
        self.profiles: list[BiasProfile] = []
        self._statements: Counter[str] = Counter()
        self._unresolved = 0
        self._counts = [0, 0, 0, 0]
        self._words = 0
        self._sources: list[tuple[str, str, bool]] = []
        self.gold_documents = 0

    def add(self, work: DocumentWork) -> Measured | None:
        """Profile ``work`` from its settled annotations; returns what was measured (None for a
        document that nobody counted for and no adjudicator finished)."""
        if work.gold is None and not work.counted:
            return None
        settled = _settle(work, self.statements, self.loaded)
        if settled.basis == "gold":
            self.gold_documents += 1
        measured = measure(work, settled)
        self.profiles.append(
            _profile(
                work.document.id,
                work.document.external_id,
                work.document.title,
                settled.basis,
                measured.words,
                measured.statements,
                settled.unresolved,
                measured.counts,
                sources_of(measured.pairs),
                self.label_order,
            )
        )
        self._statements.update(measured.statements)
        self._unresolved += settled.unresolved
        for i, n in enumerate(measured.counts):
            self._counts[i] += n
        self._words += measured.words
        self._sources.extend(measured.pairs)
        return measured

    def corpus(self) -> BiasProfile:
        basis = (
            "gold"
            if self.gold_documents == len(self.profiles) and self.profiles
            else ("majority" if self.gold_documents == 0 else "gold where it exists, else majority")
        )
        c = self._counts
        return _profile(
            None,
            "(corpus)",
            plural(len(self.profiles), "document"),
            basis,
            self._words,
            self._statements,
            self._unresolved,
            (c[0], c[1], c[2], c[3]),
            sources_of(self._sources)[:MAX_CORPUS_SOURCES],
            self.label_order,
        )
