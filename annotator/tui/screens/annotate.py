"""The annotate screen: one article, the reviewer's own annotations, and the keys to make them.

Reads (the document, the annotations) run off the UI thread; every change goes through the
app's ordered writer and the screen says "saving…" until the store has committed it. Only this
reviewer's annotations are ever read (``repo.annotations(doc, me)``): reviewers stay blind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from annotator.core.navigation import extend_boundary, find_next, segment_index_at, word_at
from annotator.core.scheme import Label, Layer, Scheme
from annotator.store.dto import Annotation, DocStatus, Document, Event
from annotator.tui.screens.dialogs import ConfirmDialog, NoteDialog, PickerDialog
from annotator.tui.widgets.document_view import DocumentView, GutterMark, SpanMark
from annotator.tui.widgets.palette import (
    CUE_SLOT,
    GREY_SLOT,
    SOURCE_SLOT,
    label_color,
    label_slot,
)
from annotator.tui.widgets.side_panel import (
    PanelItem,
    PanelText,
    render_guide,
    render_items,
    render_legend,
)
from annotator.tui.widgets.status_line import StatusLine, render_status

if TYPE_CHECKING:
    from annotator.store.repository import Repository
    from annotator.tui.app import AnnotatorApp

R = TypeVar("R")

ATTRIBUTE_SLOTS = {"source": SOURCE_SLOT, "cue": CUE_SLOT}


@dataclass(slots=True)
class AttributionRequest:
    """An attributed statement waiting for its source and cue spans."""

    annotation_id: int
    segment_index: int
    roles: tuple[str, ...]
    collected: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def next_role(self) -> str | None:
        for role in self.roles:
            if role not in self.collected:
                return role
        return None


@dataclass(frozen=True, slots=True)
class Loaded:
    """What the store says after a read or a write, for the document on screen."""

    annotations: list[Annotation]
    status: DocStatus


def missing_attributes(annotation: Annotation, label: Label | None) -> tuple[str, ...]:
    """The required span attributes a segment annotation still lacks."""
    if label is None:
        return ()
    return tuple(role for role in label.requires if not annotation.attrs.get(role))


def describe(annotation: Annotation) -> str:
    return f"{annotation.label} ({annotation.layer})"


EVENT_NOUNS = {"add": "adding", "remove": "removal", "update": "change", "status": "status"}


def describe_event(event: Event) -> str:
    """``change of emotive``: what an undone or redone event did, for the status line."""
    body: Mapping[str, Any] = event.after or event.before or {}
    what = body.get("label") or body.get("status") or ""
    noun = EVENT_NOUNS.get(event.action, event.action)
    return f"{noun} of {what}" if what else noun


def short_definition(description: str, width: int = 60) -> str:
    """The first sentence of a label's definition, cut at a word to about ``width`` characters."""
    first = description.split(". ")[0].split(" (")[0].strip()
    if len(first) <= width:
        return first
    return first[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def label_bindings(scheme: Scheme) -> list[Binding]:
    """One binding per label with a hotkey: ``tag-<label>`` for spans, ``classify-<label>``."""
    bindings: list[Binding] = []
    for layer in scheme.layers:
        verb = "tag" if layer.kind == "span" else "classify"
        for label in layer.labels:
            if not label.key:
                continue
            definition = short_definition(label.description)
            bindings.append(
                Binding(
                    label.key,
                    f"{verb}({layer.name!r},{label.name!r})",
                    label.name,
                    show=False,
                    id=f"{verb}-{label.name}",
                    tooltip=f"{'Tag' if verb == 'tag' else 'Classify as'} {label.name}"
                    + (f": {definition}" if definition else ""),
                )
            )
    return bindings


# key name, action, description, id, tooltip, shown in the footer
STATIC_KEYS: tuple[tuple[str, str, str, str, str, bool], ...] = (
    ("x", "remove", "Remove", "remove", "Remove the annotation under the cursor", True),
    ("c", "note", "Note", "note", "Attach a note to the annotation under the cursor", True),
    ("n", "search_next", "Next match", "search-next", "Select the next match", False),
    ("N", "search_previous", "Prev match", "search-previous", "Select the previous match", False),
    ("u", "undo", "Undo", "undo", "Undo your last change (any document, across restarts)", True),
    ("ctrl+r", "redo", "Redo", "redo", "Redo the change last undone", False),
    ("D", "done", "Done", "done", "Mark the document done (warns about gaps)", True),
    ("greater_than_sign", "next_document", "Next doc", "next-document", "Next document", True),
    (
        "less_than_sign",
        "previous_document",
        "Prev doc",
        "previous-document",
        "Previous document",
        False,
    ),
    ("q", "back", "Back", "back", "Back to the documents list", True),
    (
        "left_square_bracket",
        "move_boundary('start','word',-1)",
        "Start ← word",
        "start-word-left",
        "Move the span's start one word left",
        False,
    ),
    (
        "right_square_bracket",
        "move_boundary('start','word',1)",
        "Start → word",
        "start-word-right",
        "Move the span's start one word right",
        False,
    ),
    (
        "left_curly_bracket",
        "move_boundary('end','word',-1)",
        "End ← word",
        "end-word-left",
        "Move the span's end one word left",
        False,
    ),
    (
        "right_curly_bracket",
        "move_boundary('end','word',1)",
        "End → word",
        "end-word-right",
        "Move the span's end one word right",
        False,
    ),
    (
        "left_parenthesis",
        "move_boundary('start','char',-1)",
        "Start ← char",
        "start-char-left",
        "Move the span's start one character left",
        False,
    ),
    (
        "right_parenthesis",
        "move_boundary('start','char',1)",
        "Start → char",
        "start-char-right",
        "Move the span's start one character right",
        False,
    ),
    (
        "comma",
        "move_boundary('end','char',-1)",
        "End ← char",
        "end-char-left",
        "Move the span's end one character left",
        False,
    ),
    (
        "full_stop",
        "move_boundary('end','char',1)",
        "End → char",
        "end-char-right",
        "Move the span's end one character right",
        False,
    ),
)


class AnnotateScreen(Screen[None]):
    """Annotate one document."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, action, description, show=show, id=binding_id, tooltip=tooltip)
            for key, action, description, binding_id, tooltip, show in STATIC_KEYS
        ),
        # Priority, so that the keys typed right after "/" reach the search bar.
        Binding(
            "slash",
            "search",
            "Search",
            priority=True,
            id="search",
            tooltip="Search the text; Enter selects the next match",
        ),
        Binding(
            "enter",
            "attribute_confirm",
            "Set span",
            id="attribute-confirm",
            tooltip="Use the selection (or the word) as the requested source or cue",
        ),
        Binding(
            "escape",
            "attribute_cancel",
            "Leave open",
            id="attribute-cancel",
            tooltip="Leave the attribution incomplete",
        ),
    ]

    def __init__(self, document_id: int, scheme: Scheme) -> None:
        super().__init__()
        self.document_id = document_id
        self.doc: Document | None = None
        self.annotations: list[Annotation] = []
        self.doc_status: DocStatus = "todo"
        self.document_ids: list[int] = []
        self.attribution: AttributionRequest | None = None
        self.active_span: int | None = None
        self.focused_label: tuple[str, str] | None = None
        self.search_query = ""
        self.last_match: tuple[int, int] | None = None
        self.message = ""
        self._segment_index: dict[tuple[int, int], int] = {}
        # The scheme's label keys first, so the help screen and the palette list them first.
        self._bindings = BindingsMap(
            [*label_bindings(scheme), *(binding for _key, binding in self._bindings)]
        )

    @property
    def annotator_app(self) -> AnnotatorApp:
        return cast("AnnotatorApp", self.app)

    @property
    def repo(self) -> Repository:
        return self.annotator_app.repo

    @property
    def me(self) -> str:
        return self.annotator_app.annotator

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    # layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="annotate-body"):
            yield DocumentView(id="document")
            with VerticalScroll(id="side-panel"):
                yield PanelText(id="under-cursor")
                yield PanelText(id="guide")
                yield PanelText(id="legend")
        yield Static(Text(""), id="prompt", markup=False)
        search = Input(placeholder="Search the text · Enter selects the next match", id="search")
        search.cursor_blink = self.annotator_app.config.animations
        yield search
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one("#prompt", Static).display = False
        self.refresh_legend()
        self.refresh_status()
        self.view.focus()
        self.load(self.document_id)

    # reading ------------------------------------------------------------------------------

    def load(self, document_id: int, *, cursor: int | None = None) -> None:
        """Show another document (reads in a worker, then redraws), the cursor at ``cursor``."""
        self.attribution = None
        self.active_span = None
        self.last_match = None
        self.annotator_app.run_worker(
            self._load(document_id, cursor), group="load", exclusive=True, exit_on_error=False
        )

    async def _load(self, document_id: int, cursor: int | None = None) -> None:
        repo, me = self.repo, self.me
        doc = await asyncio.to_thread(repo.document, document_id)
        loaded = await asyncio.to_thread(self._read, repo, document_id, me)
        summaries = await asyncio.to_thread(repo.documents)
        self.document_id = document_id
        self.doc = doc
        self.document_ids = [summary.id for summary in summaries]
        self._segment_index = {segment: i for i, segment in enumerate(doc.segments)}
        self.sub_title = doc.title
        self.view.set_document(doc.text, list(doc.segments))
        if cursor is not None and 0 <= cursor < len(doc.text):
            self.view.move_cursor(cursor)
        self.apply(loaded)
        self.refresh_prompt()
        self.view.focus()

    @staticmethod
    def _read(repo: Repository, document_id: int, me: str) -> Loaded:
        return Loaded(repo.annotations(document_id, me), repo.status(document_id, me))

    def recover(self) -> None:
        """After a failed write, show what the store really holds."""
        if self.doc is None:
            return
        repo, me, document_id = self.repo, self.me, self.document_id

        async def reread() -> None:
            loaded = await asyncio.to_thread(self._read, repo, document_id, me)
            if document_id == self.document_id:
                self.apply(loaded)

        self.annotator_app.run_worker(reread(), group="load", exit_on_error=False)

    # writing ------------------------------------------------------------------------------

    def change(
        self,
        job: Callable[[Repository], R],
        then: Callable[[R], None] | None = None,
    ) -> None:
        """Queue one change on the ordered writer; redraw from the store once it is committed."""
        app = self.annotator_app
        repo, me, document_id = self.repo, self.me, self.document_id

        def run() -> tuple[R, Loaded]:
            result = job(repo)
            return result, self._read(repo, document_id, me)

        future = app.writer.submit(run)
        self.refresh_status()

        async def finish() -> None:
            try:
                result, loaded = await future
            finally:
                self.refresh_status()
            if document_id == self.document_id:
                self.apply(loaded)
            if then is not None:
                then(result)

        app.run_worker(finish(), group="write", exit_on_error=False)

    # drawing ------------------------------------------------------------------------------

    def apply(self, loaded: Loaded) -> None:
        self.annotations = loaded.annotations
        self.doc_status = loaded.status
        ids = {annotation.id for annotation in self.annotations}
        if self.active_span not in ids:
            self.active_span = None
        if self.attribution is not None and self.attribution.annotation_id not in ids:
            self.attribution = None
            self.refresh_prompt()
        self.refresh_marks()
        self.refresh_panel()
        self.refresh_status()

    def _layer(self, name: str) -> Layer | None:
        return self.annotator_app.scheme.layer(name)

    def _label(self, annotation: Annotation) -> Label | None:
        layer = self._layer(annotation.layer)
        return layer.label(annotation.label) if layer is not None else None

    @property
    def statement_layer(self) -> Layer | None:
        layers = self.annotator_app.scheme.segment_layers
        return layers[0] if layers else None

    def spans(self) -> list[Annotation]:
        return [
            a for a in self.annotations if (layer := self._layer(a.layer)) and layer.kind == "span"
        ]

    def statements(self) -> list[Annotation]:
        layer = self.statement_layer
        return [a for a in self.annotations if layer is not None and a.layer == layer.name]

    def incomplete(self) -> list[int]:
        """Sentence indexes whose attributed statement lacks a source or cue."""
        out = []
        for annotation in self.statements():
            if missing_attributes(annotation, self._label(annotation)):
                index = self._segment_index.get((annotation.start, annotation.end))
                if index is not None:
                    out.append(index)
        return sorted(out)

    def refresh_marks(self) -> None:
        marks: list[SpanMark] = []
        for annotation in self.spans():
            color = label_slot(self._label(annotation))
            marks.append(
                SpanMark(annotation.id, annotation.start, annotation.end, annotation.label, color)
            )
        gutter: dict[int, GutterMark] = {}
        for annotation in self.statements():
            label = self._label(annotation)
            index = self._segment_index.get((annotation.start, annotation.end))
            if index is None:
                continue
            missing = missing_attributes(annotation, label)
            symbol = (label.key if label and label.key else annotation.label[:1]).upper()
            gutter[index] = GutterMark(
                "?" if missing else symbol,
                label_slot(label),
                annotation.label + (" (incomplete)" if missing else ""),
            )
            roles = label.requires if label is not None else ()
            for offset, role in enumerate(roles, start=1):
                value = annotation.attrs.get(role)
                if isinstance(value, Mapping) and "start" in value and "end" in value:
                    marks.append(
                        SpanMark(
                            -(annotation.id * 100 + offset),
                            int(value["start"]),
                            int(value["end"]),
                            role,
                            ATTRIBUTE_SLOTS.get(role, GREY_SLOT),
                        )
                    )
        self.view.set_marks(marks, gutter)

    def under_cursor(self) -> list[Annotation]:
        """The reviewer's annotations at the cursor: the spans covering it, then its sentence."""
        cursor = self.view.cursor
        found = [a for a in self.spans() if a.start <= cursor < a.end]
        found.sort(key=lambda a: (a.end - a.start, a.start))
        if self.doc is not None:
            index = segment_index_at(self.doc.segments, cursor)
            if index is not None:
                segment = self.doc.segments[index]
                found += [a for a in self.statements() if (a.start, a.end) == segment]
        return found

    def refresh_panel(self) -> None:
        if self.doc is None:
            return
        text = self.doc.text
        items: list[PanelItem] = []
        under = self.under_cursor()
        for annotation in under:
            label = self._label(annotation)
            detail = ""
            missing = missing_attributes(annotation, label)
            required = label.requires if label is not None else ()
            roles = [r for r in required if isinstance(annotation.attrs.get(r), Mapping)]
            parts = []
            for role in roles:
                value = annotation.attrs[role]
                parts.append(f"{role}: “{text[int(value['start']) : int(value['end'])]}”")
            if missing:
                parts.append(f"incomplete: no {' or '.join(missing)}")
            detail = " · ".join(parts)
            note = annotation.attrs.get("note")
            items.append(
                PanelItem(
                    label=annotation.label,
                    layer=annotation.layer,
                    text=text[annotation.start : annotation.end],
                    color=label_color(label),
                    note=note if isinstance(note, str) else "",
                    detail=detail,
                )
            )
        self.query_one("#under-cursor", PanelText).update(render_items(items, self.incomplete()))
        self.refresh_legend()

    def refresh_legend(self) -> None:
        scheme = self.annotator_app.scheme
        self.query_one("#legend", PanelText).update(render_legend(scheme, self.focused_label))
        layer = label = None
        if self.focused_label is not None:
            layer = scheme.layer(self.focused_label[0])
            label = layer.label(self.focused_label[1]) if layer is not None else None
        self.query_one("#guide", PanelText).update(render_guide(layer, label))

    def refresh_status(self) -> None:
        doc = self.doc
        total = len(doc.segments) if doc is not None else 0
        self.query_one("#status", StatusLine).update(
            render_status(
                title=doc.title if doc is not None else "loading…",
                classified=len(self.statements()),
                total=total,
                spans=len(self.spans()),
                status=self.doc_status,
                pending=self.annotator_app.writer.pending,
                message=self.message,
            )
        )

    def refresh_prompt(self) -> None:
        prompt = self.query_one("#prompt", Static)
        request = self.attribution
        role = request.next_role if request is not None else None
        if request is None or role is None:
            prompt.display = False
            return
        prompt.update(
            Text.assemble(
                ("Attributed sentence ", "bold"),
                (f"{request.segment_index + 1}: ", "bold"),
                "select the ",
                (role.upper(), "bold reverse"),
                " span and press Enter (the word under the cursor if nothing is selected)"
                " · esc leaves it incomplete",
            )
        )
        prompt.display = True

    def say(self, message: str) -> None:
        self.message = message
        self.refresh_status()

    # messages from the document view -------------------------------------------------------

    @on(DocumentView.CursorMoved)
    def _cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        if self.active_span is not None:
            span = next((a for a in self.annotations if a.id == self.active_span), None)
            if span is None or not (span.start <= event.cursor <= span.end):
                self.active_span = None
        under = self.under_cursor()
        if under:
            self.focused_label = (under[0].layer, under[0].label)
        self.refresh_panel()

    @on(DocumentView.SpanClicked)
    def _span_clicked(self, event: DocumentView.SpanClicked) -> None:
        if event.span_id > 0:
            self.active_span = event.span_id

    # targets ------------------------------------------------------------------------------

    def target_range(self) -> tuple[int, int] | None:
        """The selection, else the word under the cursor."""
        if self.doc is None:
            return None
        selection = self.view.selection
        if selection is not None and selection[0] < selection[1]:
            return selection
        return word_at(self.doc.text, self.view.cursor)

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
        text = self.doc.text
        items = [
            Text.assemble(
                ("■ ", label_color(self._label(a))),
                (a.label, "bold"),
                (f"  {a.layer}  ", "dim"),
                f"“{' '.join(text[a.start : a.end].split())[:50]}”",
            )
            for a in choices
        ]

        def chosen(index: int | None) -> None:
            if index is not None:
                then(choices[index])

        self.app.push_screen(PickerDialog(title, items), chosen)

    # actions: labels ----------------------------------------------------------------------

    def action_tag(self, layer: str, label: str) -> None:
        """Tag the selection (or the word under the cursor) with a span label."""
        target = self.target_range()
        if target is None:
            self.app.bell()
            self.say("Nothing to tag: select text or put the cursor on a word")
            return
        start, end = target
        me, document_id = self.me, self.document_id
        self.view.clear_selection()
        self.focused_label = (layer, label)

        def done(annotation: Annotation) -> None:
            self.active_span = annotation.id
            self.say(f"Tagged {label}")

        self.change(lambda repo: repo.add_span(me, document_id, layer, label, start, end), done)

    def action_classify(self, layer: str, label: str) -> None:
        """Classify the sentence under the cursor; an attributed statement then asks for spans."""
        if self.doc is None:
            return
        index = segment_index_at(self.doc.segments, self.view.cursor)
        if index is None:
            self.app.bell()
            self.say("The cursor is not in a sentence")
            return
        me, document_id = self.me, self.document_id
        layer_obj = self._layer(layer)
        label_obj = layer_obj.label(label) if layer_obj is not None else None
        self.focused_label = (layer, label)
        segment = self.doc.segments[index]
        current = next(
            (a for a in self.annotations if a.layer == layer and (a.start, a.end) == segment),
            None,
        )
        if current is not None and current.label == label:
            missing = missing_attributes(current, label_obj)
            if missing:
                # The same label again on an incomplete statement: finish it, keep what it has.
                self.attribution = AttributionRequest(current.id, index, missing)
                self.view.clear_selection()
                self.refresh_prompt()
                self.say(f"Sentence {index + 1}: completing the attribution")
                return

        def done(annotation: Annotation) -> None:
            self.say(f"Sentence {index + 1}: {label}")
            if label_obj is not None and label_obj.requires:
                self.attribution = AttributionRequest(annotation.id, index, label_obj.requires)
                self.view.clear_selection()
                self.refresh_prompt()

        self.change(lambda repo: repo.set_segment_label(me, document_id, layer, index, label), done)

    # actions: the attributed flow ---------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"attribute_confirm", "attribute_cancel"}:
            return self.attribution is not None and self.focused is self.view
        if action == "search":
            return self.focused is self.view
        return True

    def action_attribute_confirm(self) -> None:
        request = self.attribution
        role = request.next_role if request is not None else None
        if request is None or role is None:
            return
        target = self.target_range()
        if target is None:
            self.app.bell()
            self.say(f"Select the {role} first")
            return
        request.collected[role] = {"start": target[0], "end": target[1]}
        current = next((a for a in self.annotations if a.id == request.annotation_id), None)
        attrs = dict(current.attrs) if current is not None else {}
        attrs.update(request.collected)
        me, annotation_id = self.me, request.annotation_id
        self.view.clear_selection()
        if request.next_role is None:
            self.attribution = None
            self.say("Attribution complete")
        self.refresh_prompt()
        self.change(lambda repo: repo.update_annotation(me, annotation_id, attrs=attrs))

    def action_attribute_cancel(self) -> None:
        request = self.attribution
        self.attribution = None
        self.refresh_prompt()
        if request is not None:
            self.say(f"Sentence {request.segment_index + 1}: attribution left incomplete")
            self.refresh_panel()

    # actions: editing ---------------------------------------------------------------------

    def action_remove(self) -> None:
        me = self.me

        def remove(annotation: Annotation) -> None:
            self.say(f"Removed {describe(annotation)}")
            self.change(lambda repo: repo.remove_annotation(me, annotation.id))

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
        me, span_id = self.me, span.id
        self.active_span = span_id
        self.say(f"{span.label}: “{' '.join(self.doc.text[start:end].split())[:40]}”")
        self.change(lambda repo: repo.update_annotation(me, span_id, start=start, end=end))

    def action_note(self) -> None:
        me = self.me

        def edit(annotation: Annotation) -> None:
            assert self.doc is not None
            about = Text.assemble(
                (annotation.label, "bold"),
                f"  “{' '.join(self.doc.text[annotation.start : annotation.end].split())[:60]}”",
            )
            current = annotation.attrs.get("note")

            def save(note: str | None) -> None:
                if note is None:
                    return
                attrs = dict(annotation.attrs)
                if note:
                    attrs["note"] = note
                else:
                    attrs.pop("note", None)
                self.say("Note saved" if note else "Note removed")
                self.change(lambda repo: repo.update_annotation(me, annotation.id, attrs=attrs))

            self.app.push_screen(
                NoteDialog(
                    about,
                    current if isinstance(current, str) else "",
                    blink=self.annotator_app.config.animations,
                ),
                save,
            )

        self.pick("Note on which annotation?", self.under_cursor(), edit)

    # actions: search ----------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.value = self.search_query
        # Focus now, not on the next tick: keys typed right after "/" belong to the bar.
        self.set_focus(search)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        self.search_query = event.value
        self._close_search()
        if self.search_query:
            self.find(forwards=True, start=self.view.cursor - 1)

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = False
        self.set_focus(self.view)

    def on_key(self, event: events.Key) -> None:
        search = self.query_one("#search", Input)
        if event.key == "escape" and search.has_focus:
            event.stop()
            self._close_search()

    def action_search_next(self) -> None:
        start = self.last_match[0] if self.last_match else self.view.cursor
        self.find(forwards=True, start=start)

    def action_search_previous(self) -> None:
        start = self.last_match[0] if self.last_match else self.view.cursor
        self.find(forwards=False, start=start)

    def find(self, *, forwards: bool, start: int) -> None:
        """Select the next (or previous) match of the search, wrapping around the text."""
        if self.doc is None or not self.search_query:
            self.say("Nothing to search for: press / first")
            return
        query = self.search_query
        found = find_next(self.doc.text, query, start, backwards=not forwards)
        if found is None:
            self.app.bell()
            self.last_match = None
            self.say(f"Not found: {query}")
            return
        wrapped = found[0] <= start if forwards else found[0] >= start
        self.last_match = found
        self.view.select(*found)
        self.say(f"{'Wrapped: ' if wrapped else ''}match at {found[0]}")

    # actions: history, status, documents --------------------------------------------------

    def action_undo(self) -> None:
        me = self.me
        self.change(lambda repo: repo.undo(me), lambda event: self._after_history("Undid", event))

    def action_redo(self) -> None:
        me = self.me
        self.change(lambda repo: repo.redo(me), lambda event: self._after_history("Redid", event))

    def _after_history(self, verb: str, event: Event | None) -> None:
        if event is None:
            self.app.bell()
            self.say(f"Nothing to {verb.lower().removesuffix('id')}o")
            return
        self.say(f"{verb}: {describe_event(event)}")
        body: Mapping[str, Any] = event.after or event.before or {}
        start = body.get("start")
        where = start if isinstance(start, int) else None
        if event.document_id is not None and event.document_id != self.document_id:
            self.load(event.document_id, cursor=where)
        elif where is not None and self.doc is not None and where < len(self.doc.text):
            self.view.move_cursor(where)

    def action_done(self) -> None:
        if self.doc is None:
            return
        me, document_id = self.me, self.document_id
        if self.doc_status == "done":
            self.say("Reopened")
            self.change(lambda repo: repo.set_status(me, document_id, "in_progress"))
            return
        total = len(self.doc.segments)
        unclassified = total - len(self.statements())
        incomplete = self.incomplete()
        lines = []
        if unclassified:
            lines.append(f"{unclassified} of {total} sentences are not classified.")
        if incomplete:
            numbers = ", ".join(str(i + 1) for i in incomplete)
            lines.append(f"Attributions without source or cue: sentences {numbers}.")

        def mark(confirmed: bool | None) -> None:
            if confirmed:
                self.say("Marked done")
                self.change(lambda repo: repo.set_status(me, document_id, "done"))

        if lines:
            lines.append("Mark the document done anyway?")
            self.app.push_screen(
                ConfirmDialog("Not finished", lines, yes="Mark done", no="Keep working"), mark
            )
        else:
            mark(True)

    def _step_document(self, step: int) -> None:
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

    def action_next_document(self) -> None:
        self._step_document(1)

    def action_previous_document(self) -> None:
        self._step_document(-1)

    def action_back(self) -> None:
        self.dismiss(None)
