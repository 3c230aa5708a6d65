"""Parsing ids from requests: ASCII digits only.

`str.isdigit()` accepts "²" and other digits that `int()` refuses, so every id
from a URL, form or query string goes through here.
"""

from __future__ import annotations

import re

from claims.errors import InvalidInput

_ASCII_ID = re.compile(r"[0-9]{1,18}")


def id_or_none(value) -> int | None:
    """The id in `value`, or None when it is not one (filters ignore bad values)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    text = str(value or "").strip()
    return int(text) if _ASCII_ID.fullmatch(text) else None


def parse_id(value, *, message: str) -> int:
    """The id in `value`, or InvalidInput with `message`."""
    number = id_or_none(value)
    if number is None:
        raise InvalidInput(message)
    return number


def parse_ids(values, *, message: str) -> list[int]:
    """Every value as an id, or InvalidInput when any is not one."""
    return [parse_id(value, message=message) for value in values]


def parse_span(value: str, *, message: str) -> tuple[int, int]:
    """ "start-end" offsets, e.g. "120-185"."""
    start, sep, end = str(value or "").partition("-")
    if not sep:
        raise InvalidInput(message)
    return parse_id(start, message=message), parse_id(end, message=message)
