"""Deterministic screenshots of the terminal UI (pytest-textual-snapshot).

Deterministic by construction: an in-memory store seeded with fixed articles, animations and
cursor blinking off (``animations: false``), a fixed terminal size, no clocks on screen.
Update after a deliberate change with ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_support import HOSTILE, SIZE, app_for, at, seed, settle

from annotator.store.repository import Repository
from annotator.tui.config import TuiConfig
from annotator.tui.widgets.document_view import DocumentView

Snap = Callable[..., bool]


@pytest.fixture
def repo() -> Iterator[Repository]:
    repository = Repository.in_memory()
    seed(repository, hostile=True)
    yield repository
    repository.close()


def view(pilot: Pilot[Any]) -> DocumentView:
    return pilot.app.screen.query_one(DocumentView)


def annotated(repo: Repository) -> None:
    """ana's work on the harbour article: overlapping spans, statements, a note."""
    repo.add_span("ana", 1, "loaded", "emotive", *at("slammed the harbour"))
    repo.add_span("ana", 1, "loaded", "exaggeration", *at("harbour plan"))
    regime = repo.add_span("ana", 1, "loaded", "labeling", *at("regime"))
    repo.update_annotation("ana", regime.id, attrs={"note": "[bold]check[/] the wire copy"})
    repo.set_segment_label(
        "ana",
        1,
        "statement",
        0,
        "attributed",
        attrs={"source": {"start": 0, "end": 9}, "cue": {"start": 10, "end": 17}},
    )
    repo.set_segment_label("ana", 1, "statement", 1, "vague")
    repo.set_segment_label("ana", 1, "statement", 2, "attributed")


def test_documents_screen(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)
    repo.set_status("ana", 2, "done")
    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=settle)


def test_documents_filtered_and_sorted(snap_compare: Snap, repo: Repository) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("s", "s", "f", *"a")
        await settle(pilot)

    assert snap_compare(app_for(repo), terminal_size=SIZE, run_before=run_before)


def test_annotate_overlapping_spans_and_selection(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("harbour")[0])
        view(pilot).select(*at("city hall ignored"))
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_annotate_cursor_on_a_note(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("regime")[0] + 1)
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: Snap, repo: Repository) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_attribution_prompt(snap_compare: Snap, repo: Repository) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        view(pilot).select(*at("The mayor"))
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_incomplete_attribution(snap_compare: Snap, repo: Repository) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("Rents")[0])
        await pilot.press("A")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_light_theme(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)
    light = TuiConfig(theme="textual-light", animations=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("harbour")[0])
        await settle(pilot)

    app = app_for(repo, document_id=1, config=light)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_done_warning_dialog(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_remove_picker(snap_compare: Snap, repo: Repository) -> None:
    annotated(repo)

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("harbour")[0] + 2)
        await pilot.press("x")
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_hostile_text_on_screen(snap_compare: Snap, repo: Repository) -> None:
    start = HOSTILE.index("[@click")
    repo.add_span("ana", 3, "loaded", "fear", start, start + len("[@click=app.quit]a link[/]"))

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(start + 2)
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=3), terminal_size=SIZE, run_before=run_before)


def test_search_bar(snap_compare: Snap, repo: Repository) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"port")
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)


def test_agreement_screen(snap_compare: Snap, repo: Repository) -> None:
    for name in ("ana", "ben"):
        repo.set_segment_label(name, 1, "statement", 0, "reporting")
        repo.set_segment_label(name, 1, "statement", 1, "vague" if name == "ana" else "editorial")
        repo.add_span(name, 1, "loaded", "emotive", *at("slammed"))
        repo.set_status(name, 1, "done")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)

    repo.ensure_annotator("chair", "adjudicator")  # the figures are for adjudicators
    app = app_for(repo, annotator="chair")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_suggestions_outlined(snap_compare: Snap, repo: Repository) -> None:
    """A machine's pending suggestions beside ana's own span: outlined spans, a dim gutter
    mark, the side panel on the one under the cursor."""
    from annotator.store.dto import NewAnnotation

    critics = at("Critics say the regime at city hall ignored the port workers.")
    offered = [
        NewAnnotation("suggest", "loaded", "emotive", *at("slammed"), {"rule": "lexicon:x"}),
        NewAnnotation("suggest", "loaded", "exaggeration", *at("soared"), {"rule": "lexicon:x"}),
        NewAnnotation(
            "suggest",
            "statement",
            "vague",
            *critics,
            {"rule": "attribution.vague-source", "confidence": 0.9},
        ),
    ]
    repo.replace_suggestions("suggest", lambda batch: [offered for _ in batch], document_ids=[1])
    repo.add_span("ana", 1, "loaded", "labeling", *at("regime"))

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        view(pilot).move_cursor(at("soared")[0] + 1)
        await settle(pilot)

    assert snap_compare(app_for(repo, document_id=1), terminal_size=SIZE, run_before=run_before)
