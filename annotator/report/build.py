"""``build_report``: the one service that turns a database into a :class:`Report`.

The CLI, the Agreement screen and the tests all call it. It reads the store once, document by
document, feeding each layer's accumulator, the disagreement anatomy and the bias profiles;
then it asks the agreement engine for the corpus figures and re-reads the few worst documents
to quote their sentences.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import annotator
from annotator.report.anatomy import attr_span, document_disagreements, statement_pair
from annotator.report.bias import BiasAccumulator
from annotator.report.collect import DocumentWork, Selection, iter_work, load_work, resolve
from annotator.report.findings import ANNOTATOR_FIELD, FindingsAccumulator, check_fields
from annotator.report.gold_stats import GoldAccumulator, VsGold
from annotator.report.model import (
    DISAGREEMENT_KINDS,
    Anatomy,
    AnnotatorView,
    Disagreement,
    DocumentAgreement,
    DocumentLayerFigure,
    LayerReport,
    Mark,
    Metric,
    Provenance,
    Report,
    SentenceExample,
    undefined,
)
from annotator.report.offload import Offload, default_workers
from annotator.report.options import ReportError, ReportOptions, check_options
from annotator.report.segment_stats import SegmentAccumulator
from annotator.report.span_stats import SpanAccumulator
from annotator.report.suggestion_stats import SuggestionAccumulator
from annotator.store.dto import Document

if TYPE_CHECKING:
    from annotator.store.repository import Repository

ProgressCallback = Callable[[str, int, int], None]
"""Called with (phase, done, total) while the report is built."""


class _AnatomyCounter:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.by_layer: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_pair: dict[str, Counter[str]] = defaultdict(Counter)
        self.statement_kinds: Counter[str] = Counter()
        self.documents = 0

    def add(self, items: Sequence[Disagreement]) -> None:
        if items:
            self.documents += 1
        for d in items:
            self.counts[d.kind] += 1
            self.by_layer[d.layer][d.kind] += 1
            self.by_pair[f"{d.a} / {d.b}"][d.kind] += 1
            if d.kind == "statement kind" and len(d.labels) == 2:
                self.statement_kinds[statement_pair(d.labels)] += 1

    def finish(self, examples: tuple[SentenceExample, ...]) -> Anatomy:
        def ordered(counter: Counter[str]) -> dict[str, int]:
            return {kind: counter.get(kind, 0) for kind in DISAGREEMENT_KINDS}

        return Anatomy(
            counts=ordered(self.counts),
            by_layer={k: ordered(v) for k, v in sorted(self.by_layer.items())},
            by_pair={k: ordered(v) for k, v in sorted(self.by_pair.items())},
            statement_kinds=dict(
                sorted(self.statement_kinds.items(), key=lambda kv: (-kv[1], kv[0]))
            ),
            examples=examples,
            documents_with_disagreements=self.documents,
        )


def _score(layers: dict[str, DocumentLayerFigure]) -> Metric:
    values = [f.agreement.value for f in layers.values() if f.agreement.value is not None]
    if not values:
        return undefined("nothing two annotators both could compare")
    return Metric(sum(values) / len(values))


def _worst_first(doc: DocumentAgreement) -> tuple[int, float, int, int]:
    value = doc.score.value
    return (value is None, value if value is not None else 0.0, -doc.disagreements, doc.document_id)


def _views(work: DocumentWork, selection: Selection, index: int) -> tuple[AnnotatorView, ...]:
    start, end = work.document.segments[index]
    views = []
    for coder in work.counted:
        labels: dict[str, str] = {}
        marks: list[Mark] = []
        for layer in selection.layers:
            if layer.kind == "segment":
                ann = work.segment_labels(coder, layer.name).get(index)
                if ann is None:
                    continue
                labels[layer.name] = ann.label
                for attribute in ("source", "cue"):
                    span = attr_span(ann.attrs, attribute)
                    if span is not None and span[0] < end and span[1] > start:
                        marks.append(
                            Mark(
                                max(span[0], start) - start,
                                min(span[1], end) - start,
                                attribute,
                                layer.name,
                            )
                        )
            else:
                for ann in work.of(coder, layer.name):
                    if ann.start < end and ann.end > start:
                        marks.append(
                            Mark(
                                max(ann.start, start) - start,
                                min(ann.end, end) - start,
                                ann.label,
                                layer.name,
                            )
                        )
        marks.sort(key=lambda m: (m.start, m.end, m.layer, m.label))
        views.append(AnnotatorView(coder, labels, tuple(marks)))
    return tuple(views)


def _examples(
    repo: Repository,
    selection: Selection,
    documents: Sequence[DocumentAgreement],
    options: ReportOptions,
) -> tuple[SentenceExample, ...]:
    chosen = [d.document_id for d in documents if d.disagreements][: options.max_example_documents]
    out: list[SentenceExample] = []
    for work in load_work(repo, selection, chosen):
        by_sentence: dict[int, list[Disagreement]] = defaultdict(list)
        for item in document_disagreements(work, selection.layers):
            by_sentence[item.segment_index].append(item)
        for index, items in sorted(by_sentence.items()):
            start, end = work.document.segments[index]
            out.append(
                SentenceExample(
                    document_id=work.document.id,
                    external_id=work.document.external_id,
                    title=work.document.title,
                    segment_index=index,
                    text=work.document.text[start:end],
                    disagreements=tuple(items),
                    views=_views(work, selection, index),
                )
            )
    order = {doc_id: i for i, doc_id in enumerate(chosen)}
    out.sort(key=lambda e: (order[e.document_id], -len(e.disagreements), e.segment_index))
    # keep the worst documents first, but never more than max_examples sentences
    return tuple(out[: options.max_examples])


def _read_and_compute(
    repo: Repository,
    selection: Selection,
    options: ReportOptions,
    offload: Offload,
    total: int,
    on_progress: ProgressCallback | None,
    findings: FindingsAccumulator | None = None,
) -> tuple[
    list[LayerReport],
    list[DocumentAgreement],
    dict[str, tuple[str, ...]],
    _AnatomyCounter,
    BiasAccumulator,
    dict[str, tuple[VsGold, ...]],
    SuggestionAccumulator,
]:
    """One pass over the documents, then every layer's corpus figures."""
    segment: dict[str, SegmentAccumulator] = {}
    span: dict[str, SpanAccumulator] = {}
    for layer in selection.layers:
        if layer.kind == "segment":
            segment[layer.name] = SegmentAccumulator(layer, selection.coders, offload)
        else:
            span[layer.name] = SpanAccumulator(layer, selection.coders, offload)
    bias = BiasAccumulator(selection.scheme)
    gold = {layer.name: GoldAccumulator(layer, selection.coders) for layer in selection.layers}
    suggested = SuggestionAccumulator(repo, selection)
    anatomy = _AnatomyCounter()
    pending: list[tuple[Document, tuple[str, ...], dict[str, DocumentLayerFigure], int]] = []
    counted: dict[str, tuple[str, ...]] = {}
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if on_progress is not None and (done % 100 == 0 or done == total):
            on_progress("reading documents", done, total)

    if on_progress is not None:
        on_progress("reading documents", 0, total)
    offset = 0
    for work in iter_work(repo, selection, on_document=tick):
        doc = work.document
        counted[doc.external_id] = work.counted
        figures: dict[str, DocumentLayerFigure] = {}
        for seg in segment.values():
            seg.add(work, offset)
        for spans in span.values():
            spans.add(work, offset)
        for versus in gold.values():
            versus.add(work, offset)
        offset += len(doc.text)
        if len(work.counted) >= 2:
            items = document_disagreements(work, selection.layers)
            anatomy.add(items)
            pending.append((_summary(doc), work.counted, figures, len(items)))
        measured = bias.add(work)
        if findings is not None:
            findings.add(work, measured)
        suggested.add(work)
    steps = len(segment) + len(span) + 1
    if on_progress is not None:
        on_progress("computing agreement", 0, steps)
    for seg in segment.values():
        seg.start(offload, options.bootstrap, options.seed)
    for spans in span.values():
        spans.start()
    per_document = {name: seg.document_figures() for name, seg in segment.items()}
    per_document.update({name: spans.document_figures() for name, spans in span.items()})
    documents: list[DocumentAgreement] = []
    order = [layer.name for layer in selection.layers]
    for doc, who, figures, disagreements in pending:
        for name, by_id in per_document.items():
            if doc.id in by_id:
                figures[name] = by_id[doc.id]
        ordered = {name: figures[name] for name in order if name in figures}
        documents.append(
            DocumentAgreement(
                document_id=doc.id,
                external_id=doc.external_id,
                title=doc.title,
                annotators=who,
                score=_score(ordered),
                layers=ordered,
                disagreements=disagreements,
            )
        )
    by_name: dict[str, LayerReport] = {}
    for step, name in enumerate([*span, *segment], 1):
        by_name[name] = span[name].finish() if name in span else segment[name].finish()
        if on_progress is not None:
            on_progress("computing agreement", step, steps)
    if on_progress is not None:
        on_progress("computing agreement", steps, steps)
    vs_gold = {name: versus.finish() for name, versus in gold.items()}
    return (
        [by_name[name] for name in order],
        documents,
        counted,
        anatomy,
        bias,
        vs_gold,
        suggested,
    )


def _summary(doc: Document) -> Document:
    """The document without its text: the per-document table needs only its names."""
    return Document(doc.id, doc.external_id, doc.title, "", doc.sha256, {}, ())


def nothing_to_compare(selection: Selection, options: ReportOptions, total: int) -> str:
    """Why no document has two counted annotators, and what to do about it, in one line.

    A report with nothing to compare would be a page of empty tables and undefined figures;
    the user needs to know the one thing that is missing instead.
    """
    if total == 0:
        return "there are no documents to report on; import articles with `annotator import PATH`"
    selected = selection.document_ids is not None
    any_document = "any of the selected documents" if selected else "any document"
    if options.include_unfinished:
        acted, on = f"worked on {any_document}", "annotated"
        fix = "annotate the same documents as another reviewer"
    else:
        acted, on = f"marked {any_document} done", "marked done"
        fix = (
            "mark documents done (D in the annotation screen), or report with"
            " --include-unfinished to count work in progress"
        )
    if options.annotators and len(selection.coders) < 2:
        return (
            f"agreement needs two or more annotators and only {selection.coders[0]} is named;"
            " name another with --annotator"
        )
    if not selection.coders:
        return f"no annotator has {acted}; {fix}"
    if len(selection.coders) == 1:
        return (
            f"only {selection.coders[0]} has {acted}, and agreement needs two or more annotators"
            f" on the same document; {fix}"
        )
    documents = "none of the selected documents is" if selected else "no document is"
    return f"{documents} {on} by two or more annotators; {fix}"


def build_report(
    repo: Repository,
    options: ReportOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> Report:
    """Build the inter-annotator report for ``repo`` as selected by ``options``.

    Raises :class:`~annotator.report.options.ReportError` for an unknown layer, annotator or
    document, and when no selected document has two counted annotators (there is nothing to
    compare).
    """
    options = options or ReportOptions()
    check_options(options)
    selection = resolve(repo, options)
    total = (
        len(selection.document_ids)
        if selection.document_ids is not None
        else repo.info().get("documents", 0)
    )
    if total == 0 or len(selection.coders) < 2:
        raise ReportError(nothing_to_compare(selection, options, total))
    findings = None
    if options.group_by:
        if any(name != ANNOTATOR_FIELD for name in options.group_by):
            keys = repo.meta_keys(selection.document_ids)
            check_fields(options.group_by, keys, selection.document_ids is not None)
        findings = FindingsAccumulator(options.group_by, selection.scheme)
    workers = options.workers if options.workers is not None else default_workers(total)
    with Offload(workers) as offload:
        layers, documents, counted, anatomy, bias, vs_gold, suggested = _read_and_compute(
            repo, selection, options, offload, total, on_progress, findings
        )
    documents.sort(key=_worst_first)
    examples = _examples(repo, selection, documents, options)
    if not documents:
        raise ReportError(nothing_to_compare(selection, options, total))
    notes: list[str] = list(selection.gold_notes)
    if selection.idle:
        notes.append(
            f"not counted: {', '.join(selection.idle)} (finished none of the selected documents;"
            " name them with --annotator to count them anyway)"
        )
    provenance = Provenance(
        annotators=selection.coders,
        scheme_name=selection.scheme.name,
        scheme_version=selection.scheme.version,
        tool_version=annotator.__version__,
        generated_at=options.generated_at or datetime.now(UTC).replace(microsecond=0).isoformat(),
        database=repo.url,
        bootstrap_b=options.bootstrap,
        seed=options.seed,
        include_unfinished=options.include_unfinished,
        documents=len(counted),
        counted=counted,
        gold_documents=bias.gold_documents,
    )
    return Report(
        provenance=provenance,
        layers=tuple(layers),
        anatomy=anatomy.finish(examples),
        documents=tuple(documents),
        bias=tuple(bias.profiles),
        bias_corpus=bias.corpus(),
        notes=tuple(notes),
        findings=findings.finish(options.bootstrap, options.seed) if findings else None,
        vs_gold=vs_gold,
        suggestions=suggested.finish(),
    )
