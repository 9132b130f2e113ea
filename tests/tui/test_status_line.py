"""The status line on its own: what gives way when the line is narrow, and what never does."""

from __future__ import annotations

import pytest

from annotator.tui.widgets.status_line import StatusInfo, render_status

NOTICE = "The document was marked done; this change reopened it"


@pytest.mark.parametrize("width", [78, 60, 40, 24, 12, 6])
@pytest.mark.parametrize("pending", [0, 3])
@pytest.mark.parametrize("message", ["", "Tagged emotive", NOTICE])
def test_the_save_state_always_shows_at_the_end(width: int, pending: int, message: str) -> None:
    line = render_status(StatusInfo(12, 19, 3, "in progress", pending, message), width).plain
    assert len(line) <= max(width, len("saving… (3)"))
    assert line.rstrip().endswith("saving… (3)" if pending else "saved")


def test_a_message_comes_before_the_counts_on_a_narrow_line() -> None:
    wide = render_status(StatusInfo(12, 19, 3, "in progress", 0, NOTICE), 120).plain
    assert NOTICE in wide and "12/19 classified · 3 spans · in progress · saved" in wide
    narrow = render_status(StatusInfo(12, 19, 3, "in progress", 0, NOTICE), 78).plain
    assert NOTICE in narrow and narrow.rstrip().endswith("in progress · saved")
    quiet = render_status(StatusInfo(12, 19, 3, "in progress", 0, ""), 78).plain
    assert quiet.strip() == "12/19 classified · 3 spans · in progress · saved"


def test_a_message_that_cannot_fit_is_cut_at_a_word() -> None:
    line = render_status(StatusInfo(12, 19, 3, "in progress", 0, NOTICE), 40).plain
    kept = line.split("  ")[0].removesuffix("…")
    assert line.startswith(kept + "…") and NOTICE.startswith(kept)
    assert NOTICE[len(kept)] in " ;,:"  # the next word was dropped whole
