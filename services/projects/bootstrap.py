"""Wires the projects service: its decisions and its HTTP app, handed to the write service kit."""

import functools

from contracts.projects.service import PROJECTS
from plumbing import write_service
from services.projects.application import ProjectsService
from services.projects.entrypoints.http import create_app

PARTS = write_service.WriteServiceParts(PROJECTS, ProjectsService.on_nats, create_app)
STREAMS = write_service.streams(PROJECTS)

ProjectsProcess = write_service.WriteProcess[ProjectsService]

build = functools.partial(write_service.build, PARTS)
# The service (the project office's and project tools' commands over HTTP and NATS), and its
# outbox relay in a process of its own.
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
