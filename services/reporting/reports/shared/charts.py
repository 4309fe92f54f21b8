"""Charts drawn on the server as inline SVG, for pages that must work without script and on
paper.

Pure: plain values in, markup out. Every chart says what it shows twice: as a picture and as
text (a <title> and a <desc> the SVG is labelled by, for screen readers and for anyone the
picture fails). Series differ by dash style and marker shape as well as by shade of grey, so
a black-and-white printout keeps them apart.

Values are scaled with Decimal; only the final coordinate is rounded to a tenth of a pixel.
The numbers printed on a chart come from the caller's own formatter, so they read exactly as
the tables next to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from markupsafe import Markup, escape

TENTH = Decimal("0.1")
# A round step is one of these times a power of ten.
ROUND_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
NO_VALUES = "Inga värden att visa."

WIDTH = 640
FONT_SIZE = 11
LEGEND_ROW = 18
LEGEND_COLUMN = 210


@dataclass(frozen=True)
class Axis:
    """How a value axis writes its numbers and how it chooses its range."""

    label: str  # what the numbers are: "tkr", "Andel i procent"
    text: Callable[[Decimal], str]  # a value as the page prints it
    smallest_step: Decimal | None = None  # so that no two ticks print alike, e.g. 1 000 kr
    include_zero: bool = True


@dataclass(frozen=True)
class Series:
    """A line through the values given, one per category; None where there is none."""

    name: str
    values: Sequence[Decimal | None]  # may stop before the last category
    # A point the line is drawn from that is another series' value, e.g. a forecast going on
    # from the last actuals: (category index, value). It is neither marked nor described.
    starts_at: tuple[int, Decimal] | None = None


@dataclass(frozen=True)
class Reference:
    """A level drawn across the whole chart: a baseline, a target."""

    name: str
    value: Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal


@dataclass(frozen=True)
class _LineStyle:
    stroke: str
    width: str
    dash: str | None
    marker: str  # circle, square, triangle or diamond


SERIES_STYLES = (
    _LineStyle("#000", "2.5", None, "circle"),
    _LineStyle("#555", "1.5", "7 4", "square"),
    _LineStyle("#222", "1.5", "2 3", "triangle"),
    _LineStyle("#777", "1.5", "9 3 2 3", "diamond"),
)
REFERENCE_DASHES = ("12 4", "4 4", "1 3")


# --- scale ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """A value range with round ends and the round step between its ticks."""

    low: Decimal
    high: Decimal
    step: Decimal

    @property
    def ticks(self) -> tuple[Decimal, ...]:
        count = int((self.high - self.low) / self.step)
        return tuple(self.low + self.step * i for i in range(count + 1))

    def fraction(self, value: Decimal) -> Decimal:
        """Where ``value`` lies from ``low`` (0) to ``high`` (1)."""
        with localcontext() as context:
            context.prec = 60
            return (value - self.low) / (self.high - self.low)


def _round_step(rough: Decimal) -> Decimal:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) at least ``rough``."""
    power = Decimal(1).scaleb(rough.adjusted())
    for multiple in ROUND_STEPS:
        if multiple * power >= rough:
            return multiple * power
    return ROUND_STEPS[-1] * power  # unreachable: rough < 10 × power


def scale_of(values: Sequence[Decimal], axis: Axis, ticks: int = 5) -> Scale:
    """A range covering ``values`` (and zero, where the axis includes it), split in about
    ``ticks`` round steps; never empty, so nothing divides by zero."""
    with localcontext() as context:
        context.prec = 60
        low = min(values, default=Decimal(0))
        high = max(values, default=Decimal(0))
        if axis.include_zero:
            low, high = min(low, Decimal(0)), max(high, Decimal(0))
        span = high - low
        if span == 0:
            # A flat line: room of its own size, or of 1 at zero.
            span = abs(high) or Decimal(1)
        step = _round_step(span / ticks)
        if axis.smallest_step is not None:
            step = max(step, axis.smallest_step)
        bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
        top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
        if bottom == top:
            if axis.include_zero and bottom == 0:
                top = step
            else:
                bottom, top = bottom - step, top + step
        return Scale(bottom + 0, top + 0, step)  # + 0 makes a -0 plain 0


# --- markup pieces --------------------------------------------------------------------------


def _px(value: Decimal | int) -> Decimal:
    """A coordinate rounded to a tenth of a pixel."""
    return Decimal(value).quantize(TENTH, rounding=ROUND_HALF_UP) + 0


def _n(value: Decimal | int) -> str:
    """A coordinate as SVG writes it."""
    return format(_px(value), "f")


def _ident(ident: str) -> str:
    # The id ends up in attributes and references; keep it to characters ids may hold.
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", ident)
    return cleaned if cleaned[:1].isalpha() else f"diagram-{cleaned}"


def _svg_open(ident: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{ident}"'
        f' viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"'
        f' role="img" aria-labelledby="{ident}-titel {ident}-beskrivning"'
        f' font-family="system-ui, Arial, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="{ident}-titel">{escape(title)}</title>',
        f'<desc id="{ident}-beskrivning">{escape(desc)}</desc>',
    ]


def _text(
    x: Decimal | int, y: Decimal | int, content: str, anchor: str = "start", **extra: str
) -> str:
    attributes = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(value)}"' for name, value in extra.items()
    )
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{attributes}>{escape(content)}</text>'
    )


def _marker(shape: str, x: Decimal, y: Decimal, colour: str, value: Decimal | None = None) -> str:
    data = "" if value is None else f' data-value="{escape(format(value, "f"))}"'
    common = f' class="point" fill="{colour}" stroke="{colour}"{data}'
    if shape == "square":
        return f'<rect x="{_n(x - 3)}" y="{_n(y - 3)}" width="6" height="6"{common}/>'
    if shape == "triangle":
        points = f"{_n(x)},{_n(y - 4)} {_n(x + 4)},{_n(y + 3)} {_n(x - 4)},{_n(y + 3)}"
        return f'<polygon points="{points}"{common}/>'
    if shape == "diamond":
        points = f"{_n(x)},{_n(y - 4)} {_n(x + 4)},{_n(y)} {_n(x)},{_n(y + 4)} {_n(x - 4)},{_n(y)}"
        return f'<polygon points="{points}"{common}/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5"{common}/>'


def _dash(dash: str | None) -> str:
    return "" if dash is None else f' stroke-dasharray="{dash}"'


def _legend(entries: Sequence[tuple[str, str]], top: int) -> tuple[list[str], int]:
    """Legend rows under the chart, three entries a row; each entry is (sample markup, name).
    Returns the markup and the height it takes."""
    parts: list[str] = []
    per_row = WIDTH // LEGEND_COLUMN
    for position, (sample, name) in enumerate(entries):
        x = 10 + (position % per_row) * LEGEND_COLUMN
        y = top + (position // per_row) * LEGEND_ROW
        parts.append(f'<g class="legend" transform="translate({x},{y})">{sample}')
        parts.append(_text(34, 4, name) + "</g>")
    rows = (len(entries) + per_row - 1) // per_row
    return parts, rows * LEGEND_ROW


def _short(label: str, length: int) -> str:
    return label if len(label) <= length else label[: length - 1] + "…"


def _empty_chart(ident: str, title: str, summary: str) -> Markup:
    height = 40
    parts = _svg_open(ident, height, title, f"{summary} {NO_VALUES}".strip())
    parts.append(_text(10, 24, NO_VALUES, class_="empty"))
    parts.append("</svg>")
    return Markup("".join(parts))
