"""Helpers for screens that render hundreds of rows (the board's cards): work done
once per page instead of once per row. Per-card reverse() calls and template loops
over <option>s were most of the board's rendering time."""

from __future__ import annotations

import html
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


def options_html(
    choices: Iterable[tuple[object, str]], *, selected=None, placeholder: str | None = None
) -> SafeString:
    """<option> elements for (value, label) pairs, escaped, marking `selected`."""
    rows = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((v, " selected" if v == selected else "", label) for v, label in choices),
    )
    if placeholder is None:
        return rows
    return format_html('<option value="">{}</option>{}', placeholder, rows)


def progress_bar_html(parts, *, label: str) -> SafeString:
    """claims/_progress_bar.html's markup in one Python pass, for lists that show a
    bar per row: 50 template includes were most of the Articles list's time.
    Every text goes through html.escape (Django's escape is slower per call)."""
    if not parts:
        return SafeString(
            '<div class="progress"><p class="muted progress-empty">No claims yet.</p></div>'
        )
    e = html.escape
    summary = e(f"{label}: " + ", ".join(f"{p.label} {p.count}" for p in parts))
    rects = "".join(
        f'<rect class="bar-{e(p.key)}" x="{p.x}" y="0" width="{p.width}" height="6">'
        f"<title>{e(str(p.label))}: {int(p.count)}</title></rect>"
        for p in parts
    )
    legend = "".join(
        f'<li><span class="swatch bar-{e(p.key)}" aria-hidden="true"></span>{e(str(p.label))} {int(p.count)}</li>'
        for p in parts
    )
    return SafeString(
        '<div class="progress"><svg class="progress-bar" viewBox="0 0 100 6" preserveAspectRatio="none" '
        f'role="img" aria-label="{summary}">{rects}</svg><ul class="progress-legend">{legend}</ul></div>'
    )
