"""The Textual application: which screens exist, the app-wide keys, and what it is given.

Everything the app touches is handed in by :func:`make_app` (the store, the settings, the
reviewer's name), so tests build the same app around an in-memory store. Writes go through one
ordered :class:`~annotator.tui.writer.Writer`; failures of any worker are reported here, in one
place, as a single line.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from annotator.core.scheme import Scheme
from annotator.store.errors import StoreError
from annotator.tui.config import TuiConfig
from annotator.tui.writer import Writer

if TYPE_CHECKING:
    from annotator.service.adjudicating import Adjudicating
    from annotator.store.repository import Repository


def agreement_available() -> bool:
    """Whether the agreement report screen is part of this installation."""
    return importlib.util.find_spec("annotator.tui.screens.agreement") is not None


class AnnotatorApp(App[None]):
    """Annotate news articles for source bias, as one reviewer, blind to the others."""

    CSS_PATH = "app.tcss"
    TITLE = "annotator"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark",
            "help",
            "Help",
            id="help",
            tooltip="Every key of this screen, with what it does",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="quit",
            tooltip="Quit once every change is saved",
        ),
    ]

    def __init__(
        self,
        repo: Repository,
        config: TuiConfig,
        *,
        annotator: str,
        document_id: int | None = None,
        adjudicating: Adjudicating | None = None,
    ) -> None:
        super().__init__()
        self.adjudicating = adjudicating
        self.repo = repo
        self.config = config
        self.annotator = annotator
        self.start_document = document_id
        self.scheme: Scheme = repo.scheme()
        self.writer = Writer()
        if not config.animations:
            self.animation_level = "none"
        self.theme = config.theme

    def on_mount(self) -> None:
        self.sub_title = f"{self.annotator} · {self.repo.url}"
        if self.config.keymap:
            self.set_keymap(dict(self.config.keymap))
        if self.adjudicating is not None:
            from annotator.tui.screens.adjudicate_documents import AdjudicationDocumentsScreen

            self.sub_title = f"adjudicating as {self.annotator} · {self.repo.url}"
            self.push_screen(AdjudicationDocumentsScreen(self.adjudicating))
        else:
            from annotator.tui.screens.documents import DocumentsScreen

            self.push_screen(DocumentsScreen())
        if self.start_document is not None:
            self.open_document(self.start_document)

    # navigation -------------------------------------------------------------------------------

    def open_document(self, document_id: int) -> None:
        """Show one document for annotation, on top of the documents list."""
        from annotator.tui.screens.annotate import AnnotateScreen

        if isinstance(self.screen, AnnotateScreen):
            self.screen.load(document_id)
        elif self.adjudicating is not None:
            from annotator.tui.screens.adjudicate import AdjudicateScreen

            self.push_screen(AdjudicateScreen(document_id, self.scheme, self.adjudicating))
        else:
            self.push_screen(AnnotateScreen(document_id, self.scheme))

    def action_help(self) -> None:
        from annotator.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_agreement(self) -> None:
        """Open the inter-annotator agreement report."""
        if not agreement_available():
            self.notify("The agreement report is not installed.", severity="warning")
            return
        from annotator.tui.screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen(self.repo))

    async def action_quit(self) -> None:
        """Quit after the queued writes have been committed."""
        if self.writer.pending:
            self.notify("Saving before quitting…", markup=False)
        self.writer.close()
        self.exit()

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if agreement_available():
            yield SystemCommand(
                "Agreement report",
                "How far the reviewers agree, per layer and per label",
                self.action_agreement,
            )
        seen: set[str] = set()
        for _node, bindings in screen._binding_chain:
            for _key, binding in bindings:
                if not binding.description or binding.id is None or binding.id in seen:
                    continue
                if binding.id in {"help", "quit"}:
                    continue
                seen.add(binding.id)
                keys = self.get_key_display(binding)
                yield SystemCommand(
                    f"{binding.description} ({keys})",
                    binding.tooltip or binding.description,
                    _runner(screen, _node, binding.action),
                )

    # errors, in one place -------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, StoreError):
            message = str(error)
        else:
            message = f"Unexpected error: {type(error).__name__}: {error}"
            self.log.error(repr(error))
        # Only the writer's workers change data; a failed read saved nothing and lost nothing.
        title = "Not saved" if event.worker.group == "write" else "Could not load"
        self.notify(message, title=title, severity="error", markup=False)
        recover = getattr(self.screen, "recover", None)
        if callable(recover):
            recover()


def _runner(screen: Screen[object], node: object, action: str):  # type: ignore[no-untyped-def]
    async def run() -> None:
        await screen.app.run_action(action, node)  # type: ignore[arg-type]

    return run


def binding_ids(scheme: Scheme) -> set[str]:
    """Every binding id a keymap may name: the app's, its screens', dialogs' and widgets'."""
    from textual.binding import Binding

    from annotator.tui.screens import adjudicate, annotate, dialogs, documents, help
    from annotator.tui.widgets.document_view import DocumentView

    classes: list[type[object]] = [
        AnnotatorApp,
        annotate.AnnotateScreen,
        adjudicate.AdjudicateScreen,
        documents.DocumentsScreen,
        dialogs.ConfirmDialog,
        dialogs.PickerDialog,
        dialogs.NoteDialog,
        help.HelpScreen,
        DocumentView,
    ]
    if agreement_available():
        from annotator.tui.screens.agreement import AgreementScreen

        classes.append(AgreementScreen)
    bindings: list[object] = [b for cls in classes for b in getattr(cls, "BINDINGS", [])]
    bindings += annotate.label_bindings(scheme)
    return {b.id for b in bindings if isinstance(b, Binding) and b.id is not None}


def make_app(
    repo: Repository,
    config: TuiConfig | None = None,
    *,
    annotator: str,
    document_id: int | None = None,
) -> AnnotatorApp:
    """Build the app around a store, as ``annotator``; creates the annotator when new."""
    repo.ensure_annotator(annotator)
    return AnnotatorApp(repo, config or TuiConfig(), annotator=annotator, document_id=document_id)


def make_adjudicate_app(
    repo: Repository,
    config: TuiConfig | None = None,
    *,
    adjudicator: str,
    document_id: int | None = None,
) -> AnnotatorApp:
    """Build the app for an adjudicator (refused, ``InvalidInput``, for anyone else): the
    documents list with open and decided disagreements, and the Adjudicate screen."""
    from annotator.service.adjudicating import Adjudicating

    judge = Adjudicating(repo, adjudicator)
    return AnnotatorApp(
        repo,
        config or TuiConfig(),
        annotator=judge.adjudicator,
        document_id=document_id,
        adjudicating=judge,
    )
