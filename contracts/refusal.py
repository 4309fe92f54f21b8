"""A command a service will not carry out, and why: what every decision may answer instead of
an event. Over HTTP a refusal is a 422, or a 403 when it is NotPermitted; over NATS it goes to
the sender's rejection subject."""

from contracts.rejection import Problem


class Refused(Exception):
    """A command the domain will not carry out, with every reason found."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


class NotPermitted(Refused):
    """Refused for who sent it, not for what it says: the sender may not do this."""


def refuse(field: str, message: str) -> Refused:
    return Refused(Problem(field=field, message=message))


def not_permitted(field: str, message: str) -> NotPermitted:
    return NotPermitted(Problem(field=field, message=message))
