"""The Agreement screen: the inter-annotator report's figures, live, in the terminal.

The report is built by the same service as ``annotator report`` (``build_report``) in a worker
thread, so the screen stays responsive on a large corpus; ``r`` builds it again. Every cell is a
plain ``Text``: names, labels and document ids never pass through the markup parser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from annotator.core.text import printable
from annotator.core.wording import plural
from annotator.report import Report, ReportError, ReportOptions, build_report
from annotator.report.model import Metric, SegmentLayerReport, SpanLayerReport
from annotator.report.present import ac_indices, ac_interval, fig, gamma_range, pct
from annotator.service.people import check_sees_everyone
from annotator.store.errors import StoreError
from annotator.tui import bindings

if TYPE_CHECKING:
    from annotator.tui.session import Session

WORST_DOCUMENTS = 20


@dataclass(frozen=True, slots=True)
class _Failed:
    """The report could not be built; ``message`` is one line for the user."""

    message: str


def _table(table_id: str, header: list[str], rows: list[list[str]]) -> DataTable[Text]:
    table: DataTable[Text] = DataTable(id=table_id, zebra_stripes=True, cursor_type="row")
    table.add_columns(*(Text(h) for h in header))
    for row in rows:
        table.add_row(*(Text(printable(cell)) for cell in row))
    return table


@dataclass(slots=True)
class Notes:
    """The reasons of undefined figures, numbered once for the whole screen.

    A cell says ``undefined (note 2)`` and the reason is printed in full below its table: a
    reason can run to eighty characters, and in a cell it would push every column after it
    off the screen.
    """

    numbers: dict[str, int] = field(default_factory=dict)
    used: list[int] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """Whole sentences for below the table, such as why kappa and Gwet's AC diverge."""

    def fig(self, metric: Metric, digits: int = 3) -> str:
        """``0.743`` or ``undefined (note 1)``."""
        return fig(metric, digits) if metric.defined else self._note(metric)

    def share(self, metric: Metric) -> str:
        """``85.7%`` or ``undefined (note 1)``."""
        return pct(metric.value) if metric.defined else self._note(metric)

    def _note(self, metric: Metric) -> str:
        reason = metric.reason or "not computable"
        number = self.numbers.setdefault(reason, len(self.numbers) + 1)
        if number not in self.used:
            self.used.append(number)
        return f"undefined (note {number})"

    def take(self) -> list[str]:
        """The notes used since the last call, in full, one line each, then the remarks; then
        start afresh."""
        reasons = {n: r for r, n in self.numbers.items()}
        lines = [f"note {n}: {reasons[n]}" for n in sorted(self.used)] + self.remarks
        self.used = []
        self.remarks = []
        return lines


def layer_rows(report: Report, notes: Notes | None = None) -> list[list[str]]:
    """One row per layer: its headline figure, the material it rests on, the other figure;
    the chance-corrected figures (Gwet's AC, gamma) and why they diverge go below the table,
    as remarks, where a sentence has room."""
    notes = notes or Notes()
    rows = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            interval = (
                f"{layer.alpha_ci95[0]:.3f} to {layer.alpha_ci95[1]:.3f}"
                if layer.alpha_ci95
                else "–"
            )
            rows.append(
                [
                    layer.name,
                    f"segment, {layer.level}",
                    f"alpha {notes.fig(layer.krippendorff_alpha)}",
                    interval,
                    plural(layer.units, "sentence"),
                    f"Fleiss {notes.fig(layer.fleiss_kappa)} on"
                    f" {plural(layer.fleiss_units, 'sentence')}",
                ]
            )
            if layer.gwet:
                g = layer.gwet
                details = "; ".join(part for part in (ac_interval(g), ac_indices(g)) if part)
                notes.remarks.append(
                    f"{layer.name}: Gwet's {g.name} {notes.fig(g.value)}"
                    + (f" ({details})" if details else "")
                )
                if g.note:
                    notes.remarks.append(f"{layer.name}: {g.note}")
        else:
            rows.append(
                [
                    layer.name,
                    "span",
                    f"alpha_U {notes.fig(layer.alpha_u)}",
                    "–",
                    f"{plural(layer.continuum_documents, 'document')} end to end",
                    f"{plural(layer.units, 'span')} in {plural(layer.documents, 'document')}",
                ]
            )
            span_range = gamma_range(layer)
            notes.remarks.append(
                f"{layer.name}: gamma {notes.fig(layer.gamma)}"
                + (f" ({span_range})" if span_range else "")
                + f", gamma-cat {notes.fig(layer.gamma_cat)}"
            )
    return rows


def pair_rows(report: Report, notes: Notes | None = None) -> list[list[str]]:
    """One row per layer and annotator pair, with what the pair's figures rest on."""
    notes = notes or Notes()
    rows = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            ac_name = layer.gwet.name if layer.gwet else "AC"
            for p in layer.pairwise:
                rows.append(
                    [
                        layer.name,
                        f"{p.a} / {p.b}",
                        plural(p.n, "sentence"),
                        f"kappa {notes.fig(p.cohen_kappa)}",
                        f"agreement {notes.share(p.percent_agreement)}",
                        f"{ac_name} {notes.fig(p.gwet_ac)}",
                    ]
                )
                if p.note:
                    notes.remarks.append(f"{layer.name}, {p.a} / {p.b}: {p.note}")
        elif isinstance(layer, SpanLayerReport):
            for q in layer.pairwise:
                rows.append(
                    [
                        layer.name,
                        f"{q.a} / {q.b}",
                        plural(q.documents, "document"),
                        f"F1 exact {notes.fig(q.f1['exact'])}",
                        f"F1 overlap {notes.fig(q.f1['overlap'])}",
                        f"F1 partial {notes.fig(q.f1['partial'])}",
                    ]
                )
    return rows


def label_rows(report: Report, notes: Notes | None = None) -> list[list[str]]:
    """One row per label: its figure, the material the figure and the counts cover (the same
    for both), and how often each annotator used the label there."""
    notes = notes or Notes()
    rows = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            on = plural(layer.units, "sentence")
            for lab in layer.per_label:
                counts = ", ".join(f"{who} {n}" for who, n in lab.counts.items())
                rows.append([layer.name, lab.label, f"alpha {notes.fig(lab.alpha)}", on, counts])
        else:
            on = plural(layer.continuum_documents, "document")
            for span_label in layer.per_label:
                counts = ", ".join(f"{who} {n}" for who, n in span_label.counts.items())
                rows.append(
                    [
                        layer.name,
                        span_label.label,
                        f"alpha_U {notes.fig(span_label.alpha_u)}",
                        on,
                        counts,
                    ]
                )
    return rows


def document_rows(
    report: Report, notes: Notes | None = None, limit: int = WORST_DOCUMENTS
) -> list[list[str]]:
    """The worst documents first; each layer's figure on one document with the sentences or
    spans it rests on, since a figure on four sentences says little."""
    notes = notes or Notes()
    rows = []
    for d in report.documents[:limit]:
        row = [d.external_id, d.title, notes.fig(d.score), str(d.disagreements)]
        for layer in report.layers:
            f = d.layers.get(layer.name)
            if f is None:
                row.append("–")
            elif f.alpha is None:
                row.append(f"F1 {notes.fig(f.agreement)} on {plural(f.units, 'span')}")
            else:
                row.append(
                    f"{notes.share(f.agreement)}, alpha {notes.fig(f.alpha)}"
                    f" on {plural(f.units, 'sentence')}"
                )
        rows.append(row)
    return rows


class AgreementScreen(Screen[None]):
    """How far the reviewers agree: per layer, per pair, per label, and the worst documents."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.AGREEMENT)

    DEFAULT_CSS = """
    AgreementScreen #agreement-status { padding: 0 1; height: auto; }
    AgreementScreen .agreement-heading { padding: 1 1 0 1; text-style: bold; }
    AgreementScreen DataTable { height: auto; max-height: 24; margin: 0 1; }
    AgreementScreen .agreement-notes { padding: 0 2; color: $text-muted; }
    """

    def __init__(self, session: Session, options: ReportOptions | None = None) -> None:
        super().__init__()
        self.session = session
        self.repo = session.repo
        self.options = options or ReportOptions()
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Building the agreement report…"), id="agreement-status")
        yield VerticalScroll(id="agreement-body")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Agreement"
        self.build()

    def action_refresh_report(self) -> None:
        self.query_one("#agreement-status", Static).update(Text("Building the agreement report…"))
        self.build()

    def action_close(self) -> None:
        self.dismiss()

    @work(thread=True, exclusive=True, exit_on_error=False, group="agreement")
    def build(self) -> Report | _Failed:
        try:
            # The figures show how the others labelled: for adjudicators only.
            check_sees_everyone(self.repo, self.session.reviewer)
            return build_report(self.repo, self.options)
        except (ReportError, ValueError, StoreError) as exc:
            return _Failed(str(exc))

    @on(Worker.StateChanged)
    async def _built(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "agreement" or event.state != WorkerState.SUCCESS:
            return
        event.stop()
        result = event.worker.result
        status = self.query_one("#agreement-status", Static)
        if isinstance(result, _Failed):
            status.update(Text(printable(f"The report could not be built: {result.message}")))
            await self.query_one("#agreement-body", VerticalScroll).remove_children()
            return
        assert isinstance(result, Report)
        self.report = result
        await self._show(result)

    async def _show(self, report: Report) -> None:
        p = report.provenance
        summary = (
            f"{plural(len(p.annotators), 'annotator')} ({', '.join(p.annotators) or 'none'}) · "
            f"{len(report.documents)} of {plural(p.documents, 'document')} with two or more"
            f" annotators · scheme {p.scheme_name} v{p.scheme_version} · "
            f"{plural(report.anatomy.total, 'disagreement')}"
        )
        if report.notes:
            summary += " · " + " · ".join(report.notes)
        self.query_one("#agreement-status", Static).update(Text(printable(summary)))
        body = self.query_one("#agreement-body", VerticalScroll)
        await body.remove_children()
        anatomy = report.anatomy
        notes = Notes()
        layers = [layer.name for layer in report.layers]
        # rows are built table by table, so each table's notes are printed below it
        tables: list[tuple[str, str, list[str], Callable[[], list[list[str]]]]] = [
            (
                "Layers",
                "agreement-layers",
                ["layer", "kind", "agreement", "95% CI", "on", ""],
                lambda: layer_rows(report, notes),
            ),
            (
                "Pairs",
                "agreement-pairs",
                ["layer", "pair", "on", "", "", ""],
                lambda: pair_rows(report, notes),
            ),
            (
                "Labels",
                "agreement-labels",
                ["layer", "label", "agreement", "on", "uses per annotator"],
                lambda: label_rows(report, notes),
            ),
            (
                "Disagreements by kind",
                "agreement-anatomy",
                ["kind", "count"],
                lambda: [[kind, str(n)] for kind, n in anatomy.counts.items()],
            ),
            (
                "Documents, worst first",
                "agreement-documents",
                ["document", "title", "score", "disagreements", *layers],
                lambda: document_rows(report, notes),
            ),
        ]
        widgets: list[Widget] = []
        for heading, table_id, header, rows in tables:
            widgets.append(Static(Text(heading), classes="agreement-heading"))
            widgets.append(_table(table_id, header, rows()))
            below = notes.take()
            if below:
                widgets.append(
                    Static(
                        Text("\n".join(below)), id=f"{table_id}-notes", classes="agreement-notes"
                    )
                )
        await body.mount_all(widgets)
