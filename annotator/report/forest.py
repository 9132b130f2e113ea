"""A forest plot as inline SVG: one row per group, its estimate as a square and its 95% interval
as a line with end ticks, on a shared axis with labelled ticks.

Black ink on white, with no meaning carried by colour, so it reads the same on screen, in
print and in greyscale. A group whose interval is undefined gets its square alone and the reason
written beside it; a group whose figure is undefined gets the reason in place of the square.
Every text is XML-escaped; the viewBox lets the chart scale.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

LABEL_W = 190
PLOT_W = 340
TEXT_W = 370
ROW_H = 24
TOP = 34
AXIS_H = 34


@dataclass(frozen=True, slots=True)
class ForestRow:
    """One group: its name, its estimate and interval (None when undefined), the printed
    figure and, for an undefined one, why."""

    label: str
    value: float | None
    low: float | None
    high: float | None
    printed: str


def _t(text: str) -> str:
    return escape(text, quote=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick positions covering [low, high]: steps of 1, 2 or 5 times a power of ten.

    >>> nice_ticks(0.0, 3.7)
    [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count - 1, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 5.0, 10.0) if m * power >= raw)
    first = math.floor(low / step + 1e-9) * step
    ticks = []
    tick = first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 12))
        tick += step
    return ticks


def forest(
    rows: Sequence[ForestRow],
    *,
    title: str,
    percent: bool = False,
    zero: bool = True,
) -> str:
    """The forest plot of ``rows``; ``percent`` labels the axis in percent (values are shares),
    ``zero`` keeps 0 on the axis (rates and shares cannot be negative; a difference can)."""
    ends = [v for r in rows for v in (r.value, r.low, r.high) if v is not None]
    low = min([*ends, 0.0] if zero else ends or [0.0])
    high = max([*ends, 0.0] if zero else ends or [1.0])
    ticks = nice_ticks(low, high)
    lo, hi = ticks[0], ticks[-1]
    span = (hi - lo) or 1.0
    width = LABEL_W + PLOT_W + TEXT_W
    bottom = TOP + ROW_H * len(rows)
    height = bottom + AXIS_H

    def x_of(value: float) -> float:
        return LABEL_W + PLOT_W * (value - lo) / span

    def tick_text(value: float) -> str:
        if percent:
            return f"{100 * value:g}%"
        return f"{value:g}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_t(title)}" '
        'class="chart forest">',
        f'<text x="0" y="16" class="chart-title">{_t(title)}</text>',
    ]
    for tick in ticks:
        x = x_of(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#d1d5db"'
            ' stroke-dasharray="2,3"/>'
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 5}" stroke="#111827"/>'
            f'<text x="{x:.1f}" y="{bottom + 18}" text-anchor="middle">{_t(tick_text(tick))}</text>'
        )
    if lo < 0 < hi:
        x = x_of(0.0)
        out.append(
            f'<line x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#111827"/>'
        )
    out.append(
        f'<line x1="{LABEL_W}" y1="{bottom}" x2="{LABEL_W + PLOT_W}" y2="{bottom}" '
        'stroke="#111827"/>'
    )
    for i, row in enumerate(rows):
        y = TOP + ROW_H * i + ROW_H / 2
        out.append(
            f'<text x="{LABEL_W - 10}" y="{y + 4:.1f}" text-anchor="end">{_t(row.label[:28])}'
            f"<title>{_t(row.label)}</title></text>"
        )
        if row.value is None:
            out.append(
                f'<text x="{LABEL_W + 6}" y="{y + 4:.1f}" class="undef">{_t(row.printed)}</text>'
            )
            continue
        if row.low is not None and row.high is not None:
            x1, x2 = x_of(row.low), x_of(row.high)
            out.append(
                f'<line x1="{x1:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y:.1f}" stroke="#111827"'
                ' stroke-width="1.6"/>'
                f'<line x1="{x1:.1f}" y1="{y - 5:.1f}" x2="{x1:.1f}" y2="{y + 5:.1f}" '
                'stroke="#111827" stroke-width="1.6"/>'
                f'<line x1="{x2:.1f}" y1="{y - 5:.1f}" x2="{x2:.1f}" y2="{y + 5:.1f}" '
                'stroke="#111827" stroke-width="1.6"/>'
            )
        x = x_of(row.value)
        out.append(
            f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="#111827"/>'
        )
        style = "" if row.low is not None else ' class="undef"'
        out.append(
            f'<text x="{LABEL_W + PLOT_W + 12}" y="{y + 4:.1f}"{style}>{_t(row.printed)}</text>'
        )
    out.append("</svg>")
    return "".join(out)
