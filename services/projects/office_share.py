"""The project office's share of the projects it runs: a process manager between projects and
budget (plumbing.process_manager runs it, exactly once).

The seed says the project office is financed by its projects: "de projekt som drivs och
organiseras vid projektkontoret får avsätta resurser för detta enligt grundprincipen 10 % av
projektbudget". Projects decides it; budget records it. For every ProjectBudgetSet of a
project registered as run by the project office, this sends budget SetProjectShare on
``budget.inbound.projects.set-project-share``: the office's revenue for the year from that
project, ``project_office_share`` (0.10) of the project budget, rounded to the öre. Budget
stores it as ProjectShareSet, which replaces the earlier share of the same project and year,
so a changed budget moves the revenue instead of adding to it.

It reads the projects service's own published events and remembers which projects the office
runs. A refusal that is not a duplicate (the project office's unit does not exist in budget,
or is closed for the year) is logged for an operator (plumbing.sent_refusals); it is not sent
again, since the same command would be refused the same way. Setting the project's budget
again once the unit is there sends the share anew.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from pydantic import ValidationError

from contracts.budget.commands import SetProjectShare
from contracts.budget.service import BUDGET
from contracts.envelope import Command, Envelope
from contracts.projects.events import ProjectBudgetSet, ProjectRegistered
from contracts.projects.service import PROJECTS
from plumbing.migrations import Migrations
from plumbing.process_manager import Memory, ProcessManager, Reacted, Received
from services.projects.settings import OfficeShareSettings

log = logging.getLogger(__name__)

OERE = Decimal("0.01")

OFFICE_SHARE = ProcessManager(
    name="projects-office-share",
    title="projektkontorets andel",
    what="the project office's share",
    sender=PROJECTS,
    reads=PROJECTS,
    events=(ProjectRegistered, ProjectBudgetSet),
    target=BUDGET,
    # The projects the office runs; its table was made under plumbing's name at first.
    memory=Memory(
        "office_share_projects",
        "project_code",
        Migrations("services.projects.sql", formerly="plumbing.sql.office_share"),
    ),
    message_ids=UUID("6f1c3c2e-5b0a-4d8e-9a7c-2f4b1e0d9c51"),
)
DURABLE = OFFICE_SHARE.name
message_id_for = OFFICE_SHARE.message_id_for


def share_of(project_budget: Decimal, rate: Decimal) -> Decimal:
    """The office's revenue from a project budget: ``rate`` of it, exact, rounded to the öre
    (half away from zero, as amounts in kronor are rounded)."""
    return (project_budget * rate).quantize(OERE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OfficeShare:
    """The rule: which projects the office runs, and the share of each one's budget."""

    settings: OfficeShareSettings

    def command(self, envelope: Envelope, budget: ProjectBudgetSet) -> SetProjectShare:
        """SetProjectShare for ``budget`` (stored in ``envelope``): the same for every resend."""
        return SetProjectShare(
            **OFFICE_SHARE.caused_by(envelope),
            unit_code=self.settings.unit_code,
            year=budget.year,
            project_code=budget.project_code,
            project_budget=budget.amount,
            revenue=share_of(budget.amount, self.settings.rate),
        )

    def react(self, events: Sequence[Received], memory: set[str]) -> Reacted:
        """The commands ``events`` lead to, in order; ``memory`` (the projects the office
        runs) is added to as registrations come. Plain Python, no I/O."""
        added: list[str] = []
        commands: list[tuple[Command, Envelope]] = []
        for envelope, event in events:
            if isinstance(event, ProjectRegistered):
                if event.run_by_project_office and event.project_code not in memory:
                    memory.add(event.project_code)
                    added.append(event.project_code)
            elif isinstance(event, ProjectBudgetSet) and event.project_code in memory:
                try:
                    commands.append((self.command(envelope, event), envelope))
                except ValidationError as error:
                    # Not expected (the project's fields are budget's too); never a reason
                    # to stop the shares of every later budget.
                    log.error("no share for %s: %s", envelope.event_id, error.errors()[:3])
        return Reacted(added, commands)
