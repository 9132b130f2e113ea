"""Pilot tests of suggestions on the annotate screen: accept, reject, show/hide, next pending,
blindness; asserted on what the store holds."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from tui_support import HARBOUR, SIZE, app_for, at, mine, settle

from annotator.store.dto import Annotation, NewAnnotation
from annotator.store.repository import Repository
from annotator.tui.dialogs.picker import PickerDialog
from annotator.tui.screens.annotate import AnnotateScreen
from annotator.tui.widgets.document_view import DocumentView

Store = tuple[Repository, list[int]]

pytestmark = pytest.mark.asyncio

CRITICS = (HARBOUR.index("Critics"), HARBOUR.index("workers.") + len("workers."))


def suggest(repo: Repository, *items: NewAnnotation) -> dict[str, Annotation]:
    """Store ``items`` as the machine ``suggest``'s suggestions on the harbour article;
    returns them by label."""
    repo.replace_suggestions(
        "suggest", lambda batch: [list(items) for _ in batch], document_ids=[1]
    )
    return {s.label: s for s in repo.suggestions(1)}


def suggestion(layer: str, label: str, span: tuple[int, int], **attrs: object) -> NewAnnotation:
    return NewAnnotation(
        "suggest", layer, label, *span, {"rule": f"test.{label}", "confidence": 0.8, **attrs}
    )


SLAMMED = suggestion("loaded", "emotive", at("slammed"))
REGIME = suggestion("loaded", "labeling", at("regime"))
VAGUE = suggestion(
    "statement",
    "vague",
    CRITICS,
    source={"start": CRITICS[0], "end": CRITICS[0] + 7},
    cue={"start": CRITICS[0] + 8, "end": CRITICS[0] + 11},
)


@pytest.fixture
def offered(store: Store) -> dict[str, Annotation]:
    return suggest(store[0], SLAMMED, REGIME, VAGUE)


def screen(pilot: Pilot[None]) -> AnnotateScreen:
    current = pilot.app.screen
    assert isinstance(current, AnnotateScreen), type(current).__name__
    return current


def view(pilot: Pilot[None]) -> DocumentView:
    return screen(pilot).query_one(DocumentView)


def shown_labels(pilot: Pilot[None]) -> list[str]:
    return sorted(s.label for s in screen(pilot).pending)


def suggested_marks(pilot: Pilot[None], start: int, end: int) -> list[str]:
    return [m.label for m in view(pilot).spans_between(start, end) if m.suggested]


def status_text(pilot: Pilot[None]) -> str:
    return str(screen(pilot).query_one("#status").content)


def panel(pilot: Pilot[None], block: str = "#suggested") -> str:
    return str(screen(pilot).query_one(block).content)


async def test_suggestions_show_outlined_beside_the_reviewers_own(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    repo.add_span("ana", 1, "loaded", "fear", *at("harbour plan"))
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_labels(pilot) == ["emotive", "labeling", "vague"]
        assert suggested_marks(pilot, *at("slammed")) == ["emotive"]
        assert "3 suggested" in status_text(pilot)
        # the row holding "slammed": its cells are underlined in the label's colour, with no
        # background; the reviewer's own span keeps its filled background
        strip = view(pilot).render_row(0)
        styles = {seg.text: seg.style for seg in strip}
        outlined, plain, own = styles["slammed"], styles[" the "], styles["harbour plan"]
        assert outlined is not None and plain is not None and own is not None
        assert outlined.underline and outlined.bgcolor == plain.bgcolor
        assert outlined.color != plain.color
        assert own.bgcolor != plain.bgcolor and not own.underline
        view(pilot).move_cursor(at("slammed")[0] + 2)
        await settle(pilot)
        assert "Suggested here" in panel(pilot) and "test.emotive" in panel(pilot)
        assert "confidence 0.80" in panel(pilot)
        view(pilot).move_cursor(CRITICS[0] + 1)
        await settle(pilot)
        assert "source: “Critics”" in panel(pilot) and "cue: “say”" in panel(pilot)


async def test_enter_accepts_the_span_under_the_cursor(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("slammed")[0] + 1)
        await pilot.press("enter")
        await settle(pilot)
        (made,) = mine(repo, 1)
        assert (made.layer, made.label, made.start, made.end) == (
            "loaded",
            "emotive",
            *at("slammed"),
        )
        assert made.origin == "suggestion"
        assert made.attrs == {"suggestion": offered["emotive"].id, "from_rule": "test.emotive"}
        assert shown_labels(pilot) == ["labeling", "vague"]
        assert suggested_marks(pilot, *at("slammed")) == []
        assert "accepted emotive" in status_text(pilot)
        assert repo.status(1, "ana") == "in_progress"


async def test_enter_accepts_a_statement_with_its_source_and_cue(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(CRITICS[0] + 1)
        await pilot.press("enter")
        await settle(pilot)
        (made,) = mine(repo, 1, "statement")
        assert (made.label, made.start, made.end, made.origin) == ("vague", *CRITICS, "suggestion")
        assert made.attrs["source"] == {"start": CRITICS[0], "end": CRITICS[0] + 7}
        assert made.attrs["cue"] == {"start": CRITICS[0] + 8, "end": CRITICS[0] + 11}
        assert made.attrs["suggestion"] == offered["vague"].id
        assert "Sentence 2: accepted vague" in status_text(pilot)


async def test_two_suggestions_under_the_cursor_ask_which(store: Store) -> None:
    repo, ids = store
    suggest(repo, suggestion("loaded", "labeling", at("regime")), VAGUE)
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PickerDialog)
        await pilot.press("down", "enter")  # the second: the sentence's statement
        await settle(pilot)
        assert [a.label for a in mine(repo, 1)] == ["vague"]


async def test_backspace_rejects_and_undo_brings_it_back(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("slammed")[0] + 1)
        await pilot.press("backspace")
        await settle(pilot)
        assert repo.rejected_suggestions("ana", 1) == {offered["emotive"].id}
        assert mine(repo, 1) == []
        assert shown_labels(pilot) == ["labeling", "vague"]
        assert suggested_marks(pilot, *at("slammed")) == []
        assert "Rejected emotive" in status_text(pilot)
        assert repo.status(1, "ana") == "todo"
        await pilot.press("u")
        await settle(pilot)
        assert repo.rejected_suggestions("ana", 1) == frozenset()
        assert shown_labels(pilot) == ["emotive", "labeling", "vague"]
        assert "Undid: rejected emotive" in status_text(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert shown_labels(pilot) == ["labeling", "vague"]


async def test_enter_and_backspace_with_no_suggestion_here_change_nothing(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("Rents")[0])
        await pilot.press("enter")
        await settle(pilot)
        assert "No suggestion under the cursor" in status_text(pilot)
        await pilot.press("backspace")
        await settle(pilot)
        assert mine(repo, 1) == [] and repo.rejected_suggestions("ana", 1) == frozenset()


async def test_shift_s_hides_and_shows_them(store: Store, offered: dict[str, Annotation]) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert suggested_marks(pilot, 0, len(HARBOUR)) == []
        assert "suggested" not in status_text(pilot)
        view(pilot).move_cursor(at("slammed")[0])
        await pilot.press("enter")
        await settle(pilot)
        assert mine(repo, 1) == [] and "Suggestions are hidden" in status_text(pilot)
        assert not screen(pilot).query_one("#suggested").display
        # the choice holds on the next document
        await pilot.press("greater_than_sign")
        await settle(pilot)
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert suggested_marks(pilot, 0, len(HARBOUR)) == []
        await pilot.press("S")
        await settle(pilot)
        assert sorted(suggested_marks(pilot, 0, len(HARBOUR))) == ["emotive", "labeling"]
        assert "3 suggested" in status_text(pilot)


async def test_s_moves_to_the_next_pending_suggestion(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        cursor: list[int] = []
        for _ in range(4):
            await pilot.press("s")
            await settle(pilot)
            cursor.append(view(pilot).cursor)
        # slammed, the Critics sentence, regime, then round again
        assert cursor == [at("slammed")[0], CRITICS[0], at("regime")[0], at("slammed")[0]]
        # a decided one is skipped
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("s", "s")
        await settle(pilot)
        assert view(pilot).cursor == at("regime")[0]


async def test_no_pending_suggestions(store: Store) -> None:
    repo, ids = store
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert view(pilot).cursor == 0
        assert "No pending suggestions" in status_text(pilot)


async def test_reviewers_see_the_machine_never_each_other(
    store: Store, offered: dict[str, Annotation]
) -> None:
    repo, ids = store
    # bob accepts one, rejects another and annotates on his own
    repo.add_span(
        "bob", 1, "loaded", "emotive", *at("slammed"),
        attrs={"suggestion": offered["emotive"].id}, origin="suggestion",
    )  # fmt: skip
    repo.reject_suggestion("bob", offered["labeling"].id)
    repo.add_span("bob", 1, "loaded", "fear", *at("Rents soared"))
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown_labels(pilot) == ["emotive", "labeling", "vague"]
        marks = view(pilot).spans_between(0, len(HARBOUR))
        assert all(m.suggested for m in marks)  # nothing of bob's
        assert {m.id for m in marks} == {offered["emotive"].id, offered["labeling"].id}


async def test_hostile_strings_in_a_suggestion_stay_text(store: Store) -> None:
    repo, ids = store
    hostile = NewAnnotation(
        "suggest",
        "loaded",
        "emotive",
        *at("slammed"),
        {"rule": "[@click=app.quit]rule[/]", "note": "[bold]x[/] \x1b[2J"},
    )
    suggest(repo, hostile)
    async with app_for(repo, document_id=ids[0]).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view(pilot).move_cursor(at("slammed")[0])
        await settle(pilot)
        text = panel(pilot)
        assert "[@click=app.quit]rule[/]" in text and "[bold]x[/]" in text
        assert pilot.app.is_running
