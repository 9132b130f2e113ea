"""The rule for tests that need an outside service (tests/conftest.py), run in a separate pytest:
an absent service skips with its reason, unless ANNOTATOR_REQUIRE_SERVICES=1 makes it fail."""

from __future__ import annotations

from pathlib import Path

import pytest

ISOLATED = ("-p", "no:textual-snapshot", "-p", "no:asyncio", "-p", "no:cacheprovider")
"""The inner pytest runs in this process: keep the plugins with session state out of it."""

NEEDS_POSTGRES = """
import pytest

@pytest.mark.postgres
def test_needs_postgres():
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A test folder with this suite's conftest and one test that needs PostgreSQL."""
    monkeypatch.delenv("ANNOTATOR_TEST_POSTGRES_URL", raising=False)
    monkeypatch.delenv("ANNOTATOR_REQUIRE_SERVICES", raising=False)
    pytester.makeconftest(Path(__file__).with_name("conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(NEEDS_POSTGRES)
    return pytester


def test_an_absent_service_skips_with_its_reason(project: pytest.Pytester) -> None:
    result = project.runpytest("-ra", *ISOLATED)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED * PostgreSQL is not available: ANNOTATOR_TEST_POSTGRES_URL is not set*"]
    )


def test_an_absent_service_fails_when_services_are_required(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_REQUIRE_SERVICES", "1")
    result = project.runpytest("-ra", *ISOLATED)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*PostgreSQL is required (ANNOTATOR_REQUIRE_SERVICES=1) but *"])
    assert result.ret != 0


def test_a_present_service_runs_the_test(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANNOTATOR_REQUIRE_SERVICES", "1")
    monkeypatch.setenv("ANNOTATOR_TEST_POSTGRES_URL", "postgresql+psycopg://u@127.0.0.1:9/none")
    project.runpytest("-ra", *ISOLATED).assert_outcomes(passed=1)
