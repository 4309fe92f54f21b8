"""A command a service will not carry out, and why: what every decision may answer instead of
an event. Over HTTP a refusal is a 422, or a 403 when it is NotPermitted; over NATS it goes to
the sender's rejection subject."""

from datetime import date
from typing import TypeVar

from contracts.rejection import Problem

Moment = TypeVar("Moment", date, int)


class Refused(Exception):
    """A command the domain will not carry out, with every reason found."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


class NotPermitted(Refused):
    """Refused for who sent it, not for what it says: the sender may not do this."""


class NotKnownYet(Refused):
    """Refused for naming something another service owns that has not reached this one yet
    (a unit budget registered a moment ago and has not yet published). It may come: the
    command handler gives the owner a moment to publish before the refusal stands."""


def refuse(field: str, message: str) -> Refused:
    return Refused(Problem(field=field, message=message))


def not_permitted(field: str, message: str) -> NotPermitted:
    return NotPermitted(Problem(field=field, message=message))


def not_known_yet(field: str, message: str) -> NotKnownYet:
    return NotKnownYet(Problem(field=field, message=message))


def lies_before(field: str, value: Moment | None, earlier: Moment | None, what: str) -> str | None:
    """Why ``field``'s ``value`` may not be when it lies before ``earlier``, which ``what``
    names; None when it does not (a missing value lies before nothing)."""
    if value is not None and earlier is not None and value < earlier:
        return f"{field} ({value}) ligger före {what} ({earlier})"
    return None


def check_not_before(field: str, value: Moment | None, earlier: Moment | None, what: str) -> None:
    """Refuse ``field``'s ``value`` when it lies before ``earlier`` (``lies_before``)."""
    reason = lies_before(field, value, earlier, what)
    if reason is not None:
        raise refuse(field, reason)
