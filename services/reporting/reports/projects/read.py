"""What the project register and a project's page read, in one snapshot of the projects' and
the budget's read models (and the goals', for a project's linked goals)."""

import dataclasses
from datetime import datetime

from plumbing.read_models import ReadModels, ReadSession
from services.reporting.read_models.goals import queries as goals
from services.reporting.read_models.projects import queries as projects
from services.reporting.read_models.projects.tables import ProjectsInput
from services.reporting.read_models.senders import PROJECT_SENDERS, senders_by_order
from services.reporting.read_models.sources import GOALS_WITH_UNITS, PROJECTS_WITH_UNITS


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
        orders = [
            row.order
            for rows in (data.projects, data.status_changes, data.status_reports)
            for row in rows
        ]
        senders = await senders_by_order(session, PROJECT_SENDERS, orders)
        data = dataclasses.replace(data, senders=senders)
        if data.goal_links and await session.use(GOALS_WITH_UNITS):
            linked = await goals.goals_by_id(session, [link.goal_id for link in data.goal_links])
            data = dataclasses.replace(data, goals=linked, parked=data.parked + linked.parked)
        return data

    return await models.read(read, PROJECTS_WITH_UNITS, per)
