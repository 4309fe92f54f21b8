"""A bar chart of each child unit's deviation, as SVG."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, localcontext

from markupsafe import Markup, escape

from services.reporting.reports.shared.charts import (
    WIDTH,
    Axis,
    Bar,
    Scale,
    _empty_chart,
    _ident,
    _n,
    _px,
    _short,
    _svg_open,
    _text,
    scale_of,
)

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
