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
from dataclasses import dataclass, replace
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


# --- line chart -----------------------------------------------------------------------------

LINE_LEFT = 78
LINE_RIGHT = WIDTH - 20
LINE_TOP = 26
LINE_BOTTOM = 216
CHARACTER_WIDTH = 7  # about what a character of the labels takes, in pixels


@dataclass(frozen=True)
class _Plot:
    scale: Scale
    top: int
    bottom: int

    def y(self, value: Decimal) -> Decimal:
        with localcontext() as context:
            context.prec = 60
            return self.bottom - self.scale.fraction(value) * (self.bottom - self.top)


def _x(index: int, count: int) -> Decimal:
    """The middle of category ``index``'s slot: a single category sits in the middle."""
    with localcontext() as context:
        context.prec = 60
        slot = Decimal(LINE_RIGHT - LINE_LEFT) / count
        return LINE_LEFT + slot * index + slot / 2


def _line_desc(
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    references: Sequence[Reference],
    axis: Axis,
) -> str:
    sentences = [summary] if summary else []
    for line in series:
        values = [
            f"{category} {axis.text(value)}"
            for category, value in zip(categories, line.values, strict=False)
            if value is not None
        ]
        if values:
            sentences.append(f"{line.name}: {', '.join(values)}.")
    sentences += [f"{reference.name}: {axis.text(reference.value)}." for reference in references]
    return " ".join(sentences)


def _value_axis(plot: _Plot, axis: Axis) -> list[str]:
    parts = []
    for tick in plot.scale.ticks:
        y = plot.y(tick)
        zero = tick == 0
        parts.append(
            f'<line class="{"zero" if zero else "grid"}" x1="{LINE_LEFT}" y1="{_n(y)}"'
            f' x2="{LINE_RIGHT}" y2="{_n(y)}" stroke="{"#000" if zero else "#ccc"}"'
            f' stroke-width="{"1" if zero else "0.5"}"/>'
        )
        parts.append(_text(LINE_LEFT - 6, y + 4, axis.text(tick), "end", class_="tick"))
    parts.append(_text(10, plot.top - 14, axis.label, class_="axis-label"))
    return parts


def _category_axis(categories: Sequence[str], bottom: int) -> list[str]:
    count = len(categories)
    # Every label gets room for its longest sibling; where they would crowd, every other
    # (or every third…) is written, always the first.
    room = CHARACTER_WIDTH * max(len(category) for category in categories) + 8
    every = max(1, -(-count * room // (LINE_RIGHT - LINE_LEFT)))
    return [
        _text(_x(index, count), bottom + 16, category, "middle", class_="category")
        for index, category in enumerate(categories)
        if index % every == 0
    ]


def _series_markup(line: Series, style: _LineStyle, plot: _Plot, count: int) -> list[str]:
    points = [(_x(i, count), plot.y(v), v) for i, v in enumerate(line.values) if v is not None]
    path = [(x, y) for x, y, _ in points]
    if line.starts_at is not None:
        index, value = line.starts_at
        path.insert(0, (_x(index, count), plot.y(value)))
    parts = [f'<g class="series" data-name="{escape(line.name)}">']
    if len(path) > 1:
        drawn = " ".join(f"{_n(x)},{_n(y)}" for x, y in path)
        parts.append(
            f'<polyline points="{drawn}" fill="none" stroke="{style.stroke}"'
            f' stroke-width="{style.width}"{_dash(style.dash)} stroke-linejoin="round"/>'
        )
    parts += [_marker(style.marker, x, y, style.stroke, value) for x, y, value in points]
    parts.append("</g>")
    return parts


def _reference_markup(reference: Reference, dash: str, plot: _Plot, axis: Axis) -> list[str]:
    y = plot.y(reference.value)
    label = f"{reference.name} {axis.text(reference.value)}"
    return [
        f'<g class="reference" data-name="{escape(reference.name)}"'
        f' data-value="{escape(format(reference.value, "f"))}">',
        f'<line x1="{LINE_LEFT}" y1="{_n(y)}" x2="{LINE_RIGHT}" y2="{_n(y)}" stroke="#000"'
        f' stroke-width="1"{_dash(dash)}/>',
        _text(LINE_RIGHT - 2, y - 3, label, "end", font_size="10"),
        "</g>",
    ]


def _drawable(line: Series, count: int) -> Series:
    """The series with what cannot be drawn left out: values past the last category, and
    infinities and NaNs (Decimal has them)."""
    values = [v if v is not None and v.is_finite() else None for v in line.values[:count]]
    start = line.starts_at
    if start is not None and not (0 <= start[0] < count and start[1].is_finite()):
        start = None
    return Series(line.name, values, start)


def line_chart(
    ident: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Sequence[Series],
    axis: Axis,
    references: Sequence[Reference] = (),
) -> Markup:
    """Lines over ``categories`` (months, periods) and levels across them. ``summary`` opens
    the text alternative, which then lists every value."""
    ident = _ident(ident)
    count = len(categories)
    series = [_drawable(line, count) for line in series]
    values = [v for line in series for v in line.values if v is not None]
    if not values:
        return _empty_chart(ident, title, summary)
    references = [r for r in references if r.value.is_finite()]
    levels = values + [r.value for r in references]
    levels += [line.starts_at[1] for line in series if line.starts_at is not None]
    plot = _Plot(scale_of(levels, axis), LINE_TOP, LINE_BOTTOM)
    legend_entries = []
    body: list[str] = []
    for position, line in enumerate(series):
        if all(v is None for v in line.values):
            continue  # nothing to draw or name; the others keep their styles
        style = SERIES_STYLES[position % len(SERIES_STYLES)]
        body += _series_markup(line, style, plot, count)
        sample = (
            f'<line x1="0" y1="0" x2="28" y2="0" stroke="{style.stroke}"'
            f' stroke-width="{style.width}"{_dash(style.dash)}/>'
            + _marker(style.marker, Decimal(14), Decimal(0), style.stroke).replace(
                'class="point"', 'class="sample"'
            )
        )
        legend_entries.append((sample, line.name))
    for position, reference in enumerate(references):
        dash = REFERENCE_DASHES[position % len(REFERENCE_DASHES)]
        body += _reference_markup(reference, dash, plot, axis)
        sample = f'<line x1="0" y1="0" x2="28" y2="0" stroke="#000" stroke-width="1"{_dash(dash)}/>'
        legend_entries.append((sample, reference.name))
    legend, legend_height = _legend(legend_entries, LINE_BOTTOM + 40)
    height = LINE_BOTTOM + 34 + legend_height
    desc = _line_desc(summary, categories, series, references, axis)
    parts = _svg_open(ident, height, title, desc)
    parts += _value_axis(plot, axis)
    parts.append(
        f'<line class="frame" x1="{LINE_LEFT}" y1="{LINE_TOP}" x2="{LINE_LEFT}"'
        f' y2="{LINE_BOTTOM}" stroke="#000" stroke-width="0.75"/>'
    )
    parts += _category_axis(categories, LINE_BOTTOM)
    parts += body
    parts += legend
    parts.append("</svg>")
    return Markup("".join(parts))


# --- bar chart ------------------------------------------------------------------------------

BAR_NAMES = 215  # the column of labels
BAR_ROOM = 62  # either side of the plot, for the value at a bar's end
BAR_LEFT = BAR_NAMES + BAR_ROOM
BAR_RIGHT = WIDTH - BAR_ROOM
BAR_TOP = 24
BAR_ROW = 22
BAR_THICKNESS = 14
NAME_LENGTH = 30  # characters of a label that fit its column


def _bar_x(scale: Scale, value: Decimal) -> Decimal:
    with localcontext() as context:
        context.prec = 60
        return BAR_LEFT + scale.fraction(value) * (BAR_RIGHT - BAR_LEFT)


def _hatch(ident: str) -> str:
    return (
        f'<defs><pattern id="{ident}-rutor" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2"/></pattern></defs>'
    )


def bar_chart(ident: str, title: str, summary: str, bars: Sequence[Bar], axis: Axis) -> Markup:
    """Horizontal bars from zero, right for positive and left (hatched) for negative values,
    each with its label and value; the text alternative lists every bar."""
    ident = _ident(ident)
    bars = [bar for bar in bars if bar.value.is_finite()]
    if not bars:
        return _empty_chart(ident, title, summary)
    # Bars grow from zero, so zero is always on the axis.
    scale = scale_of([bar.value for bar in bars], replace(axis, include_zero=True), 4)
    bottom = BAR_TOP + BAR_ROW * len(bars)
    height = bottom + 40
    listed = "; ".join(f"{bar.label}: {axis.text(bar.value)}" for bar in bars)
    desc = " ".join(part for part in (summary, f"{listed}.") if part)
    parts = _svg_open(ident, height, title, desc)
    parts.append(_hatch(ident))
    for tick in scale.ticks:
        x = _bar_x(scale, tick)
        parts.append(
            f'<line class="grid" x1="{_n(x)}" y1="{BAR_TOP - 4}" x2="{_n(x)}" y2="{bottom}"'
            ' stroke="#ccc" stroke-width="0.5"/>'
        )
        parts.append(_text(x, bottom + 14, axis.text(tick), "middle", class_="tick"))
    zero = _bar_x(scale, Decimal(0))
    parts.append(_text(BAR_LEFT, bottom + 32, axis.label, class_="axis-label"))
    for row, bar in enumerate(bars):
        y = BAR_TOP + BAR_ROW * row
        end = _bar_x(scale, bar.value)
        negative = bar.value < 0
        fill = f"url(#{ident}-rutor)" if negative else "#888"
        # Both edges rounded before the width is taken, so a bar meets the zero line exactly.
        left, right = (_px(end), _px(zero)) if negative else (_px(zero), _px(end))
        parts.append(
            f'<g class="bar" data-label="{escape(bar.label)}"'
            f' data-value="{escape(format(bar.value, "f"))}">'
            f"<title>{escape(bar.label)}: {escape(axis.text(bar.value))}</title>"
        )
        parts.append(_text(BAR_NAMES - 6, y + 11, _short(bar.label, NAME_LENGTH), "end"))
        parts.append(
            f'<rect x="{_n(left)}" y="{y}" width="{_n(right - left)}" height="{BAR_THICKNESS}"'
            f' fill="{fill}" stroke="#000" stroke-width="0.75"/>'
        )
        if negative:
            parts.append(_text(end - 4, y + 11, axis.text(bar.value), "end", class_="value"))
        else:
            parts.append(_text(end + 4, y + 11, axis.text(bar.value), class_="value"))
        parts.append("</g>")
    parts.append(
        f'<line class="zero" x1="{_n(zero)}" y1="{BAR_TOP - 6}" x2="{_n(zero)}" y2="{bottom + 2}"'
        ' stroke="#000" stroke-width="1.25"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
