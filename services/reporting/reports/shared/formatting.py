"""Amounts as the seed prints them: whole thousands of kronor, "-109 550".

Amounts are stored in exact kronor; only the display rounds. Rounding is half away from
zero on the absolute value, so -500 kr and +500 kr both become 1 tkr in size and a table
never shows "-0".

Printing never fails, whatever the Decimal: amounts stored before the contracts bounded
them may be far larger than any budget, and a view must still answer.
"""

from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal

_WHOLE = Decimal(1)

MAX_GROUPED_DIGITS = 60
"""Longest size in tkr printed digit by digit; a larger one is printed as "1.000E+97"."""


def _context_for(digits: int) -> Context:
    # Exact at any size: the precision covers every digit the amount has, and the exponent
    # range every exponent a Decimal can have, so neither shifting nor rounding can trap.
    if digits <= MAX_GROUPED_DIGITS:
        return _ORDINARY  # every real amount: made once, not per figure printed
    return Context(prec=digits + 2, Emax=MAX_EMAX, Emin=MIN_EMIN)


_ORDINARY = Context(prec=MAX_GROUPED_DIGITS + 2, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _whole_tkr(amount: Decimal) -> Decimal:
    """Size of a finite amount in whole tkr, rounded half away from zero."""
    context = _context_for(len(amount.as_tuple().digits))
    size = context.scaleb(amount.copy_abs(), Decimal(-3))
    if _too_long_to_group(size):
        return size
    return size.quantize(_WHOLE, rounding=ROUND_HALF_UP, context=context)


def _too_long_to_group(size: Decimal) -> bool:
    # A zero can carry any exponent ("0E+999"), yet it is printed "0".
    return not size.is_zero() and size.adjusted() >= MAX_GROUPED_DIGITS


def _group(size: Decimal) -> str:
    if _too_long_to_group(size):
        return f"{size:.3E}"
    # An ordinary space as the seed prints it; the HTML keeps cells from wrapping instead.
    return f"{size:,f}".replace(",", " ")


# Below this size an amount is printed by integer arithmetic, far from the sizes printed
# "1.000E+97" and exactly as the Decimal steps below would print it.
_INTEGER_PRINTED = Decimal("1E+50")


def format_tkr(amount: Decimal) -> str:
    """Kronor as tkr: -109550000 → "-109 550", 1118000 → "1 118", 0 → "0"."""
    if not amount.is_finite():
        return str(amount)
    if -_INTEGER_PRINTED < amount < _INTEGER_PRINTED:
        # A report prints thousands of these: the exact ratio, rounded half away from zero.
        numerator, denominator = amount.as_integer_ratio()
        thousand = denominator * 1000
        whole, rest = divmod(abs(numerator), thousand)
        if 2 * rest >= thousand:
            whole += 1
        sign = "-" if numerator < 0 and whole else ""
        return sign + f"{whole:,}".replace(",", " ")
    size = _whole_tkr(amount)
    sign = "-" if amount < 0 and size else ""
    return sign + _group(size)


def format_signed_tkr(amount: Decimal) -> str:
    """A frame change as tkr with its direction: "+1 340", "-158", "±0"."""
    if not amount.is_finite():
        return str(amount)
    size = _whole_tkr(amount)
    if size == 0:
        # The seed writes an unchanged frame as "+/- 0tkr"; ± is its typeset form.
        return "±0"
    return ("+" if amount > 0 else "-") + _group(size)


def format_kronor(amount: Decimal) -> str:
    """Exact kronor as a string, for JSON: plain notation (never "1E+3") and no "-0"."""
    return format(abs(amount) if amount.is_zero() else amount, "f")


def format_number(value: Decimal) -> str:
    """A measured value as Swedish prints it: "2,05", "1 234,5", "63", "-0,5".

    Exact: the digits stored are the digits shown, only the separators change.
    """
    if not value.is_finite():
        return str(value)
    written = format(abs(value) if value.is_zero() else value, "f")
    sign = "-" if written.startswith("-") else ""
    whole, _, decimals = written.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + ("," + decimals if decimals else "")


# How a value of each measure unit is written after its number (rank goes before).
_UNIT_SUFFIX = {"percent": " %", "kronor": " kr"}


def format_measure(value: Decimal, unit: str | None) -> str:
    """A value with its unit: "2 %", "plats 145", "63", "1 500 kr"."""
    number = format_number(value)
    if unit == "rank":
        return f"plats {number}"
    return number + _UNIT_SUFFIX.get(unit or "", "")


def format_grouped_kronor(amount: Decimal) -> str:
    """Kronor in full, grouped as the seed writes them: 300000 → "300 000", 1234.5 → "1 234,5"."""
    if not amount.is_finite():
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, _, fraction = f"{amount.copy_abs():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return sign + grouped + (f",{fraction}" if fraction.strip("0") else "")
