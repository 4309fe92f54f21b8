"""Wires the projects service: its decisions and its HTTP app, handed to the write service kit."""

import functools

from contracts.projects.service import PROJECTS
from plumbing import write_service
from services.projects import office_share
from services.projects.application import ProjectsService
from services.projects.entrypoints.http import create_app

# Beside its inbound consumer, the process sends budget the project office's share.
PARTS = write_service.WriteServiceParts(
    PROJECTS, ProjectsService.on_nats, create_app, workers=office_share.workers
)
STREAMS = write_service.streams(PROJECTS)

ProjectsProcess = write_service.WriteProcess[ProjectsService]

build = functools.partial(write_service.build, PARTS)
# The service (the project office's and project tools' commands over HTTP and NATS), and its
# outbox relay in a process of its own.
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
