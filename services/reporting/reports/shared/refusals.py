"""What a report refuses to show, in Swedish for the reader: answered 404 or 422 by the
handlers error_pages registers once for every report."""


class NotFound(Exception):
    """What the address names is not there (404)."""

    @property
    def message(self) -> str:
        return str(self)


class UnknownUnit(NotFound):
    """The requested unit code is not in the organisation tree."""

    def __init__(self, unit_code: str) -> None:
        super().__init__(unit_code)
        self.unit_code = unit_code

    @property
    def message(self) -> str:
        return f"Enheten {self.unit_code} finns inte"


class UnknownProject(NotFound):
    def __init__(self, project_code: str) -> None:
        super().__init__(project_code)
        self.project_code = project_code

    @property
    def message(self) -> str:
        return f"Projektet {self.project_code} finns inte"


class UnknownFilter(Exception):
    """A filter value the view does not know (422); the message is Swedish, for the caller."""
