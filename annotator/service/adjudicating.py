"""Adjudication: an adjudicator turns the annotators' disagreements into a gold standard.

Rules kept here, for the Adjudicate screen and ``annotator adjudicate --auto`` alike:

- Gold is the adjudicator's own annotations (origin ``adjudication``); the annotators' rows are
  never edited. Only an annotator whose role is ``adjudicator`` may adjudicate: annotators stay
  blind to each other's work.
- The annotators compared on a document (the *counted* ones) are those with role
  ``annotator`` who marked it done, numbered 1..k in alphabetical order of their names.
- A document is settled unit by unit (:mod:`annotator.service.disagreements`): take annotator
  k's version, take every distinct version (span layers), reject (gold gets nothing), or edit
  by hand. Each decision replaces the gold in its unit and is one step of the adjudicator's
  undo history; a decision record keeps a rejection decided.
- A unit is decided when it has a decision or gold in it (gold written by hand counts as a
  decision); a disagreement that is not decided is open.
- Every gold annotation carries ``attrs["from"]``: the sorted names of the counted annotators
  whose identical annotation it reproduces, ``[]`` when written or changed by hand.
- ``auto`` fills gold where at least K counted annotators gave exactly the same version, K
  defaulting to all of them (at least 2); it never touches a decided unit, so it can run any
  number of times.
- When two adjudicators marked one document done, the gold of the one who marked it done last
  counts (:func:`gold_adjudicator`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any

from annotator.core.scheme import Scheme
from annotator.service import checks
from annotator.service.annotating import Annotating, Gaps, Outcome, document_gaps, plural
from annotator.service.disagreements import Unit, Version, find_units, in_unit
from annotator.store.dto import (
    Annotation,
    Decision,
    DocStatus,
    Document,
    GoldAnnotation,
    Origin,
    Ruling,
)
from annotator.store.errors import InvalidAnnotation, InvalidInput, NotFound

if TYPE_CHECKING:
    from annotator.store.repository import Repository

FROM = "from"
"""The gold annotation attribute naming the annotators whose annotation it reproduces."""
ADJUDICATOR_HINT = (
    "adjudicate as someone added with `annotator annotators add NAME --role adjudicator`"
)


def gold_adjudicator(
    times: Mapping[str, tuple[DocStatus, datetime]],
    adjudicators: Collection[str],
    *,
    finished: bool = True,
) -> tuple[str | None, tuple[str, ...]]:
    """Whose gold counts on a document, given its statuses with the moments they were set.

    The adjudicator who marked it done last (ties broken by name); with ``finished`` False and
    nobody done, the adjudicator whose status changed last (work in progress, for an export).
    Returns that name (None if there is none) and the other adjudicators who marked it done.
    """
    done = sorted(
        (moment, name)
        for name, (status, moment) in times.items()
        if name in adjudicators and status == "done"
    )
    if done:
        return done[-1][1], tuple(sorted(name for _, name in done[:-1]))
    if finished:
        return None, ()
    working = sorted((moment, name) for name, (_, moment) in times.items() if name in adjudicators)
    return (working[-1][1] if working else None), ()


def gold_choices(
    repo: Repository,
    document_ids: Sequence[int] | None = None,
    *,
    finished: bool = True,
    among: Collection[str] | None = None,
) -> tuple[dict[int, str], list[str]]:
    """Whose gold counts on each document (:func:`gold_adjudicator`), by document id, and a
    line for each document that more than one adjudicator marked done. ``among`` limits the
    adjudicators considered."""
    adjudicators = {p.name for p in repo.annotators() if p.role == "adjudicator"}
    if among is not None:
        adjudicators &= set(among)
    chosen: dict[int, str] = {}
    notes: list[str] = []
    if not adjudicators:
        return chosen, notes
    times = repo.status_times(document_ids)
    for document_id in sorted(times):
        name, others = gold_adjudicator(times[document_id], adjudicators, finished=finished)
        if name is None:
            continue
        chosen[document_id] = name
        if others:
            summary = repo.summary(document_id=document_id)
            where = summary.external_id if summary is not None else f"#{document_id}"
            notes.append(
                f"document {where!r}: {', '.join(others)} and {name} marked it done;"
                f" using the gold of {name}, who marked it done last"
            )
    return chosen, notes


# ---------------------------------------------------------------------------- a document's case


@dataclass(frozen=True, slots=True)
class UnitState:
    """A unit with the adjudicator's decision and gold annotations in it."""

    unit: Unit
    decision: Decision | None
    gold: tuple[Annotation, ...]

    @property
    def decided(self) -> bool:
        return self.decision is not None or bool(self.gold)

    @property
    def open(self) -> bool:
        return self.unit.disagreement and not self.decided

    def describe(self) -> str:
        """How the unit stands, in a few words: ``open``, ``taken from alice``, ``rejected``."""
        decision = self.decision
        if decision is None:
            if self.gold:
                return "edited by hand"
            return "open" if self.unit.disagreement else "agreed, not in gold yet"
        names = ", ".join(decision.taken)
        if decision.verdict == "take":
            return f"taken from {names}" if names else "taken"
        if decision.verdict == "all":
            return "every version taken"
        if decision.verdict == "reject":
            return "rejected"
        return f"filled automatically ({names} agree)"


@dataclass(frozen=True, slots=True)
class Tally:
    """A document's disagreements, open and decided, and its agreements not yet in gold."""

    open: int
    decided: int
    unfilled: int = 0

    @property
    def disagreements(self) -> int:
        return self.open + self.decided


@dataclass(frozen=True, slots=True)
class DocumentCase:
    """What an adjudicator sees of one document: the counted annotators, every unit with its
    state, the gold as it stands and the adjudicator's status."""

    document: Document
    adjudicator: str
    counted: tuple[str, ...]
    units: tuple[UnitState, ...]
    gold: tuple[Annotation, ...]
    status: DocStatus
    others: tuple[str, ...] = ()
    """Other adjudicators who marked this document done."""

    @property
    def disagreements(self) -> tuple[UnitState, ...]:
        return tuple(state for state in self.units if state.unit.disagreement)

    @property
    def tally(self) -> Tally:
        open_ = sum(1 for s in self.units if s.open)
        decided = sum(1 for s in self.units if s.unit.disagreement and s.decided)
        unfilled = sum(1 for s in self.units if not s.unit.disagreement and not s.decided)
        return Tally(open_, decided, unfilled)

    def number(self, annotator: str) -> int:
        """The annotator's number (from 1) on this document, as the keys 1..9 take it."""
        return self.counted.index(annotator) + 1

    def state(self, key: tuple[int, str, int, int]) -> UnitState | None:
        return next((s for s in self.units if s.unit.key == key), None)

    def at(self, offset: int) -> tuple[UnitState, ...]:
        """The disagreements whose unit holds ``offset``, in document order."""
        return tuple(s for s in self.disagreements if s.unit.start <= offset < s.unit.end)

    def next_open(
        self, after: tuple[int, str, int, int] | None = None, *, backwards: bool = False
    ) -> UnitState | None:
        """The next (or previous) open disagreement after the unit ``after``, wrapping around
        the document; the first (or last) one when ``after`` is None."""
        items = list(self.disagreements)
        if backwards:
            items.reverse()
        keys = [s.unit.key for s in items]
        if after is None:
            begin = 0
        elif after in keys:
            begin = keys.index(after) + 1
        else:
            begin = _first_past(items, after, backwards)
        return next((s for s in items[begin:] + items[:begin] if s.open), None)


def _first_past(items: Sequence[UnitState], key: tuple[int, str, int, int], back: bool) -> int:
    """The index of the first unit past position ``key`` (a unit that is gone now)."""
    for i, state in enumerate(items):
        here = (state.unit.start, state.unit.end)
        if (here < (key[2], key[3])) if back else (here > (key[2], key[3])):
            return i
    return 0


def build_case(
    scheme: Scheme,
    document: Document,
    adjudicator: str,
    counted: Sequence[str],
    annotations: Mapping[str, Sequence[Annotation]],
    decisions: Sequence[Decision],
    status: DocStatus,
    others: Sequence[str] = (),
) -> DocumentCase:
    """A document's case from what the store holds (pure, so it can be tested alone).

    ``annotations`` maps the counted annotators and the adjudicator to their annotations.
    """
    people = tuple(sorted(counted))
    units = find_units(scheme, document.id, document.segments, people, annotations)
    gold = tuple(annotations.get(adjudicator, ()))
    by_key = {(d.layer, d.start, d.end): d for d in decisions}
    states = tuple(
        UnitState(
            unit,
            by_key.get((unit.layer, unit.start, unit.end)),
            tuple(g for g in gold if in_unit(unit, g)),
        )
        for unit in units
    )
    return DocumentCase(document, adjudicator, people, states, gold, status, tuple(others))


@dataclass(frozen=True, slots=True)
class LayerAgreement:
    """How far the counted annotators agree on one layer of one document.

    ``agreed`` of ``units`` units have every annotator's version equal; ``value`` is
    Krippendorff's alpha over the sentences (a segment layer) or the mean pairwise
    partial-credit span F1 (a span layer), None with ``reason`` when undefined.
    """

    layer: str
    measure: str
    value: float | None
    reason: str
    agreed: int
    units: int


def document_agreement(scheme: Scheme, case: DocumentCase) -> tuple[LayerAgreement, ...]:
    """Each layer's agreement among the counted annotators of one document."""
    from annotator.agreement import krippendorff_alpha, pairwise_span_prf

    out: list[LayerAgreement] = []
    for layer in scheme.layers:
        units = [s.unit for s in case.units if s.unit.layer == layer.name]
        agreed = sum(1 for u in units if not u.disagreement)
        measure = "alpha" if layer.kind == "segment" else "F1"
        value: float | None = None
        if len(case.counted) < 2:
            reason = "fewer than two annotators finished it"
        elif layer.kind == "segment":
            by_sentence = {u.sentence: u for u in units}
            codes = {name: float(i) for i, name in enumerate(layer.label_names)}
            data = [
                [_code(by_sentence.get(i), name, codes) for i in range(len(case.document.segments))]
                for name in case.counted
            ]
            if units:
                result = krippendorff_alpha(data, layer.level, sorted(codes.values()))
                value, reason = result.value, result.reason or ""
            else:
                reason = "no sentence labelled"
        else:
            spans = {
                name: [s for u in units for s in u.version(name).spans] for name in case.counted
            }
            scored = pairwise_span_prf(spans, mode="partial")
            value = scored.macro.f1
            reason = "" if value is not None else "no spans"
        out.append(LayerAgreement(layer.name, measure, value, reason, agreed, len(units)))
    return tuple(out)


def _code(unit: Unit | None, annotator: str, codes: Mapping[str, float]) -> float | None:
    """The annotator's statement label on a sentence as its number (None: no label)."""
    statement = unit.version(annotator).statement if unit is not None else None
    return codes.get(statement.label) if statement is not None else None


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class GoldCheck:
    """What stands between a gold document and done: open disagreements and gaps."""

    open: int
    gaps: Gaps
    others: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.open or self.gaps)

    def lines(self) -> list[str]:
        out = []
        if self.open:
            verb = "is" if self.open == 1 else "are"
            out.append(f"{plural(self.open, 'disagreement')} {verb} still open.")
        out.extend(self.gaps.lines())
        if self.others:
            out.append(
                f"{', '.join(self.others)} marked this document done too; the gold of whoever"
                " marked it done last counts."
            )
        return out


@dataclass(frozen=True, slots=True)
class Filled:
    """One unit ``auto`` settled: the annotators who agreed and the gold it wrote."""

    external_id: str
    unit: Unit
    agreeing: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    summaries: tuple[str, ...]
    """Each gold annotation written, in words (:func:`summary`)."""


@dataclass(frozen=True, slots=True)
class AutoResult:
    """What ``auto`` did: the units it filled, and what it left alone and why."""

    filled: tuple[Filled, ...]
    documents: int
    ties: int
    """Units left open because two versions both had enough annotators."""
    open: int
    """Disagreements still open on the documents looked at, after this run."""
    skipped: tuple[tuple[str, str], ...]
    """(external id, reason) of documents with too few annotators who finished them."""
    reopened: tuple[str, ...]

    @property
    def added(self) -> int:
        return sum(len(f.annotations) for f in self.filled)


# ---------------------------------------------------------------------------- operations


class Adjudicating(Annotating):
    """One adjudicator's decisions and hand edits on the gold layer.

    The hand edits are the annotate screen's operations (:class:`Annotating`), writing the
    adjudicator's own annotations with origin ``adjudication`` and ``from`` emptied when the
    content changes; undo and redo step through decisions and edits alike.
    """

    def __init__(self, repo: Repository, adjudicator: str) -> None:
        super().__init__(repo, adjudicator)
        roles = self._roles()
        role = roles.get(self.reviewer)
        if role is None:
            raise InvalidInput(
                f"there is no adjudicator named {self.reviewer!r}; {ADJUDICATOR_HINT}"
            )
        if role != "adjudicator":
            raise InvalidInput(
                f"{self.reviewer!r} is an {role}, not an adjudicator, and annotators stay blind"
                f" to each other's work; {ADJUDICATOR_HINT}"
            )

    @property
    def adjudicator(self) -> str:
        return self.reviewer

    def _roles(self) -> dict[str, str]:
        return {person.name: person.role for person in self.repo.annotators()}

    # ------------------------------------------------------------------ reading

    def case(self, document_id: int) -> DocumentCase:
        """The document as the Adjudicate screen shows it."""
        document = self.repo.document(document_id)
        return next(self._cases([document]))

    def iter_cases(self, document_ids: Sequence[int] | None = None) -> Iterator[DocumentCase]:
        """Every document's case (or those given), in id order, read a chunk at a time."""
        if document_ids is not None:
            ids = sorted(set(document_ids))
            yield from self._cases(self.repo.document(i) for i in ids)
        else:
            yield from self._cases(self.repo.iter_documents())

    def overview(self) -> dict[int, Tally]:
        """Open and decided disagreements of every document, by document id."""
        return {case.document.id: case.tally for case in self.iter_cases()}

    def _cases(self, documents: Iterator[Document] | Sequence[Document]) -> Iterator[DocumentCase]:
        docs = list(documents) if isinstance(documents, Sequence) else None
        ids = [d.id for d in docs] if docs is not None else None
        roles = self._roles()
        coders = sorted(name for name, role in roles.items() if role == "annotator")
        adjudicators = {name for name, role in roles.items() if role == "adjudicator"}
        times = self.repo.status_times(ids)
        decided: dict[int, list[Decision]] = defaultdict(list)
        for decision in self.repo.decisions(self.reviewer, ids):
            decided[decision.document_id].append(decision)
        people = [*coders, self.reviewer]
        grouped = groupby(
            self.repo.iter_annotations(annotators=people, document_ids=ids),
            key=lambda a: a.document_id,
        )
        pending = next(grouped, None)
        scheme = self.scheme
        for document in docs if docs is not None else documents:
            mine: dict[str, list[Annotation]] = defaultdict(list)
            while pending is not None and pending[0] <= document.id:
                if pending[0] == document.id:
                    for annotation in pending[1]:
                        mine[annotation.annotator].append(annotation)
                pending = next(grouped, None)
            status = times.get(document.id, {})
            counted = [c for c in coders if status.get(c, ("todo",))[0] == "done"]
            own = status.get(self.reviewer)
            done_others = tuple(
                name
                for name in sorted(adjudicators - {self.reviewer})
                if status.get(name, ("todo",))[0] == "done"
            )
            yield build_case(
                scheme,
                document,
                self.reviewer,
                counted,
                mine,
                decided.get(document.id, []),
                own[0] if own is not None else "todo",
                done_others,
            )

    # ------------------------------------------------------------------ decisions

    def take(self, unit: Unit, number: int) -> Outcome[list[Annotation]]:
        """Gold gets annotator ``number``'s version of the unit (numbers count from 1)."""
        state = self._current(unit)
        counted = state.unit.annotators
        if not 1 <= number <= len(counted):
            raise InvalidInput(
                f"there is no annotator {number} here: {plural(len(counted), 'annotator')}"
                f" finished this document, numbered 1-{len(counted)}"
            )
        version = state.unit.version(counted[number - 1])
        ruling = Ruling(
            state.unit.layer,
            state.unit.start,
            state.unit.end,
            "take",
            state.unit.supporters(version),
            _gold(state.unit, version),
        )
        return self._rule(state.unit, ruling)

    def take_all(self, unit: Unit) -> Outcome[list[Annotation]]:
        """Gold gets every distinct span any annotator marked in the unit (span layers)."""
        state = self._current(unit)
        if state.unit.kind != "span":
            raise InvalidAnnotation(
                "a sentence takes one statement label: take one annotator's version with 1-9"
            )
        spans = state.unit.distinct_spans()
        taken = tuple(name for name, version in state.unit.versions if not version.empty)
        ruling = Ruling(
            state.unit.layer,
            state.unit.start,
            state.unit.end,
            "all",
            taken,
            _gold(state.unit, Version(spans=spans)),
        )
        return self._rule(state.unit, ruling)

    def reject(self, unit: Unit) -> Outcome[list[Annotation]]:
        """Gold gets nothing in the unit, and the unit stays decided."""
        state = self._current(unit)
        ruling = Ruling(state.unit.layer, state.unit.start, state.unit.end, "reject", ())
        return self._rule(state.unit, ruling)

    def auto(
        self, min_agree: int | None = None, document_ids: Sequence[int] | None = None
    ) -> AutoResult:
        """Fill gold wherever at least ``min_agree`` counted annotators gave exactly the same
        version of an undecided unit (default: all of them, at least 2). A unit where two
        versions both reach ``min_agree`` is left open. All in one transaction."""
        if min_agree is not None and min_agree < 2:
            raise InvalidInput(
                f"--min-agree {min_agree} is too small: gold needs at least 2 annotators who"
                " agree; give 2 or more, or leave it out to require all of them"
            )
        rulings: dict[int, list[Ruling]] = {}
        agreeing: dict[tuple[int, str, int, int], tuple[str, ...]] = {}
        units: dict[int, list[Unit]] = {}
        external: dict[int, str] = {}
        texts: dict[int, str] = {}
        skipped: list[tuple[str, str]] = []
        ties = documents = still_open = 0
        for case in self.iter_cases(document_ids):
            documents += 1
            n = len(case.counted)
            need = n if min_agree is None else min_agree
            if n < 2 or need > n:
                finished = f"{plural(n, 'annotator')} finished it"
                skipped.append((case.document.external_id, f"{finished}, {max(need, 2)} needed"))
                still_open += case.tally.open
                continue
            for state in case.units:
                if state.decided:
                    continue
                winners = [(v, names) for v, names in state.unit.groups() if len(names) >= need]
                if len(winners) != 1:
                    ties += len(winners) > 1
                    still_open += state.unit.disagreement
                    continue
                version, names = winners[0]
                unit = state.unit
                rulings.setdefault(unit.document_id, []).append(
                    Ruling(
                        unit.layer,
                        unit.start,
                        unit.end,
                        "auto",
                        tuple(sorted(names)),
                        _gold(unit, version),
                    )
                )
                agreeing[unit.key] = tuple(sorted(names))
                texts[unit.document_id] = case.document.text
                units.setdefault(unit.document_id, []).append(unit)
                external[unit.document_id] = case.document.external_id
        added = self.repo.decide(self.reviewer, rulings) if rulings else {}
        filled: list[Filled] = []
        reopened: list[str] = []
        for document_id in sorted(rulings):
            written = added.get(document_id, [])
            for unit in units[document_id]:
                mine = tuple(a for a in written if in_unit(unit, a))
                whole = unit.kind == "segment"
                words = tuple(
                    summary(texts[document_id], a.label, a.start, a.end, a.attrs, sentence=whole)
                    for a in mine
                )
                filled.append(Filled(external[document_id], unit, agreeing[unit.key], mine, words))
            if written:
                _, was_done = self._after_change(document_id)
                if was_done:
                    reopened.append(external[document_id])
        return AutoResult(
            tuple(filled), documents, ties, still_open, tuple(skipped), tuple(reopened)
        )

    def mark_gold_done(self, document: Document, *, force: bool = False) -> GoldCheck:
        """Mark the gold of the document done; with open disagreements or gaps and not
        ``force``, change nothing and return them."""
        case = self.case(document.id)
        check = GoldCheck(
            case.tally.open, document_gaps(self.scheme, document, case.gold), case.others
        )
        if check and not force:
            return check
        self.repo.set_status(self.reviewer, document.id, "done")
        return check

    def _current(self, unit: Unit) -> UnitState:
        """The unit as the store holds it now; refused if the annotators' work there changed."""
        state = self.case(unit.document_id).state(unit.key)
        if state is None:
            raise NotFound(
                "the annotators' work at this passage changed since it was shown;"
                " look at it again before deciding"
            )
        return state

    def _rule(self, unit: Unit, ruling: Ruling) -> Outcome[list[Annotation]]:
        def write() -> list[Annotation]:
            return self.repo.decide(self.reviewer, {unit.document_id: [ruling]}).get(
                unit.document_id, []
            )

        return self._touching(unit.document_id, write)

    # ------------------------------------------------------------------ hand edits

    def edit(
        self,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        """Change a gold annotation by hand: move, relabel or set its attributes at once."""
        current = self.repo.annotation(self.reviewer, annotation_id)
        if label is not None:
            checks.check_layer_label(self.scheme, current.layer, label)
        return self._update(current, start=start, end=end, label=label, attrs=attrs)

    def tag(
        self,
        document_id: int,
        layer: str,
        label: str,
        start: int,
        end: int,
        *,
        note: str | None = None,
        origin: Origin = "adjudication",
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        """Add a gold span by hand (``from`` is empty: it reproduces no one's by choice)."""
        return super().tag(
            document_id,
            layer,
            label,
            start,
            end,
            note=note,
            origin="adjudication",
            attrs={**(attrs or {}), FROM: []},
        )

    def classify(
        self,
        document_id: int,
        layer: str,
        sentence: int,
        label: str,
        *,
        note: str | None = None,
        origin: Origin = "adjudication",
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        """Label a sentence of the gold by hand; its note and attributes are kept unless
        given, and ``from`` is emptied."""
        if attrs is None:
            segments = self.repo.document(document_id).segments
            segment = segments[sentence] if 0 <= sentence < len(segments) else None
            current = next(
                (
                    a
                    for a in self.annotations(document_id)
                    if a.layer == layer and (a.start, a.end) == segment
                ),
                None,
            )
            attrs = dict(current.attrs) if current is not None else {}
        return super().classify(
            document_id,
            layer,
            sentence,
            label,
            note=note,
            origin="adjudication",
            attrs={**attrs, FROM: []},
        )

    def _update(
        self,
        current: Annotation,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Outcome[Annotation]:
        new = dict(current.attrs if attrs is None else attrs)
        moved = (start is not None and start != current.start) or (
            end is not None and end != current.end
        )
        relabelled = label is not None and label != current.label
        if moved or relabelled or _content(new) != _content(current.attrs):
            new[FROM] = []
            attrs = new
        return super()._update(current, start=start, end=end, label=label, attrs=attrs)


def quote(text: str, limit: int = 50) -> str:
    """``text`` on one line, in double quotes, cut to ``limit`` characters."""
    flat = " ".join(text.split())
    return f'"{flat if len(flat) <= limit else flat[: limit - 1] + "…"}"'


def summary(
    text: str, label: str, start: int, end: int, attrs: Mapping[str, Any], *, sentence: bool
) -> str:
    """An annotation in words: a span ``emotive "slammed"``; a sentence label alone, or with
    its attribute spans ``attributed (source "Ruth Calloway", cue "said")``."""
    roles = [(k, v) for k, v in attrs.items() if isinstance(v, Mapping) and "start" in v]
    if roles:
        parts = ", ".join(f"{k} {quote(text[v['start'] : v['end']])}" for k, v in roles)
        return f"{label} ({parts})"
    return label if sentence else f"{label} {quote(text[start:end])}"


def _content(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes that make an annotation what it is (not its note or provenance)."""
    return {k: v for k, v in attrs.items() if k not in ("note", FROM)}


def _gold(unit: Unit, version: Version) -> tuple[GoldAnnotation, ...]:
    """The gold annotations that reproduce ``version`` of ``unit``, each with ``from``."""
    if unit.kind == "span":
        return tuple(
            GoldAnnotation(unit.layer, label, start, end, {FROM: list(unit.span_supporters(span))})
            for span in version.spans
            for start, end, label in (span,)
        )
    statement = version.statement
    if statement is None:
        return ()
    attrs: dict[str, Any] = {
        role: {"start": start, "end": end} for role, start, end in statement.attributes
    }
    attrs[FROM] = list(unit.supporters(version))
    return (GoldAnnotation(unit.layer, statement.label, unit.start, unit.end, attrs),)
