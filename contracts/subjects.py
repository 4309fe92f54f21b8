"""Every NATS subject and JetStream stream name, in one place."""

from typing import Final

BUDGET_EVENTS_STREAM: Final = "BUDGET_EVENTS"
BUDGET_EVENTS_SUBJECTS: Final = "budget.events.>"

BUDGET_INBOUND_STREAM: Final = "BUDGET_INBOUND"
BUDGET_INBOUND_SUBJECTS: Final = "budget.inbound.>"

BUDGET_REJECTED_STREAM: Final = "BUDGET_REJECTED"
BUDGET_REJECTED_SUBJECTS: Final = "budget.rejected.>"


def budget_event(event_type: str) -> str:
    """Subject on which the budget service publishes a stored event."""
    return f"budget.events.{event_type}"


def budget_inbound(source_system: str, command_name: str) -> str:
    """Subject on which an administration's system sends a command.

    Each system has its own subtree (``budget.inbound.<system>.>``), so its
    permissions and its rejections can be kept apart from other systems'.
    """
    return f"budget.inbound.{source_system}.{command_name}"


def budget_rejected(source_system: str) -> str:
    """Subject where the budget service puts a system's refused messages, with the reason."""
    return f"budget.rejected.{source_system}"
