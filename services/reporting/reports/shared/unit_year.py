"""What a report of one unit (with the units below it) for one year is about: the fields its
view starts with, written once for every such report."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnitYearView:
    unit_code: str
    unit_name: str
    year: int

    def heading_json(self, title: str) -> dict[str, Any]:
        """The JSON's first fields: what the view is about, and its title."""
        return {
            "title": title,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "year": self.year,
        }
