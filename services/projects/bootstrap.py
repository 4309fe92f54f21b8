"""Wires the projects service: its decisions and its HTTP app, handed to the write service kit."""

import functools

from contracts.projects.service import PROJECTS
from plumbing import write_service
from plumbing.settings import ServiceSettings
from services.projects import office_share
from services.projects.application import ProjectsService
from services.projects.entrypoints.http import create_app

STREAMS = write_service.streams(PROJECTS)

ProjectsProcess = write_service.WriteProcess[ProjectsService]


def parts(settings: ServiceSettings) -> write_service.WriteServiceParts[ProjectsService]:
    """The decisions know the project office's unit from the same settings as the process
    manager that sends it its share, so who may move its revenue and where the revenue goes
    are the same unit. Beside its inbound consumer, the process sends budget that share."""
    office_unit = office_share.OfficeShareSettings.from_settings(settings).unit_code
    return write_service.WriteServiceParts(
        PROJECTS,
        functools.partial(ProjectsService.on_nats, office_unit=office_unit),
        create_app,
        workers=office_share.workers,
    )


async def build(settings: ServiceSettings) -> ProjectsProcess:
    return await write_service.build(parts(settings), settings)


async def run(settings: ServiceSettings) -> None:
    """The service (the project office's and project tools' commands over HTTP and NATS)."""
    await write_service.run(parts(settings), settings)


async def run_relay(settings: ServiceSettings) -> None:
    """The service's outbox relay, in a process of its own."""
    await write_service.run_relay(parts(settings), settings)
