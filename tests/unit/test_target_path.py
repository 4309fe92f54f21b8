"""Targets with a due year, change targets and ranks: before the due year a value is on the
path from the baseline to the target or not, never "ej uppfyllt"; a value of an earlier period
is not this year's outcome; no measurement is "ej mätt"."""

from decimal import Decimal

import pytest

from contracts.goals.fields import ChangeBasis, CommitmentKind, Comparison, MeasureUnit, TargetKind
from services.reporting.reports.goals.rule_words import rule_text, target_text
from services.reporting.reports.shared.attainment import (
    Attainment,
    Occasion,
    Result,
    Target,
    Values,
    commitment,
    key_figure,
    period_end,
)

MET, PARTLY, NOT_MET = Attainment.MET, Attainment.PARTLY_MET, Attainment.NOT_MET
ON_TRACK, OFF_TRACK = Attainment.ON_TRACK, Attainment.OFF_TRACK
NOT_JUDGED, NOT_MEASURED = Attainment.NOT_JUDGED, Attainment.NOT_MEASURED

# "plats 145 i ranking 2013 (en höjning från plats 225 i rankingen 2010)"
RANKING = Target(Comparison.AT_MOST, Decimal(145), MeasureUnit.RANK, TargetKind.RANK, None, 2013)
RANKING_BASE = Values(Decimal(225), period="2010")
# "Andelen avtal som kan e-beställas ska öka med 25 procent under 2011"
CONTRACTS = Target(
    Comparison.AT_LEAST,
    Decimal(25),
    MeasureUnit.PERCENT,
    TargetKind.CHANGE,
    ChangeBasis.PERCENT_OF_BASELINE,
    2011,
)
# "Självfinansieringsgraden ska öka från 2009 års nivå under planperioden"
RISING = Target(
    Comparison.MORE_THAN,
    Decimal(0),
    MeasureUnit.PERCENT,
    TargetKind.CHANGE,
    ChangeBasis.MEASURE_UNIT,
    2013,
)
# "Nöjd Kund Index för verksamhetslokaler är 60 eller högre": no year, every year.
STANDING = Target(Comparison.AT_LEAST, Decimal(60), MeasureUnit.INDEX)


def at(value: str, period: str) -> Values:
    return Values(Decimal(value), period=period)


def judged(target: Target, base: Values | None, latest: Values | None, year: int) -> Attainment:
    return key_figure(target, base, latest, False, Occasion(year)).total


def test_periods_end_with_their_last_month() -> None:
    assert period_end("2010") == 2010 * 12 + 12
    assert period_end("2010-06") == 2010 * 12 + 6
    assert period_end("2011-interim") == 2011 * 12 + 8


@pytest.mark.parametrize(
    ("latest", "year", "expected"),
    [
        # The baseline's own value is no measurement of progress: 2011 is not measured.
        (at("225", "2010"), 2011, NOT_MEASURED),
        (None, 2011, NOT_MEASURED),
        # 2011, a third of the way from 2010's end to 2013's: the path is at 225 - 80/3 = 198,3.
        (at("198", "2011"), 2011, ON_TRACK),
        (at("199", "2011"), 2011, OFF_TRACK),
        (at("230", "2011"), 2011, OFF_TRACK),
        # 2012: two thirds of the way, 171,7.
        (at("171", "2012"), 2012, ON_TRACK),
        (at("172", "2012"), 2012, OFF_TRACK),
        # Due: 2013's ranking is the outcome.
        (at("145", "2013"), 2013, MET),
        (at("120", "2013"), 2013, MET),
        (at("180", "2013"), 2013, PARTLY),
        (at("240", "2013"), 2013, NOT_MET),
        # Read in 2014, 2013's value stays the outcome; a due year with no value is not measured.
        (at("150", "2013"), 2014, PARTLY),
        (at("150", "2012"), 2014, NOT_MEASURED),
    ],
)
def test_a_rank_due_in_2013_lower_is_better(
    latest: Values | None, year: int, expected: Attainment
) -> None:
    assert judged(RANKING, RANKING_BASE, latest, year) is expected


def test_a_target_not_yet_due_is_never_not_met() -> None:
    for value in ("100", "225", "300", "400"):
        for year in (2011, 2012):
            attained = judged(RANKING, RANKING_BASE, at(value, str(year)), year)
            assert attained in (ON_TRACK, OFF_TRACK)


def test_the_interim_period_is_on_the_path_before_the_due_year_ends() -> None:
    """NKI 70 in 2011 from 63 in 2009: in August 2011, 20 of 24 months in, the path is at
    63 + 7 * 20/24 = 68,83."""
    nki = Target(Comparison.AT_LEAST, Decimal(70), MeasureUnit.INDEX, due_year=2011)
    base = at("63", "2009")
    interim = Occasion(2011)
    assert key_figure(nki, base, at("69", "2011-interim"), False, interim).total is ON_TRACK
    assert key_figure(nki, base, at("68.8", "2011-interim"), False, interim).total is OFF_TRACK
    # The year's own value decides once the due year is over.
    assert judged(nki, base, at("68.8", "2011"), 2011) is PARTLY
    assert judged(nki, base, at("70", "2011"), 2011) is MET


def test_without_a_baseline_value_a_target_not_due_is_not_judged() -> None:
    """ "30 e-tjänster vid utgången av 2011", measured in June: no baseline, no path."""
    services = Target(Comparison.AT_LEAST, Decimal(30), MeasureUnit.COUNT, due_year=2011)
    assert judged(services, None, at("12", "2011-06"), 2011) is NOT_JUDGED
    assert judged(services, None, at("31", "2011"), 2011) is MET
    assert judged(services, None, at("29", "2011"), 2011) is NOT_MET


@pytest.mark.parametrize(
    ("base", "latest", "expected"),
    [
        # 40 % of the contracts at the end of 2010: a quarter more is 50 %.
        ("40", at("50", "2011"), MET),
        ("40", at("55", "2011"), MET),
        ("40", at("45", "2011"), PARTLY),
        ("40", at("40", "2011"), NOT_MET),
        # A quarter more than 40 is not 65 (40 + 25 percentage points): 60 is enough.
        ("40", at("60", "2011"), MET),
        # In June, halfway through 2011, the path is at 45.
        ("40", at("45", "2011-06"), ON_TRACK),
        ("40", at("44.9", "2011-06"), OFF_TRACK),
    ],
)
def test_a_change_in_percent_of_its_baseline(
    base: str, latest: Values, expected: Attainment
) -> None:
    assert judged(CONTRACTS, at(base, "2010"), latest, 2011) is expected


def test_a_change_whose_baseline_is_not_measured_is_not_judged() -> None:
    assert judged(CONTRACTS, Values(period="2010"), at("50", "2011"), 2011) is NOT_JUDGED
    assert judged(RISING, Values(period="2009"), at("80", "2011"), 2011) is NOT_JUDGED
    assert judged(RISING, Values(period="2009"), None, 2011) is NOT_MEASURED


def test_a_rise_from_a_years_level_is_any_increase() -> None:
    base = at("75", "2009")
    assert judged(RISING, base, at("75.1", "2011"), 2011) is ON_TRACK
    assert judged(RISING, base, at("75", "2011"), 2011) is OFF_TRACK
    assert judged(RISING, base, at("76", "2013"), 2013) is MET
    assert judged(RISING, base, at("75", "2013"), 2013) is NOT_MET


def test_a_standing_level_is_due_at_the_end_of_each_year() -> None:
    assert judged(STANDING, None, at("61", "2011"), 2011) is MET
    assert judged(STANDING, None, at("59", "2011"), 2011) is NOT_MET
    # Part of the year: not failed, on the path from the baseline to the year's end or not.
    assert judged(STANDING, None, at("59", "2011-interim"), 2011) is NOT_JUDGED
    base = at("50", "2010")
    # August 2011, 8 of 12 months from 50 toward 60: the path is at 56,7.
    assert judged(STANDING, base, at("57", "2011-interim"), 2011) is ON_TRACK
    assert judged(STANDING, base, at("56", "2011-interim"), 2011) is OFF_TRACK
    # 2010's value is a baseline for 2011, not its outcome.
    assert judged(STANDING, None, at("61", "2010"), 2011) is NOT_MEASURED
    assert judged(STANDING, None, None, 2011) is NOT_MEASURED


def test_by_gender_before_the_due_year() -> None:
    worry = Target(Comparison.LESS_THAN, Decimal(61), MeasureUnit.PERCENT, due_year=2013)
    base = Values(Decimal(70), Decimal(72), Decimal(68), "2010")
    # 2011: the path is at 70 - 9/3 = 67 (women from 72: 68,3; men from 68: 65,7).
    latest = Values(None, Decimal(68), Decimal(66), "2011")
    result = key_figure(worry, base, latest, True, Occasion(2011))
    assert result == Result(OFF_TRACK, ON_TRACK, OFF_TRACK)


def test_a_commitment_passes_the_occasion_on() -> None:
    result = commitment(
        CommitmentKind.KEY_FIGURE,
        RANKING,
        RANKING_BASE,
        at("200", "2011"),
        None,
        False,
        Occasion(2011),
    )
    assert result == Result(OFF_TRACK)
    # Without an occasion the value is judged as it stands, as before due years counted.
    assert commitment(
        CommitmentKind.KEY_FIGURE, RANKING, RANKING_BASE, at("200", "2011"), None, False
    ) == Result(PARTLY)


def test_the_targets_in_words() -> None:
    assert target_text(RANKING, "2010") == "bäst plats 145 år 2013"
    assert target_text(CONTRACTS, "2010") == (
        "ökning med minst 25 procent från utgångsvärdet (2010) år 2011"
    )
    assert target_text(RISING, "2009") == "högre än utgångsvärdet (2009) år 2013"
    assert target_text(STANDING, None) == "minst 60"
    rule = rule_text(CommitmentKind.KEY_FIGURE, RANKING, RANKING_BASE, False)
    assert rule.startswith("Vid utgången av målåret 2013 uppfyllt när placeringen är plats 145")
    assert "Dessförinnan bedöms inget som ej uppfyllt" in rule
    assert rule_text(CommitmentKind.KEY_FIGURE, CONTRACTS, None, False).startswith(
        "Vid utgången av målåret 2011 uppfyllt när värdet har ökat med minst 25 procent från"
        " utgångsvärdet; utgångsvärdet är inte mätt"
    )
