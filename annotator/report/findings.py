"""Findings by group: does outlet A load its own voice more than outlet B?

``annotator report --group-by FIELD`` splits the documents by a ``meta`` key (outlet, topic,
leaning, date ...) or by ``annotator``, and for each group adds up what the bias profile counts
for each article: words, statements of each kind, loaded spans in the writer's voice and inside
attributed statements, named and vague sources. Every rate of a group is a ratio of two sums over
its documents (loaded spans / words), as if the group were one long article.

Uncertainty comes from which documents were annotated, so documents are what is resampled:
a 95% percentile bootstrap interval per rate (:func:`annotator.agreement.resampling
.bootstrap_sums`), the difference of each pair of groups with the interval of the difference
of their resamples, and a two-sided permutation p-value with documents shuffled between the two
groups, Holm-adjusted over the pairs of a field. Grouped by annotator, the groups are readings of
the same documents: a pair is compared on the documents both finished, resampled together, and
the permutation swaps the two readings within a document.

Seeds: group ``v`` of field ``f`` resamples with ``default_rng([seed, crc32(key)])``, the pair
``(a, b)`` with ``default_rng([seed, crc32(key of a), crc32(key of b)])``, where the key of a
group is ``"f=v"`` (``"f"`` alone for the documents without the key). So a group's interval does
not change when another group gains documents, and the same data, B and seed give the same
figures.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from annotator.agreement.resampling import (
    Matrix,
    bootstrap_sums,
    holm,
    percentile_interval,
    permutation_test,
    ratios,
)
from annotator.core.scheme import Scheme
from annotator.core.wording import plural
from annotator.report.bias import Measured, loaded_layer, measure_own, sources_of, statement_layer
from annotator.report.collect import DocumentWork
from annotator.report.findings_model import (
    MIN_DOCUMENTS_FOR_INTERVAL,
    RATE_METRICS,
    Comparison,
    Estimate,
    Findings,
    GroupFindings,
    LoadedExpression,
    share_metric,
)
from annotator.report.model import Metric, undefined
from annotator.report.options import ReportError

ANNOTATOR_FIELD = "annotator"
"""``--group-by annotator``: each annotator's own reading of the documents they finished."""
NAMED_SOURCE: frozenset[str] = frozenset({"attributed", "mixed"})
"""Statement kinds whose source is named (the scheme requires a source span on them)."""
VAGUE_SOURCE: frozenset[str] = frozenset({"vague"})
"""Statement kinds whose source is anonymous or passive ("officials say", "it is believed")."""
MAX_COMPARED_GROUPS = 12
"""Pairs are compared among at most this many groups (the largest), 66 pairs; more would be a
table nobody reads and a Holm correction that leaves nothing standing."""
TOP_LOADED = 10
TOP_SOURCES = 10

# Columns of the documents x counts matrix; statement kinds follow, one column each.
WORDS, LOADED, LOADED_W, WORDS_W, LOADED_A, WORDS_A, NAMED, SOURCED, LABELLED = range(9)
_FIRST_LABEL = 9
_RATE_COLUMNS: dict[str, tuple[int, int, float, str]] = {
    "loaded_per_100_words": (LOADED, WORDS, 100.0, "no words"),
    "loaded_per_100_writer": (LOADED_W, WORDS_W, 100.0, "no words in the writer's voice"),
    "loaded_per_100_attributed": (
        LOADED_A,
        WORDS_A,
        100.0,
        "no words in attributed statements",
    ),
    "named_source_share": (NAMED, SOURCED, 1.0, "no statement with a named or vague source"),
}


def group_value(meta: Mapping[str, object], key: str) -> str | None:
    """The group of a document: its ``meta[key]`` as text (numbers as written, true/false,
    other values as compact JSON); None when the key is absent, null or blank."""
    value = meta.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def check_fields(fields: Sequence[str], keys: Mapping[str, int], selected: bool) -> None:
    """Refuse a ``--group-by`` key that no (selected) document has, naming the keys there are."""
    for name in fields:
        if name == ANNOTATOR_FIELD or name in keys:
            continue
        documents = "selected document" if selected else "document"
        known = ", ".join(f"{key} ({plural(n, 'document')})" for key, n in keys.items())
        there = f"the meta keys are: {known}" if keys else "no document has any meta key"
        raise ReportError(
            f"--group-by {name}: no {documents} has the meta key {name!r}; {there}"
            f" (or group by {ANNOTATOR_FIELD})"
        )


def count_row(measured: Measured, labels: Sequence[str]) -> list[float]:
    """One document's row of the counts matrix (see the column constants)."""
    s = measured.statements
    loaded_w, words_w, loaded_a, words_a = measured.counts
    named = sum(s.get(label, 0) for label in NAMED_SOURCE)
    vague = sum(s.get(label, 0) for label in VAGUE_SOURCE)
    return [
        measured.words,
        len(measured.loaded),
        loaded_w,
        words_w,
        loaded_a,
        words_a,
        named,
        named + vague,
        sum(s.values()),
        *(s.get(label, 0) for label in labels),
    ]


@dataclass(slots=True)
class _Group:
    rows: list[list[float]] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    bases: Counter[str] = field(default_factory=Counter)
    loaded: Counter[str] = field(default_factory=Counter)
    shown: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str, bool]] = field(default_factory=list)

    def add(self, document_id: int, measured: Measured, labels: Sequence[str]) -> None:
        self.rows.append(count_row(measured, labels))
        self.ids.append(document_id)
        self.bases[measured.basis] += 1
        for text in measured.loaded:
            key = text.casefold()
            self.shown.setdefault(key, text)
            self.loaded[key] += 1
        self.pairs.extend(measured.pairs)

    def matrix(self, width: int) -> Matrix:
        return np.asarray(self.rows, dtype=np.float64).reshape(len(self.rows), width)


def _basis(bases: Counter[str]) -> str:
    if set(bases) == {"own"}:
        return "each annotator's own annotations"
    if set(bases) == {"gold"}:
        return "gold"
    if "gold" not in bases:
        return "majority"
    return "gold where it exists, else majority"


def _key(field_name: str, value: str | None) -> int:
    text = field_name if value is None else f"{field_name}={value}"
    return zlib.crc32(text.encode("utf-8"))


class FindingsAccumulator:
    """Collects each document's counts under its group, for every ``--group-by`` field."""

    def __init__(self, fields: Sequence[str], scheme: Scheme) -> None:
        self.fields = tuple(dict.fromkeys(fields))
        statements = statement_layer(scheme)
        self._statements = statements
        self._loaded = loaded_layer(scheme)
        self.labels: tuple[str, ...] = statements.label_names if statements else ()
        self._groups: dict[str, dict[str | None, _Group]] = {f: {} for f in self.fields}

    @property
    def width(self) -> int:
        return _FIRST_LABEL + len(self.labels)

    def add(self, work: DocumentWork, measured: Measured | None) -> None:
        """File ``work`` (settled reading ``measured``, None when nothing settled it) under its
        group in every field."""
        doc = work.document
        for name in self.fields:
            groups = self._groups[name]
            if name == ANNOTATOR_FIELD:
                for coder in work.counted:
                    own = measure_own(work, coder, self._statements, self._loaded)
                    groups.setdefault(coder, _Group()).add(doc.id, own, self.labels)
            elif measured is not None:
                value = group_value(doc.meta, name)
                groups.setdefault(value, _Group()).add(doc.id, measured, self.labels)

    def finish(self, bootstrap: int, seed: int) -> Findings:
        groups: list[GroupFindings] = []
        comparisons: list[Comparison] = []
        notes: list[str] = []
        for name in self.fields:
            found, compared, note = _field(name, self._groups[name], self, bootstrap, seed)
            groups += found
            comparisons += compared
            notes += note
        return Findings(
            fields=self.fields,
            groups=tuple(groups),
            comparisons=tuple(comparisons),
            bootstrap=bootstrap,
            seed=seed,
            notes=tuple(notes),
        )


@dataclass(frozen=True, slots=True)
class _Computed:
    value: str | None
    group: _Group
    counts: Matrix
    point: npt.NDArray[np.float64]
    replicates: Matrix | None
    why_no_interval: str | None


def _metrics(labels: Sequence[str]) -> list[tuple[str, int, int, float, str]]:
    """(name, numerator column, denominator column, scale, reason when undefined)."""
    out = [(name, *_RATE_COLUMNS[name]) for name, _ in RATE_METRICS]
    out += [
        (share_metric(label), _FIRST_LABEL + i, LABELLED, 1.0, "no labelled statements")
        for i, label in enumerate(labels)
    ]
    return out


def _metric_value(value: float, reason: str) -> Metric:
    return undefined(reason) if np.isnan(value) else Metric(float(value))


def _estimate(
    point: float, reason: str, replicates: npt.NDArray[np.float64] | None, why: str | None
) -> Estimate:
    value = _metric_value(point, reason)
    if not value.defined:
        return Estimate(value, None, reason)
    if replicates is None:
        return Estimate(value, None, why)
    interval = percentile_interval(replicates)
    if interval.low is None or interval.high is None:
        return Estimate(value, None, interval.reason)
    return Estimate(value, (interval.low, interval.high))


def _no_interval(documents: int, bootstrap: int) -> str | None:
    if bootstrap <= 0:
        return "bootstrap off (--bootstrap 0)"
    if documents < MIN_DOCUMENTS_FOR_INTERVAL:
        return f"{plural(documents, 'document')}; an interval needs {MIN_DOCUMENTS_FOR_INTERVAL}"
    return None


def _field(
    name: str,
    by_value: Mapping[str | None, _Group],
    acc: FindingsAccumulator,
    bootstrap: int,
    seed: int,
) -> tuple[list[GroupFindings], list[Comparison], list[str]]:
    metrics = _metrics(acc.labels)
    spec = [(num, den, scale) for _, num, den, scale, _ in metrics]
    order = sorted(by_value, key=lambda v: (v is None, v or ""))
    computed: list[_Computed] = []
    for value in order:
        group = by_value[value]
        counts = group.matrix(acc.width)
        point = ratios(counts.sum(axis=0), spec)[0]
        why = _no_interval(len(group.rows), bootstrap)
        replicates = (
            None
            if why is not None
            else ratios(bootstrap_sums(counts, bootstrap, [seed, _key(name, value)]), spec)
        )
        computed.append(_Computed(value, group, counts, point, replicates, why))
    found = [_group(name, c, metrics) for c in computed]
    notes: list[str] = []
    chosen = computed
    if len(computed) > MAX_COMPARED_GROUPS:
        largest = sorted(computed, key=lambda c: -len(c.group.rows))[:MAX_COMPARED_GROUPS]
        keep = {id(c) for c in largest}
        chosen = [c for c in computed if id(c) in keep]
        notes.append(
            f"{name}: {len(computed)} groups; pairs compared among the {MAX_COMPARED_GROUPS}"
            " with the most documents"
        )
    compared = _compare(name, chosen, metrics, bootstrap, seed)
    return found, compared, notes


def _group(
    name: str, c: _Computed, metrics: Sequence[tuple[str, int, int, float, str]]
) -> GroupFindings:
    totals = c.counts.sum(axis=0)
    estimates: dict[str, Estimate] = {}
    for i, (metric, _num, _den, _scale, reason) in enumerate(metrics):
        replicates = None if c.replicates is None else c.replicates[:, i]
        estimates[metric] = _estimate(float(c.point[i]), reason, replicates, c.why_no_interval)
    labels = [m.removeprefix("shares.") for m, *_ in metrics if m.startswith("shares.")]
    top = sorted(c.group.loaded.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LOADED]
    return GroupFindings(
        field=name,
        value=c.value,
        basis=_basis(c.group.bases),
        documents=len(c.group.rows),
        words=int(totals[WORDS]),
        loaded_spans=int(totals[LOADED]),
        statements={label: int(totals[_FIRST_LABEL + i]) for i, label in enumerate(labels)},
        rates={key: estimates[key] for key, _ in RATE_METRICS},
        shares={label: estimates[share_metric(label)] for label in labels},
        top_loaded=tuple(LoadedExpression(c.group.shown[k], n) for k, n in top),
        sources=tuple(sources_of(c.group.pairs)[:TOP_SOURCES]),
    )


def _pairs(items: Sequence[_Computed]) -> Iterable[tuple[_Computed, _Computed]]:
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            yield a, b


def _compare(
    name: str,
    items: Sequence[_Computed],
    metrics: Sequence[tuple[str, int, int, float, str]],
    bootstrap: int,
    seed: int,
) -> list[Comparison]:
    spec = [(num, den, scale) for _, num, den, scale, _ in metrics]

    def statistic(sums: Matrix) -> Matrix:
        return ratios(sums, spec)

    paired = name == ANNOTATOR_FIELD
    rows: list[list[Comparison]] = []
    for a, b in _pairs(items):
        pair_seed = [seed, _key(name, a.value), _key(name, b.value)]
        if paired:
            shared = sorted(set(a.group.ids) & set(b.group.ids))
            where_a = {d: i for i, d in enumerate(a.group.ids)}
            where_b = {d: i for i, d in enumerate(b.group.ids)}
            counts_a = a.counts[[where_a[d] for d in shared]]
            counts_b = b.counts[[where_b[d] for d in shared]]
            n_a = n_b = len(shared)
        else:
            counts_a, counts_b = a.counts, b.counts
            n_a, n_b = len(a.group.rows), len(b.group.rows)
        point_a = statistic(counts_a.sum(axis=0)[None, :])[0]
        point_b = statistic(counts_b.sum(axis=0)[None, :])[0]
        observed = point_a - point_b
        diffs = _difference_replicates(a, b, counts_a, counts_b, spec, paired, bootstrap, pair_seed)
        test = (
            permutation_test(counts_a, counts_b, statistic, bootstrap, pair_seed, paired=paired)
            if bootstrap > 0 and n_a and n_b
            else None
        )
        out: list[Comparison] = []
        for i, (metric, _num, _den, _scale, reason) in enumerate(metrics):
            difference = _metric_value(
                float(observed[i]),
                "no document that both finished"
                if paired and not n_a
                else _why_no_difference(
                    name,
                    [g.value for g, v in ((a, point_a[i]), (b, point_b[i])) if np.isnan(v)],
                    reason,
                ),
            )
            ci: tuple[float, float] | None = None
            ci_reason: str | None
            if not difference.defined:
                ci_reason = difference.reason
            elif isinstance(diffs, str):
                ci_reason = diffs
            else:
                interval = percentile_interval(diffs[:, i])
                ci_reason = interval.reason
                if interval.low is not None and interval.high is not None:
                    ci = (interval.low, interval.high)
            p = test.p_values[i] if test is not None else None
            p_value = (
                Metric(p)
                if p is not None
                else undefined(
                    "bootstrap off (--bootstrap 0)"
                    if bootstrap <= 0
                    else difference.reason or "no shuffle gave a defined difference"
                )
            )
            out.append(
                Comparison(
                    field=name,
                    a=a.value,
                    b=b.value,
                    metric=metric,
                    n_a=n_a,
                    n_b=n_b,
                    paired=paired,
                    difference=difference,
                    ci95=ci,
                    ci_reason=None if ci else ci_reason,
                    p_value=p_value,
                    p_holm=p_value,
                    permutations=test.permutations if test is not None else 0,
                    exact=test.exact if test is not None else False,
                )
            )
        rows.append(out)
    return _with_holm(rows, len(metrics))


def _why_no_difference(name: str, empty: Sequence[str | None], reason: str) -> str:
    """Why a difference is undefined: ``empty`` are the groups whose rate is."""
    if len(empty) != 1:
        return f"{reason} in either group"
    value = empty[0]
    return f"{reason} in {value if value is not None else f'(no {name})'}"


def _difference_replicates(
    a: _Computed,
    b: _Computed,
    counts_a: Matrix,
    counts_b: Matrix,
    spec: Sequence[tuple[int, int, float]],
    paired: bool,
    bootstrap: int,
    seed: list[int],
) -> Matrix | str:
    """The difference on each resample, or why there is no interval."""
    if paired:
        why = _no_interval(len(counts_a), bootstrap)
        if why is not None:
            return why.replace("document", "shared document", 1)
        width = counts_a.shape[1]
        sums = bootstrap_sums(np.hstack([counts_a, counts_b]), bootstrap, seed)
        return ratios(sums[:, :width], spec) - ratios(sums[:, width:], spec)
    if a.replicates is None or b.replicates is None:
        return a.why_no_interval or b.why_no_interval or "no interval"
    return a.replicates - b.replicates


def _with_holm(rows: Sequence[Sequence[Comparison]], metrics: int) -> list[Comparison]:
    """Holm-adjust each metric's p-values over the pairs, and list comparisons metric by metric."""
    out: list[Comparison] = []
    for i in range(metrics):
        column = [row[i] for row in rows]
        adjusted = holm([c.p_value.value for c in column])
        for c, p in zip(column, adjusted, strict=True):
            out.append(replace(c, p_holm=Metric(p) if p is not None else c.p_value))
    return out
