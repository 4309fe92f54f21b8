"""A line chart of values month by month, as SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from markupsafe import Markup, escape

from services.reporting.reports.shared.charts import (
    REFERENCE_DASHES,
    SERIES_STYLES,
    WIDTH,
    Axis,
    Reference,
    Scale,
    Series,
    _dash,
    _empty_chart,
    _ident,
    _legend,
    _LineStyle,
    _marker,
    _n,
    _svg_open,
    _text,
    scale_of,
)

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
