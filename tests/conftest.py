"""Fixtures shared by every test folder, and the rule for tests that need an outside service.

A test that needs Chromium or a PostgreSQL server carries the ``chromium`` or ``postgres``
marker. When the service is absent the test is skipped with the reason (``pytest -ra`` lists
it), so a plain checkout passes; with ``ANNOTATOR_REQUIRE_SERVICES=1`` (as CI sets) it fails
instead, so a broken CI machine cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from annotator.store.repository import Repository

# Tests never assert on wall-clock time, and Hypothesis's per-example deadline is one: on a
# loaded two-core machine it fails tests that are right. Turn it off for every property test.
settings.register_profile("annotator", deadline=None)
settings.load_profile("annotator")

pytest_plugins = ["pytester"]  # test_services.py runs the service rule in a separate pytest

REQUIRE_SERVICES = "ANNOTATOR_REQUIRE_SERVICES"
POSTGRES_URL = "ANNOTATOR_TEST_POSTGRES_URL"


def require_service(name: str, available: bool, reason: str) -> None:
    """Skip the running test when ``name`` is absent, or fail it when services are required."""
    if available:
        return
    if os.environ.get(REQUIRE_SERVICES, "").strip() == "1":
        pytest.fail(f"{name} is required ({REQUIRE_SERVICES}=1) but {reason}", pytrace=False)
    pytest.skip(f"{name} is not available: {reason}")


def chromium_path() -> str | None:
    """Debian's chromium binary, or None when it is not installed."""
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else shutil.which("chromium")


SERVICES: dict[str, tuple[str, Callable[[], bool], str]] = {
    "chromium": (
        "Chromium",
        lambda: chromium_path() is not None,
        "no chromium binary was found; install Debian's: apt-get install chromium",
    ),
    "postgres": (
        "PostgreSQL",
        lambda: bool(os.environ.get(POSTGRES_URL, "").strip()),
        f"{POSTGRES_URL} is not set; `bash .ci/start-postgres` starts a server and prints it",
    ),
}
"""Marker name -> (service, is it available, what is missing and how to provide it)."""


def pytest_configure(config: pytest.Config) -> None:
    for marker, (name, _, _) in SERVICES.items():
        config.addinivalue_line("markers", f"{marker}: the test needs {name} (skips when absent)")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Apply the service rule before any fixture runs, so none touches a missing service."""
    for marker, (name, available, reason) in SERVICES.items():
        if item.get_closest_marker(marker) is not None:
            require_service(name, available(), reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of the chromium binary; tests using it carry ``pytest.mark.chromium``."""
    path = chromium_path()
    require_service("Chromium", path is not None, SERVICES["chromium"][2])
    assert path is not None
    return path


@pytest.fixture
def repo() -> Iterator[Repository]:
    """An empty in-memory store bound to the bundled default scheme (source-bias.yaml)."""
    repository = Repository.in_memory()
    try:
        yield repository
    finally:
        repository.close()
