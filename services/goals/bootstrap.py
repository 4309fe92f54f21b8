"""Wires the goals service: its decisions and its HTTP app, handed to the write service kit."""

import functools

from contracts.goals.service import GOALS
from plumbing import write_service
from services.goals.application import GoalsService
from services.goals.entrypoints.http import create_app

PARTS = write_service.WriteServiceParts(GOALS, GoalsService.on_nats, create_app)
STREAMS = write_service.streams(GOALS)

GoalsProcess = write_service.WriteProcess[GoalsService]

build = functools.partial(write_service.build, PARTS)
# The service (planners' and controllers' HTTP routes, the inbound consumer), and its outbox
# relay in a process of its own.
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
