"""Small organisation trees the tests send as commands."""

from contracts.budget.commands import CloseUnit, RegisterUnit

SMALL_TREE = [
    RegisterUnit(
        actor="t", unit_code="KS", name="Kommunstyrelsen", kind="board", effective_on="2011-01-01"
    ),
    RegisterUnit(
        actor="t",
        unit_code="IT",
        name="IT-kontor",
        kind="unit",
        parent_code="KS",
        effective_on="2011-01-01",
    ),
]

# A unit closed at the end of 2010: nothing may be recorded on it from 2011.
CLOSED_UNIT = [
    RegisterUnit(
        actor="t",
        unit_code="OLD",
        name="Lönekontoret",
        kind="unit",
        parent_code="KS",
        effective_on="2010-01-01",
    ),
    CloseUnit(actor="t", unit_code="OLD", effective_on="2010-12-31"),
]
