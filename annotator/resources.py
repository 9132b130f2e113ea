"""Where the bundled schemes and migrations are, installed or in a source checkout.

A wheel carries ``schemas/`` and ``db/`` inside the package as ``annotator/_schemas`` and
``annotator/_db``; a source checkout (or an editable install) has them beside the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(installed: str, source: str) -> Path:
    inside = _PACKAGE / installed
    if inside.is_dir():
        return inside
    beside = _PACKAGE.parent / source
    if beside.is_dir():
        return beside
    raise FileNotFoundError(
        f"annotator is installed without its {source}/ folder (looked in {inside} and {beside});"
        " reinstall it with `pip install .`"
    )


def schemas_dir() -> Path:
    """The folder of bundled annotation schemes and JSON Schemas."""
    return _bundled("_schemas", "schemas")


def migrations_dir() -> Path:
    """The Alembic script folder (``env.py`` and ``versions/``)."""
    return _bundled("_db", "db")


def default_scheme_path() -> Path:
    """The default annotation scheme, ``source-bias.yaml``."""
    return schemas_dir() / "source-bias.yaml"


def examples_dir() -> Path:
    """The bundled sample articles and ``reviews.jsonl`` (used by ``annotator demo``)."""
    return _bundled("_examples", "examples")
