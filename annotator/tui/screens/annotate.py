"""The annotate screen: one article, the reviewer's own annotations, and the keys to make them.

Only UI lives here. Every change goes through the rulebook
(:class:`~annotator.service.annotating.Annotating`: its checks, the status after a change, the
gaps before "done"), run in order on the session's writer; the screen says "saving…" until the
store has committed it. Reads and writes run in thread workers that post a message the screen
handles. Only this reviewer's annotations are ever read: reviewers stay blind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingsMap, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Input

from annotator.core.navigation import extend_boundary, segment_index_at
from annotator.core.text import printable
from annotator.service.annotating import (
    Annotating,
    Gaps,
    Outcome,
    document_gaps,
    missing_attributes,
)
from annotator.service.suggesting import next_pending
from annotator.store.dto import Annotation, DocStatus, Document, Event
from annotator.tui import bindings
from annotator.tui.dialogs.confirm import ConfirmDialog
from annotator.tui.dialogs.note import NoteDialog
from annotator.tui.dialogs.picker import PickerDialog
from annotator.tui.screens.base import WRITE_GROUP, SessionScreen
from annotator.tui.session import Session
from annotator.tui.widgets.clip import clip_words
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.marks import document_marks, suggestion_marks
from annotator.tui.widgets.prompt import AttributionPrompt, AttributionRequest
from annotator.tui.widgets.search_bar import Search, SearchBar
from annotator.tui.widgets.side_panel import (
    PanelText,
    annotation_row,
    annotations_at,
    panel_items,
    render_guide,
    render_items,
    render_legend,
)
from annotator.tui.widgets.status_line import (
    StatusInfo,
    StatusLine,
    describe_event,
    shown_status,
)
from annotator.tui.widgets.suggested import render_suggested, suggestions_at

R = TypeVar("R")


class Unfinished(Protocol):
    """What stands between a document and done (``Gaps``, or the gold's ``GoldCheck``):
    false when nothing does."""

    def __bool__(self) -> bool: ...

    def lines(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class DoneWords:
    """What marking done says on a screen: the reviewer's document or the gold."""

    done: str
    reopened: str
    title: str
    question: str
    keep: str


class AnnotateScreen(SessionScreen):
    """Annotate one document."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ANNOTATE)
    SUGGESTIONS: ClassVar[bool] = True
    """Whether the machines' suggestions are shown and decided here (not on the gold)."""
    SIDE_PANEL: ClassVar[tuple[str, ...]] = ("under-cursor", "suggested", "guide", "legend")
    DONE_WORDS: ClassVar[DoneWords] = DoneWords(
        done="Marked done",
        reopened="Reopened",
        title="Not finished",
        question="Mark the document done anyway?",
        keep="Keep working",
    )
    """The side panel's blocks (their widget ids), top to bottom."""

    class DocumentRead(Message):
        """A document and the reviewer's annotations on it, read in a worker."""

        def __init__(
            self,
            document: Document,
            annotations: list[Annotation],
            status: DocStatus,
            document_ids: list[int],
            cursor: int | None,
            pending: list[Annotation],
        ) -> None:
            super().__init__()
            self.document = document
            self.annotations = annotations
            self.status = status
            self.document_ids = document_ids
            self.cursor = cursor
            self.pending = pending

    class Saved(Message):
        """A change committed: its result, and the document it was made on as it is now."""

        def __init__(
            self,
            document_id: int,
            value: object,
            annotations: list[Annotation],
            status: DocStatus,
            then: Callable[[Any], None] | None,
            pending: list[Annotation] | None = None,
        ) -> None:
            super().__init__()
            self.document_id = document_id
            self.value = value
            self.annotations = annotations
            self.status = status
            self.then = then
            self.pending = pending

    def __init__(self, session: Session, document_id: int) -> None:
        super().__init__(session)
        self.scheme = session.scheme
        self.document_id = document_id
        self.doc: Document | None = None
        self.annotations: list[Annotation] = []
        self.pending: list[Annotation] = []
        """The machines' suggestions still pending for this reviewer on this document."""
        self.gaps = Gaps(0, 0, ())
        self.status_text = "todo"
        self.document_ids: list[int] = []
        self.attribution: AttributionRequest | None = None
        self.active_span: int | None = None
        self.focused_label: tuple[str, str] | None = None
        self.search = Search()
        self.message = ""
        self._said_at: int | None = None
        # The scheme's label keys first, so the help screen and the palette list them first.
        self._bindings = BindingsMap(
            [*bindings.label_bindings(self.scheme), *(b for _key, b in self._bindings)]
        )

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    # layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="annotate-body"):
            yield DocumentView(id="document")
            with VerticalScroll(id="side-panel"):
                for block in self.SIDE_PANEL:
                    yield PanelText(id=block)
        yield AttributionPrompt(id="prompt")
        yield SearchBar(id="search", blink=self.session.config.animations)
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SearchBar).display = False
        self.query_one(AttributionPrompt).display = False
        for block in self.query("#suggested"):  # a screen built on this one may have none
            block.display = False
        self.query_one("#side-panel").display = self.session.layout.side_panel
        self.refresh_legend()
        self.refresh_status()
        self.view.focus()
        self.load(self.document_id)

    def action_toggle_panel(self) -> None:
        """Hide or show the side panel; the choice holds for the rest of the session."""
        layout = self.session.layout
        layout.side_panel = not layout.side_panel
        self.query_one("#side-panel").display = layout.side_panel
        self.say("Side panel shown" if layout.side_panel else "Side panel hidden (p shows it)")

    # reading ------------------------------------------------------------------------------

    def load(self, document_id: int, *, cursor: int | None = None) -> None:
        """Show another document (read in a worker, then redrawn), the cursor at ``cursor``."""
        self.attribution = None
        self.active_span = None
        self.search.last = None
        self._read(document_id, cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def _read(self, document_id: int, cursor: int | None) -> None:
        session = self.session
        session.writer.settle()  # read after the changes already made
        document = session.repo.document(document_id)
        annotations = session.annotating.annotations(document_id)
        status = session.annotating.status(document_id)
        ids = [summary.id for summary in session.repo.documents()]
        pending = session.review.pending(document, annotations) if self.SUGGESTIONS else []
        self.post_message(self.DocumentRead(document, annotations, status, ids, cursor, pending))

    @on(DocumentRead)
    def _document_read(self, message: DocumentRead) -> None:
        doc = message.document
        first = self.doc is None or doc.id != self.doc.id
        self.document_id = doc.id
        self.document_ids = message.document_ids
        if first:
            self.doc = doc
            self.sub_title = printable(doc.title)
            self.search.set(doc.text, self.search.query)
            self.view.set_document(doc.text, list(doc.segments))
            if message.cursor is not None and 0 <= message.cursor < len(doc.text):
                self.view.move_cursor(message.cursor)
            self._said_at = self.view.cursor  # a message about the jump here stays
        self.apply(message.annotations, message.status, message.pending)
        self.refresh_prompt()
        self.view.focus()

    def action_refresh_document(self) -> None:
        """Show what the store holds now: the same reviewer may be working on this document in
        another terminal (each change there is committed, so this is what it saved)."""
        if self.doc is not None:
            self._read(self.document_id, None)
            self.say("Refreshed: showing what the database holds now")

    def recover(self) -> None:
        """After a failed write, show what the store really holds."""
        if self.doc is not None:
            self._read(self.document_id, None)
        self.refresh_status()

    # writing ------------------------------------------------------------------------------

    def change(
        self, job: Callable[[Annotating], R], then: Callable[[R], None] | None = None
    ) -> None:
        """Queue one change on the ordered writer; redraw from the store once it is committed.

        ``then`` runs with the change's result on the UI thread, after the redraw.
        """
        annotating, document_id = self.session.annotating, self.document_id
        review, doc = self.session.review, self.doc

        def run() -> AnnotateScreen.Saved:
            value = job(annotating)
            status: DocStatus | None = None
            if isinstance(value, Outcome) and value.document_id == document_id:
                status = value.status
            annotations = annotating.annotations(document_id)
            status = status or annotating.status(document_id)
            pending = None
            if self.SUGGESTIONS and doc is not None and doc.id == document_id:
                pending = review.pending(doc, annotations)
            return self.Saved(document_id, value, annotations, status, then, pending)

        future = self.session.writer.submit(run)
        self.refresh_status()
        self._wait_for(future)

    @work(thread=True, exit_on_error=False, group=WRITE_GROUP)
    def _wait_for(self, future: Future[AnnotateScreen.Saved]) -> None:
        self.post_message(future.result())

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.document_id == self.document_id:
            self.apply(message.annotations, message.status, message.pending)
        else:
            self.refresh_status()
        if message.then is not None:
            message.then(message.value)
        if isinstance(message.value, Outcome) and message.value.reopened:
            self.say(message.value.notice)

    # drawing ------------------------------------------------------------------------------

    def apply(
        self,
        annotations: list[Annotation],
        status: DocStatus,
        pending: list[Annotation] | None = None,
    ) -> None:
        """Show the reviewer's annotations, status and pending suggestions (unchanged when
        None) as the store holds them."""
        self.annotations = annotations
        if pending is not None:
            self.pending = pending
        self.status_text = shown_status(status, annotated=bool(annotations))
        ids = {annotation.id for annotation in annotations}
        if self.active_span not in ids:
            self.active_span = None
        if self.attribution is not None and self.attribution.annotation_id not in ids:
            self.attribution = None
            self.refresh_prompt()
        if self.doc is not None:
            self.gaps = document_gaps(self.scheme, self.doc, annotations)
        self.redraw_marks()
        self.refresh_panel()
        self.refresh_status()

    def redraw_marks(self) -> None:
        """The reviewer's annotations, and the pending suggestions unless hidden."""
        if self.doc is None:
            return
        spans, gutter = document_marks(self.scheme, self.doc.segments, self.annotations)
        if self.session.layout.suggestions and self.pending:
            hints, hinted = suggestion_marks(self.scheme, self.doc.segments, self.pending)
            spans = [*spans, *hints]
            gutter = {**hinted, **gutter}
        self.view.set_marks(spans, gutter)

    def spans(self) -> list[Annotation]:
        span_layers = {layer.name for layer in self.scheme.span_layers}
        return [a for a in self.annotations if a.layer in span_layers]

    def under_cursor(self) -> list[Annotation]:
        """The reviewer's annotations at the cursor: the spans covering it, then its sentence."""
        segments = self.doc.segments if self.doc is not None else ()
        return annotations_at(self.scheme, segments, self.annotations, self.view.cursor)

    def refresh_panel(self) -> None:
        if self.doc is None:
            return
        items = panel_items(self.scheme, self.doc.text, self.under_cursor())
        index = segment_index_at(self.doc.segments, self.view.cursor)
        sentence = None if index is None else (index, len(self.doc.segments))
        self.query_one("#under-cursor", PanelText).update(
            render_items(items, self.gaps.incomplete, sentence)
        )
        suggested = self.suggested_here()
        for block in self.query("#suggested").results(PanelText):
            block.display = bool(suggested)
            if suggested:
                block.update(render_suggested(self.scheme, self.doc.text, suggested))
        self.refresh_legend()

    def refresh_legend(self) -> None:
        self.query_one("#legend", PanelText).update(render_legend(self.scheme, self.focused_label))
        layer = label = None
        if self.focused_label is not None:
            layer = self.scheme.layer(self.focused_label[0])
            label = layer.label(self.focused_label[1]) if layer is not None else None
        self.query_one("#guide", PanelText).update(render_guide(layer, label))

    def refresh_status(self) -> None:
        total = len(self.doc.segments) if self.doc is not None else 0
        self.query_one("#status", StatusLine).show(
            StatusInfo(
                classified=total - self.gaps.unclassified if self.doc is not None else 0,
                total=total,
                spans=len(self.spans()),
                status=self.status_text,
                pending=self.session.writer.pending,
                message=self.message,
                suggestions=len(self.pending) if self.session.layout.suggestions else 0,
            )
        )

    def refresh_prompt(self) -> None:
        self.query_one(AttributionPrompt).show(self.attribution)

    def say(self, message: str) -> None:
        """Show ``message`` on the status line until the cursor moves on."""
        self.message = message
        self._said_at = self.view.cursor
        self.refresh_status()

    # messages from the document view -------------------------------------------------------

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        if self.active_span is not None:
            span = next((a for a in self.annotations if a.id == self.active_span), None)
            if span is None or not (span.start <= event.cursor <= span.end):
                self.active_span = None
        # A move the view has already left behind (keys typed faster than their messages are
        # handled) is stale: it says nothing about whether the reviewer moved on since.
        moved_on = event.cursor == self.view.cursor and event.cursor != self._said_at
        if self.message and moved_on:
            self.message = ""
            self.refresh_status()
        under = self.under_cursor()
        if under:
            self.focused_label = (under[0].layer, under[0].label)
        self.refresh_panel()

    @on(DocumentView.SpanClicked)
    def _span_clicked(self, event: DocumentView.SpanClicked) -> None:
        if event.span_id > 0:
            self.active_span = event.span_id

    # targets ------------------------------------------------------------------------------

    def target_span(self) -> Annotation | None:
        """The span boundary keys act on: the one last tagged or clicked, else the innermost."""
        if self.active_span is not None:
            for annotation in self.annotations:
                if annotation.id == self.active_span:
                    return annotation
        spans = [a for a in self.under_cursor() if a in self.spans()]
        return spans[0] if spans else None

    def pick(
        self, title: str, choices: list[Annotation], then: Callable[[Annotation], None]
    ) -> None:
        """Act on the only annotation under the cursor, or ask which one when there are several."""
        if not choices:
            self.app.bell()
            self.say("Nothing under the cursor")
            return
        if len(choices) == 1:
            then(choices[0])
            return
        assert self.doc is not None
        width = PickerDialog.row_width(self.app.size.width)
        items = [annotation_row(self.scheme, self.doc.text, a, width) for a in choices]

        def chosen(index: int | None) -> None:
            if index is not None:
                then(choices[index])

        self.app.push_screen(PickerDialog(title, items), chosen)

    # actions: labels ----------------------------------------------------------------------

    def action_tag(self, layer: str, label: str) -> None:
        """Tag the selection (or the word under the cursor) with a span label."""
        target = self.view.selection_or_word()
        if target is None:
            self.app.bell()
            self.say("Nothing to tag: select text or put the cursor on a word")
            return
        start, end = target
        document_id = self.document_id
        self.view.clear_selection()
        self.focused_label = (layer, label)

        def done(outcome: Outcome[Annotation]) -> None:
            self.active_span = outcome.value.id
            self.say(f"Tagged {label}")

        self.change(lambda a: a.tag(document_id, layer, label, start, end), done)

    def action_classify(self, layer: str, label: str) -> None:
        """Classify the sentence under the cursor; an attributed statement then asks for spans."""
        if self.doc is None:
            return
        index = segment_index_at(self.doc.segments, self.view.cursor)
        if index is None:
            self.app.bell()
            self.say("The cursor is not in a sentence")
            return
        document_id = self.document_id
        self.focused_label = (layer, label)
        segment = self.doc.segments[index]
        current = next(
            (a for a in self.annotations if a.layer == layer and (a.start, a.end) == segment),
            None,
        )
        if current is not None and current.label == label:
            missing = missing_attributes(self.scheme, current)
            if missing:
                # The same label again on an incomplete statement: finish it, keep what it has.
                self.ask_attribution(AttributionRequest(current.id, index, missing))
                self.say(f"Sentence {index + 1}: completing the attribution")
                return

        def done(outcome: Outcome[Annotation]) -> None:
            self.say(f"Sentence {index + 1}: {label}")
            missing = missing_attributes(self.scheme, outcome.value)
            if missing:
                self.ask_attribution(AttributionRequest(outcome.value.id, index, missing))

        self.change(lambda a: a.classify(document_id, layer, index, label), done)

    # actions: the attributed flow ---------------------------------------------------------

    def ask_attribution(self, request: AttributionRequest) -> None:
        self.attribution = request
        self.view.clear_selection()
        self.refresh_prompt()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"attribute_confirm", "attribute_cancel"}:
            return self.attribution is not None and self.focused is self.view
        if action in {"next_suggestion", "toggle_suggestions"}:
            return self.SUGGESTIONS
        if action in {"accept_suggestion", "reject_suggestion"}:
            return self.SUGGESTIONS and self.attribution is None and self.focused is self.view
        if action == "search":
            return self.focused is self.view
        return True

    def action_attribute_confirm(self) -> None:
        request = self.attribution
        role = request.next_role if request is not None else None
        if request is None or role is None:
            return
        target = self.view.selection_or_word()
        if target is None:
            self.app.bell()
            self.say(f"Select the {role} first")
            return
        request.collected.add(role)
        annotation_id = request.annotation_id
        self.view.clear_selection()
        if request.next_role is None:
            self.attribution = None
            self.say(f"Sentence {request.segment_index + 1}: attribution complete")
        self.refresh_prompt()
        self.change(lambda a: a.attribute(annotation_id, {role: target}))

    def action_attribute_cancel(self) -> None:
        request = self.attribution
        self.attribution = None
        self.refresh_prompt()
        if request is not None:
            self.say(f"Sentence {request.segment_index + 1}: attribution left incomplete")
            self.refresh_panel()

    # actions: editing ---------------------------------------------------------------------

    def action_remove(self) -> None:
        def remove(annotation: Annotation) -> None:
            self.say(f"Removed {annotation.label} ({annotation.layer})")
            self.change(lambda a: a.remove(annotation.id))

        self.pick("Remove which annotation?", self.under_cursor(), remove)

    def action_move_boundary(self, edge: str, unit: str, direction: int) -> None:
        span = self.target_span()
        if span is None or self.doc is None:
            self.app.bell()
            self.say("No span under the cursor to resize")
            return
        start, end = extend_boundary(
            self.doc.text,
            span.start,
            span.end,
            "start" if edge == "start" else "end",
            "char" if unit == "char" else "word",
            -1 if direction < 0 else 1,
        )
        if (start, end) == (span.start, span.end) or start >= end:
            self.app.bell()
            return
        span_id = self.active_span = span.id
        self.say(f"{span.label}: “{clip_words(self.doc.text[start:end], 40)}”")
        self.change(lambda a: a.move(span_id, start, end))

    def action_note(self) -> None:
        def edit(annotation: Annotation) -> None:
            assert self.doc is not None
            about = annotation_row(self.scheme, self.doc.text, annotation, 60)
            current = annotation.attrs.get("note")

            def save(note: str | None) -> None:
                if note is None:
                    return
                self.say("Note saved" if note else "Note removed")
                self.change(lambda a: a.note(annotation.id, note))

            self.app.push_screen(
                NoteDialog(
                    about,
                    current if isinstance(current, str) else "",
                    blink=self.session.config.animations,
                ),
                save,
            )

        self.pick("Note on which annotation?", self.under_cursor(), edit)

    # actions: suggestions -----------------------------------------------------------------

    def suggested_here(self) -> list[Annotation]:
        """The pending suggestions at the cursor (none while they are hidden)."""
        if self.doc is None or not self.session.layout.suggestions:
            return []
        return suggestions_at(self.scheme, self.doc.segments, self.pending, self.view.cursor)

    def _decide(self, verb: str, decide: Callable[[Annotation], None]) -> None:
        if not self.session.layout.suggestions:
            self.app.bell()
            self.say("Suggestions are hidden (S shows them)")
            return
        here = self.suggested_here()
        if not here:
            self.app.bell()
            self.say("No suggestion under the cursor (s moves to the next one)")
            return
        self.pick(f"{verb} which suggestion?", here, decide)

    def action_accept_suggestion(self) -> None:
        """Accept the suggestion under the cursor: it becomes the reviewer's annotation."""

        def accept(suggestion: Annotation) -> None:
            review = self.session.review
            layer = self.scheme.layer(suggestion.layer)
            index = None
            if layer is not None and layer.kind == "segment" and self.doc is not None:
                index = self.doc.segments.index((suggestion.start, suggestion.end))
            self.focused_label = (suggestion.layer, suggestion.label)

            def done(outcome: Outcome[Annotation]) -> None:
                where = f"Sentence {index + 1}: " if index is not None else ""
                self.say(f"{where}accepted {suggestion.label}")
                if index is None:
                    self.active_span = outcome.value.id
                missing = missing_attributes(self.scheme, outcome.value)
                if index is not None and missing:
                    self.ask_attribution(AttributionRequest(outcome.value.id, index, missing))

            self.change(lambda _a: review.accept(suggestion.id), done)

        self._decide("Accept", accept)

    def action_reject_suggestion(self) -> None:
        """Reject the suggestion under the cursor, for this reviewer only."""

        def reject(suggestion: Annotation) -> None:
            review = self.session.review
            self.change(
                lambda _a: review.reject(suggestion.id),
                lambda _o: self.say(f"Rejected {suggestion.label} (u brings it back)"),
            )

        self._decide("Reject", reject)

    def action_next_suggestion(self) -> None:
        """Move the cursor to the next pending suggestion, wrapping around."""
        if not self.session.layout.suggestions:
            self.app.bell()
            self.say("Suggestions are hidden (S shows them)")
            return
        found = next_pending(self.pending, self.view.cursor)
        if found is None:
            self.app.bell()
            self.say("No pending suggestions on this document")
            return
        self.view.clear_selection()
        self.view.move_cursor(found.start)
        self.focused_label = (found.layer, found.label)
        self.say(f"Suggested: {found.label} ({len(self.pending)} pending)")

    def action_toggle_suggestions(self) -> None:
        """Show or hide the suggestions; the choice holds for the rest of the session."""
        layout = self.session.layout
        layout.suggestions = not layout.suggestions
        self.redraw_marks()
        self.refresh_panel()
        self.say("Suggestions shown" if layout.suggestions else "Suggestions hidden (S shows them)")

    # actions: search ----------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.query_one(SearchBar)
        bar.open(self.search.query)
        # Focus now, not on the next tick: keys typed right after "/" belong to the bar.
        self.set_focus(bar)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search.set(self.doc.text if self.doc else "", event.value)
        self._close_search()
        if event.value:
            self.find(forwards=True, start=self.view.cursor - 1)

    @on(SearchBar.Closed)
    def _close_search(self) -> None:
        self.query_one(SearchBar).display = False
        self.set_focus(self.view)

    def action_search_next(self) -> None:
        last = self.search.last
        self.find(forwards=True, start=last.start if last else self.view.cursor)

    def action_search_previous(self) -> None:
        last = self.search.last
        self.find(forwards=False, start=last.start if last else self.view.cursor)

    def find(self, *, forwards: bool, start: int) -> None:
        """Select the next (or previous) match of the search, wrapping around the text."""
        if self.doc is None or not self.search.query:
            self.say("Nothing to search for: press / first")
            return
        match = self.search.step(self.doc.text, start, forwards=forwards)
        if match is None:
            self.app.bell()
            self.say(f"Not found: {self.search.query}")
            return
        self.view.select(match.start, match.end)
        self.say(match.describe())

    # actions: history, status, documents --------------------------------------------------

    def action_undo(self) -> None:
        self.change(lambda a: a.undo(), lambda outcome: self._after_history("Undid", outcome))

    def action_redo(self) -> None:
        self.change(lambda a: a.redo(), lambda outcome: self._after_history("Redid", outcome))

    def _after_history(self, verb: str, outcome: Outcome[Event | None]) -> None:
        event = outcome.value
        if event is None:
            self.app.bell()
            self.say(f"Nothing to {verb.lower().removesuffix('id')}o")
            return
        body: Mapping[str, Any] = event.after or event.before or {}
        start = body.get("start")
        where = start if isinstance(start, int) else None
        if event.document_id is not None and event.document_id != self.document_id:
            self.load(event.document_id, cursor=where)
        elif where is not None and self.doc is not None and where < len(self.doc.text):
            self.view.move_cursor(where)
        self.say(f"{verb}: {describe_event(event)}")

    def action_done(self) -> None:
        """Mark the document done (asking first while something is unfinished), or reopen it."""
        doc, words = self.doc, self.DONE_WORDS
        if doc is None:
            return
        if self.status_text == "done":
            document_id = self.document_id
            self.change(lambda a: a.reopen(document_id), lambda _: self.say(words.reopened))
            return

        def asked(unfinished: Unfinished) -> None:
            if not unfinished:
                self.say(words.done)
                return
            lines = [*unfinished.lines(), words.question]
            dialog = ConfirmDialog(words.title, lines, yes="Mark done", no=words.keep)
            self.app.push_screen(dialog, confirmed)

        def confirmed(answer: bool | None) -> None:
            if answer:
                self.change(
                    lambda a: self.finish(a, doc, force=True), lambda _: self.say(words.done)
                )

        self.change(lambda a: self.finish(a, doc, force=False), asked)

    def finish(self, annotating: Annotating, doc: Document, *, force: bool) -> Unfinished:
        """Mark ``doc`` done for this screen's reviewer (on the writer's thread)."""
        return annotating.mark_done(doc, force=force)

    def action_step_document(self, step: int) -> None:
        """The next (``1``) or previous (``-1``) document of the list."""
        ids = self.document_ids
        if self.document_id not in ids:
            return
        position = ids.index(self.document_id) + step
        if not 0 <= position < len(ids):
            self.app.bell()
            self.say("No more documents" if step > 0 else "This is the first document")
            return
        self.message = ""
        self.load(ids[position])

    def action_back(self) -> None:
        self.dismiss(None)
