"""Machine suggestions: storing a run of the suggesters, and a reviewer's decisions on them.

The suggesters (``annotator.suggest``) sit above this layer and know no database; a front end
hands here a recipe for one (``functools.partial(Suggester, scheme, lexicons)``), which a run
builds once, or once in each worker process (``annotator.service.suggest_workers``). What is
stored, and the rules, live here once:

* A run stores the suggestions as the annotations of a ``machine`` annotator (``suggest`` by
  default, created if missing; a person's name is refused), origin ``suggestion``, with
  ``attrs.rule`` naming the rule and ``attrs.confidence`` its confidence. Running again
  replaces only the suggestions no reviewer has decided (``annotator.store.suggestions``).
* The team's own lexicon: the spans people have marked are learnt as expressions by the
  front end (``team_lexicon``); their suggestions (rule ``team-lexicon``) are left out where
  a person has already marked a span on the same layer.
* A reviewer accepts a suggestion: it becomes the reviewer's own annotation, origin
  ``suggestion``, with ``attrs.suggestion`` (the suggestion's id) and ``attrs.from_rule``
  (its rule), plus the suggestion's source and cue spans for a statement. Or rejects it: an
  undoable ``reject`` event of the reviewer. Either way it is no longer pending for them.
* A suggestion is pending for a reviewer until they accept or reject it, or annotate the
  same thing themselves (the same span with the same label; any label of the same sentence).
  What one reviewer decided is never shown to another: reviewers see the machines'
  suggestions, never each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from annotator.service import checks
from annotator.service.annotating import Annotating, Outcome
from annotator.service.documents import resolve_documents
from annotator.service.suggest_workers import (
    Plain,
    Proposal,
    SuggestPool,
    Suggests,
    default_workers,
)
from annotator.store.dto import (
    RULE_KEY,
    SUGGESTION_KEY,
    Annotation,
    Document,
    NewAnnotation,
    suggestion_id,
)
from annotator.store.errors import InvalidAnnotation, InvalidInput
from annotator.store.suggestions import SuggestionsStored, not_a_machine

if TYPE_CHECKING:
    from annotator.store.repository import Repository

__all__ = [
    "DEFAULT_MACHINE",
    "RULE_KEY",
    "SUGGESTION_KEY",
    "TEAM_RULE",
    "Proposal",
    "RunPlan",
    "RunSummary",
    "SuggestionReview",
    "Suggests",
    "Tagging",
    "TeamTaggings",
    "next_pending",
    "plan_run",
    "run_suggestions",
    "team_taggings",
]

DEFAULT_MACHINE = "suggest"
"""The machine annotator a run stores its suggestions as, unless told otherwise."""
TEAM_RULE = "team-lexicon"
"""The rule of the suggestions learnt from the team's own annotations (``annotator.suggest``
names it so too)."""
PEOPLE = ("annotator", "adjudicator")
"""The roles whose spans teach the team lexicon."""
FEW_DOCUMENTS = 200
"""Up to this many annotated documents are read one by one for the team lexicon; more are
streamed with the rest of the corpus."""


# ---------------------------------------------------------------------- the team's spans


@dataclass(frozen=True, slots=True)
class Tagging:
    """A span a person marked on a span layer; ``typed`` unless it is an accepted suggestion."""

    start: int
    end: int
    layer: str
    label: str
    annotator: str
    typed: bool


@dataclass(frozen=True, slots=True)
class TeamTaggings:
    """Every span people (annotators and adjudicators) have marked, per document id."""

    spans: Mapping[int, tuple[Tagging, ...]]

    def learnable(self, repo: Repository) -> Iterator[tuple[str, list[Tagging]]]:
        """Each document's text with the spans typed on it, to learn the team lexicon from.

        Accepted suggestions are left out, so a suggestion accepted once does not teach the
        lexicon to suggest itself.
        """
        typed = {
            document_id: [span for span in spans if span.typed]
            for document_id, spans in self.spans.items()
        }
        wanted = {document_id for document_id, spans in typed.items() if spans}
        if not wanted:
            return
        if len(wanted) <= FEW_DOCUMENTS:
            documents: Iterable[Document] = (repo.document(i) for i in sorted(wanted))
        else:
            documents = (doc for doc in repo.iter_documents() if doc.id in wanted)
        for doc in documents:
            yield doc.text, typed[doc.id]

    def tagged(self, document_id: int, layer: str, start: int, end: int) -> bool:
        """Whether a person marked a span on ``layer`` overlapping ``[start, end)``."""
        return any(
            span.layer == layer and span.start < end and start < span.end
            for span in self.spans.get(document_id, ())
        )


def team_taggings(repo: Repository) -> TeamTaggings:
    """The spans people have marked on the scheme's span layers, over the whole corpus."""
    layers = [layer.name for layer in repo.scheme().span_layers]
    people = [person.name for person in repo.annotators() if person.role in PEOPLE]
    found: dict[int, list[Tagging]] = defaultdict(list)
    if layers and people:
        for ann in repo.iter_annotations(annotators=people, layers=layers):
            found[ann.document_id].append(
                Tagging(
                    ann.start,
                    ann.end,
                    ann.layer,
                    ann.label,
                    ann.annotator,
                    ann.origin != "suggestion",
                )
            )
    return TeamTaggings({document_id: tuple(spans) for document_id, spans in found.items()})


# ---------------------------------------------------------------------- a run


@dataclass(frozen=True, slots=True)
class RunPlan:
    """A run checked before any work: the machine's name and the documents (None: all)."""

    machine: str
    document_ids: tuple[int, ...] | None
    documents: int


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run stored, and how many team-lexicon suggestions it left out because a person
    had marked a span there already."""

    stored: SuggestionsStored
    team_left_out: int


def plan_run(
    repo: Repository, machine: str = DEFAULT_MACHINE, documents: Sequence[str] = ()
) -> RunPlan:
    """Check a run's machine name and documents; nothing is written.

    The name must be free or a machine's (``InvalidInput`` names the role it has), and the
    documents must exist (``NotFound``, as ``--doc`` everywhere); a database with no
    documents has nothing to suggest for.
    """
    name = checks.check_name(machine)
    existing = next((a for a in repo.annotators() if a.name == name), None)
    if existing is not None and existing.role != "machine":
        raise not_a_machine(name, existing.role)
    if documents:
        ids = resolve_documents(repo, documents)
        return RunPlan(name, ids, len(ids))
    total = repo.info().get("documents", 0)
    if total == 0:
        raise InvalidInput(
            "there are no documents to suggest for; import articles with `annotator import PATH`"
        )
    return RunPlan(name, None, total)


def run_suggestions(
    repo: Repository,
    plan: RunPlan,
    make_suggester: Callable[[], Suggests],
    *,
    team: TeamTaggings | None = None,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RunSummary:
    """Store what the suggester gives for each planned document as the machine's
    suggestions, in one transaction, replacing its undecided ones.

    ``make_suggester`` builds the suggester (``functools.partial(Suggester, scheme,
    lexicons)``): once here, and once in each of ``workers`` worker processes (None: as
    many as suit the corpus and the machine, ``default_workers``; 0: none). With ``team``,
    team-lexicon suggestions where a person has marked a span on the same layer are left out.
    Suggestions on a layer the scheme lacks are never stored.
    """
    scheme = repo.scheme()
    layers = {layer.name for layer in scheme.layers}
    segment_layers = {layer.name for layer in scheme.segment_layers}
    left_out = 0

    def keep(doc: Document, found: list[Plain]) -> list[NewAnnotation]:
        nonlocal left_out
        kept: list[NewAnnotation] = []
        sentences = frozenset(doc.segments)
        for layer, label, start, end, rule, attrs in found:
            if layer not in layers:
                continue
            _check(doc, sentences, segment_layers, layer, start, end, rule)
            if team is not None and rule == TEAM_RULE and team.tagged(doc.id, layer, start, end):
                left_out += 1
                continue
            kept.append(NewAnnotation(plan.machine, layer, label, start, end, attrs, "suggestion"))
        return kept

    count = default_workers(plan.documents) if workers is None else workers
    with SuggestPool(make_suggester, count) as pool:

        def propose(batch: Sequence[Document]) -> list[list[NewAnnotation]]:
            found = pool.suggest([(doc.text, doc.segments) for doc in batch])
            return [keep(doc, items) for doc, items in zip(batch, found, strict=True)]

        stored = repo.replace_suggestions(
            plan.machine, propose, document_ids=plan.document_ids, on_progress=on_progress
        )
    return RunSummary(stored, left_out)


def _check(
    doc: Document,
    sentences: frozenset[tuple[int, int]],
    segment_layers: set[str],
    layer: str,
    start: int,
    end: int,
    rule: str,
) -> None:
    """A suggestion must fit the text (and a segment layer's sentences), as any annotation;
    one that does not is a fault of the suggester, and stops the run before it writes."""
    where = f"document {doc.external_id!r}, suggestion of rule {rule!r}"
    checks.check_offsets(start, end, len(doc.text), where)
    if layer in segment_layers and (start, end) not in sentences:
        raise InvalidAnnotation(
            f"{where}: [{start}, {end}) on layer {layer!r} is not one of the document's sentences"
        )


# ---------------------------------------------------------------------- a reviewer's decisions


def next_pending(pending: Sequence[Annotation], offset: int) -> Annotation | None:
    """The first pending suggestion starting after ``offset``, wrapping to the first one."""
    ordered = sorted(pending, key=lambda s: (s.start, s.end, s.layer, s.id))
    after = next((s for s in ordered if s.start > offset), None)
    return after if after is not None else (ordered[0] if ordered else None)


def copied_attrs(suggestion: Annotation) -> dict[str, Any]:
    """The attrs of an accepted copy: the suggestion's attribute spans (source, cue ...),
    ``suggestion`` (its id) and ``from_rule`` (its rule)."""
    attrs: dict[str, Any] = {
        key: dict(value)
        for key, value in suggestion.attrs.items()
        if isinstance(value, Mapping) and "start" in value and "end" in value
    }
    attrs[SUGGESTION_KEY] = suggestion.id
    rule = suggestion.attrs.get("rule")
    if isinstance(rule, str):
        attrs[RULE_KEY] = rule
    return attrs


class SuggestionReview:
    """One reviewer's view of the machines' suggestions, and their decisions on them.

    Built on the reviewer's :class:`Annotating`, so an accepted suggestion goes through the
    same checks and moves the document's status like any annotation the reviewer makes.
    """

    def __init__(self, annotating: Annotating) -> None:
        self.annotating = annotating
        self.repo = annotating.repo

    @property
    def reviewer(self) -> str:
        return self.annotating.reviewer

    def pending(
        self, document: Document, own: Sequence[Annotation] | None = None
    ) -> list[Annotation]:
        """The suggestions on ``document`` still waiting for this reviewer, in text order.

        ``own`` are the reviewer's annotations there, if the caller has them already. Of two
        machines suggesting the same thing, the first is shown.
        """
        mine = list(own) if own is not None else self.annotating.annotations(document.id)
        return self._pending(document, mine, self.repo.suggestions(document.id))

    def _pending(
        self, document: Document, mine: Sequence[Annotation], offered: Sequence[Annotation]
    ) -> list[Annotation]:
        scheme = self.annotating.scheme
        segment_layers = {layer.name for layer in scheme.segment_layers}
        span_layers = {layer.name for layer in scheme.span_layers}
        decided = {suggestion_id(a.attrs.get(SUGGESTION_KEY)) for a in mine}
        if offered:
            decided |= self.repo.rejected_suggestions(self.reviewer, document.id)
        covered: set[tuple[Any, ...]] = set()
        for a in mine:
            covered.add(_key(a, segment_layers))
        found: list[Annotation] = []
        for s in offered:
            if s.id in decided or (s.layer not in segment_layers and s.layer not in span_layers):
                continue
            key = _key(s, segment_layers)
            if key in covered:
                continue
            if s.layer in segment_layers and (s.start, s.end) not in document.segments:
                continue
            covered.add(key)
            found.append(s)
        return found

    def accept(self, suggestion_id: int) -> Outcome[Annotation]:
        """Make the suggestion the reviewer's own annotation (origin ``suggestion``)."""
        suggestion, document = self._pending_one(suggestion_id)
        attrs = copied_attrs(suggestion)
        layer = self.annotating.scheme.layer(suggestion.layer)
        if layer is not None and layer.kind == "segment":
            sentence = document.segments.index((suggestion.start, suggestion.end))
            return self.annotating.classify(
                document.id,
                suggestion.layer,
                sentence,
                suggestion.label,
                origin="suggestion",
                attrs=attrs,
            )
        return self.annotating.tag(
            document.id,
            suggestion.layer,
            suggestion.label,
            suggestion.start,
            suggestion.end,
            origin="suggestion",
            attrs=attrs,
        )

    def reject(self, suggestion_id: int) -> Outcome[Annotation]:
        """Record the reviewer's rejection; the reviewer's annotations and the document's
        status do not change (``undo`` takes a rejection back)."""
        _, document = self._pending_one(suggestion_id)
        rejected = self.repo.reject_suggestion(self.reviewer, suggestion_id)
        return Outcome(rejected, document.id, self.repo.status(document.id, self.reviewer))

    def _pending_one(self, suggestion_id: int) -> tuple[Annotation, Document]:
        suggestion = self.repo.suggestion(suggestion_id)
        document = self.repo.document(suggestion.document_id)
        mine = self.annotating.annotations(document.id)
        if not any(s.id == suggestion_id for s in self._pending(document, mine, [suggestion])):
            raise InvalidAnnotation(
                f"suggestion {suggestion_id} is no longer pending: you have accepted or"
                " rejected it, or annotated the same thing yourself"
            )
        return suggestion, document


def _key(annotation: Annotation, segment_layers: set[str]) -> tuple[Any, ...]:
    """What makes two annotations the same thing: the sentence on a segment layer, the span
    and label on a span layer."""
    if annotation.layer in segment_layers:
        return (annotation.layer, annotation.start, annotation.end)
    return (annotation.layer, annotation.label, annotation.start, annotation.end)
