"""A view's figure that does not exist is None in its JSON and files, not an error: a
conversion written for a value is made to pass None through."""

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def optional(convert: Callable[[T], R]) -> Callable[[T | None], R | None]:
    """``convert``, giving None for None."""

    @functools.wraps(convert)
    def converted(value: T | None) -> R | None:
        return None if value is None else convert(value)

    return converted
