"""The Adjudicate screen: the gold layer as it stands, and the annotators' versions side by side.

It is the annotate screen working on the adjudicator's own annotations (the gold), with a second
set of keys for deciding: ``n``/``N`` step through the open disagreements, ``1``-``9`` take an
annotator's version, ``a`` takes every version of a span passage, ``x`` rejects, ``e`` switches
to editing the gold by hand with the annotate screen's keys (``esc`` switches back). Every
change goes through :class:`~annotator.service.adjudicating.Adjudicating`, so the rules (gold
from whom, a rejection that stays decided, ``from`` emptied by a hand edit) are the rulebook's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Input, Static

from annotator.core.scheme import Scheme
from annotator.service.adjudicating import Adjudicating, GoldCheck
from annotator.service.annotating import document_gaps, plural
from annotator.service.cases import DocumentCase, LayerAgreement, UnitState, document_agreement
from annotator.store.dto import Annotation, DocStatus, Event
from annotator.tui.screens.annotate import AnnotateScreen, Loaded
from annotator.tui.screens.dialogs import ConfirmDialog
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.side_panel import PanelText
from annotator.tui.widgets.status_line import StatusLine
from annotator.tui.widgets.versions import render_versions

if TYPE_CHECKING:
    from annotator.store.repository import Repository

R = TypeVar("R")

DECIDING = frozenset(
    {"next_disagreement", "previous_disagreement", "take", "take_all", "reject", "edit"}
)
"""Actions of the deciding keys."""
EDITING = frozenset(
    {
        "tag",
        "classify",
        "remove",
        "note",
        "move_boundary",
        "search",
        "search_next",
        "search_previous",
        "attribute_confirm",
        "attribute_cancel",
    }
)
"""Actions of the annotate screen's keys, which edit gold by hand after ``e``."""


def decide_bindings() -> list[Binding]:
    """The deciding keys, each rebindable by its id."""
    takes = [
        Binding(
            str(k),
            f"take({k})",
            f"Take {k}",
            show=k <= 3,
            id=f"take-{k}",
            tooltip=f"Gold takes annotator {k}'s version (a statement with its source and cue)",
        )
        for k in range(1, 10)
    ]
    return [
        Binding(
            "n",
            "next_disagreement",
            "Next",
            id="next-disagreement",
            tooltip="Next open disagreement, in document order (wraps around)",
        ),
        Binding(
            "N",
            "previous_disagreement",
            "Previous",
            show=False,
            id="previous-disagreement",
            tooltip="Previous open disagreement",
        ),
        *takes,
        Binding(
            "a",
            "take_all",
            "Take all",
            id="take-all",
            tooltip="Gold takes every distinct version of a span passage",
        ),
        Binding(
            "x",
            "reject",
            "Reject",
            id="reject",
            tooltip="Gold gets nothing here; the rejection stays decided",
        ),
        # Priority: on the article, "e" is otherwise the end-of-word motion.
        Binding(
            "e",
            "edit",
            "Edit gold",
            priority=True,
            id="edit-gold",
            tooltip="Edit the gold by hand with the annotate screen's keys (esc to stop)",
        ),
        Binding(
            "escape",
            "stop_editing",
            "Stop editing",
            priority=True,
            id="stop-editing",
            tooltip="Back to deciding (after editing the gold by hand)",
        ),
    ]


@dataclass(frozen=True, slots=True)
class GoldLoaded(Loaded):
    """What the store says of the document for an adjudicator: the gold (``annotations``),
    the adjudicator's status, every unit with its decision, and the document's agreement."""

    case: DocumentCase | None = None
    agreement: tuple[LayerAgreement, ...] = ()


class GoldDesk:
    """The annotate screen's writes, routed through the rulebook's :class:`Adjudicating`.

    The annotate screen calls the store with the reviewer's name (``add_span(me, ...)``); this
    answers the same calls for an adjudicator, so a hand edit is gold: origin
    ``adjudication``, ``from`` emptied when its content changes.
    """

    def __init__(self, judge: Adjudicating) -> None:
        self.judge = judge

    def add_span(
        self, _me: str, document_id: int, layer: str, label: str, start: int, end: int
    ) -> Annotation:
        return self.judge.tag(document_id, layer, label, start, end).value

    def set_segment_label(
        self, _me: str, document_id: int, layer: str, index: int, label: str
    ) -> Annotation:
        return self.judge.classify(document_id, layer, index, label).value

    def update_annotation(
        self,
        _me: str,
        annotation_id: int,
        *,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
        attrs: Mapping[str, Any] | None = None,
    ) -> Annotation:
        return self.judge.edit(annotation_id, start=start, end=end, label=label, attrs=attrs).value

    def remove_annotation(self, _me: str, annotation_id: int) -> Annotation:
        return self.judge.remove(annotation_id).value

    def undo(self, _me: str) -> Event | None:
        return self.judge.undo().value

    def redo(self, _me: str) -> Event | None:
        return self.judge.redo().value

    def set_status(self, _me: str, document_id: int, status: DocStatus) -> None:
        if status == "done":
            self.judge.mark_gold_done(self.judge.repo.document(document_id), force=True)
        else:
            self.judge.reopen(document_id)


class AdjudicateScreen(AnnotateScreen):
    """Settle one document's disagreements into gold."""

    SIDE_PANEL_WIDTH = 52
    """Wider than the annotate screen's: the versions sit side by side in it."""

    BINDINGS: ClassVar[list[BindingType]] = decide_bindings()  # type: ignore[assignment]

    def __init__(self, document_id: int, scheme: Scheme, judge: Adjudicating) -> None:
        super().__init__(document_id, scheme)
        self.judge = judge
        self.desk = GoldDesk(judge)
        self.scheme = scheme
        self.case: DocumentCase | None = None
        self.agreement: tuple[LayerAgreement, ...] = ()
        self.current: tuple[int, str, int, int] | None = None
        self.editing = False
        self._arrived = False
        # The deciding keys first, so the footer, the help screen and the palette list them so.
        ids = {b.id for b in decide_bindings()}
        mine = [b for _key, b in self._bindings if b.id in ids]
        rest = [b for _key, b in self._bindings if b.id not in ids]
        self._bindings = BindingsMap([*mine, *rest])

    # layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="annotate-body"):
            yield DocumentView(id="document")
            with VerticalScroll(id="side-panel"):
                yield PanelText(id="versions")
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
        self.query_one("#side-panel").styles.width = self.SIDE_PANEL_WIDTH

    # reading and writing ------------------------------------------------------------------

    def load(self, document_id: int, *, cursor: int | None = None) -> None:
        self._arrived = cursor is not None
        self.current = None
        super().load(document_id, cursor=cursor)

    def _read(self, repo: Repository, document_id: int, me: str) -> Loaded:  # type: ignore[override]
        case = self.judge.case(document_id)
        return GoldLoaded(
            list(case.gold),
            case.status,
            case=case,
            agreement=document_agreement(self.scheme, case),
        )

    def change(
        self,
        job: Callable[[Any], R],
        then: Callable[[R], None] | None = None,
    ) -> None:
        """Queue a change; the annotate screen's store calls go to the gold desk."""
        desk = self.desk
        super().change(lambda _repo: job(desk), then)

    def apply(self, loaded: Loaded) -> None:
        if isinstance(loaded, GoldLoaded):
            self.case = loaded.case
            self.agreement = loaded.agreement
        case = self.case
        if case is not None and self.current is not None and case.state(self.current) is None:
            self.current = None
        super().apply(loaded)
        self.refresh_bindings()  # the keys 1-9 offered depend on who finished the document
        if case is not None and not self._arrived:
            self._arrived = True
            first = case.next_open()
            if first is not None:
                self.goto(first)
                return
            self.pick_current()
        self.refresh_versions()

    # drawing ------------------------------------------------------------------------------

    def current_state(self) -> UnitState | None:
        if self.case is None or self.current is None:
            return None
        return self.case.state(self.current)

    def refresh_versions(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#versions", PanelText).update(
            render_versions(self.scheme, self.case, self.current_state(), self.agreement)
        )

    def refresh_panel(self) -> None:
        super().refresh_panel()
        self.refresh_versions()

    def refresh_status(self) -> None:
        doc, case = self.doc, self.case
        tally = case.tally if case is not None else None
        line = Text(no_wrap=True, overflow="ellipsis")
        if self.editing:
            line.append("EDITING GOLD", style="bold reverse")
            line.append(" ")
        line.append(doc.title if doc is not None else "loading…", style="bold")
        if tally is not None:
            line.append(f" · {tally.open} open · {tally.decided} decided")
        line.append(f" · gold {self.doc_status.replace('_', ' ')} · ")
        pending = self.annotator_app.writer.pending
        if pending:
            line.append(f"saving… ({pending})", style="bold yellow")
        else:
            line.append("saved", style="bold green")
        if self.message:
            line.append(f" · {self.message}")
        self.query_one("#status", StatusLine).update(line)

    def goto(self, state: UnitState) -> None:
        """Make ``state`` the current disagreement: cursor on it, its extent selected."""
        self.current = state.unit.key
        self.view.select(state.unit.start, state.unit.end)
        self.refresh_versions()

    def pick_current(self) -> None:
        """The disagreement under the cursor becomes the current one (the current one stays
        while the cursor is inside it)."""
        if self.case is None:
            return
        cursor = self.view.cursor
        state = self.current_state()
        if state is not None and state.unit.start <= cursor < state.unit.end:
            return
        here = self.case.at(cursor)
        self.current = here[0].unit.key if here else None

    @on(DocumentView.CursorMoved)
    def _follow_cursor(self, _event: DocumentView.CursorMoved) -> None:
        self.pick_current()
        self.refresh_versions()

    # which keys work now ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in DECIDING:
            if self.editing or self.focused is not self.view:
                return False
            if action == "take" and parameters:
                number = parameters[0]
                counted = len(self.case.counted) if self.case is not None else 0
                return isinstance(number, int) and number <= max(counted, 1)
            return True
        if action == "stop_editing":
            return (
                self.editing
                and self.attribution is None
                and self.focused is self.view
                and self.view.selection is None
            )
        if action in EDITING:
            if not self.editing:
                return False
            return super().check_action(action, parameters)
        return super().check_action(action, parameters)

    def _set_editing(self, editing: bool) -> None:
        self.editing = editing
        self.refresh_bindings()
        self.refresh_status()

    # actions: deciding --------------------------------------------------------------------

    def action_next_disagreement(self) -> None:
        self._step(backwards=False)

    def action_previous_disagreement(self) -> None:
        self._step(backwards=True)

    def _step(self, *, backwards: bool) -> None:
        if self.case is None:
            return
        found = self.case.next_open(self.current, backwards=backwards)
        if found is None:
            self.app.bell()
            self.say("No open disagreement left: D marks the gold done")
            return
        self.message = ""
        self.goto(found)

    def _decidable(self) -> UnitState | None:
        state = self.current_state()
        if state is None:
            self.app.bell()
            self.say("No disagreement under the cursor: n goes to the next open one")
        return state

    def action_take(self, number: int) -> None:
        state = self._decidable()
        if state is None:
            return
        unit = state.unit
        if not 1 <= number <= len(unit.annotators):
            self.app.bell()
            self.say(f"There is no annotator {number}: {plural(len(unit.annotators), 'annotator')}")
            return
        name, judge = unit.annotators[number - 1], self.judge
        self.say(f"Taking {name}'s version")
        self.change(
            lambda _desk: judge.take(unit, number), lambda _outcome: self.say(f"Took {name}'s")
        )

    def action_take_all(self) -> None:
        state = self._decidable()
        if state is None:
            return
        if state.unit.kind != "span":
            self.app.bell()
            self.say("A sentence takes one label: choose an annotator's with 1-9")
            return
        unit, judge = state.unit, self.judge
        self.change(
            lambda _desk: judge.take_all(unit), lambda _outcome: self.say("Took every version")
        )

    def action_reject(self) -> None:
        state = self._decidable()
        if state is None:
            return
        unit, judge = state.unit, self.judge
        self.change(lambda _desk: judge.reject(unit), lambda _outcome: self.say("Rejected"))

    def action_edit(self) -> None:
        self._set_editing(True)
        self.say("Editing gold by hand: the annotate keys work here · esc: back to deciding")

    def action_stop_editing(self) -> None:
        self._set_editing(False)
        self.pick_current()
        self.refresh_versions()
        self.say("Deciding: n next · 1-9 take · a all · x reject · e edit")

    # actions: done and history ------------------------------------------------------------

    def action_done(self) -> None:
        doc, case = self.doc, self.case
        if doc is None or case is None:
            return
        judge = self.judge
        if self.doc_status == "done":
            self.say("Gold reopened")
            self.change(lambda _desk: judge.reopen(doc.id))
            return
        check = GoldCheck(case.tally.open, document_gaps(self.scheme, doc, case.gold), case.others)

        def mark(confirmed: bool | None) -> None:
            if confirmed:
                self.say("Gold marked done")
                self.change(lambda _desk: judge.mark_gold_done(doc, force=True))

        if check:
            lines = [*check.lines(), "Mark the gold done anyway?"]
            self.app.push_screen(
                ConfirmDialog("Gold not finished", lines, yes="Mark done", no="Keep deciding"),
                mark,
            )
        else:
            mark(True)

    def _after_history(self, verb: str, event: Event | None) -> None:
        if event is None or event.action != "decide":
            super()._after_history(verb, event)
            return
        body: Mapping[str, Any] = event.after or {}
        decisions = body.get("decisions") or []
        first = decisions[0] if decisions else {}
        what = {"take": "taking", "all": "taking all", "reject": "rejection", "auto": "auto-fill"}
        self.say(f"{verb}: {what.get(str(first.get('verdict')), 'decision')}")
        start = first.get("start")
        if event.document_id is not None and event.document_id != self.document_id:
            self.load(event.document_id, cursor=start if isinstance(start, int) else None)
        elif isinstance(start, int) and self.doc is not None and start < len(self.doc.text):
            self.view.move_cursor(start)
