"""Request ids and the context every log line carries.

`RequestIdMiddleware` gives each request an id (a sane incoming X-Request-ID, as a
proxy sets it, or a new one) and echoes it in the response, so a person reporting
an error page and the server log point at the same line. `RequestContextFilter`
adds that id, the signed-in user's id and the path to every log record; the
formatters print them, plainly or as one JSON object per line. Bodies, headers
and query strings are never logged: they may hold passwords or tokens.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

HEADER = "X-Request-ID"
# Letters, digits and a few separators, as nginx ($request_id), Heroku and
# load balancers send them; anything else (newlines, quotes) is replaced.
SANE_ID = re.compile(r"[A-Za-z0-9._:@-]{8,128}")

_current: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "factcheck_request", default=None
)


def incoming_id(request: HttpRequest) -> str:
    candidate = request.META.get("HTTP_X_REQUEST_ID", "")
    return candidate if SANE_ID.fullmatch(candidate) else uuid.uuid4().hex


class RequestIdMiddleware:
    """Outermost, so redirects and error pages carry the id as well."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = incoming_id(request)
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


def _user_id(request: HttpRequest) -> str:
    # Only a user already loaded: a lazy one would query the database from inside
    # logging, which fails when the error being logged is a lost connection.
    user = request.__dict__.get("user")
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    try:
        return str(user.pk) if user.is_authenticated else "anonymous"
    except Exception:  # noqa: BLE001 - logging must never raise
        return "-"


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and path to a record (dashes outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if not isinstance(request, HttpRequest):
            request = _current.get()
        if request is None:
            record.request_id, record.user_id, record.path = "-", "-", "-"
        else:
            record.request_id = getattr(request, "request_id", "-")
            record.user_id = _user_id(request)
            record.path = request.path
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line; a traceback goes in "exception" as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", "-"),
            "path": getattr(record, "path", "-"),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
