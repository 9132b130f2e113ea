"""Fixtures for the import/export tests: a small scheme built in code, and a file writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.core.scheme import Label, Layer, Scheme


@pytest.fixture
def scheme() -> Scheme:
    """A two-layer scheme (one span layer, one segment layer) independent of the YAML files."""
    return Scheme(
        name="test-scheme",
        version=1,
        layers=(
            Layer(
                name="loaded",
                kind="span",
                labels=(Label("emotive", "1", 0), Label("labeling", "2", 1)),
            ),
            Layer(
                name="statement",
                kind="segment",
                labels=(Label("attributed", "A", 0), Label("editorial", "E", 1)),
            ),
        ),
    )


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write text (UTF-8, newlines as given) or bytes to ``tmp_path/name``; returns the path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return _write
