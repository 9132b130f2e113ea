"""What every screen works with, handed to it in its constructor.

A screen never reaches up to the app for the store or the settings: it gets a
:class:`Session` (the store, the ordered writer, the reviewer, the scheme, the settings, the
rulebook's :class:`~annotator.service.annotating.Annotating` and its
:class:`~annotator.service.suggesting.SuggestionReview`), so a test can build a screen
around any store, and the screens do not import the app that imports them.

A session may open its store only when first asked (:meth:`Session.opening`): ``annotator
demo`` paints its documents screen first and opens the database in the screen's first read,
off the UI thread, so the database library's import and the open do not hold up the first
frame.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.service.names import check_name
from annotator.tui.config import TuiConfig
from annotator.tui.writer import Writer

if TYPE_CHECKING:
    from annotator.core.scheme import Scheme
    from annotator.service.annotating import Annotating
    from annotator.service.suggesting import SuggestionReview
    from annotator.store.repository import Repository


@dataclass(slots=True)
class Layout:
    """What the reviewer chose to see, kept from one document to the next."""

    side_panel: bool = True
    suggestions: bool = True
    """Whether the machines' pending suggestions are drawn (``S`` toggles it)."""


class Session:
    """One reviewer at work on one database.

    ``repo``, ``scheme`` and ``annotating`` are there from the start (:meth:`start`) or from
    the first time anyone asks (:meth:`opening`); a store that fails to open raises the same
    error to every later caller rather than being tried again.
    """

    def __init__(
        self,
        reviewer: str,
        config: TuiConfig,
        *,
        repo: Repository | None = None,
        opener: Callable[[], Repository] | None = None,
        annotating: Annotating | None = None,
    ) -> None:
        if (repo is None) == (opener is None):
            raise ValueError("a session needs either a store or a way to open one")
        self.reviewer = check_name(reviewer)
        self.config = config
        self.writer = Writer()
        self.layout = Layout()
        self._repo = repo
        self._opener = opener
        self._failure: BaseException | None = None
        self._annotating: Annotating | None = annotating
        self._review: SuggestionReview | None = None
        self._lock = threading.Lock()

    @property
    def adjudicating(self) -> bool:
        """Whether this is an adjudicator's session: the screens then show everyone's work
        and edit the adjudicator's gold."""
        if self._annotating is None:
            return False  # a reviewer's session makes its Annotating on first use
        from annotator.service.adjudicating import Adjudicating

        return isinstance(self._annotating, Adjudicating)

    @classmethod
    def adjudicate(cls, repo: Repository, config: TuiConfig, adjudicator: str) -> Session:
        """A session as ``adjudicator``, refused (``InvalidInput``) for anyone whose role is
        not adjudicator: annotators stay blind to each other's work."""
        from annotator.service.adjudicating import Adjudicating

        judge = Adjudicating(repo, adjudicator)
        return cls(judge.adjudicator, config, repo=repo, annotating=judge)

    @classmethod
    def start(cls, repo: Repository, config: TuiConfig, reviewer: str) -> Session:
        """A session on an open store, as ``reviewer`` (checked by the rulebook)."""
        return cls(reviewer, config, repo=repo)

    @classmethod
    def opening(cls, opener: Callable[[], Repository], config: TuiConfig, reviewer: str) -> Session:
        """A session whose store ``opener`` opens on first use (from a worker thread)."""
        return cls(reviewer, config, opener=opener)

    @property
    def is_open(self) -> bool:
        return self._repo is not None

    @property
    def failure(self) -> BaseException | None:
        """Why the store could not be opened, once that was tried and failed."""
        return self._failure

    @property
    def where(self) -> str:
        """The store's address for display, once it is open."""
        return self._repo.url if self._repo is not None else ""

    @property
    def repo(self) -> Repository:
        """The store, opened now if it was not yet (blocking until it is)."""
        repo = self._repo
        if repo is not None:
            return repo
        with self._lock:
            if self._repo is None:
                if self._failure is not None:
                    raise self._failure
                assert self._opener is not None
                try:
                    self._repo = self._opener()
                except BaseException as exc:
                    self._failure = exc
                    raise
            return self._repo

    @property
    def scheme(self) -> Scheme:
        return self.repo.scheme()

    @property
    def annotating(self) -> Annotating:
        """The rulebook's operations for this reviewer on this store."""
        if self._annotating is None:
            from annotator.service.annotating import Annotating

            self._annotating = Annotating(self.repo, self.reviewer)
        return self._annotating

    @property
    def review(self) -> SuggestionReview:
        """The reviewer's decisions on the machines' suggestions, on the same rulebook."""
        if self._review is None:
            from annotator.service.suggesting import SuggestionReview

            self._review = SuggestionReview(self.annotating)
        return self._review

    def close(self) -> None:
        """Release the store if this session opened it."""
        if self._opener is not None and self._repo is not None:
            self._repo.close()
