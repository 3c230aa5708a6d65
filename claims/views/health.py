"""`/healthz` for uptime monitors: 200 when the database answers, 503 when not.
No login: monitors have no account. It says nothing about the data."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from claims.models import Claim

log = logging.getLogger(__name__)


def database_ok() -> bool:
    """A round trip to the database and one of the app's tables (so an unmigrated
    database is unhealthy too)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        Claim.objects.order_by().values("pk")[:1].exists()
    except DatabaseError:
        log.exception("Health check: the database did not answer.")
        return False
    return True


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    if database_ok():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse(
        "database unavailable\n", status=503, content_type="text/plain; charset=utf-8"
    )
