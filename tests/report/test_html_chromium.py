"""The HTML report in a real browser: headless Chromium parses it, logs no console message,
sorts the reliability table on a click and takes a screenshot of it. The report's one script
(the table sorter) logs nothing and its Content-Security-Policy refuses everything else, so any
console line is a defect."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from html_dom import parse
from report_support import GENERATED_AT

from annotator.report import ReportOptions, build_report, render_html
from annotator.report.model import AnnotatorReliability, Report, SegmentLayerReport
from annotator.report.render_html import sort_script
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
def report(news_repo: Repository) -> Report:
    return build_report(news_repo, ReportOptions(bootstrap=100, generated_at=GENERATED_AT))


@pytest.fixture
def page(report: Report, tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
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
    # hostile text arrived as text: no element was made of it; the one script is the sorter
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert dom.count("<script") == 1
    assert "[@click=app.quit]" in dom
    # the sorter ran under the page's policy: every reliability header became a button, and
    # the hint that says so shows
    assert "hidden" not in parse(dom).find("span", "sort-hint").attrs
    headers = parse(dom).find("table", "reliability").rows()[0]
    assert [h.find("button", "sort").text() for h in headers] == [
        "annotator",
        "units",
        "competence",
        "agrees with estimate",
    ]


CLICKS = """(function () {
  var table = document.querySelector("table.reliability");
  var buttons = table.tHead.querySelectorAll("button.sort");
  var out = [];
  function order() {
    return Array.prototype.map.call(table.tBodies[0].rows, function (row) {
      return row.cells[0].textContent;
    }).join(" ");
  }
  function sorted() {
    return Array.prototype.map.call(table.tHead.rows[0].cells, function (th) {
      return th.getAttribute("aria-sort") || "-";
    }).join(" ");
  }
  out.push(order());
  [0, 0, 1, 2, 2, 3].forEach(function (at) {
    buttons[at].click();
    out.push(order() + " | " + sorted());
  });
  var probe = document.querySelector("table.probe");
  function ids() {
    return Array.prototype.map.call(probe.tBodies[0].rows, function (r) { return r.id; });
  }
  probe.tHead.querySelector("button.sort").click();
  out.push(ids().join(" "));
  probe.tHead.querySelector("button.sort").click();
  out.push(ids().join(" "));
  var pre = document.createElement("pre");
  pre.id = "clicked";
  pre.textContent = out.join("\\n");
  document.body.appendChild(pre);
}());
"""
PROBE = (
    '<table class="sortable probe"><thead><tr><th>x</th></tr></thead><tbody>'
    '<tr id="undefined"><td data-sort="">undefined (labelled nothing)</td></tr>'
    '<tr id="ten"><td data-sort="10">10</td></tr>'
    '<tr id="nine"><td data-sort="9">9</td></tr>'
    '<tr id="minus"><td data-sort="-0.5">-0.5</td></tr>'
    "</tbody></table>"
)
"""A table with an undefined figure, numbers that sort wrong as text, and a negative one."""


def test_clicking_a_header_sorts_the_reliability_table(
    chromium: str, report: Report, tmp_path: Path
) -> None:
    html = render_html(report)
    digest = base64.b64encode(hashlib.sha256(CLICKS.encode()).digest()).decode()
    _, ours = sort_script()
    assert html.count(ours) == 1
    # the same page, the clicks added after the sorter and allowed by their own hash
    html = html.replace(ours, f"{ours} 'sha256-{digest}'")
    html = html.replace("<body>", f"<body>{PROBE}", 1)
    html = html.replace("</body>", f"<script>{CLICKS}</script></body>", 1)
    path = tmp_path / "clicks.html"
    path.write_text(html, encoding="utf-8")
    result = browse(chromium, path, tmp_path / "profile-clicks", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert [line for line in result.stderr.splitlines() if CONSOLE.search(line)] == []
    lines = parse(result.stdout).by_id("clicked").children[0]
    assert isinstance(lines, str)
    layer = next(lay for lay in report.layers if isinstance(lay, SegmentLayerReport))
    rows = layer.reliability

    def by(key: Callable[[AnnotatorReliability], Any], reverse: bool = False) -> str:
        return " ".join(r.annotator for r in sorted(rows, key=key, reverse=reverse))

    def competence(r: AnnotatorReliability) -> float | None:
        return r.competence.value

    def agrees(r: AnnotatorReliability) -> float | None:
        return r.agrees_with_estimate.value

    assert lines.split("\n") == [
        " ".join(r.annotator for r in rows),  # as written: most competent first
        f"{by(lambda r: r.annotator)} | ascending - - -",
        f"{by(lambda r: r.annotator, True)} | descending - - -",
        f"{by(lambda r: r.units)} | - ascending - -",
        f"{by(competence)} | - - ascending -",
        f"{by(competence, True)} | - - descending -",
        f"{by(agrees)} | - - - ascending",
        "minus nine ten undefined",  # by number, not as text; undefined last
        "ten nine minus undefined",  # and undefined still last the other way
    ]


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


def test_the_policy_refuses_a_script_it_does_not_name(
    chromium: str, report: Report, tmp_path: Path
) -> None:
    # were markup ever to slip past the escaping, the page's policy would not run it
    html = render_html(report).replace(
        "<body>", '<body><script>document.title = "ran"; console.log("ran")</script>', 1
    )
    path = tmp_path / "injected.html"
    path.write_text(html, encoding="utf-8")
    result = browse(chromium, path, tmp_path / "profile-injected", "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    refused = [line for line in result.stderr.splitlines() if CONSOLE.search(line)]
    assert len(refused) == 1 and "Content Security Policy" in refused[0], refused
    assert "<title>ran</title>" not in result.stdout
    assert parse(result.stdout).find("table", "reliability").find_all("button", "sort")
