"""The Adjudicate screen: the gold layer as it stands, and the annotators' versions side by side.

It is the annotate screen working on the adjudicator's own annotations (the gold), with a second
set of keys for deciding: ``n``/``N`` step through the open disagreements, ``1``-``9`` take an
annotator's version, ``a`` takes every version of a span passage, ``x`` rejects, ``e`` switches
to editing the gold by hand with the annotate screen's keys (``esc`` switches back). The
session's rulebook is an :class:`~annotator.service.adjudicating.Adjudicating`, so every change,
decisions and hand edits alike, follows its rules (gold from whom, a rejection that stays
decided, ``from`` emptied by a hand edit).

The gold arrives as on the annotate screen; the document's case (its units, decisions and
agreement) is read after it, in a worker of its own, and posted as :class:`CaseRead`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on, work
from textual.binding import BindingsMap, BindingType
from textual.message import Message

from annotator.core.wording import plural
from annotator.service.adjudicating import Adjudicating
from annotator.service.annotating import Annotating, Outcome
from annotator.service.cases import DocumentCase, LayerAgreement, UnitState, document_agreement
from annotator.store.dto import Annotation, DocStatus, Document, Event
from annotator.tui import bindings
from annotator.tui.screens.annotate import AnnotateScreen, DoneWords, Unfinished
from annotator.tui.session import Session
from annotator.tui.widgets.document_view import DocumentView
from annotator.tui.widgets.side_panel import PanelText
from annotator.tui.widgets.status_line import StatusInfo, StatusLine
from annotator.tui.widgets.versions import render_versions

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
"""Actions of the annotate screen's keys, which edit the gold by hand after ``e``."""
VERDICT_NOUNS = {"take": "taking", "all": "taking all", "reject": "rejection", "auto": "auto-fill"}
SIDE_PANEL_WIDTH = 52
"""Wider than the annotate screen's: the versions sit side by side in it."""


class AdjudicateScreen(AnnotateScreen):
    """Settle one document's disagreements into gold."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings.ADJUDICATE)
    SUGGESTIONS = False
    SIDE_PANEL = ("versions", "under-cursor", "guide", "legend")
    DONE_WORDS = DoneWords(
        done="Gold marked done",
        reopened="Gold reopened",
        title="Gold not finished",
        question="Mark the gold done anyway?",
        keep="Keep deciding",
    )

    class CaseRead(Message):
        """A document's case and agreement, read in a worker after its gold."""

        def __init__(
            self, document_id: int, case: DocumentCase, agreement: tuple[LayerAgreement, ...]
        ) -> None:
            super().__init__()
            self.document_id = document_id
            self.case = case
            self.agreement = agreement

    def __init__(self, session: Session, document_id: int) -> None:
        super().__init__(session, document_id)
        if not isinstance(session.annotating, Adjudicating):
            raise TypeError("the Adjudicate screen needs an adjudicator's session")
        self.judge: Adjudicating = session.annotating
        self.case: DocumentCase | None = None
        self.agreement: tuple[LayerAgreement, ...] = ()
        self.current: tuple[int, str, int, int] | None = None
        self.editing = False
        self._arrived = False
        # The deciding keys first, so the footer, the help screen and the palette list them so.
        ids = {b.id for b in bindings.ADJUDICATE}
        mine = [b for _key, b in self._bindings if b.id in ids]
        rest = [b for _key, b in self._bindings if b.id not in ids]
        self._bindings = BindingsMap([*mine, *rest])

    # layout -------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#side-panel").styles.width = SIDE_PANEL_WIDTH

    # reading ------------------------------------------------------------------------------

    def load(self, document_id: int, *, cursor: int | None = None) -> None:
        """Show another document; without ``cursor``, on its first open disagreement."""
        self._arrived = cursor is not None
        self.current = None
        super().load(document_id, cursor=cursor)

    def apply(
        self,
        annotations: list[Annotation],
        status: DocStatus,
        pending: list[Annotation] | None = None,
    ) -> None:
        super().apply(annotations, status, pending)
        self._read_case(self.document_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="case")
    def _read_case(self, document_id: int) -> None:
        self.session.writer.settle()  # after the change just drawn
        case = self.judge.case(document_id)
        agreement = document_agreement(self.scheme, case)
        self.post_message(self.CaseRead(document_id, case, agreement))

    @on(CaseRead)
    def _case_read(self, message: CaseRead) -> None:
        if message.document_id != self.document_id:
            return
        self.case, self.agreement = message.case, message.agreement
        if self.current is not None and self.case.state(self.current) is None:
            self.current = None
        self.refresh_bindings()  # the keys 1-9 offered depend on who finished the document
        if not self._arrived:
            self._arrived = True
            first = self.case.next_open()
            if first is not None:
                self.goto(first)
            else:
                self.pick_current()
        self.refresh_versions()
        self.refresh_status()

    def recover(self) -> None:
        super().recover()
        if self.doc is not None:
            self._read_case(self.document_id)

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

    def refresh_status(self) -> None:
        total = len(self.doc.segments) if self.doc is not None else 0
        parts = ["EDITING GOLD"] if self.editing else []
        if self.case is not None:
            tally = self.case.tally
            parts.append(f"{tally.open} open · {tally.decided} decided")
        if self.message:
            parts.append(self.message)
        self.query_one("#status", StatusLine).show(
            StatusInfo(
                classified=total - self.gaps.unclassified if self.doc is not None else 0,
                total=total,
                spans=len(self.spans()),
                status=f"gold {self.status_text}",
                pending=self.session.writer.pending,
                message=" · ".join(parts),
            )
        )

    def goto(self, state: UnitState) -> None:
        """Make ``state`` the current disagreement: the cursor on it, its extent selected."""
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
        if action in EDITING and not self.editing:
            return False
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
        self.goto(found)
        self.message = ""
        self.refresh_status()

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
        self.change(lambda _a: judge.take(unit, number), lambda _: self.say(f"Took {name}'s"))

    def action_take_all(self) -> None:
        state = self._decidable()
        if state is None:
            return
        if state.unit.kind != "span":
            self.app.bell()
            self.say("A sentence takes one label: choose an annotator's with 1-9")
            return
        unit, judge = state.unit, self.judge
        self.change(lambda _a: judge.take_all(unit), lambda _: self.say("Took every version"))

    def action_reject(self) -> None:
        state = self._decidable()
        if state is None:
            return
        unit, judge = state.unit, self.judge
        self.change(lambda _a: judge.reject(unit), lambda _: self.say("Rejected"))

    def action_edit(self) -> None:
        self._set_editing(True)
        self.say("Editing gold by hand with the annotate keys · esc: back to deciding")

    def action_stop_editing(self) -> None:
        self._set_editing(False)
        self.pick_current()
        self.refresh_versions()
        self.say("Deciding: n next · 1-9 take · a all · x reject · e edit")

    # actions: done and history ------------------------------------------------------------

    def finish(self, annotating: Annotating, doc: Document, *, force: bool) -> Unfinished:
        return self.judge.mark_gold_done(doc, force=force)

    def _after_history(self, verb: str, outcome: Outcome[Event | None]) -> None:
        event = outcome.value
        if event is None or event.action != "decide":
            super()._after_history(verb, outcome)
            return
        body: Mapping[str, Any] = event.after or {}
        decisions = body.get("decisions") or [{}]
        first: Mapping[str, Any] = decisions[0]
        start = first.get("start")
        where = start if isinstance(start, int) else None
        if event.document_id is not None and event.document_id != self.document_id:
            self.load(event.document_id, cursor=where)
        elif where is not None and self.doc is not None and where < len(self.doc.text):
            self.view.move_cursor(where)
        self.say(f"{verb}: {VERDICT_NOUNS.get(str(first.get('verdict')), 'decision')}")
