"""What a report refuses to show, in Swedish for the reader: answered 404 or 422 by the
handlers error_pages registers once for every report."""

from typing import ClassVar


class NotFound(Exception):
    """What the address names is not there (404)."""

    @property
    def message(self) -> str:
        return str(self)


class UnknownCode(NotFound):
    """A code the read models do not have; ``what`` names, in Swedish, what it codes."""

    what: ClassVar[str]

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @property
    def message(self) -> str:
        return f"{self.what} {self.code} finns inte"


class UnknownUnit(UnknownCode):
    """The requested unit code is not in the organisation tree."""

    what = "Enheten"

    @property
    def unit_code(self) -> str:
        return self.code


class UnknownProject(UnknownCode):
    """The requested project code is not in the register."""

    what = "Projektet"


class UnknownFilter(Exception):
    """A filter value the view does not know (422); the message is Swedish, for the caller."""
