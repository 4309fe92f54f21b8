"""The budget service's subjects and streams under older names.

Every subject and stream is named by its service's declaration (contracts.service.WriteService:
``events_stream``, ``event_subject``, ``inbound_subject``, ``rejected_subject`` …), the one way
the kit and the services name them. These are budget's, taken from its declaration, for the
readers that still name them so.
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
