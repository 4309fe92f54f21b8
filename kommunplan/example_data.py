"""Example data: monthly actuals and forecasts for January–August 2011, to try the follow-up.

The seed (Katrineholm's plan for 2011–2013) has no monthly figures, so the follow-up of budget
against actuals and forecast would be empty. These are generated, never Katrineholm's: every
command carries the actor ``exempeldata`` (``EXAMPLE_ACTOR``), which is how the views recognise
them and mark them "Exempeldata". They are sent as the ledger system would send them.

Which units. The ledger books on the lowest level of the tree, so the units that get monthly
figures are the leaves with a Budget 2011 table in the seed: the units under KC and KLF, and
NÄT, which has no units under it. KS, KC and KLF print tables of their own, but those are the
sums of the units under them; monthly figures on them as well would count the same kronor
twice wherever the follow-up adds up a subtree. KLC has no table, so no budget to follow.

What a month's figures are. An ``ActualsRecorded`` is the booked outcome of that month alone,
as the ledger reports it, not the year to date: the reporting projection keeps one row per
unit and month and a later message for the same month replaces it ("Booked outcome for a
month ... replaces earlier ones"); the year to date is the sum of the months. A
``ForecastMade`` for a month is the expected outcome of the whole year, made in that month.

How they are generated, exactly (Decimal, whole kronor), the same on every call:

- A month's budget is the 2011 budget (revenue and costs apart) times the month's share: the
  unit's budget profile where it has one (POL and KOM, ``PROFILES``, sent as SetBudgetProfile
  so periodisation by profile is exercised), else a twelfth shaped by the holidays
  (``HOLIDAY_SHAPE``: July 0.85 of a twelfth, the rest booked in August at 1.15).
- The month's actuals are that budget times (1 + the unit's deviation, ``COST_DEVIATIONS`` and
  ``REVENUE_DEVIATIONS``: a few units clearly off budget), plus a booking-timing variation:
  a share of the month (up to ±8 % of costs, ±3 % of revenue, from a SHA-256 hash of unit,
  month and row) slips into the next month. What slips one month comes back the next, so the
  months vary while the year to date stays near budget, off only by the last month's slip.
- The forecast made in a month is the actuals to date plus the rest of the year's budget
  scaled by how far the actuals to date are from the budget to date, weighed by the share of
  the year they cover: it drifts with the actuals, little in January, more by August.
- A few month comments (``COMMENTS``) for the units that deviate most, as example text.

Every command has a message id derived from a stable key (``message_id``), so loading the
example data twice sends the same ids and the second load is refused as duplicates.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from uuid import UUID, uuid5

from contracts.budget.commands import (
    MakeForecast,
    RecordActuals,
    SetBudgetProfile,
    WriteMonthComment,
)
from contracts.envelope import Command
from kommunplan.demo_data.budget import BUDGET_2011, TABLES, UNITS, kronor

EXAMPLE_ACTOR = "exempeldata"
"""The actor of every example command: how the views tell example data from the seed's."""

EXAMPLE_NAMESPACE = UUID("1cf5b72a-5089-48a7-ad66-afae0d68cc77")
"""Fixed namespace of the example data's message ids; never change it, or reloading sends new
ids."""

YEAR = 2011
MONTHS = tuple(range(1, 9))
"""January–August: the months the example ledger has closed."""

TWELVE = Decimal(12)
HUNDRED = Decimal(100)
KRONA = Decimal(1)

COST_TIMING = 800
"""Largest share of a month's costs that slips into the next month, in basis points (±8 %)."""
REVENUE_TIMING = 300
"""The same for revenue (±3 %): charges and rents are invoiced more regularly than costs."""

HOLIDAY_SHAPE: dict[int, Decimal] = {7: Decimal("0.85"), 8: Decimal("1.15")}
"""A month's share in twelfths, for units without a profile, where it is not one: less booked in
July, caught up in August; January–August still add up to eight twelfths."""

PROFILES: dict[str, tuple[Decimal, ...]] = {
    # No meetings in July and few in August.
    "POL": tuple(
        Decimal(p) for p in ("8.5", "9", "9", "9", "9", "9", "2", "7", "9.5", "9.5", "9.5", "9")
    ),
    # The summer timetable of the public transport.
    "KOM": tuple(
        Decimal(p) for p in ("9", "9", "9", "8.5", "8.5", "8", "5.5", "7.5", "8.5", "9", "8.5", "9")
    ),
}
"""Budget profiles, percent of the year per month from January, each summing to 100."""

COST_DEVIATIONS: dict[str, Decimal] = {
    "INFO": Decimal("0.12"),  # over: the new informatör started early, e-service licences
    "KOM": Decimal("0.08"),  # over: dearer public transport (Sörmlandspilen)
    "EKO": Decimal("-0.05"),  # under: a post vacant in the spring
}
"""Units whose costs run off their budget, by this share of it."""

REVENUE_DEVIATIONS: dict[str, Decimal] = {
    "IT": Decimal("-0.07"),  # fewer services charged to the administrations than budgeted
}
"""Units whose revenue runs off its budget, by this share of it."""

_NOTE = " (Exempeltext, inte Katrineholms kommentar.)"


@dataclass(frozen=True)
class Comment:
    unit_code: str
    month: int
    comment: str
    measures: str | None


COMMENTS: tuple[Comment, ...] = (
    Comment(
        "INFO",
        8,
        "Kostnaderna ligger över budget sedan årets början. Den nya informatörstjänsten "
        "tillsattes tidigare än planerat och licenserna för e-tjänsterna blev dyrare än "
        "beräknat." + _NOTE,
        "Vakanser under hösten återbesätts inte och licensavtalen för e-tjänsterna "
        "omförhandlas. Prognosen stäms av med ekonomikontoret i oktober." + _NOTE,
    ),
    Comment(
        "KOM",
        6,
        "Kostnaderna för kollektivtrafiken, främst Sörmlandspilen, har ökat mer än "
        "budgeterat efter höjda ersättningar till trafikföretaget." + _NOTE,
        "Dialog med länstrafiken om turutbudet under hösten. Underskottet redovisas för "
        "kommunstyrelsen i delårsrapporten." + _NOTE,
    ),
    Comment(
        "IT",
        8,
        "Intäkterna är lägre än budget: färre tjänster och licenser har debiterats "
        "förvaltningarna än beräknat." + _NOTE,
        "Prislistan för IT-tjänster ses över inför 2012 och planerade inköp av datorer "
        "skjuts till nästa år." + _NOTE,
    ),
    Comment(
        "FOL",
        8,
        "Augusti belastas av fakturor för underhåll och reparationer som hör till juli, då "
        "fakturorna inte hann attesteras före semestrarna." + _NOTE,
        "Inga åtgärder; avvikelsen är en periodiseringsfråga och väntas jämna ut sig i "
        "september." + _NOTE,
    ),
    Comment(
        "EKO",
        8,
        "Kostnaderna är lägre än budget på grund av en vakant tjänst under våren." + _NOTE,
        "Tjänsten är tillsatt från september; överskottet väntas minska under hösten." + _NOTE,
    ),
)


# --- Budget per unit ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitBudget:
    """A unit's 2011 budget in kronor, revenue positive and costs negative, as in the seed."""

    unit_code: str
    revenue: Decimal
    costs: Decimal


def example_units() -> tuple[UnitBudget, ...]:
    """The leaves of the tree with a Budget 2011 table, in the tree's order."""
    parents = {unit.parent_code for unit in UNITS}
    budgets = {
        table.unit_code: (kronor(revenue), kronor(costs))
        for table in TABLES
        for column, revenue, costs, _printed_net in table.cells()
        if column == BUDGET_2011
    }
    return tuple(
        UnitBudget(unit.code, *budgets[unit.code])
        for unit in UNITS
        if unit.code not in parents and unit.code in budgets
    )


def period(month: int) -> str:
    return f"{YEAR}-{month:02d}"


def month_share(unit_code: str, month: int) -> Decimal:
    """The month's share of the unit's year: its profile where it has one, else twelfths
    shaped by the holidays."""
    profile = PROFILES.get(unit_code)
    if profile is not None:
        return profile[month - 1] / HUNDRED
    return HOLIDAY_SHAPE.get(month, KRONA) / TWELVE


def _sum(amounts: Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def share_to_date(unit_code: str, month: int) -> Decimal:
    return _sum(month_share(unit_code, m) for m in range(1, month + 1))


def timing(unit_code: str, month: int, row: str, largest_bp: int) -> Decimal:
    """The share of a month that slips into the next: within ±``largest_bp`` basis points,
    from a hash of unit, month and row; the same on every call and every machine."""
    digest = hashlib.sha256(f"{unit_code}/{period(month)}/{row}".encode()).digest()
    basis_points = int.from_bytes(digest[:8], "big") % (2 * largest_bp + 1) - largest_bp
    return Decimal(basis_points) / Decimal(10_000)


def whole(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_EVEN)


def monthly_actuals(year_budget: Decimal, unit_code: str, row: str) -> list[Decimal]:
    """One row (revenue or costs) of a unit's actuals for each month in ``MONTHS``."""
    deviations = COST_DEVIATIONS if row == "costs" else REVENUE_DEVIATIONS
    largest = COST_TIMING if row == "costs" else REVENUE_TIMING
    level = KRONA + deviations.get(unit_code, Decimal(0))
    months: list[Decimal] = []
    slipped_in = Decimal(0)
    for month in MONTHS:
        booked = year_budget * month_share(unit_code, month) * level
        slipped_out = booked * timing(unit_code, month, row, largest)
        months.append(whole(booked - slipped_out + slipped_in))
        slipped_in = slipped_out
    return months


def forecast(year_budget: Decimal, unit_code: str, month: int, actuals_to_date: Decimal) -> Decimal:
    """The full year as expected in ``month``: the actuals to date and the rest of the
    budget, scaled by how far the actuals to date are from the budget to date, trusted as
    much as the share of the year they cover (a single month says little of the year)."""
    share = share_to_date(unit_code, month)
    budget_to_date = year_budget * share
    off = actuals_to_date / budget_to_date - KRONA if budget_to_date else Decimal(0)
    return whole(actuals_to_date + (year_budget - budget_to_date) * (KRONA + off * share))


# --- Commands -------------------------------------------------------------------------------


def message_id(key: str) -> UUID:
    """The example data's id for the command with this stable key, the same on every load."""
    return uuid5(EXAMPLE_NAMESPACE, key)


def booked_at(month: int, day: int) -> datetime:
    """When the ledger sends a month's figures: early in the next month."""
    return datetime(YEAR, month + 1, day, 8, 0, tzinfo=UTC)


def profile_commands() -> list[Command]:
    return [
        SetBudgetProfile(
            message_id=message_id(f"profile/{unit_code}/{YEAR}"),
            actor=EXAMPLE_ACTOR,
            occurred_at=datetime(YEAR, 1, 3, 8, 0, tzinfo=UTC),
            unit_code=unit_code,
            year=YEAR,
            monthly_percent=list(profile),
        )
        for unit_code, profile in PROFILES.items()
    ]


def _month_figures(
    kind: type[RecordActuals] | type[MakeForecast],
    key: str,
    unit_code: str,
    month: int,
    revenue: Decimal,
    costs: Decimal,
) -> Command:
    """A month's actuals or forecast for a unit, as the ledger sends it early the next month."""
    return kind(
        message_id=message_id(f"{key}/{unit_code}/{period(month)}"),
        actor=EXAMPLE_ACTOR,
        occurred_at=booked_at(month, 10),
        unit_code=unit_code,
        period=period(month),
        revenue=revenue,
        costs=costs,
    )


def _unit_month_commands(unit: UnitBudget) -> Iterator[tuple[int, Command]]:
    code = unit.unit_code
    revenue = monthly_actuals(unit.revenue, code, "revenue")
    costs = monthly_actuals(unit.costs, code, "costs")
    for index, month in enumerate(MONTHS):
        yield (
            month,
            _month_figures(RecordActuals, "actuals", code, month, revenue[index], costs[index]),
        )
        expected_revenue = forecast(unit.revenue, code, month, _sum(revenue[: index + 1]))
        expected_costs = forecast(unit.costs, code, month, _sum(costs[: index + 1]))
        yield (
            month,
            _month_figures(MakeForecast, "forecast", code, month, expected_revenue, expected_costs),
        )


def month_commands() -> list[Command]:
    """Actuals and forecast of every unit, month by month, January first."""
    per_unit = [command for unit in example_units() for command in _unit_month_commands(unit)]
    return [command for _, command in sorted(per_unit, key=lambda pair: pair[0])]


def comment_commands() -> list[Command]:
    return [
        WriteMonthComment(
            message_id=message_id(f"comment/{c.unit_code}/{period(c.month)}"),
            actor=EXAMPLE_ACTOR,
            occurred_at=booked_at(c.month, 12),
            unit_code=c.unit_code,
            period=period(c.month),
            comment=c.comment,
            measures=c.measures,
        )
        for c in COMMENTS
    ]


def example_commands() -> list[Command]:
    """Every example command: the profiles, then the months in order, then the comments."""
    return [*profile_commands(), *month_commands(), *comment_commands()]


def last_example_actuals() -> RecordActuals:
    """The last actuals sent: once the views show it, they show all the example actuals."""
    return [c for c in example_commands() if isinstance(c, RecordActuals)][-1]
