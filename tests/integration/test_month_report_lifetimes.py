"""A unit is to report the months it exists in, as the organisation tree's events say: on
NATS and PostgreSQL, from the unit's registration to the month report."""

from datetime import date
from typing import Any

import pytest

from contracts.budget.commands import CloseUnit, RecordActuals, RegisterUnit, SetFigures
from contracts.envelope import Command
from services.reporting.bootstrap import ReportingProcess
from tests.system import Seed, get_as, ledger_sends

ACTOR = "controller"


def commands() -> list[Command]:
    def unit(code: str, name: str, parent: str | None, on: date) -> RegisterUnit:
        kind = "board" if parent is None else "unit"
        return RegisterUnit(
            actor=ACTOR, unit_code=code, name=name, kind=kind, parent_code=parent, effective_on=on
        )

    def budget(code: str) -> SetFigures:
        return SetFigures(
            actor=ACTOR,
            unit_code=code,
            year=2011,
            kind="budget",
            status="adopted",
            revenue="120000",
            costs="-1200000",
        )

    def actuals(code: str, months: range) -> list[Command]:
        return [
            RecordActuals(
                actor=ACTOR, unit_code=code, period=f"2011-{m:02d}", revenue="10000", costs="-1"
            )
            for m in months
        ]

    january = date(2011, 1, 1)
    return [
        unit("KS", "Kommunstyrelsen", None, january),
        unit("IT", "IT-kontor", "KS", january),
        unit("NY", "Nya kontoret", "KS", date(2011, 7, 1)),
        unit("GAMLA", "Gamla kontoret", "KS", january),
        CloseUnit(actor=ACTOR, unit_code="GAMLA", effective_on=date(2011, 6, 1)),
        *(budget(code) for code in ("IT", "NY", "GAMLA")),
        *actuals("IT", range(1, 9)),
        *actuals("NY", range(7, 9)),
        *actuals("GAMLA", range(1, 6)),
    ]


@pytest.fixture
def reporting_seed() -> Seed:
    return ledger_sends(commands())


async def report(process: ReportingProcess, period: str) -> dict[str, Any]:
    response = await get_as(process.app, f"/api/uppfoljning/KS/{period}")
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_unit_opened_or_closed_in_the_year_holds_back_no_month(
    reporting: ReportingProcess,
) -> None:
    august = await report(reporting, "2011-08")
    # Nya kontoret from July, Gamla kontoret until May: every month is in for all three.
    assert (august["reported_month"], august["compared_month"]) == (8, 8)
    assert august["uneven_units"] == []
    assert not any("samma månader" in notice for notice in august["notices"])
    # IT's eight months, Nya kontoret's two and Gamla kontoret's five.
    assert august["nodes"][0]["actuals_to_date"]["revenue"] == str(10000 * (8 + 2 + 5))
