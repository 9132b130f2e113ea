"""The HTML report in a real browser: headless Chromium parses it, logs no console message and
takes a screenshot of it. The report carries no script, so any console line is a defect."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from report_support import GENERATED_AT

from annotator.report import ReportOptions, build_report, render_html
from annotator.store.repository import Repository

pytestmark = pytest.mark.chromium

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
)
CONSOLE = re.compile(r"CONSOLE[:(]\d+|Uncaught|Refused to|Failed to load resource")
"""A console message as Chromium logs it on stderr (``INFO:CONSOLE:1] "..."``)."""


def browse(
    chromium: str, page: Path, profile: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture
def page(news_repo: Repository, tmp_path: Path) -> Path:
    html = render_html(
        build_report(news_repo, ReportOptions(bootstrap=100, generated_at=GENERATED_AT))
    )
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_chromium_parses_the_report_without_console_messages(
    chromium: str, page: Path, tmp_path: Path
) -> None:
    result = browse(chromium, page, tmp_path / "profile-dom", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if CONSOLE.search(line)]
    assert console == []
    dom = result.stdout
    assert "<h1>Inter-annotator report</h1>" in dom
    for section in ('id="anatomy"', 'id="documents"', 'id="bias"', 'id="provenance"'):
        assert section in dom
    assert dom.count("<svg") >= 5  # two heatmaps, three bar charts
    # hostile text arrived as text: no element was made of it
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom
    assert "[@click=app.quit]" in dom


def test_chromium_screenshot(chromium: str, page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    result = browse(
        chromium, page, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,2000"
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if CONSOLE.search(line)] == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a rendered page, not a blank one


def test_the_console_check_sees_a_console_error(chromium: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text('<p>x</p><script>console.error("boom")</script>', encoding="utf-8")
    result = browse(chromium, bad, tmp_path / "profile-bad", "--dump-dom")
    assert [line for line in result.stderr.splitlines() if CONSOLE.search(line)] != []
