"""Wires the goals service: its domain and its HTTP app, handed to the write service kit."""

import functools

from contracts.budget.service import BUDGET
from contracts.budget.tree import OrganisationTree
from contracts.goals.service import GOALS
from plumbing import write_service
from plumbing.decider import Domain, Learned, OneStream
from plumbing.settings import WriteServiceSettings
from services.goals.domain.catalogue import CATALOGUE_STREAM, Catalogue
from services.goals.domain.decisions import decide, stream_for
from services.goals.entrypoints.http import create_app

# The catalogue is one stream, each measure's measurements another; the tree is budget's.
DOMAIN = Domain(
    Catalogue,
    OneStream(CATALOGUE_STREAM),
    decide,
    stream_for,
    learns=[Learned(BUDGET, OrganisationTree, Catalogue.learn_tree)],
)
PARTS = write_service.WriteServiceParts(GOALS, WriteServiceSettings, lambda _: DOMAIN, create_app)

GoalsProcess = write_service.WriteProcess[Catalogue]
build = functools.partial(write_service.build, PARTS)
run = functools.partial(write_service.run, PARTS)
run_relay = functools.partial(write_service.run_relay, PARTS)
