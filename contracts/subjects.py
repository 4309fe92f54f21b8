"""Every NATS subject and JetStream stream name, in one place.

The budget service's names are derived from its declaration (contracts.budget.service).
"""

from typing import Final

from contracts.budget.service import BUDGET

BUDGET_EVENTS_STREAM: Final = BUDGET.events_stream
BUDGET_EVENTS_SUBJECTS: Final = BUDGET.events_subjects

BUDGET_INBOUND_STREAM: Final = BUDGET.inbound_stream
BUDGET_INBOUND_SUBJECTS: Final = BUDGET.inbound_subjects

BUDGET_REJECTED_STREAM: Final = BUDGET.rejected_stream
BUDGET_REJECTED_SUBJECTS: Final = BUDGET.rejected_subjects

budget_event = BUDGET.event_subject
budget_inbound = BUDGET.inbound_subject
budget_rejected = BUDGET.rejected_subject
