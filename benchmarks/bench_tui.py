"""The article view against Textual's read-only ``TextArea``: time to open, time per frame.

Both widgets show the same generated article (1 MB and 10 MB of prose in paragraphs, with
curly quotes, accented letters and the odd wide character), soft-wrapped, headless at 120x40.
Ours also carries 5,000 coloured spans and a statement mark on every third sentence.

- *open*: mount the widget and load the text (and the marks), until the last visible row of
  the first screen has been rendered; *open until idle* waits on until the app is idle (for
  us that includes wrapping the rest of the text in the background).
- *cursor frame*: move the cursor one word, then render every visible row (rows whose look did
  not change come from each widget's line cache). Median of 200 moves (fewer when they take
  more than 10 s for us, 20 s for the TextArea).
- *sentence frame* (ours only): move to the next sentence, which repaints two sentences and
  scrolls now and then.
- *span frame* (ours only): ``set_marks`` with a freshly built list of all the spans plus one
  new span on screen, in the store's order (by position), as a screen does after a write; then
  render every visible row. Median of 50.
- *key to idle*: ``pilot.press`` of the word-motion key (``w`` for us, ``ctrl+right`` for the
  TextArea) until the app is idle again, compositor included; the same for a key bound to
  nothing shows what the test harness itself costs.

Our view wraps the first screen before painting and the rest of the text between frames; the
last line says how long wrapping the whole text takes.

Usage: ``python benchmarks/bench_tui.py [MEGABYTES ...]`` (default: 1 10).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import time

from textual.app import App, ComposeResult
from textual.containers import Container
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import TextArea

from annotator.core import navigation as nav
from annotator.tui.widgets.document_view import GUTTER_WIDTH, DocumentView, GutterMark, SpanMark
from annotator.tui.widgets.wrap import WrapMap

SIZE = (120, 40)
SPANS = 5_000

VOCABULARY = (
    "the minister said officials were reviewing policy after critics slammed plan "
    "regime illegals soared crisis report card claimed admitted reportedly according "
    "to sources spokesperson government opposition protesters police council budget "
    "economy inflation rose fell sharply percent year week analysts expected café "
    "naïve résumé “unprecedented” ‘so-called’ well-known don't it's — Zürich 東京"
)
WORDS = VOCABULARY.split()


def article(megabytes: float, seed: int = 11) -> tuple[str, list[tuple[int, int]]]:
    """Prose of about ``megabytes`` million characters and its sentence segments."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    parts: list[str] = []
    segments: list[tuple[int, int]] = []
    length = 0
    while length < target:
        if parts:
            parts.append("\n\n")
            length += 2
        for index in range(rng.randint(2, 6)):
            if index:
                parts.append(" ")
                length += 1
            words = [rng.choice(WORDS) for _ in range(rng.randint(6, 32))]
            sentence = " ".join(words).capitalize() + "."
            segments.append((length, length + len(sentence)))
            parts.append(sentence)
            length += len(sentence)
    return "".join(parts), segments


def marks(
    text: str, segments: list[tuple[int, int]], seed: int = 5
) -> tuple[list[SpanMark], dict[int, GutterMark]]:
    """5,000 word-aligned spans of one to four words, and a mark on every third sentence."""
    rng = random.Random(seed)
    spans: list[SpanMark] = []
    for span_id in range(SPANS):
        start = nav.next_word(text, rng.randrange(len(text)))
        end = start
        for _ in range(rng.randint(1, 4)):
            found = nav.word_at(text, nav.cluster_start(text, max(end, start)))
            end = found[1] if found else end + 1
            end = nav.next_word(text, end) if rng.random() < 0.5 else end
        spans.append(SpanMark(span_id, start, max(end, start + 1), "loaded", span_id % 8))
    gutter = {i: GutterMark("AVRE"[i % 4], i % 8, "statement") for i in range(0, len(segments), 3)}
    return spans, gutter


class Host(App[None]):
    """An empty screen; each measurement mounts its widget into it."""

    def compose(self) -> ComposeResult:
        yield Container(id="stage")


class FirstPaint:
    """Notes when a widget's whole first screen has been rendered after ``arm()``."""

    def __init__(self) -> None:
        self.armed = False
        self.at: float | None = None

    def arm(self) -> None:
        self.armed = True

    def saw(self, widget: DocumentView | TextArea, y: int) -> None:
        if self.armed and self.at is None and y == widget.scrollable_content_region.height - 1:
            self.at = time.perf_counter()

    async def wait(self) -> float:
        while self.at is None:
            await asyncio.sleep(0.0005)
        return self.at


class TimedView(DocumentView):
    def __init__(self) -> None:
        super().__init__()
        self.first_paint = FirstPaint()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        self.first_paint.saw(self, y)
        return strip


class TimedTextArea(TextArea):
    def __init__(self, text: str) -> None:
        super().__init__(text, read_only=True, soft_wrap=True)
        self.first_paint = FirstPaint()
        self.first_paint.arm()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        self.first_paint.saw(self, y)
        return strip


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def render_visible(widget: DocumentView | TextArea) -> None:
    for y in range(widget.scrollable_content_region.height):
        widget.render_line(y)


def enough(samples: list[float], wanted: int, budget: float) -> bool:
    """Stop at ``wanted`` samples, or after ``budget`` seconds with at least five."""
    return len(samples) >= wanted or (len(samples) >= 5 and sum(samples) > budget)


async def time_ours(text: str, segments: list[tuple[int, int]]) -> dict[str, float]:
    spans, gutter = marks(text, segments)
    results: dict[str, float] = {}
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        stage = app.query_one("#stage")
        start = time.perf_counter()
        view = TimedView()
        await stage.mount(view)
        view.set_document(text, segments)
        view.set_marks(spans, gutter)
        view.first_paint.arm()
        view.focus()
        results["open"] = await view.first_paint.wait() - start
        wrap = view.wrap_map
        assert wrap is not None
        results["wrapped_at_open"] = wrap.row_count
        await pilot.pause()
        results["idle"] = time.perf_counter() - start

        samples: list[float] = []
        while not enough(samples, 200, 10):
            begin = time.perf_counter()
            view.move_cursor(nav.next_word(text, view.cursor))
            render_visible(view)
            samples.append(time.perf_counter() - begin)
        results["cursor"] = median_ms(samples)

        samples = []
        while not enough(samples, 200, 10):
            begin = time.perf_counter()
            view.move_cursor(nav.next_segment(segments, view.cursor))
            render_visible(view)
            samples.append(time.perf_counter() - begin)
            await pilot.pause()
        results["sentence"] = median_ms(samples)

        samples = []
        current = list(spans)
        for number in range(50):
            view.move_cursor(nav.next_word(text, view.cursor))
            word = nav.word_at(text, view.cursor) or (view.cursor, view.cursor + 1)
            # A fresh list of fresh SpanMarks in the store's order (by position), as a screen
            # rebuilds them after each write.
            current.append(SpanMark(SPANS + number, word[0], word[1], "loaded", number % 8))
            current.sort(key=lambda s: (s.start, s.end, s.id))
            current = [SpanMark(s.id, s.start, s.end, s.label, s.color) for s in current]
            await pilot.pause()
            begin = time.perf_counter()
            view.set_marks(current, gutter)
            render_visible(view)
            samples.append(time.perf_counter() - begin)
        results["span"] = median_ms(samples)

        results["key"] = await key_to_idle(pilot, "w")
        results["baseline"] = await key_to_idle(pilot, "f12")  # bound to nothing

    begin = time.perf_counter()
    WrapMap(text, SIZE[0] - 2 - GUTTER_WIDTH - 1).finish()
    results["full_wrap"] = time.perf_counter() - begin
    return results


async def time_text_area(text: str) -> dict[str, float]:
    results: dict[str, float] = {}
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        stage = app.query_one("#stage")
        start = time.perf_counter()
        area = TimedTextArea(text)
        area.cursor_blink = False
        await stage.mount(area)
        area.focus()
        results["open"] = await area.first_paint.wait() - start
        await pilot.pause()
        results["idle"] = time.perf_counter() - start

        samples: list[float] = []
        while not enough(samples, 200, 20):
            begin = time.perf_counter()
            area.action_cursor_word_right()
            render_visible(area)
            samples.append(time.perf_counter() - begin)
        results["cursor"] = median_ms(samples)
        results["key"] = await key_to_idle(pilot, "ctrl+right")
        results["baseline"] = await key_to_idle(pilot, "f12")
    return results


async def key_to_idle(pilot: Pilot[None], key: str) -> float:
    samples: list[float] = []
    while not enough(samples, 50, 20):
        begin = time.perf_counter()
        await pilot.press(key)
        samples.append(time.perf_counter() - begin)
    return median_ms(samples)


def row(name: str, ours: float, peer: float | None, unit: str, target: str) -> str:
    peer_text = f"{peer:10.3f}" if peer is not None else f"{'-':>10}"
    ratio = f"{ours / peer:7.3f}x" if peer else f"{'-':>8}"
    return f"{name:<26}{ours:10.3f}{peer_text}{ratio}  {unit:<3} {target}"


async def run(sizes: list[float]) -> None:
    print(f"terminal {SIZE[0]}x{SIZE[1]}, {SPANS} spans on our side; medians for frames")
    for megabytes in sizes:
        text, segments = article(megabytes)
        ours = await time_ours(text, segments)
        peer = await time_text_area(text)
        open_target = "< 0.5 s and <= 0.5x" if megabytes <= 1 else "<= 0.2x"
        print()
        print(f"{megabytes:g} MB article: {len(text):,} characters, {len(segments):,} sentences")
        print(f"{'':<26}{'ours':>10}{'TextArea':>10}{'ratio':>8}")
        print(row("open (first paint)", ours["open"], peer["open"], "s", open_target))
        print(row("  open until idle", ours["idle"], peer["idle"], "s", ""))
        print(row("cursor move frame", ours["cursor"], peer["cursor"], "ms", "< 5 ms"))
        print(row("sentence move frame", ours["sentence"], None, "ms", "< 5 ms"))
        print(row("add span frame", ours["span"], None, "ms", "< 5 ms"))
        print(row("key press to idle", ours["key"], peer["key"], "ms", ""))
        print(row("  unbound key to idle", ours["baseline"], peer["baseline"], "ms", "harness"))
        print(
            f"rows wrapped at the first paint: {int(ours['wrapped_at_open']):,}; "
            f"wrapping the whole text at once takes {ours['full_wrap']:.3f} s"
        )


def main(argv: list[str]) -> None:
    sizes = [float(arg) for arg in argv] or [1.0, 10.0]
    asyncio.run(run(sizes))


if __name__ == "__main__":
    main(sys.argv[1:])
