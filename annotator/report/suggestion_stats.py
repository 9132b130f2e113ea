"""Suggestions in the report: agreement on what reviewers typed versus what they accepted from
a machine, and each suggestion rule against the annotators and against gold.

Reviewers who accept the same machine suggestion agree because they saw it, not because they
read the text alike (anchoring). The report makes it visible two ways:

* **Agreement by provenance.** Each counted annotator's annotation is *typed* (origin other
  than ``suggestion``) or an *accepted suggestion* (origin ``suggestion``). Its agreement is
  the share of the other counted annotators of the document who gave the same: the same label
  of the same sentence on a segment layer; on a span layer, a span with the same label that
  overlaps it (``agreement``) or has the same offsets (``exact``). Pooled over the documents
  two or more annotators counted for.
* **Each rule** (``attrs.rule`` of a machine's suggestions), matched the same way: precision
  is the share of the rule's suggestions an annotator also made (pooled over the counted
  annotators of each document); recall the share of the annotators' annotations on the rule's
  layer that the rule's suggestions match. The same against gold, on the documents an
  adjudicator settled. Precision against annotators well above precision against gold means
  the annotators took the rule's word for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.report.collect import DocumentWork, Selection
from annotator.report.model import Metric, undefined
from annotator.store.dto import SUGGESTION_KEY, Annotation, suggestion_id

if TYPE_CHECKING:
    from annotator.store.repository import Repository

PROVENANCES = ("typed", "accepted suggestion")


@dataclass(frozen=True, slots=True)
class ProvenanceAgreement:
    """Agreement on one layer's annotations of one provenance. ``pairs`` counts (annotation,
    other annotator) pairs; ``exact`` equals ``agreement`` on a segment layer."""

    layer: str
    provenance: str
    annotations: int
    pairs: int
    agreement: Metric
    exact: Metric


@dataclass(frozen=True, slots=True)
class RuleFigures:
    """One rule of one machine: how much it suggested, how much was accepted, and how it fares
    against the counted annotators and against gold."""

    machine: str
    rule: str
    layer: str
    suggested: int
    accepted: int
    precision: Metric
    recall: Metric
    gold_suggested: int
    precision_gold: Metric
    recall_gold: Metric


@dataclass(frozen=True, slots=True)
class SuggestionReport:
    """The suggestion section: which machines, on how many documents, and the figures."""

    machines: tuple[str, ...]
    documents: int
    gold_documents: int
    provenance: tuple[ProvenanceAgreement, ...]
    rules: tuple[RuleFigures, ...]


def _ratio(hits: int, total: int, reason: str) -> Metric:
    return Metric(hits / total) if total else undefined(reason)


class _Matcher:
    """One annotator's (or gold's) annotations on one layer, to ask whether another matches."""

    def __init__(self, annotations: Sequence[Annotation], segment: bool) -> None:
        self.segment = segment
        self.labels: dict[tuple[int, int], str] = {}
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for a in annotations:
            if segment:
                self.labels[(a.start, a.end)] = a.label
            else:
                self.spans[a.label].append((a.start, a.end))

    def overlaps(self, a: Annotation) -> bool:
        if self.segment:
            return self.labels.get((a.start, a.end)) == a.label
        return any(s < a.end and a.start < e for s, e in self.spans.get(a.label, ()))

    def exact(self, a: Annotation) -> bool:
        if self.segment:
            return self.overlaps(a)
        return (a.start, a.end) in self.spans.get(a.label, ())


class _Counts:
    """Hits over totals for precision and recall, against annotators and against gold."""

    def __init__(self) -> None:
        self.suggested = 0
        self.accepted = 0
        self.p_hits = self.p_total = self.r_hits = self.r_total = 0
        self.gold_suggested = 0
        self.gp_hits = self.gp_total = self.gr_hits = self.gr_total = 0


class SuggestionAccumulator:
    """Collects the suggestion figures as documents stream past (``add`` each ``work``).

    The machines' suggestions are read here, as a second ordered stream beside the report's
    own, so the rest of the report never sees them.
    """

    def __init__(self, repo: Repository, selection: Selection) -> None:
        self.selection = selection
        self.layers = {layer.name: layer.kind == "segment" for layer in selection.layers}
        self.machines = tuple(sorted(p.name for p in repo.annotators() if p.role == "machine"))
        ids = list(selection.document_ids) if selection.document_ids is not None else None
        self._stream: Iterator[Annotation] = (
            repo.iter_annotations(
                annotators=list(self.machines), document_ids=ids, layers=list(self.layers)
            )
            if self.machines
            else iter(())
        )
        self._pending = next(self._stream, None)
        self._provenance: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self._rules: dict[tuple[str, str, str], _Counts] = defaultdict(_Counts)
        self.documents = 0
        self.gold_documents = 0
        self._seen_suggestion_origin = False

    def _suggestions(self, document_id: int) -> list[Annotation]:
        found: list[Annotation] = []
        while self._pending is not None and self._pending.document_id <= document_id:
            if self._pending.document_id == document_id:
                found.append(self._pending)
            self._pending = next(self._stream, None)
        return found

    def add(self, work: DocumentWork) -> None:
        suggestions = self._suggestions(work.document.id)
        coders = work.counted
        sentences = set(work.document.segments)
        if len(coders) >= 2:
            self._add_provenance(work, sentences)
        if not suggestions or not (coders or work.gold):
            return
        if coders:
            self.documents += 1
        if work.gold is not None:
            self.gold_documents += 1
        by_rule: dict[tuple[str, str, str], list[Annotation]] = defaultdict(list)
        for s in suggestions:
            rule = s.attrs.get("rule")
            by_rule[(s.annotator, str(rule) if rule else "(no rule)", s.layer)].append(s)
        rule_of = {s.id: key for key, items in by_rule.items() for s in items}
        for coder in coders:
            for layer in self.layers:
                for a in work.of(coder, layer):
                    named = suggestion_id(a.attrs.get(SUGGESTION_KEY))
                    key = rule_of.get(named) if named is not None else None
                    if key is not None:
                        self._rules[key].accepted += 1
        for key, items in by_rule.items():
            layer = key[2]
            segment = self.layers[layer]
            counts = self._rules[key]
            if coders:
                counts.suggested += len(items)
            found = _Matcher(items, segment)
            for coder in coders:
                mine = self._on(work, coder, layer, segment, sentences)
                theirs = _Matcher(mine, segment)
                counts.p_hits += sum(1 for s in items if theirs.overlaps(s))
                counts.p_total += len(items)
                counts.r_hits += sum(1 for a in mine if found.overlaps(a))
                counts.r_total += len(mine)
            if work.gold is not None:
                gold = self._on(work, work.gold, layer, segment, sentences)
                settled = _Matcher(gold, segment)
                counts.gold_suggested += len(items)
                counts.gp_hits += sum(1 for s in items if settled.overlaps(s))
                counts.gp_total += len(items)
                counts.gr_hits += sum(1 for a in gold if found.overlaps(a))
                counts.gr_total += len(gold)

    def _on(
        self,
        work: DocumentWork,
        who: str,
        layer: str,
        segment: bool,
        sentences: set[tuple[int, int]],
    ) -> list[Annotation]:
        found = work.of(who, layer)
        return [a for a in found if (a.start, a.end) in sentences] if segment else list(found)

    def _add_provenance(self, work: DocumentWork, sentences: set[tuple[int, int]]) -> None:
        coders = work.counted
        for layer, segment in self.layers.items():
            own = {c: self._on(work, c, layer, segment, sentences) for c in coders}
            matchers = {c: _Matcher(own[c], segment) for c in coders}
            for coder in coders:
                others = [matchers[d] for d in coders if d != coder]
                for a in own[coder]:
                    accepted = a.origin == "suggestion"
                    self._seen_suggestion_origin |= accepted
                    cell = self._provenance[(layer, PROVENANCES[accepted])]
                    cell[0] += 1
                    cell[1] += len(others)
                    cell[2] += sum(1 for m in others if m.overlaps(a))
                    cell[3] += sum(1 for m in others if m.exact(a))

    def finish(self) -> SuggestionReport | None:
        """The section, or None when no machine suggested anything on the counted documents
        and no counted annotator accepted a suggestion."""
        if not self._rules and not self._seen_suggestion_origin:
            return None
        provenance = []
        for layer in self.layers:
            for kind in PROVENANCES:
                annotations, pairs, overlap, exact = self._provenance.get((layer, kind), [0] * 4)
                why = f"no {kind} annotation on documents two annotators counted for"
                provenance.append(
                    ProvenanceAgreement(
                        layer,
                        kind,
                        annotations,
                        pairs,
                        _ratio(overlap, pairs, why),
                        _ratio(exact, pairs, why),
                    )
                )
        order = {name: i for i, name in enumerate(self.layers)}
        rules = [
            RuleFigures(
                machine=machine,
                rule=rule,
                layer=layer,
                suggested=c.suggested,
                accepted=c.accepted,
                precision=_ratio(c.p_hits, c.p_total, "no suggestion where an annotator counted"),
                recall=_ratio(c.r_hits, c.r_total, "the annotators marked nothing on this layer"),
                gold_suggested=c.gold_suggested,
                precision_gold=_ratio(c.gp_hits, c.gp_total, "no suggestion on a gold document"),
                recall_gold=_ratio(c.gr_hits, c.gr_total, "no gold annotation on this layer"),
            )
            for (machine, rule, layer), c in sorted(
                self._rules.items(), key=lambda kv: (kv[0][0], order[kv[0][2]], kv[0][1])
            )
        ]
        return SuggestionReport(
            machines=self.machines,
            documents=self.documents,
            gold_documents=self.gold_documents,
            provenance=tuple(provenance),
            rules=tuple(rules),
        )
