"""A document as an adjudicator sees it: its units with their decisions and gold, its agreement,
and whose gold counts when two adjudicators finished it.

Pure reading: :class:`~annotator.service.adjudicating.Adjudicating` builds these from the store
(:func:`build_case`), the Adjudicate screen and ``--auto`` act on them, and the report and the
export ask :func:`gold_choices` whose gold to use.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from annotator.core.scheme import Scheme
from annotator.service.disagreements import Unit, find_units, in_unit
from annotator.store.dto import Annotation, Decision, DocStatus, Document

if TYPE_CHECKING:
    from annotator.store.repository import Repository


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
