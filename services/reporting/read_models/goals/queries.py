"""Reading the goals' read models in a read-model session (plumbing.read_models) that names
the goals' and the budget's generations (sources.GOALS_WITH_UNITS)."""

from collections.abc import Sequence
from typing import Any

from plumbing.read_model_tables import R, Table, rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.budget.queries import SUBTREE_SQL
from services.reporting.read_models.budget.tables import UNITS, UnitName
from services.reporting.read_models.goals import tables


async def goals_of_subtree(session: ReadSession, unit_code: str, year: int) -> tables.GoalsInput:
    """The goals of ``unit_code``'s subtree whose years cover ``year``, with what hangs on
    them; the commitments read as ``commitment``."""
    units = await session.fetch(
        SUBTREE_SQL + "SELECT code, name FROM tree ORDER BY path", unit_code
    )
    goals = await session.fetch(
        SUBTREE_SQL + f"SELECT {tables.GOALS.select(alias='g')}"
        " FROM goals g JOIN tree t ON t.code = g.unit_code"
        " WHERE $2 BETWEEN g.first_year AND g.last_year ORDER BY t.path, g.ord",
        unit_code,
        year,
    )
    return await _with_all(session, rows_of(UnitName, units), tables.GOALS.rows(goals))


async def goals_by_id(session: ReadSession, goal_ids: Sequence[str]) -> tables.GoalsInput:
    """The goals named, whatever their years, with what hangs on them and their units."""
    goals = await _in_order(session, tables.GOALS, "goal_id = ANY($1::text[])", list(goal_ids))
    units = await session.fetch(
        f"SELECT {UNITS.select(UnitName)} FROM units WHERE code = ANY($1::text[]) ORDER BY ord",
        sorted({g.unit_code for g in goals}),
    )
    return await _with_all(session, rows_of(UnitName, units), goals)


async def _in_order(session: ReadSession, table: Table[R], where: str, *args: Any) -> list[R]:
    """The rows of ``table`` that ``where`` selects, in the order they were written."""
    return table.rows(
        await session.fetch(
            f"SELECT {table.select()} FROM {table.name} WHERE {where} ORDER BY ord", *args
        )
    )


async def _with_all(
    session: ReadSession,
    units: list[UnitName],
    goals: list[tables.GoalRow],
) -> tables.GoalsInput:
    goal_ids = [g.goal_id for g in goals]
    commitments = await _in_order(
        session, tables.COMMITMENTS, "goal_id = ANY($1::text[])", goal_ids
    )
    commitment_ids = [c.commitment_id for c in commitments]
    indicators = await _in_order(
        session,
        tables.INDICATORS,
        "goal_id = ANY($1::text[]) OR commitment_id = ANY($2::text[])",
        goal_ids,
        commitment_ids,
    )
    measures = commitment_ids + [i.indicator_id for i in indicators]
    notes = await _in_order(
        session, tables.NOTES, "attached_to = ANY($1::text[])", goal_ids + measures
    )
    latest = await session.fetch(
        f"SELECT {tables.MEASUREMENTS.select(tables.MeasurementRow)} FROM measurements"
        " WHERE measure_id = ANY($1::text[])",
        measures,
    )
    history = await session.fetch(
        f"SELECT {tables.MEASUREMENT_HISTORY.select()} FROM measurement_history"
        " WHERE measure_id = ANY($1::text[]) ORDER BY ord",
        measures,
    )
    assessments = await session.fetch(
        f"SELECT {tables.ACTIVITY_ASSESSMENTS.select(tables.AssessmentRow)}"
        " FROM activity_assessments WHERE commitment_id = ANY($1::text[])",
        commitment_ids,
    )
    perspectives = await session.fetch(
        f"SELECT {tables.PERSPECTIVES.select()} FROM perspectives ORDER BY ord"
    )
    parked, _ = await session.parked_counts()
    return tables.GoalsInput(
        units=units,
        perspectives=tables.PERSPECTIVES.rows(perspectives),
        goals=goals,
        commitments=commitments,
        indicators=indicators,
        notes=notes,
        measurements=rows_of(tables.MeasurementRow, latest),
        measurement_history=rows_of(tables.MeasurementRow, history),
        assessments=rows_of(tables.AssessmentRow, assessments),
        parked=parked,
    )
