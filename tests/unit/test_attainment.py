"""Goal attainment: each comparison and direction, with and without baseline and gender,
the ranking place, equality, activities, and the rule in words."""

from decimal import Decimal

import pytest

from contracts.goals.fields import ActivityStatus, CommitmentKind, Comparison, MeasureUnit
from services.reporting.reports.goals.rule_words import rule_text
from services.reporting.reports.shared.attainment import (
    Attainment,
    Result,
    Target,
    Values,
    activity,
    attained,
    commitment,
    key_figure,
)
from services.reporting.reports.shared.formatting import format_measure, format_number

MET, PARTLY, NOT_MET, NOT_MEASURED = (
    Attainment.MET,
    Attainment.PARTLY_MET,
    Attainment.NOT_MET,
    Attainment.NOT_MEASURED,
)


def d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


@pytest.mark.parametrize(
    ("comparison", "target", "baseline", "value", "expected"),
    [
        # at least: met by going up, "60 eller högre"
        (Comparison.AT_LEAST, "60", "55", "60", MET),
        (Comparison.AT_LEAST, "60", "55", "61", MET),
        (Comparison.AT_LEAST, "60", "55", "58", PARTLY),
        (Comparison.AT_LEAST, "60", "55", "55", NOT_MET),
        (Comparison.AT_LEAST, "60", "55", "50", NOT_MET),
        (Comparison.AT_LEAST, "60", None, "58", NOT_MET),
        (Comparison.AT_LEAST, "60", None, "60", MET),
        (Comparison.AT_LEAST, "60", "55", None, NOT_MEASURED),
        # more than: the target itself is not enough, "högre än 66 procent"
        (Comparison.MORE_THAN, "66", "60", "66", PARTLY),
        (Comparison.MORE_THAN, "66", "60", "66.1", MET),
        (Comparison.MORE_THAN, "66", None, "66", NOT_MET),
        (Comparison.MORE_THAN, "66", "60", "59", NOT_MET),
        # at most: met by going down, a ranking place "plats 145" from 225
        (Comparison.AT_MOST, "145", "225", "145", MET),
        (Comparison.AT_MOST, "145", "225", "120", MET),
        (Comparison.AT_MOST, "145", "225", "180", PARTLY),
        (Comparison.AT_MOST, "145", "225", "225", NOT_MET),
        (Comparison.AT_MOST, "145", "225", "240", NOT_MET),
        (Comparison.AT_MOST, "145", None, "180", NOT_MET),
        # less than: "mindre än 61 procent", from 70
        (Comparison.LESS_THAN, "61", "70", "60.9", MET),
        (Comparison.LESS_THAN, "61", "70", "61", PARTLY),
        (Comparison.LESS_THAN, "61", "70", "65", PARTLY),
        (Comparison.LESS_THAN, "61", "70", "70", NOT_MET),
        (Comparison.LESS_THAN, "61", "70", "72", NOT_MET),
        (Comparison.LESS_THAN, "61", None, "65", NOT_MET),
        (Comparison.LESS_THAN, "61", None, None, NOT_MEASURED),
        # equal: met when equal, partly when closer than the baseline was, either side
        (Comparison.EQUAL, "100", "80", "100", MET),
        (Comparison.EQUAL, "100", "80", "90", PARTLY),
        (Comparison.EQUAL, "100", "80", "110", PARTLY),
        (Comparison.EQUAL, "100", "80", "120", NOT_MET),
        (Comparison.EQUAL, "100", "80", "80", NOT_MET),
        (Comparison.EQUAL, "100", "120", "105", PARTLY),
        (Comparison.EQUAL, "100", None, "99", NOT_MET),
        # exact decimals: 2,05 against 2,6
        (Comparison.AT_LEAST, "2.6", "2.05", "2.06", PARTLY),
        (Comparison.AT_LEAST, "2.6", "2.05", "2.60", MET),
    ],
)
def test_a_value_held_against_its_target_from_its_baseline(
    comparison: Comparison,
    target: str,
    baseline: str | None,
    value: str | None,
    expected: Attainment,
) -> None:
    assert attained(comparison, Decimal(target), d(baseline), d(value)) is expected


WORRY = Target(Comparison.LESS_THAN, Decimal("61"), MeasureUnit.PERCENT)


def test_by_gender_each_against_the_target_from_their_own_baseline() -> None:
    baseline = Values(Decimal("70"), women=Decimal("75"), men=Decimal("62"))
    latest = Values(Decimal("63"), women=Decimal("66"), men=Decimal("60"))
    assert key_figure(WORRY, baseline, latest, by_gender=True) == Result(PARTLY, PARTLY, MET)


def test_by_gender_without_their_own_baseline_uses_the_total() -> None:
    baseline = Values(Decimal("70"))
    latest = Values(Decimal("68"), women=Decimal("72"), men=Decimal("64"))
    assert key_figure(WORRY, baseline, latest, by_gender=True) == Result(PARTLY, NOT_MET, PARTLY)


def test_by_gender_without_a_baseline() -> None:
    latest = Values(Decimal("62"), women=Decimal("63"), men=Decimal("58"))
    assert key_figure(WORRY, None, latest, by_gender=True) == Result(NOT_MET, NOT_MET, MET)


def test_by_gender_a_missing_value_is_not_measured_for_that_gender() -> None:
    latest = Values(Decimal("60"), women=Decimal("59"))
    result = key_figure(WORRY, Values(Decimal("70")), latest, by_gender=True)
    assert result == Result(MET, MET, NOT_MEASURED)


def test_by_gender_with_no_total_the_total_is_the_lesser_of_women_and_men() -> None:
    latest = Values(women=Decimal("59"), men=Decimal("65"))
    result = key_figure(WORRY, Values(Decimal("70")), latest, by_gender=True)
    assert result == Result(PARTLY, MET, PARTLY)


def test_by_gender_with_no_measurement_is_not_measured_throughout() -> None:
    result = key_figure(WORRY, Values(Decimal("70")), None, by_gender=True)
    assert result == Result(NOT_MEASURED, NOT_MEASURED, NOT_MEASURED)
    assert result.all == (NOT_MEASURED,) * 3


def test_not_by_gender_ignores_the_women_and_men_values() -> None:
    latest = Values(Decimal("60"), women=Decimal("80"), men=Decimal("80"))
    assert key_figure(WORRY, Values(Decimal("70")), latest, by_gender=False) == Result(MET)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ActivityStatus.DONE, MET),
        (ActivityStatus.UNDER_WAY, PARTLY),
        (ActivityStatus.NOT_STARTED, NOT_MET),
        (None, NOT_MEASURED),
    ],
)
def test_an_activity_by_its_assessment(status: ActivityStatus | None, expected: Attainment) -> None:
    assert activity(status) is expected
    assert commitment(CommitmentKind.ACTIVITY, None, None, None, status, False) == Result(expected)


def test_a_commitment_with_a_target_is_measured_one_without_is_assessed() -> None:
    target = Target(Comparison.AT_LEAST, Decimal("1"), MeasureUnit.PERCENT)
    latest = Values(Decimal("2"))
    financial = commitment(CommitmentKind.FINANCIAL, target, None, latest, None, False)
    assert financial == Result(MET)
    no_target = commitment(CommitmentKind.FINANCIAL, None, None, latest, None, False)
    assert no_target == Result(NOT_MEASURED)
    assessed = commitment(
        CommitmentKind.KEY_FIGURE, None, None, None, ActivityStatus.UNDER_WAY, False
    )
    assert assessed == Result(PARTLY)


def test_swedish_labels_and_filter_codes() -> None:
    assert [a.label for a in Attainment] == [
        "uppfyllt",
        "delvis uppfyllt",
        "ej uppfyllt",
        "i fas",
        "inte i fas",
        "ej bedömt",
        "ej mätt",
    ]
    assert [a.value for a in Attainment] == [
        "uppfyllt",
        "delvis",
        "ej_uppfyllt",
        "i_fas",
        "inte_i_fas",
        "ej_bedomt",
        "ej_matt",
    ]


# A target without a due year holds every year.
STANDING = (
    " Målnivån gäller varje år och bedöms på helårets värde; ett värde för en del av året är"
    " i fas eller inte i fas mot en rak linje från utgångsvärdet till målnivån vid årets slut;"
    " ett äldre års värde gör åtagandet ej mätt."
)


@pytest.mark.parametrize(
    ("target", "baseline", "by_gender", "text"),
    [
        (
            WORRY,
            "70",
            False,
            "Uppfyllt när värdet är lägre än 61 procent; delvis uppfyllt när det har sjunkit"
            " från utgångsvärdet 70 men inte nått målet." + STANDING,
        ),
        (
            Target(Comparison.AT_LEAST, Decimal("60"), MeasureUnit.INDEX),
            "55",
            False,
            "Uppfyllt när värdet är 60 eller högre; delvis uppfyllt när det har stigit"
            " från utgångsvärdet 55 men inte nått målet." + STANDING,
        ),
        (
            Target(Comparison.MORE_THAN, Decimal("66"), MeasureUnit.PERCENT),
            None,
            False,
            "Uppfyllt när värdet är högre än 66 procent; annars ej uppfyllt, eftersom inget"
            " utgångsvärde finns att jämföra med." + STANDING,
        ),
        (
            Target(Comparison.AT_MOST, Decimal("145"), MeasureUnit.RANK),
            "225",
            False,
            "Uppfyllt när placeringen är plats 145 eller bättre; delvis uppfyllt när den har"
            " förbättrats från utgångsvärdet plats 225 men inte nått målet." + STANDING,
        ),
        (
            Target(Comparison.EQUAL, Decimal("100"), MeasureUnit.PERCENT),
            "80",
            False,
            "Uppfyllt när värdet är 100 procent; delvis uppfyllt när det ligger närmare målet"
            " än utgångsvärdet 80 gjorde." + STANDING,
        ),
        (
            Target(Comparison.AT_LEAST, Decimal("2.6"), MeasureUnit.INDEX),
            "2.05",
            True,
            "Uppfyllt när värdet är 2,6 eller högre; delvis uppfyllt när det har stigit"
            " från utgångsvärdet 2,05 men inte nått målet."
            + STANDING
            + " Kvinnor och män bedöms var för sig"
            " mot målet, från sina egna utgångsvärden där de finns.",
        ),
    ],
)
def test_the_rule_in_swedish(
    target: Target, baseline: str | None, by_gender: bool, text: str
) -> None:
    values = None if baseline is None else Values(Decimal(baseline))
    assert rule_text(CommitmentKind.KEY_FIGURE, target, values, by_gender) == text


def test_the_rule_of_an_activity_and_of_a_commitment_without_target() -> None:
    assert rule_text(CommitmentKind.ACTIVITY, None, None, False) == (
        "Uppfyllt när aktiviteten är genomförd; delvis uppfyllt medan den pågår; "
        "ej uppfyllt när den inte har påbörjats."
    )
    assert rule_text(CommitmentKind.FINANCIAL, None, None, False).startswith(
        "Ingen målnivå är angiven"
    )


@pytest.mark.parametrize(
    ("value", "unit", "printed"),
    [
        ("2.05", None, "2,05"),
        ("2.6", "index", "2,6"),
        ("63", "index", "63"),
        ("2", "percent", "2 %"),
        ("1234.5", "count", "1 234,5"),
        ("-0.5", None, "-0,5"),
        ("0", None, "0"),
        ("225", "rank", "plats 225"),
        ("1500", "kronor", "1 500 kr"),
    ],
)
def test_measured_values_printed_swedish_style(value: str, unit: str | None, printed: str) -> None:
    assert format_measure(Decimal(value), unit) == printed


def test_a_number_keeps_its_digits_and_takes_swedish_separators() -> None:
    assert format_number(Decimal("1234567.25")) == "1 234 567,25"
    assert format_number(Decimal("-0")) == "0"
