"""The terminal UI's settings file: theme, key overrides and the animation switch.

Looked up in this order: the ``--config`` option, ``$ANNOTATOR_CONFIG``,
``$XDG_CONFIG_HOME/annotator/config.yaml`` (``~/.config/annotator/config.yaml``). A missing file
means the defaults; a file that cannot be used is reported as one line naming the file and the
key, and the app does not start.

```yaml
theme: textual-light          # any Textual theme name
animations: false             # no animations, no blinking cursors (deterministic screens)
keymap:                       # binding id -> keys, comma separated
  undo: ctrl+z
  tag-labeling: "1,f1"
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

KNOWN_KEYS = ("theme", "keymap", "animations")
DEFAULT_THEME = "textual-dark"


class ConfigError(Exception):
    """The settings file cannot be used; ``str()`` is one line for the user."""


@dataclass(frozen=True, slots=True)
class TuiConfig:
    """Settings of the terminal UI."""

    theme: str = DEFAULT_THEME
    keymap: Mapping[str, str] = field(default_factory=dict)
    animations: bool = True


def default_config_path() -> Path:
    """Where the settings file is looked for when neither an option nor the variable names one."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "annotator" / "config.yaml"


def config_path(explicit: str | Path | None = None) -> Path:
    """The settings file to read: the option, then ``$ANNOTATOR_CONFIG``, then the default."""
    if explicit is not None:
        return Path(explicit)
    env = os.environ.get("ANNOTATOR_CONFIG")
    if env:
        return Path(env)
    return default_config_path()


def load_config(explicit: str | Path | None = None) -> TuiConfig:
    """Read and check the settings file; defaults when the file does not exist.

    An explicitly named file (option or variable) must exist.
    """
    path = config_path(explicit)
    named = explicit is not None or bool(os.environ.get("ANNOTATOR_CONFIG"))
    if not path.exists():
        if named:
            raise ConfigError(f"{path}: no such settings file; create it or drop the option")
        return TuiConfig()
    import yaml  # here: with no settings file, the first frame does not wait for YAML

    try:
        body = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError(f"{where}: not valid YAML; check the indentation and quotes") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_config(body, str(path))


def parse_config(body: object, where: str = "config") -> TuiConfig:
    """Check a loaded YAML body and build the settings from it."""
    if body is None:
        return TuiConfig()
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: expected a mapping with {', '.join(KNOWN_KEYS)}")
    unknown = sorted(str(key) for key in body if key not in KNOWN_KEYS)
    if unknown:
        raise ConfigError(
            f"{where}: unknown setting {unknown[0]!r}; the settings are {', '.join(KNOWN_KEYS)}"
        )
    theme = body.get("theme", DEFAULT_THEME)
    if not isinstance(theme, str) or not theme:
        raise ConfigError(f"{where}: theme must be a theme name such as textual-light")
    animations = body.get("animations", True)
    if not isinstance(animations, bool):
        raise ConfigError(f"{where}: animations must be true or false")
    raw_keymap = body.get("keymap") or {}
    if not isinstance(raw_keymap, dict):
        raise ConfigError(f"{where}: keymap must map binding ids to keys, e.g. `undo: ctrl+z`")
    keymap: dict[str, str] = {}
    for binding_id, keys in raw_keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ConfigError(
                f"{where}: keymap.{binding_id} must be a key or comma-separated keys, e.g. 'f1,1'"
            )
        keymap[str(binding_id)] = ",".join(part.strip() for part in keys.split(","))
    return TuiConfig(theme=theme, keymap=keymap, animations=animations)
