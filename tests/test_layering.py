"""The layering rule of DESIGN.md: core/ and agreement/ know no database and no UI.

import-linter checks the contracts in pyproject.toml statically; this test also imports the pure
layers in a fresh interpreter and checks that neither SQLAlchemy nor Textual was loaded, which
catches an indirect import the static check could miss.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
DATABASE_OR_UI = "{'sqlalchemy', 'alembic', 'textual'}"


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [LINT_IMPORTS, "--config", str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pure_layers_load_no_database_or_ui() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import annotator.core, annotator.agreement\n"
        "for pkg in (annotator.core, annotator.agreement):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {DATABASE_OR_UI})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"pure layers imported: {result.stdout.strip()}"
