"""Helpers for the command-line tests: a runner bound to a database file, file digests."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner, Result

from annotator.cli import app


@dataclass
class Cli:
    """Runs ``annotator --db <db> ARGS`` in-process and writes input files."""

    folder: Path
    db: Path

    def __call__(self, *args: str, db: bool = True) -> Result:
        runner = CliRunner()
        prefix = ["--db", str(self.db)] if db else []
        return runner.invoke(app, [*prefix, *args], catch_exceptions=False)

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path


def digest(path: Path) -> str:
    """The sha256 of a file's bytes (and of its WAL, if any), to prove nothing was written."""
    h = hashlib.sha256(path.read_bytes())
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        h.update(wal.read_bytes())
    return h.hexdigest()


def one_error_line(result: Result) -> str:
    """The single ``error:`` line of a failed command (asserting it is exactly one line)."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    assert "Traceback" not in result.output
    return lines[0]
