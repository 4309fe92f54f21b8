from contracts.rejection import Problem


class Refused(Exception):
    """A command the domain will not carry out, with every reason found."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = list(problems)


def refuse(field: str, message: str) -> Refused:
    return Refused(Problem(field=field, message=message))
