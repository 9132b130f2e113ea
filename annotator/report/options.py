"""What a report covers and how it is computed: the options of ``annotator report``."""

from __future__ import annotations

from dataclasses import dataclass

MAX_BOOTSTRAP = 100_000
"""Most bootstrap resamples: beyond it the interval no longer changes in its third decimal,
and the report would run for hours."""


def check_options(options: ReportOptions) -> None:
    """Refuse settings the report cannot honour in reasonable time."""
    if not 0 <= options.bootstrap <= MAX_BOOTSTRAP:
        raise ReportError(
            f"--bootstrap {options.bootstrap}: give 0 (no interval) to {MAX_BOOTSTRAP:,}"
            " resamples; 1000 is the usual choice"
        )


class ReportError(Exception):
    """A report cannot be built as asked (unknown layer, annotator or document, or nothing
    to compare yet).

    ``str()`` is one line for the user: what is wrong and how to fix it.
    """


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """Selection and computation settings.

    ``layers``/``annotators``/``documents`` empty means all (annotators: every annotator of
    role ``annotator``; adjudicators supply gold, they are not coders). ``documents`` holds
    references as ``--doc`` takes them (:mod:`annotator.service.documents`): an external id,
    else a document number; ``#N`` always the number.
    ``bootstrap`` is the number of bootstrap resamples for the alpha interval (0 = none).
    ``generated_at`` fixes the date printed in the provenance (tests pin it). ``workers`` is
    the number of worker processes for the heavy statistics (None: one per core for a large
    corpus, none for a small one; 0: none); the figures do not depend on it. ``group_by``
    names document ``meta`` keys (or ``annotator``) to compare groups of documents by; the
    same ``bootstrap`` and ``seed`` give their intervals and permutation tests.
    """

    layers: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    bootstrap: int = 1000
    seed: int = 0
    include_unfinished: bool = False
    max_examples: int = 40
    max_example_documents: int = 10
    generated_at: str | None = None
    workers: int | None = None
    group_by: tuple[str, ...] = ()
