from decimal import Decimal, Inexact, localcontext

import pytest

from services.reporting.reports.shared.formatting import format_signed_tkr, format_tkr


@pytest.mark.parametrize(
    ("kronor", "printed"),
    [
        ("-109550000", "-109 550"),
        ("188724000", "188 724"),
        ("0", "0"),
        ("-81000", "-81"),
        ("1118000", "1 118"),
        ("-1234567000", "-1 234 567"),
    ],
)
def test_format_tkr_prints_thousands_of_kronor_as_the_seed_does(kronor: str, printed: str) -> None:
    assert format_tkr(Decimal(kronor)) == printed


@pytest.mark.parametrize(
    ("kronor", "printed"),
    [
        ("500", "1"),
        ("-500", "-1"),
        ("499.99", "0"),
        ("1500", "2"),
        ("2500", "3"),
        ("-2500", "-3"),
        ("1117999.50", "1 118"),
    ],
)
def test_format_tkr_rounds_half_away_from_zero(kronor: str, printed: str) -> None:
    assert format_tkr(Decimal(kronor)) == printed


def test_format_tkr_never_prints_a_negative_zero() -> None:
    assert format_tkr(Decimal("-400")) == "0"
    assert format_tkr(Decimal("-0")) == "0"


def test_format_tkr_uses_an_ordinary_space_and_a_hyphen_minus() -> None:
    printed = format_tkr(Decimal("-109550000"))
    assert printed.encode("ascii") == b"-109 550"


def test_format_tkr_accepts_amounts_in_scientific_notation() -> None:
    assert format_tkr(Decimal("1.5E+6")) == "1 500"


@pytest.mark.parametrize(
    ("kronor", "printed"),
    [
        ("1340000", "+1 340"),
        ("-158000", "-158"),
        ("0", "±0"),
        ("400", "±0"),
        ("-400", "±0"),
        ("1443000", "+1 443"),
    ],
)
def test_format_signed_tkr_shows_the_direction_of_a_frame_change(kronor: str, printed: str) -> None:
    assert format_signed_tkr(Decimal(kronor)) == printed


@pytest.mark.parametrize(
    ("kronor", "printed"),
    [
        ("1E+40", "10 000 000 000 000 000 000 000 000 000 000 000 000"),
        (
            "-1234567890123456789012345678901234567890",
            "-1 234 567 890 123 456 789 012 345 678 901 234 568",
        ),
        ("1" * 40, "1 111 111 111 111 111 111 111 111 111 111 111 111"),
        (
            "99999999999999999999999999999999999999999.49",
            "100 000 000 000 000 000 000 000 000 000 000 000 000",
        ),
        ("0E+1000000", "0"),
        ("1E-999999", "0"),
    ],
)
def test_format_tkr_prints_amounts_larger_than_the_contracts_allow_exactly(
    kronor: str, printed: str
) -> None:
    # Stored before the contracts bounded amounts; the view must answer, not fail.
    assert format_tkr(Decimal(kronor)) == printed


@pytest.mark.parametrize(
    ("kronor", "printed", "signed"),
    [
        ("1E+1000000", "1.000E+999997", "+1.000E+999997"),
        ("-9E+999999999999999999", "-9.000E+999999999999999996", "-9.000E+999999999999999996"),
        ("NaN", "NaN", "NaN"),
        ("sNaN", "sNaN", "sNaN"),
        ("-Infinity", "-Infinity", "-Infinity"),
    ],
)
def test_formatting_never_fails_for_any_decimal(kronor: str, printed: str, signed: str) -> None:
    assert format_tkr(Decimal(kronor)) == printed
    assert format_signed_tkr(Decimal(kronor)) == signed


def test_formatting_does_not_depend_on_the_threads_decimal_context() -> None:
    with localcontext() as context:
        context.prec = 3
        context.traps[Inexact] = True
        assert format_tkr(Decimal("-1234567890")) == "-1 234 568"
        assert format_signed_tkr(Decimal("1234567890")) == "+1 234 568"
