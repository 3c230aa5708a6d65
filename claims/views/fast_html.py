"""Helpers for screens that render hundreds of rows (the board's cards): work done
once per page instead of once per row. Per-card reverse() calls and template loops
over <option>s were most of the board's rendering time."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

_PK_MARKER = 987_654_321


def pk_url_maker(name: str) -> Callable[[int], str]:
    """A function pk -> the URL of view `name` for that pk, reversing only once.
    The view's URL must take the pk as its only argument."""
    before, marker, after = reverse(name, args=[_PK_MARKER]).partition(str(_PK_MARKER))
    if not marker:
        raise ValueError(f"URL {name!r} does not end in its pk argument.")
    return lambda pk: f"{before}{int(pk)}{after}"


def options_html(choices: Iterable[tuple[object, str]], *, selected=None, placeholder: str | None = None) -> SafeString:
    """<option> elements for (value, label) pairs, escaped, marking `selected`."""
    rows = format_html_join(
        "", '<option value="{}"{}>{}</option>', ((v, " selected" if v == selected else "", label) for v, label in choices)
    )
    if placeholder is None:
        return rows
    return format_html('<option value="">{}</option>{}', placeholder, rows)


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"
