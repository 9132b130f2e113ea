"""Who annotates: adding people with a role, and the rule that a name keeps its role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.service import checks
from annotator.store.dto import Annotator, Role
from annotator.store.errors import InvalidInput

if TYPE_CHECKING:
    from annotator.store.repository import Repository


def add_annotator(repo: Repository, name: str, role: Role = "annotator") -> tuple[Annotator, bool]:
    """The annotator called ``name`` and whether they were created now.

    An existing name keeps its role: asking for another one is refused rather than silently
    giving a reviewer an adjudicator's view of everyone's work.
    """
    clean = checks.check_name(name)
    checks.check_role(role)
    existing = next((a for a in repo.annotators() if a.name == clean), None)
    if existing is not None:
        if existing.role != role:
            raise InvalidInput(
                f"annotator {existing.name!r} already exists with role {existing.role!r}"
            )
        return existing, False
    return repo.ensure_annotator(clean, role), True


BLIND = (
    "the agreement figures are for adjudicators: they show how the other reviewers labelled,"
    " and reviewers work blind; your own progress is on the documents screen"
)


def sees_everyone(repo: Repository, name: str) -> bool:
    """Whether ``name`` may see the other reviewers' work (agreement figures, their labels and
    counts): adjudicators only. A reviewer sees their own progress only."""
    role = next((a.role for a in repo.annotators() if a.name == name), None)
    return role == "adjudicator"


def check_sees_everyone(repo: Repository, name: str) -> None:
    """Refuse (``InvalidInput``, one line) to show ``name`` the others' work unless they
    adjudicate."""
    if not sees_everyone(repo, name):
        raise InvalidInput(f"{name!r}: {BLIND}")
