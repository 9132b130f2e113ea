"""The settings file: defaults, lookup order, and one clear line for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.tui.config import ConfigError, TuiConfig, config_path, load_config, parse_config
from annotator.tui.launch import LaunchError, read_config


def test_missing_default_file_means_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANNOTATOR_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config_path() == tmp_path / "annotator" / "config.yaml"
    assert load_config() == TuiConfig()


def test_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / "env.yaml"
    env.write_text("theme: nord\n", encoding="utf-8")
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text("theme: textual-light\nanimations: false\n", encoding="utf-8")
    monkeypatch.setenv("ANNOTATOR_CONFIG", str(env))
    assert load_config().theme == "nord"
    assert load_config(explicit) == TuiConfig(theme="textual-light", animations=False)


def test_keymap_is_normalised(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("keymap:\n  undo: ctrl+z\n  tag-labeling: ' f1 , 1 '\n", encoding="utf-8")
    assert dict(load_config(path).keymap) == {"undo": "ctrl+z", "tag-labeling": "f1,1"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- a list", "expected a mapping"),
        ("colour: red", "unknown setting 'colour'"),
        ("animations: sometimes", "animations must be true or false"),
        ("keymap: [undo]", "keymap must map binding ids"),
        ("keymap:\n  undo: 3", "keymap.undo must be a key"),
        ("theme: 7", "theme must be a theme name"),
    ],
)
def test_bad_settings_are_one_line(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: nord\nkeymap:\n  undo: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"config.yaml:\d+: not valid YAML"):
        load_config(path)


def test_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such settings file"):
        load_config(tmp_path / "nope.yaml")


def test_unknown_theme_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("theme: no-such-theme\n", encoding="utf-8")
    with pytest.raises(LaunchError, match="unknown theme 'no-such-theme'"):
        read_config(path)


def test_empty_file_means_defaults() -> None:
    assert parse_config(None) == TuiConfig()
