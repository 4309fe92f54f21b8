"""Amounts as the seed prints them: whole thousands of kronor, "-109 550".

Amounts are stored in exact kronor; only the display rounds. Rounding is half away from
zero on the absolute value, so -500 kr and +500 kr both become 1 tkr in size and a table
never shows "-0".
"""

from decimal import ROUND_HALF_UP, Decimal

_WHOLE = Decimal(1)


def _whole_tkr(amount: Decimal) -> int:
    """Size of the amount in whole tkr, rounded half away from zero."""
    # scaleb shifts the exponent exactly; dividing could round at the context precision.
    return int(abs(amount).scaleb(-3).quantize(_WHOLE, rounding=ROUND_HALF_UP))


def _group(size: int) -> str:
    # An ordinary space as the seed prints it; the HTML keeps cells from wrapping instead.
    return f"{size:,}".replace(",", " ")


def format_tkr(amount: Decimal) -> str:
    """Kronor as tkr: -109550000 → "-109 550", 1118000 → "1 118", 0 → "0"."""
    size = _whole_tkr(amount)
    sign = "-" if amount < 0 and size else ""
    return sign + _group(size)


def format_signed_tkr(amount: Decimal) -> str:
    """A frame change as tkr with its direction: "+1 340", "-158", "±0"."""
    size = _whole_tkr(amount)
    if size == 0:
        # The seed writes an unchanged frame as "+/- 0tkr"; ± is its typeset form.
        return "±0"
    return ("+" if amount > 0 else "-") + _group(size)
