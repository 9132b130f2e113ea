"""Shared builders for the terminal UI tests: a store with known articles, an app around it."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import Any, cast

from textual.pilot import Pilot
from textual.worker import WorkerFailed

from annotator.core.segment import split_sentences
from annotator.core.text import canonicalize, text_sha256
from annotator.store.dto import Annotation, NewDocument
from annotator.store.repository import Repository
from annotator.tui.app import AnnotatorApp, make_app
from annotator.tui.config import TuiConfig

SIZE = (120, 36)
QUIET = TuiConfig(animations=False)

HARBOUR = (
    "The mayor slammed the harbour plan on Tuesday. "
    "Critics say the regime at city hall ignored the port workers. "
    "Rents soared by two percent last year. "
    "The council will vote again in March."
)
VALLEY = (
    "Officials said the river had risen by a metre. It is widely believed the dam was poorly built."
)
HOSTILE_TITLE = "[bold]Breaking[/] [@click=app.quit]click[/] \x1b[31mred"
HOSTILE = (
    "A [bold]bold[/] claim and [@click=app.quit]a link[/] appear here. "
    "An escape \x1b[2J sequence follows [/] and [red]more[/red]."
)


def new_document(external_id: str, title: str, text: str) -> NewDocument:
    canonical = canonicalize(text)
    return NewDocument(
        external_id=external_id,
        title=canonicalize(title),
        text=canonical,
        sha256=text_sha256(canonical),
        meta={},
        segments=tuple(split_sentences(canonical)),
        status={},
    )


def seed(repo: Repository, *, hostile: bool = False) -> list[int]:
    """Two articles (three with the hostile one); returns their ids in order."""
    docs = [
        new_document("harbour", "Harbour plan", HARBOUR),
        new_document("valley", "Valley dam", VALLEY),
    ]
    if hostile:
        docs.append(new_document("hostile", HOSTILE_TITLE, HOSTILE))
    repo.import_documents(docs)
    return [summary.id for summary in repo.documents()]


def app_for(
    repo: Repository,
    *,
    annotator: str = "ana",
    document_id: int | None = None,
    config: TuiConfig = QUIET,
) -> AnnotatorApp:
    return make_app(repo, config, annotator=annotator, document_id=document_id)


def mine(repo: Repository, document_id: int, layer: str | None = None) -> list[Annotation]:
    return repo.annotations(document_id, "ana", layer)


def texts(repo: Repository, document_id: int, layer: str = "loaded") -> list[tuple[str, str]]:
    """``(label, covered text)`` of ana's annotations on a layer, in store order."""
    text = repo.document(document_id).text
    return [(a.label, text[a.start : a.end]) for a in mine(repo, document_id, layer)]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for reads and writes to return and the screen to redraw.

    A worker that failed has been reported by the screen (tests look at the notifications).
    """
    app = cast(AnnotatorApp, pilot.app)
    for _ in range(3):
        for worker in list(app.workers):
            with suppress(WorkerFailed):
                await worker.wait()
        await pilot.pause()


def at(word: str, text: str = HARBOUR, nth: int = 0) -> tuple[int, int]:
    """The offsets of the ``nth`` occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)
