"""Budget's events are built from its commands as every service's are (contracts.envelope)."""

from contracts.envelope import event_from

__all__ = ["event_from"]
