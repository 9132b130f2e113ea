"""Inline SVG charts for the HTML report: a pairwise heatmap and horizontal bars.

Plain SVG strings, sized by a viewBox so they scale on screen and print crisply; every text
in them is XML-escaped. No script, no external font or stylesheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

CELL = 64
LABEL_W = 150
BAR_W = 320
ROW_H = 22


def _t(text: str) -> str:
    return escape(text, quote=True)


def _blue(value: float, low: float, high: float) -> str:
    """A light-to-dark blue for ``value`` in [low, high] (readable in greyscale too)."""
    share = 0.0 if high == low else min(max((value - low) / (high - low), 0.0), 1.0)
    light, dark = (239, 246, 255), (29, 78, 216)
    r, g, b = (round(light[i] + (dark[i] - light[i]) * share) for i in range(3))
    return f"rgb({r},{g},{b})"


def heatmap(
    names: Sequence[str],
    values: dict[tuple[str, str], float | None],
    *,
    title: str,
    low: float = 0.0,
    high: float = 1.0,
) -> str:
    """A square matrix of pairwise figures; ``values`` holds both (a, b) and (b, a)."""
    n = len(names)
    width = LABEL_W + CELL * n + 10
    height = 30 + LABEL_W // 2 + CELL * n + 10
    top = 30 + LABEL_W // 2
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_t(title)}" class="chart">',
        f'<text x="0" y="16" class="chart-title">{_t(title)}</text>',
    ]
    for j, name in enumerate(names):
        x = LABEL_W + CELL * j + CELL / 2
        out.append(f'<text x="{x}" y="{top - 8}" text-anchor="middle">{_t(name[:12])}</text>')
    for i, a in enumerate(names):
        y = top + CELL * i
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + CELL / 2 + 4}" text-anchor="end">{_t(a[:16])}</text>'
        )
        for j, b in enumerate(names):
            x = LABEL_W + CELL * j
            if i == j:
                fill, label, ink = "#e5e7eb", "—", "#111827"
            else:
                value = values.get((a, b))
                if value is None:
                    fill, label, ink = "#f3f4f6", "n/a", "#6b7280"
                else:
                    fill = _blue(value, low, high)
                    label = f"{value:.2f}"
                    ink = "#ffffff" if (value - low) / ((high - low) or 1) > 0.55 else "#111827"
            out.append(
                f'<rect x="{x}" y="{y}" width="{CELL - 2}" height="{CELL - 2}" fill="{fill}"/>'
                f'<text x="{x + CELL / 2 - 1}" y="{y + CELL / 2 + 4}" text-anchor="middle" '
                f'fill="{ink}">{_t(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)


def bars(
    items: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    low: float = -1.0,
    high: float = 1.0,
) -> str:
    """Horizontal bars ``(label, value or None, printed value)`` on a [low, high] axis with a
    line at zero; an undefined value is written out instead of drawn."""
    width = LABEL_W + BAR_W + 140
    height = 30 + ROW_H * len(items) + 24
    span = (high - low) or 1.0

    def x_of(value: float) -> float:
        return LABEL_W + BAR_W * (min(max(value, low), high) - low) / span

    zero = x_of(0.0) if low < 0 < high else x_of(low)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_t(title)}" class="chart">',
        f'<text x="0" y="16" class="chart-title">{_t(title)}</text>',
    ]
    for i, (label, value, printed) in enumerate(items):
        y = 30 + ROW_H * i
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + 15}" text-anchor="end">{_t(label[:18])}</text>'
        )
        if value is None:
            out.append(f'<text x="{zero + 4}" y="{y + 15}" class="undef">{_t(printed)}</text>')
            continue
        x1, x2 = sorted((zero, x_of(value)))
        fill = "#1d4ed8" if value >= 0 else "#b91c1c"
        out.append(
            f'<rect x="{x1:.1f}" y="{y + 3}" width="{max(x2 - x1, 1):.1f}" height="{ROW_H - 6}" '
            f'fill="{fill}"/>'
            f'<text x="{LABEL_W + BAR_W + 8}" y="{y + 15}">{_t(printed)}</text>'
        )
    axis_y = 30 + ROW_H * len(items)
    out.append(
        f'<line x1="{zero:.1f}" y1="26" x2="{zero:.1f}" y2="{axis_y}" stroke="#374151"/>'
        f'<line x1="{LABEL_W}" y1="{axis_y}" x2="{LABEL_W + BAR_W}" y2="{axis_y}" '
        f'stroke="#9ca3af"/>'
        f'<text x="{LABEL_W}" y="{axis_y + 16}" text-anchor="middle">{low:g}</text>'
        f'<text x="{LABEL_W + BAR_W}" y="{axis_y + 16}" text-anchor="middle">{high:g}</text>'
    )
    if low < 0 < high:
        out.append(f'<text x="{zero:.1f}" y="{axis_y + 16}" text-anchor="middle">0</text>')
    out.append("</svg>")
    return "".join(out)
