"""What a report of one unit (with the units below it) for one year is about: the fields its
view starts with, written once for every such report."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitYearView:
    unit_code: str
    unit_name: str
    year: int
