"""Ready-marking (klarmarkering): what the contract takes, and how a report shows which
units under it are ready, with who marked them and when."""

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from contracts.budget.commands import MarkReady
from services.reporting.read_models.budget.tables import ReadyRow, UnitRow
from services.reporting.reports.shared.readiness import readiness


def _unit(code: str, parent: str | None, order: int) -> UnitRow:
    return UnitRow(code, code.title(), "unit", parent, None, None, None, order)


def test_a_month_report_is_marked_for_a_month_and_a_year_report_for_none() -> None:
    MarkReady(actor="a", unit_code="IT", year=2011, report="month_report", month=8)
    MarkReady(actor="a", unit_code="IT", year=2011, report="annual_report")
    with pytest.raises(ValidationError, match="ange month"):
        MarkReady(actor="a", unit_code="IT", year=2011, report="month_report")
    with pytest.raises(ValidationError, match="ange ingen month"):
        MarkReady(actor="a", unit_code="IT", year=2011, report="interim_report", month=8)


def test_the_parent_shows_each_child_ready_or_not_with_who_and_when() -> None:
    units = [_unit("KLF", None, 1), _unit("IT", "KLF", 2), _unit("STAB", "KLF", 3)]
    at = datetime(2011, 9, 5, 8, 12, tzinfo=UTC)
    rows = [
        ReadyRow("IT", "month_report", "2011-08", "ready", "anna.klf", "Anna Andersson", at),
        ReadyRow("STAB", "month_report", "2011-08", "reopened", "anna.klf", None, at),
    ]
    found = readiness("month_report", "2011-08", "KLF", units, rows)
    assert found is not None
    assert not found.unit.ready and found.unit.words == "inte klar"
    assert [(c.code, c.ready) for c in found.children] == [("IT", True), ("STAB", False)]
    assert found.children[0].words == "klar (Anna Andersson, 2011-09-05 10:12)"
    assert found.children[1].words == "öppnad igen, inte klar (anna.klf, 2011-09-05 10:12)"
    assert found.ready_children == 1
    assert readiness("month_report", "2011-08", "OKÄND", units, rows) is None
