"""``annotator demo`` with plain arguments runs without the command line being built.

What the shortcut accepts is checked against Click's own reading of the same arguments (the
``demo`` command Typer builds), and what it does against the Typer command: the same app, the
same one-line errors, the same exit codes. Anything the shortcut does not accept goes to Typer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from annotator.cli import app as cli_app
from annotator.cli import main
from annotator.cli.shortcut import demo_arguments
from annotator.tui.app import AnnotatorApp

PLAIN = [
    ["demo"],
    ["demo", "--fresh"],
    ["demo", "--config", "settings.yaml"],
    ["demo", "--config=settings.yaml"],
    ["demo", "--fresh", "--config", "my settings.yaml"],
    ["demo", "--config", "settings.yaml", "--fresh"],
]

LEFT_TO_TYPER = [
    [],
    ["info"],
    ["--db", "team.db", "demo"],
    ["demo", "--help"],
    ["demo", "--fresh", "--help"],
    ["demo", "--config"],
    ["demo", "--config", ""],
    ["demo", "--config="],
    ["demo", "--config", "--fresh"],
    ["demo", "--config", "a.yaml", "--config", "b.yaml"],
    ["demo", "--fresh", "--fresh"],
    ["demo", "--no-fresh"],
    ["demo", "--frsh"],
    ["demo", "extra"],
    ["demo", "-h"],
]


def click_reading(args: list[str]) -> tuple[Path | None, bool]:
    """What the ``demo`` command Typer builds makes of ``args`` (after the command name);
    Typer hands the command a ``Path`` for the string Click read."""
    group = typer.main.get_command(cli_app)
    command = group.get_command(group.make_context("annotator", ["demo"]), "demo")  # type: ignore[attr-defined]
    params = command.make_context("demo", list(args)).params
    config = params["config"]
    return None if config is None else Path(config), params["fresh"]


@pytest.mark.parametrize("args", PLAIN, ids=" ".join)
def test_plain_demo_arguments_read_as_click_reads_them(args: list[str]) -> None:
    assert demo_arguments(args) == click_reading(args[1:])


@pytest.mark.parametrize("args", LEFT_TO_TYPER, ids=" ".join)
def test_other_arguments_are_left_to_the_command_line(args: list[str]) -> None:
    assert demo_arguments(args) is None


def test_a_shell_asking_for_completions_is_left_to_the_command_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("_ANNOTATOR_COMPLETE", "bash_complete")
    assert demo_arguments(["demo"]) is None


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[dict[str, Any]]:
    """``AnnotatorApp.run`` replaced by a recorder; a temporary folder with no settings."""
    seen: list[dict[str, Any]] = []

    def run(self: AnnotatorApp, *args: Any, **kwargs: Any) -> None:
        seen.append(
            {
                "reviewer": self.session.reviewer,
                "theme": self.session.config.theme,
                "documents": len(self.session.repo.documents()),
            }
        )

    monkeypatch.setattr(AnnotatorApp, "run", run)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ANNOTATOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    return seen


def exit_code(args: list[str]) -> object:
    with pytest.raises(SystemExit) as exit:
        main(args)
    return exit.value.code


def test_the_shortcut_runs_the_same_app_as_the_command(
    runs: list[dict[str, Any]], tmp_path: Path
) -> None:
    (tmp_path / "light.yaml").write_text("theme: textual-light\n", encoding="utf-8")
    assert exit_code(["demo", "--config", "light.yaml"]) == 0  # builds demo.db
    assert exit_code(["demo", "--config=light.yaml"]) == 0  # opens it after the first paint
    result = CliRunner().invoke(cli_app, ["demo", "--config", "light.yaml"])
    assert result.exit_code == 0, result.output
    assert len(runs) == 3 and runs[0]["documents"] > 0
    expected = {"reviewer": "you", "theme": "textual-light", "documents": runs[0]["documents"]}
    assert runs == [expected, expected, expected]


@pytest.mark.parametrize(
    "settings",
    [None, "theme: no-such-theme\n", "keymap: [not, a, mapping]\n", "theme: [\n"],
    ids=["missing", "unknown theme", "bad keymap", "not YAML"],
)
def test_the_shortcut_gives_the_commands_one_line_errors(
    runs: list[dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    settings: str | None,
) -> None:
    if settings is not None:
        (tmp_path / "settings.yaml").write_text(settings, encoding="utf-8")
    assert exit_code(["demo", "--config", "settings.yaml"]) == 2
    shortcut = capsys.readouterr()
    result = CliRunner().invoke(cli_app, ["demo", "--config", "settings.yaml"])
    assert result.exit_code == 2
    assert shortcut.err == result.stderr
    assert shortcut.err.startswith("error: settings.yaml") and shortcut.err.count("\n") == 1
    assert shortcut.out == ""
    assert runs == []
    assert not (tmp_path / "demo.db").exists()


def test_a_broken_demo_database_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    (tmp_path / "demo.db").write_bytes(b"not a database, not even close" * 100)

    def run_headless(self: AnnotatorApp, *args: object, **kwargs: object) -> None:
        from textual.app import App

        App.run(self, headless=True, size=(100, 30))

    monkeypatch.setattr(AnnotatorApp, "run", run_headless)
    assert exit_code(["demo"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot open demo.db: file is not a database")
    assert err.count("\n") == 1
