"""What every screen works with, handed to it in its constructor.

A screen never reaches up to the app for the store or the settings: it gets a
:class:`Session` (the store, the ordered writer, the reviewer, the scheme, the settings, the
rulebook's :class:`~annotator.service.annotating.Annotating` and its
:class:`~annotator.service.suggesting.SuggestionReview`), so a test can build a screen
around any store, and the screens do not import the app that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.core.scheme import Scheme
from annotator.service.annotating import Annotating
from annotator.service.suggesting import SuggestionReview
from annotator.tui.config import TuiConfig
from annotator.tui.writer import Writer

if TYPE_CHECKING:
    from annotator.store.repository import Repository


@dataclass(slots=True)
class Layout:
    """What the reviewer chose to see, kept from one document to the next."""

    side_panel: bool = True
    suggestions: bool = True
    """Whether the machines' pending suggestions are drawn (``S`` toggles it)."""


@dataclass(frozen=True, slots=True)
class Session:
    """One reviewer at work on one database."""

    repo: Repository
    reviewer: str
    scheme: Scheme
    config: TuiConfig
    annotating: Annotating
    review: SuggestionReview
    """The reviewer's decisions on the machines' suggestions, on the same rulebook."""
    writer: Writer
    layout: Layout = field(default_factory=Layout)

    @classmethod
    def start(cls, repo: Repository, config: TuiConfig, reviewer: str) -> Session:
        """A session as ``reviewer`` (checked by the rulebook) with its own writer thread."""
        annotating = Annotating(repo, reviewer)
        return cls(
            repo=repo,
            reviewer=annotating.reviewer,
            scheme=repo.scheme(),
            config=config,
            annotating=annotating,
            review=SuggestionReview(annotating),
            writer=Writer(),
        )
