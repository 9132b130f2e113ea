"""The README's test command is the one CI runs: `.ci/run` holds it word for word, so what a
new user types is what CI proves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quickstart_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[
        readme.index("<!-- quickstart:begin -->") : readme.index("<!-- quickstart:end -->")
    ]
    return re.findall(r"```bash\n(.+?)\n```", block)


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    install_and_demo, install_and_test = quickstart_commands()
    assert install_and_demo.endswith("pip install . && annotator demo")
    assert install_and_test.endswith("&& pytest")
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith(install_and_test + " ") for line in ci_lines)
