"""Wires the projects service: its domain, its HTTP app and the project office's share,
handed to the write service kit."""

import functools

from contracts.budget.service import BUDGET
from contracts.budget.tree import OrganisationTree
from contracts.goals.service import GOALS
from contracts.projects.service import PROJECTS
from plumbing import write_service
from plumbing.decider import Domain, Learned, StreamsStartingWith
from services.projects.domain.decisions import decide, stream_for
from services.projects.domain.register import PROJECT_STREAM_PREFIX, Register, ResultGoals
from services.projects.entrypoints.http import create_app
from services.projects.office_share import OFFICE_SHARE, OfficeShare
from services.projects.settings import ProjectsSettings


def domain(settings: ProjectsSettings) -> Domain[Register]:
    """The decisions know the project office's unit from the same settings as the process
    manager that sends it its share, so who may move its revenue and where the revenue goes
    are the same unit."""
    office_unit = settings.office_share().unit_code
    return Domain(
        lambda: Register(office_unit=office_unit),
        StreamsStartingWith(PROJECT_STREAM_PREFIX),
        decide,
        stream_for,
        learns=[
            Learned(BUDGET, OrganisationTree, Register.learn_tree),
            Learned(GOALS, ResultGoals, Register.learn_goals),
        ],
    )


PARTS = write_service.WriteServiceParts(
    PROJECTS,
    ProjectsSettings,
    domain,
    create_app,
    [write_service.Runs(OFFICE_SHARE, lambda settings: OfficeShare(settings.office_share()))],
)

ProjectsProcess = write_service.WriteProcess[Register]
build = functools.partial(write_service.build, PARTS)
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
