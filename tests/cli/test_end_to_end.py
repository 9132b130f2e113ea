"""The installed ``annotator`` program in a real process: import, export, round trip, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "annotator"


def run(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "annotator.cli"]
    environment = {k: v for k, v in os.environ.items() if k != "ANNOTATOR_DB"}
    environment.update(env or {})
    return subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, env=environment, timeout=120
    )


def test_import_export_round_trip_in_a_c_locale(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Title [bold]x[/bold]\n\nThe minister slammed critics 😀. Cafe\u0301 [/] closed.\n",
        encoding="utf-8",
    )
    first = run("--db", "one.db", "import", "in", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    added = run(
        "--db", "one.db", "annotations", "add", "--as", "ann", "--doc", "a", "--layer", "loaded",
        "--label", "emotive", "--start", "13", "--end", "20", cwd=tmp_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    c_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    exported = run("--db", "one.db", "export", cwd=tmp_path, env=c_locale)
    assert exported.returncode == 0, exported.stderr
    record = json.loads(exported.stdout.decode("utf-8"))
    assert record["text"] == "The minister slammed critics 😀. Café [/] closed.\n"
    assert record["annotations"][0]["text"] == "slammed"
    (tmp_path / "once.jsonl").write_bytes(exported.stdout)
    second = run("--db", "two.db", "import", "once.jsonl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    again = run("--db", "two.db", "export", "-o", "twice.jsonl", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "twice.jsonl").read_bytes() == exported.stdout


def test_a_bad_file_is_one_line_and_exit_2_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text(
        json.dumps({"id": "d", "text": "He slammed it."})
        + "\n"
        + json.dumps(
            {
                "text": "He slammed it again.",
                "annotations": [
                    {"annotator": "a", "layer": "loaded", "label": "emotive", "start": 3,
                     "end": 10, "text": "slamed"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = run("import", "x.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == (
        "error: x.jsonl:2: annotation 1: span text 'slamed' != text[3:10] 'slammed'; "
        "fix the offsets or the text\n"
    )
    assert not (tmp_path / "annotations.db").exists()
