"""What each report reads: its rows from the read models of every source it shows, in one
read-model session (plumbing.read_models), as they stand now or as they stood at ``per``."""

from collections.abc import Sequence
from datetime import datetime

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.goals import queries as goals
from services.reporting.read_models.projects import queries as projects
from services.reporting.read_models.sources import BUDGET, GOALS_WITH_UNITS, PROJECTS_WITH_UNITS
from services.reporting.reports.budget_versions.builder import STATUSES
from services.reporting.reports.plan.builder import PlanInput

__all__ = ["NotReady"]


async def plan_input(
    models: ReadModels,
    year: int,
    unit_code: str | None = None,
    per: datetime | None = None,
    statuses: Sequence[str] = STATUSES,
    every_version: bool = False,
    in_order: bool = False,
    withheld: Sequence[str] = (),
) -> PlanInput:
    """Everything the plan for ``year`` shows, read in one consistent snapshot; with
    ``unit_code``, the result goals of its subtree too. The figures are those of
    ``statuses`` (budget queries' ``figures_sql``); of the statuses ``withheld`` (those the reader
    may not see), only which figures exist."""

    async def read(session: ReadSession) -> PlanInput:
        years = (year - 1, year + 2)
        units = await budget.units(session)
        figures = await budget.figures(
            session, years, statuses, every_version=every_version, in_order=in_order
        )
        frame_changes = await budget.frame_changes(session, year)
        investments = await budget.net_investments(session, years)
        narratives = await budget.narratives(session, year)
        notes = await budget.notes(session, years)
        shares = await budget.project_shares(session, years)
        latest_actuals = await budget.latest_actuals(session, year)
        hidden = await _withheld(session, years, withheld)
        parked, _ = await session.parked_counts()
        goals_read = None
        if unit_code is not None and await session.use(GOALS_WITH_UNITS):
            goals_read = await goals.goals_of_subtree(session, unit_code, year)
            parked += goals_read.parked
        projects_read = None
        if unit_code is not None and await session.use(PROJECTS_WITH_UNITS):
            projects_read = await projects.projects_of_subtree(session, unit_code)
            parked += projects_read.parked
        return PlanInput(
            units=units,
            figures=figures,
            frame_changes=frame_changes,
            net_investments=investments,
            narratives=narratives,
            parked=parked,
            goals=goals_read,
            project_shares=shares,
            projects=projects_read,
            latest_actuals=latest_actuals,
            withheld=hidden,
            notes=notes,
        )

    return await models.read(read, (BUDGET,), per)


async def _withheld(
    session: ReadSession, years: tuple[int, int], statuses: Sequence[str]
) -> frozenset[tuple[str, int, str]]:
    """(unit, year, kind) of the figures of ``years`` recorded with one of ``statuses``."""
    if not statuses:
        return frozenset()
    rows = await session.fetch(
        "SELECT DISTINCT unit_code, year, kind FROM figures"
        " WHERE year BETWEEN $1 AND $2 AND status = ANY($3::text[])",
        *years,
        list(statuses),
    )
    return frozenset((row["unit_code"], row["year"], row["kind"]) for row in rows)
