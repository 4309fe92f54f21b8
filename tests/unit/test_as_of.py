"""?per= moments, budget versions and the rounds that keep every version of a row."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from services.reporting.read_models.budget.tables import FigureRow, UnitRow
from services.reporting.read_models.budget.upserts import _rounds
from services.reporting.reports.budget_versions.builder import (
    DraftsNotShown,
    UnknownVersion,
    build_versions,
    statuses_for,
    versions_to_json,
)
from services.reporting.reports.plan.builder import PlanInput
from services.reporting.reports.shared.as_of import BadMoment, parse_moment, shown_moment

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_a_moment_without_a_zone_is_swedish_time_summer_and_winter() -> None:
    assert parse_moment("2011-09-15T12:00", NOW) == datetime(2011, 9, 15, 10, 0, tzinfo=UTC)
    assert parse_moment("2011-01-15 12:00:30", NOW) == datetime(2011, 1, 15, 11, 0, 30, tzinfo=UTC)
    assert parse_moment("2011-09-15T12:00Z", NOW) == datetime(2011, 9, 15, 12, 0, tzinfo=UTC)
    assert parse_moment("2011-09-15T12:00+05:00", NOW) == datetime(2011, 9, 15, 7, tzinfo=UTC)


def test_today_alone_is_now() -> None:
    assert parse_moment("2026-11-27", NOW) == NOW
    assert parse_moment("2026-11-26", NOW) == datetime(2026, 11, 26, 22, 59, 59, 999999, tzinfo=UTC)


def test_a_date_alone_is_the_end_of_that_day() -> None:
    end = parse_moment("2011-09-15", NOW)
    assert end.astimezone(UTC) == datetime(2011, 9, 15, 22, 0, tzinfo=UTC) - timedelta(
        microseconds=1
    )
    assert shown_moment(end) == "2011-09-15 23:59"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("igår", "går inte att läsa"),
        ("2011-9-15", "går inte att läsa"),
        ("2011-09-15T12", "går inte att läsa"),
        ("٢٠١١-09-15", "går inte att läsa"),  # other scripts' digits are not ours
        ("2011-02-30", "finns inte i kalendern"),
        ("2011-13-01T00:00", "finns inte i kalendern"),
        ("2011-09-15T25:00", "finns inte i kalendern"),
        ("2026-11-28", "ligger i framtiden"),
        ("2026-11-27T12:00:01Z", "ligger i framtiden"),
    ],
)
def test_a_bad_or_future_moment_is_refused_in_swedish(text: str, says: str) -> None:
    with pytest.raises(BadMoment, match=says):
        parse_moment(text, NOW)


def test_a_long_moment_is_not_echoed_whole() -> None:
    with pytest.raises(BadMoment) as refused:
        parse_moment("x" * 10_000, NOW)
    assert len(str(refused.value)) < 200


def test_the_statuses_a_reader_may_see() -> None:
    assert statuses_for(None, sees_drafts=True) == ("proposed", "adopted", "revised")
    assert statuses_for(None, sees_drafts=False) == ("adopted", "revised")
    assert statuses_for("beslutad", sees_drafts=False) == ("adopted",)
    # The revised budget: each unit's revision, or its adopted budget where it has none.
    assert statuses_for("reviderad", sees_drafts=False) == ("revised", "adopted")
    assert statuses_for("forslag", sees_drafts=True) == ("proposed",)
    with pytest.raises(DraftsNotShown, match="Förslag visas bara"):
        statuses_for("forslag", sees_drafts=False)
    with pytest.raises(UnknownVersion, match="Versionen senaste finns inte"):
        statuses_for("senaste", sees_drafts=True)


def test_rounds_put_each_key_once_per_statement_in_order() -> None:
    rows = [("A", 1), ("B", 1), ("A", 2), ("A", 3), ("C", 1), ("B", 2)]
    assert _rounds(rows, 1) == [
        [("A", 1), ("B", 1), ("C", 1)],
        [("A", 2), ("B", 2)],
        [("A", 3)],
    ]
    assert _rounds([], 1) == []


def _unit(code: str, parent: str | None, order: int) -> UnitRow:
    return UnitRow(code, f"Enhet {code}", "unit", parent, None, None, None, order)


def _budget(unit: str, status: str, costs: int) -> FigureRow:
    return FigureRow(unit, 2011, "budget", status, Decimal(0), Decimal(costs), None)


def test_versions_side_by_side_rolled_up_with_the_change_between_them() -> None:
    data = PlanInput(
        units=[_unit("KS", None, 1), _unit("A", "KS", 2), _unit("B", "KS", 3)],
        figures=[
            _budget("A", "proposed", -100),
            _budget("B", "proposed", -50),
            _budget("A", "adopted", -120),
            _budget("B", "adopted", -50),
            _budget("A", "revised", -130),
        ],
        frame_changes=[],
        net_investments=[],
        narratives=[],
    )
    view = build_versions(data, "KS", 2011, ("proposed", "adopted", "revised"))
    nets = {row.code: [None if a is None else a.net for a in row.versions] for row in view.rows}
    assert nets == {"KS": [-150, -170, -180], "A": [-100, -120, -130], "B": [-50, -50, -50]}
    ks = view.rows[0]
    change = ks.change(0, 1)
    assert change is not None and change.net == -20
    body = versions_to_json(view)
    assert body["rows"][0]["changes"]["adopted_minus_proposed"]["net"] == "-20"
    assert body["rows"][2]["changes"]["revised_minus_adopted"]["net"] == "0"
    assert body["rows"][1]["changes"]["revised_minus_adopted"]["net"] == "-10"
    assert view.title == "Budgetversioner 2011 för Enhet KS"
    assert date(2011, 1, 1).year == view.year
