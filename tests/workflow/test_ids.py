"""Ids from requests: ASCII digits only, whatever str.isdigit() thinks."""

from __future__ import annotations

import pytest

from claims.errors import InvalidInput
from claims.ids import id_or_none, parse_id, parse_span


@pytest.mark.parametrize(
    "value", ["²", "١٢", "１２", "-1", "1.0", "", " ", None, "9" * 19, "1; drop", True]
)
def test_non_ascii_digits_and_junk_are_not_ids(value):
    assert id_or_none(value) is None
    with pytest.raises(InvalidInput, match="not an id"):
        parse_id(value, message="not an id")


@pytest.mark.parametrize(
    "value,expected", [("0", 0), (" 42 ", 42), (7, 7), ("9" * 18, int("9" * 18))]
)
def test_ascii_ids(value, expected):
    assert id_or_none(value) == expected


def test_spans():
    assert parse_span("12-40", message="bad") == (12, 40)
    for bad in ("²-³", "12", "a-b", "-3"):
        with pytest.raises(InvalidInput):
            parse_span(bad, message="bad")
