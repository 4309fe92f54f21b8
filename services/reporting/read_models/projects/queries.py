"""Reading the projects' read models in a read-model session (plumbing.read_models) that
names the projects' and the budget's generations (sources.PROJECTS_WITH_UNITS)."""

from typing import Any

from plumbing.read_model_tables import Table, rows_of
from plumbing.read_models import ReadSession
from services.reporting.read_models.budget.queries import SUBTREE_SQL, shares_of_projects
from services.reporting.read_models.budget.tables import UNITS, UnitNode
from services.reporting.read_models.projects import tables


async def projects_of_subtree(session: ReadSession, unit_code: str) -> tables.ProjectsInput:
    """The projects whose responsible unit lies in ``unit_code``'s subtree."""
    projects = await session.fetch(
        SUBTREE_SQL + f"SELECT {tables.PROJECTS.select()} FROM projects"
        " WHERE unit_code IN (SELECT code FROM tree) ORDER BY ord",
        unit_code,
    )
    parked, _ = await session.parked_counts()
    return tables.ProjectsInput(projects=tables.PROJECTS.rows(projects), parked=parked)


async def projects_with_all(session: ReadSession, project_code: str | None) -> tables.ProjectsInput:
    """Every project (or the one named) with all that hangs on it, and the tree."""
    where = "" if project_code is None else " WHERE project_code = $1"
    args = () if project_code is None else (project_code,)

    async def rows(table: Table[Any]) -> list[Any]:
        return table.rows(
            await session.fetch(
                f"SELECT {table.select()} FROM {table.name}{where} ORDER BY 1", *args
            )
        )

    units = await session.fetch(f"SELECT {UNITS.select(UnitNode)} FROM units")
    parked, _ = await session.parked_counts()
    return tables.ProjectsInput(
        projects=await rows(tables.PROJECTS),
        units=rows_of(UnitNode, units),
        status_changes=await rows(tables.STATUS_CHANGES),
        managers=await rows(tables.MANAGERS),
        steps=await rows(tables.STEPS),
        budgets=await rows(tables.BUDGETS),
        financing=await rows(tables.FINANCING),
        status_reports=await rows(tables.STATUS_REPORTS),
        goal_links=await rows(tables.GOAL_LINKS),
        shares=await shares_of_projects(session, project_code),
        parked=parked,
    )
