"""Wires the budget service: its domain and its HTTP app, handed to the write service kit."""

import functools

from contracts.budget.service import BUDGET
from plumbing import write_service
from plumbing.decider import Domain, OneStream
from plumbing.settings import WriteServiceSettings
from services.budget.domain.decisions import decide, stream_for
from services.budget.domain.organisation import ORGANISATION_STREAM, Organisation
from services.budget.entrypoints.http import create_app

# The organisation tree is one stream; figures go on each unit's year (stream_for).
DOMAIN = Domain(Organisation, OneStream(ORGANISATION_STREAM), decide, stream_for)
PARTS = write_service.WriteServiceParts(BUDGET, WriteServiceSettings, lambda _: DOMAIN, create_app)

BudgetProcess = write_service.WriteProcess[Organisation]
# The service (controllers' HTTP routes, the inbound consumer), and its outbox relay in a
# process of its own.
build = functools.partial(write_service.build, PARTS)
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
