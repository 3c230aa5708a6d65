"""One mapping from a refused action to its HTTP status, for every screen.

- not allowed for this person: 403;
- a stale version (or a clash with a concurrent change): 409, with what changed;
- invalid input, or a step not allowed from this status: 422.

With JavaScript, htmx swaps these answers in (the `responseHandling` entry in
base.html's htmx-config); without it, the page re-renders with the message and
the same status.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from claims.errors import Busy, NotAllowed, ServiceError, StaleVersion

FORBIDDEN, CONFLICT, UNPROCESSABLE = 403, 409, 422


def status_for(exc: ServiceError) -> int:
    if isinstance(exc, NotAllowed):
        return FORBIDDEN
    if isinstance(exc, (StaleVersion, Busy)):
        return CONFLICT
    return UNPROCESSABLE


def forbid_if_not_allowed(exc: ServiceError) -> None:
    """Screens that have nothing to show a person who may not act answer with the 403 page."""
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(exc.message) from exc


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """handler403: the full page, or for htmx just the message to swap in."""
    context = {"exception": str(exception or "") or None}
    if getattr(request, "htmx", False):
        return render(request, "403.html#refusal", context, status=FORBIDDEN)
    return render(request, "403.html", context, status=FORBIDDEN)
