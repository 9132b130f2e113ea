"""The Textual application: which screens exist, the app-wide keys, and what it is given.

Everything the app touches is handed in by :func:`make_app` as a
:class:`~annotator.tui.session.Session` (the store, the settings, the reviewer, the rulebook),
so tests build the same app around an in-memory store. The app hands the session on to each
screen it opens; screens never reach back up to the app, and do not import it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from annotator.tui import bindings
from annotator.tui.config import TuiConfig
from annotator.tui.screens.document_table import DocumentTableScreen
from annotator.tui.screens.documents import DocumentsScreen
from annotator.tui.session import Session

if TYPE_CHECKING:
    from annotator.store.repository import Repository


def agreement_available() -> bool:
    """Whether the agreement report screen is part of this installation."""
    import importlib.util

    return importlib.util.find_spec("annotator.tui.screens.agreement") is not None


class AnnotatorApp(App[None]):
    """Annotate news articles for source bias, as one reviewer, blind to the others."""

    CSS_PATH = "app.tcss"
    TITLE = "annotator"

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.APP)

    def __init__(self, session: Session, *, document_id: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.start_document = document_id
        if not session.config.animations:
            self.animation_level = "none"
        self.theme = session.config.theme

    def on_mount(self) -> None:
        self.show_where()
        if self.session.config.keymap:
            self.set_keymap(dict(self.session.config.keymap))
        if self.session.adjudicating:
            from annotator.tui.screens.adjudicate_documents import AdjudicationDocumentsScreen

            self.sub_title = f"adjudicating as {self.session.reviewer} · {self.session.repo.url}"
            self.push_screen(AdjudicationDocumentsScreen(self.session))
        else:
            self.push_screen(DocumentsScreen(self.session))
        if self.start_document is not None:
            self.open_document(self.start_document)

    def show_where(self) -> None:
        """The reviewer and, once the store is open, where it is, under the title."""
        where = self.session.where
        self.sub_title = f"{self.session.reviewer} · {where}" if where else self.session.reviewer

    # navigation -------------------------------------------------------------------------------

    @on(DocumentsScreen.Loaded)
    def _documents_loaded(self) -> None:
        self.show_where()  # the store may have been opened by this first read

    @on(DocumentTableScreen.Open)
    def _open(self, message: DocumentTableScreen.Open) -> None:
        self.open_document(message.document_id)

    def open_document(self, document_id: int) -> None:
        """Show one document for annotation (or adjudication), on top of the documents list."""
        if self.session.adjudicating:
            from annotator.tui.screens.adjudicate import AdjudicateScreen

            self.push_screen(AdjudicateScreen(self.session, document_id))
            return
        from annotator.tui.screens.annotate import AnnotateScreen

        self.push_screen(AnnotateScreen(self.session, document_id))

    def action_help(self) -> None:
        from annotator.tui.dialogs.help import HelpDialog

        if not isinstance(self.screen, HelpDialog):
            self.push_screen(HelpDialog(self.screen))

    def action_agreement(self) -> None:
        """Open the inter-annotator agreement report."""
        if not agreement_available():
            self.notify("The agreement report is not installed.", severity="warning")
            return
        from annotator.tui.screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen(self.session))

    async def action_quit(self) -> None:
        """Quit after the queued writes have been committed."""
        if self.session.writer.pending:
            self.notify("Saving before quitting…", markup=False)
        self.session.writer.close()
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
        for node, node_bindings in screen._binding_chain:
            for _key, binding in node_bindings:
                if not binding.description or binding.id is None or binding.id in seen:
                    continue
                if binding.id in {"help", "quit"}:
                    continue
                seen.add(binding.id)
                keys = self.get_key_display(binding)
                yield SystemCommand(
                    f"{binding.description} ({keys})",
                    binding.tooltip or binding.description,
                    self._runner(node, binding.action),
                )

    def _runner(self, node: DOMNode, action: str) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await self.run_action(action, node)

        return run


def make_app(
    repo: Repository,
    config: TuiConfig | None = None,
    *,
    annotator: str,
    document_id: int | None = None,
) -> AnnotatorApp:
    """Build the app around a store, as ``annotator``; creates the annotator when new."""
    session = Session.start(repo, config or TuiConfig(), annotator)
    repo.ensure_annotator(session.reviewer)
    return AnnotatorApp(session, document_id=document_id)


def make_opening_app(
    opener: Callable[[], Repository], config: TuiConfig | None = None, *, annotator: str
) -> AnnotatorApp:
    """Build the app around a store that ``opener`` opens after the first paint, in the
    documents screen's first read; creates the annotator when new."""

    def open_as_reviewer() -> Repository:
        repo = opener()
        try:
            repo.ensure_annotator(session.reviewer)
        except BaseException:
            repo.close()
            raise
        return repo

    session = Session.opening(open_as_reviewer, config or TuiConfig(), annotator)
    return AnnotatorApp(session)


def make_adjudicate_app(
    repo: Repository,
    config: TuiConfig | None = None,
    *,
    adjudicator: str,
    document_id: int | None = None,
) -> AnnotatorApp:
    """Build the app for an adjudicator (anyone else is refused with the rulebook's
    ``InvalidInput``): the documents list with open and decided disagreements, and the
    Adjudicate screen."""
    return AnnotatorApp(
        Session.adjudicate(repo, config or TuiConfig(), adjudicator), document_id=document_id
    )
