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
  counts (:func:`annotator.service.cases.gold_adjudicator`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any

from annotator.core.wording import plural
from annotator.service.annotating import Annotating, Gaps, Outcome, document_gaps
from annotator.service.cases import (
    DocumentCase,
    Tally,
    UnitState,
    build_case,
)
from annotator.service.disagreements import Unit, Version, in_unit
from annotator.store.dto import (
    Annotation,
    Decision,
    Document,
    GoldAnnotation,
    Origin,
    Ruling,
    Verdict,
)
from annotator.store.errors import InvalidAnnotation, InvalidInput, NotFound

if TYPE_CHECKING:
    from annotator.store.repository import Repository

FROM = "from"
"""The gold annotation attribute naming the annotators whose annotation it reproduces."""
ADJUDICATOR_HINT = (
    "adjudicate as someone added with `annotator annotators add NAME --role adjudicator`"
)


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
            article = "an" if role[:1] in "aeiou" else "a"
            raise InvalidInput(
                f"{self.reviewer!r} is {article} {role}, not an adjudicator, and annotators stay"
                f" blind to each other's work; {ADJUDICATOR_HINT}"
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
            yield from self._cases([self.repo.document(i) for i in sorted(set(document_ids))])
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
        taken = state.unit.supporters(version)
        return self._rule(state.unit, _ruling(state.unit, "take", taken, version))

    def take_all(self, unit: Unit) -> Outcome[list[Annotation]]:
        """Gold gets every distinct span any annotator marked in the unit (span layers)."""
        state = self._current(unit)
        if state.unit.kind != "span":
            raise InvalidAnnotation(
                "a sentence takes one statement label: take one annotator's version with 1-9"
            )
        every = Version(spans=state.unit.distinct_spans())
        taken = tuple(name for name, version in state.unit.versions if not version.empty)
        return self._rule(state.unit, _ruling(state.unit, "all", taken, every))

    def reject(self, unit: Unit) -> Outcome[list[Annotation]]:
        """Gold gets nothing in the unit, and the unit stays decided."""
        state = self._current(unit)
        return self._rule(state.unit, _ruling(state.unit, "reject", ()))

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
                    _ruling(unit, "auto", tuple(sorted(names)), version)
                )
                agreeing[unit.key] = tuple(sorted(names))
                texts[unit.document_id] = case.document.text
                units.setdefault(unit.document_id, []).append(unit)
                external[unit.document_id] = case.document.external_id
        decided = (
            self.repo.decide_touching(self.reviewer, rulings, touch="written") if rulings else None
        )
        added = decided.added if decided else {}
        previous = decided.previous if decided else {}
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
            if previous.get(document_id) == "done":
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
        return self._finish(document.id, check, force)

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
        """Write one ruling and move the adjudicator's status in the same transaction."""
        document_id = unit.document_id
        decided = self.repo.decide_touching(self.reviewer, {document_id: [ruling]}, touch="always")
        before = decided.previous.get(document_id, "in_progress")
        return Outcome(
            decided.added.get(document_id, []), document_id, "in_progress", before == "done"
        )

    # ------------------------------------------------------------------ hand edits

    def _written(
        self,
        origin: Origin,
        attrs: Mapping[str, Any] | None,
        current: Callable[[], Mapping[str, Any]],
    ) -> tuple[Origin, Mapping[str, Any] | None]:
        """Gold written by hand (:meth:`tag`, :meth:`classify`): origin ``adjudication``
        whatever was asked, and ``from`` empty, since it reproduces no one's annotation by
        choice; a relabelled sentence keeps its other attributes unless given."""
        return "adjudication", {**(current() if attrs is None else attrs), FROM: []}

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


def _ruling(
    unit: Unit, verdict: Verdict, taken: tuple[str, ...], version: Version | None = None
) -> Ruling:
    """A decision on the whole of ``unit``: gold reproducing ``version`` of it (None: no
    gold, a rejection)."""
    gold = () if version is None else _gold(unit, version)
    return Ruling(unit.layer, unit.start, unit.end, verdict, taken, gold)


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
