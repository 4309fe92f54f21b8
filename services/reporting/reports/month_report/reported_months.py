"""Which months each unit has reported, and what a node can compare when its units have not
all reported the same ones.

A month a unit has not reported is missing for that unit, never zero, so a node's actuals are
known only for the months every unit at or below it that reports has reported: from January
to the first month one of them lacks (the node's compared month). A unit reports when it has
actuals of its own, or when it is where the ledger books, the lowest level of the tree with a
budget: such a unit that has sent nothing has every month missing. Budget to date runs to the
same month, so actuals and budget always cover the same months; actuals that some units have
sent for later months wait until the others have sent theirs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.reporting.vocabulary import MONTH_NAMES

# A notice names at most this many units, then says how many more there are.
NAMED_UNITS = 6


@dataclass(frozen=True)
class UnitMonths:
    """The months, up to the report's, with actuals of a unit's own, and those it is to
    report: the months of the year it exists in (registered, not yet closed)."""

    code: str
    name: str
    months: frozenset[int]
    first: int = 1  # the first month it is to report
    last_expected: int = 12  # the last month it is to report
    until: int = 12  # the report's month

    @property
    def through(self) -> int:
        """The last month m, up to the report's, such that every month from January to m
        that the unit is to report is reported; 0 when January is to be and is not."""
        month = 0
        while month < self.until and (
            month + 1 in self.months or not self.first <= month + 1 <= self.last_expected
        ):
            month += 1
        return month

    @property
    def expects_any(self) -> bool:
        """Whether the unit is to report any month up to the report's."""
        return self.first <= min(self.last_expected, self.until)

    @property
    def last(self) -> int:
        """The last month reported; 0 for a unit that has reported none."""
        return max(self.months, default=0)

    def after(self, month: int) -> tuple[int, ...]:
        """The months reported after ``month``."""
        return tuple(sorted(m for m in self.months if m > month))


def months_words(first: int, last: int) -> str:
    """ "september–december", or "augusti" for one month."""
    if first == last:
        return MONTH_NAMES[first - 1]
    return f"{MONTH_NAMES[first - 1]}–{MONTH_NAMES[last - 1]}"


def month_ranges(months: Sequence[int]) -> str:
    """ "september–oktober", "augusti, oktober": the months as runs, in order."""
    runs: list[tuple[int, int]] = []
    for month in sorted(months):
        if runs and runs[-1][1] == month - 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return ", ".join(
        MONTH_NAMES[first - 1]
        if first == last
        else f"{MONTH_NAMES[first - 1]}–{MONTH_NAMES[last - 1]}"
        for first, last in runs
    )


def _names(units: Sequence[UnitMonths]) -> str:
    names = [unit.name for unit in units[:NAMED_UNITS]]
    more = len(units) - len(names)
    if more:
        return f"{', '.join(names)} och {more} till"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} och {names[-1]}"


def missing_notice(
    root_name: str, year: int, month: int, reported: int | None, compared: int | None
) -> str | None:
    """What a report of ``month`` says of the months after the last one any unit under
    ``root_name`` has reported; None when none is missing."""
    if (reported or 0) >= month:
        return None
    months = months_words((reported or 0) + 1, month)
    if reported is None:
        return (
            f"Utfall saknas för {months} {year}: ingen månad är rapporterad för"
            f" {root_name}. Ej rapporterade månader räknas inte som noll."
        )
    found = (
        f"Utfall saknas för {months} {year}; senast rapporterade månad är"
        f" {MONTH_NAMES[reported - 1]}. Ej rapporterade månader räknas inte som noll"
    )
    if compared != reported:
        return found + "."  # the notice of uneven months says which months are compared
    return f"{found}: utfall, budget och avvikelse avser {months_words(1, reported)}."


def uneven_notice(
    root_name: str,
    year: int,
    compared: int | None,
    reported: int | None,
    units: Sequence[UnitMonths],
) -> str | None:
    """What the report says when its units have not reported the same months; None when
    every unit that reports has reported every month to the last one reported."""
    if compared is None or reported is None or compared >= reported:
        return None
    holding = _names([unit for unit in units if unit.through == compared])
    first_missing = MONTH_NAMES[compared]
    if compared == 0:
        covered = (
            f"Utfall, budget och avvikelse för {root_name} visas inte: {first_missing} {year}"
            f" saknas för {holding}, så det finns ingen månad som alla enheter har rapporterat."
        )
    else:
        covered = (
            f"Enheterna under {root_name} har inte rapporterat samma månader. Utfall, budget"
            f" och avvikelse avser {months_words(1, compared)} {year}, de månader som alla"
            f" har rapporterat; {first_missing} saknas för {holding}."
        )
    waiting = [unit for unit in units if unit.last > compared]
    listed = "; ".join(
        f"{unit.name} {month_ranges(unit.after(compared))}" for unit in waiting[:NAMED_UNITS]
    )
    if len(waiting) > NAMED_UNITS:
        listed += f" och {len(waiting) - NAMED_UNITS} enheter till"
    return (
        f"{covered} Utfall som redan har kommit för senare månader räknas in när alla enheter"
        f" har rapporterat dem: {listed}."
    )
