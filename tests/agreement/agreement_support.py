"""Helpers for the agreement tests: the published test vectors and small data builders.

The vectors live in ``tests/data/agreement_vectors/agreement_vectors.py`` (sources and licence in
the README beside it). A test that needs them fails with a clear message when they are missing.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
VECTORS = DATA / "agreement_vectors" / "agreement_vectors.py"


@functools.cache
def _load() -> ModuleType | None:
    if not VECTORS.is_file():
        return None
    spec = importlib.util.spec_from_file_location("agreement_vectors", VECTORS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vectors() -> ModuleType:
    """The agreement vectors module, or a test failure saying where it was looked for."""
    module = _load()
    if module is None:
        pytest.fail(f"agreement test vectors not found at {VECTORS}; restore them from git")
    return module


def table_to_data(table: list[list[int]]) -> list[list[int]]:
    """Two coders x units data whose contingency table is ``table`` (categories 0..q-1)."""
    a: list[int] = []
    b: list[int] = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return [a, b]
