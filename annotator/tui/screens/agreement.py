"""The Agreement screen: the inter-annotator report's figures, live, in the terminal.

The report is built by the same service as ``annotator report`` (``build_report``) in a worker
thread, so the screen stays responsive on a large corpus; ``r`` builds it again. Every cell is a
plain ``Text``: names, labels and document ids never pass through the markup parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import Worker, WorkerState

from annotator.report import Report, ReportError, ReportOptions, build_report
from annotator.report.model import SegmentLayerReport, SpanLayerReport
from annotator.report.present import fig, pct
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
        table.add_row(*(Text(cell) for cell in row))
    return table


def layer_rows(report: Report) -> list[list[str]]:
    """One row per layer: its headline figures."""
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
                    str(layer.units),
                    f"alpha {fig(layer.krippendorff_alpha)}",
                    interval,
                    f"Fleiss {fig(layer.fleiss_kappa)}",
                ]
            )
        else:
            rows.append(
                [
                    layer.name,
                    "span",
                    str(layer.units),
                    f"alpha_U {fig(layer.alpha_u)}",
                    "–",
                    f"{layer.continuum_documents} documents in the continuum",
                ]
            )
    return rows


def pair_rows(report: Report) -> list[list[str]]:
    """One row per layer and annotator pair."""
    rows = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            for p in layer.pairwise:
                rows.append(
                    [
                        layer.name,
                        f"{p.a} / {p.b}",
                        str(p.n),
                        f"kappa {fig(p.cohen_kappa)}",
                        f"agreement {pct(p.percent_agreement.value)}",
                    ]
                )
        elif isinstance(layer, SpanLayerReport):
            for q in layer.pairwise:
                rows.append(
                    [
                        layer.name,
                        f"{q.a} / {q.b}",
                        str(q.documents),
                        f"F1 exact {fig(q.f1['exact'])}",
                        f"F1 overlap {fig(q.f1['overlap'])}",
                    ]
                )
    return rows


def label_rows(report: Report) -> list[list[str]]:
    rows = []
    for layer in report.layers:
        if isinstance(layer, SegmentLayerReport):
            for lab in layer.per_label:
                counts = ", ".join(f"{who} {n}" for who, n in lab.counts.items())
                rows.append([layer.name, lab.label, f"alpha {fig(lab.alpha)}", counts])
        else:
            for span_label in layer.per_label:
                counts = ", ".join(f"{who} {n}" for who, n in span_label.counts.items())
                rows.append(
                    [layer.name, span_label.label, f"alpha_U {fig(span_label.alpha_u)}", counts]
                )
    return rows


class AgreementScreen(Screen[None]):
    """How far the reviewers agree: per layer, per pair, per label, and the worst documents."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.AGREEMENT)

    DEFAULT_CSS = """
    AgreementScreen #agreement-status { padding: 0 1; height: auto; }
    AgreementScreen .agreement-heading { padding: 1 1 0 1; text-style: bold; }
    AgreementScreen DataTable { height: auto; max-height: 24; margin: 0 1; }
    """

    def __init__(self, session: Session, options: ReportOptions | None = None) -> None:
        super().__init__()
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
            return build_report(self.repo, self.options)
        except (ReportError, ValueError) as exc:
            return _Failed(str(exc))

    @on(Worker.StateChanged)
    async def _built(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "agreement" or event.state != WorkerState.SUCCESS:
            return
        event.stop()
        result = event.worker.result
        status = self.query_one("#agreement-status", Static)
        if isinstance(result, _Failed):
            status.update(Text(f"The report could not be built: {result.message}"))
            return
        assert isinstance(result, Report)
        self.report = result
        await self._show(result)

    async def _show(self, report: Report) -> None:
        p = report.provenance
        summary = (
            f"{len(p.annotators)} annotators ({', '.join(p.annotators) or 'none'}) · "
            f"{p.documents} documents · scheme {p.scheme_name} v{p.scheme_version} · "
            f"{report.anatomy.total} disagreements"
        )
        if report.notes:
            summary += " · " + " · ".join(report.notes)
        self.query_one("#agreement-status", Static).update(Text(summary))
        body = self.query_one("#agreement-body", VerticalScroll)
        await body.remove_children()
        anatomy = report.anatomy
        worst = [
            [d.external_id, d.title, fig(d.score), str(d.disagreements)]
            for d in report.documents[:WORST_DOCUMENTS]
        ]
        await body.mount_all(
            [
                Static(Text("Layers"), classes="agreement-heading"),
                _table(
                    "agreement-layers",
                    ["layer", "kind", "units", "agreement", "95% CI", ""],
                    layer_rows(report),
                ),
                Static(Text("Pairs"), classes="agreement-heading"),
                _table("agreement-pairs", ["layer", "pair", "n", "", ""], pair_rows(report)),
                Static(Text("Labels"), classes="agreement-heading"),
                _table(
                    "agreement-labels",
                    ["layer", "label", "agreement", "counts"],
                    label_rows(report),
                ),
                Static(Text("Disagreements by kind"), classes="agreement-heading"),
                _table(
                    "agreement-anatomy",
                    ["kind", "count"],
                    [[kind, str(n)] for kind, n in anatomy.counts.items()],
                ),
                Static(Text("Documents, worst first"), classes="agreement-heading"),
                _table(
                    "agreement-documents", ["document", "title", "score", "disagreements"], worst
                ),
            ]
        )
