"""A note a sender attaches to a unit's table in the plan: a caveat that belongs to a table,
a column of it or one figure ("preliminärt", "exklusive ombudgeteringar från 2010")."""

from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator

from contracts.budget.fields import FigureKind, UnitCode, Year
from contracts.field_group import FieldGroup
from contracts.identifiers import Identifier
from contracts.text import Remark


class NoteTable(StrEnum):
    """The table of a unit a note belongs to."""

    FIGURES = "figures"  # revenue, costs and net per year
    NET_INVESTMENTS = "net_investments"


class FigureLine(StrEnum):
    """The line of a figures table a note names: the net, the revenue or the costs."""

    REVENUE = "revenue"
    COSTS = "costs"
    NET = "net"


class NoteFields(FieldGroup):
    """A note on a unit's table. With ``kind`` it belongs to the column of that year and kind
    (the note under "Bokslut 2010" of the table) and is shown wherever that column is; with
    ``line`` too, to one figure of it. Without ``kind`` it belongs to the whole table of the
    plan whose budget year is ``year``. Attached again with the same ``note_id`` for the unit
    and year, it replaces the earlier note."""

    unit_code: UnitCode
    year: Year
    note_id: Identifier = Field(description="The sender's id for the note, to replace it later")
    table: NoteTable = NoteTable.FIGURES
    kind: FigureKind | None = Field(
        default=None, description="The column's kind; None: the whole table of the plan year"
    )
    line: FigureLine | None = Field(
        default=None, description="The figure of the column (figures only); None: the column"
    )
    text: Remark

    @model_validator(mode="after")
    def _line_of_a_column(self) -> Self:
        if self.line is not None and (self.kind is None or self.table != NoteTable.FIGURES):
            raise ValueError("en not på en rad (line) ska ange kolumnens kind, i tabellen figures")
        return self
