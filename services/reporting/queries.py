"""What each report reads: its rows from the read models of every source it shows, in one
read-model session (plumbing.read_models), as they stand now or as they stood at ``per``."""

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from plumbing.read_models import NotReady, ReadModels, ReadSession
from services.reporting.budget_versions import STATUSES
from services.reporting.plan import PlanInput, UnknownUnit
from services.reporting.read_models.budget import queries as budget
from services.reporting.read_models.goals import queries as goals
from services.reporting.read_models.goals.tables import GoalsInput
from services.reporting.read_models.projects import queries as projects
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.read_models.sources import BUDGET, GOALS_WITH_UNITS, PROJECTS_WITH_UNITS

__all__ = ["NotReady"]


async def plan_input(
    models: ReadModels,
    year: int,
    unit_code: str | None = None,
    per: datetime | None = None,
    statuses: Sequence[str] = STATUSES,
    every_version: bool = False,
    in_order: bool = False,
) -> PlanInput:
    """Everything the plan for ``year`` shows, read in one consistent snapshot; with
    ``unit_code``, the result goals of its subtree too. The figures are those of
    ``statuses`` (budget queries' ``figures_sql``)."""

    async def read(session: ReadSession) -> PlanInput:
        years = (year - 1, year + 2)
        units = await budget.units(session)
        figures = await budget.figures(
            session, years, statuses, every_version=every_version, in_order=in_order
        )
        frame_changes = await budget.frame_changes(session, year)
        investments = await budget.net_investments(session, years)
        narratives = await budget.narratives(session, year)
        shares = await budget.project_shares(session, years)
        latest_actuals = await budget.latest_actuals(session, year)
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
        )

    return await models.read(read, (BUDGET,), per)


async def goals_input(
    models: ReadModels, unit_code: str, year: int, per: datetime | None = None
) -> GoalsInput:
    """The goals view's rows, in one snapshot of the goals and the budget projections.

    Raises UnknownUnit when the organisation tree has no ``unit_code``.
    """

    async def read(session: ReadSession) -> GoalsInput:
        data = await goals.goals_of_subtree(session, unit_code, year)
        if not data.units:
            raise UnknownUnit(unit_code)
        return data

    return await models.read(read, GOALS_WITH_UNITS, per)


async def register_input(models: ReadModels, per: datetime | None = None) -> ProjectsInput:
    """Every project, with the organisation tree, in one snapshot."""

    async def read(session: ReadSession) -> ProjectsInput:
        return await projects.projects_with_all(session, None)

    return await models.read(read, PROJECTS_WITH_UNITS, per)


async def project_input(
    models: ReadModels, project_code: str, per: datetime | None = None
) -> ProjectsInput:
    """One project with all that hangs on it and its linked goals (where the goals read
    model exists), in one snapshot."""

    async def read(session: ReadSession) -> ProjectsInput:
        data = await projects.projects_with_all(session, project_code)
        if data.goal_links and await session.use(GOALS_WITH_UNITS):
            linked = await goals.goals_by_id(session, [link.goal_id for link in data.goal_links])
            data = dataclasses.replace(data, goals=linked, parked=data.parked + linked.parked)
        return data

    return await models.read(read, PROJECTS_WITH_UNITS, per)
