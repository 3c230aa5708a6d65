"""Request limits answered with a clear page instead of a server error, and the
client address the login lockout counts failures against.

Django reads the body lazily: an oversized or over-long form only fails when
something first touches ``request.POST``. This middleware refuses a body that
announces itself as too big before anyone reads it (413), and turns the lazy
errors a view may still hit into the same clear pages (413 or 400).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger("claims.security")


def client_ip(request: HttpRequest) -> str | None:
    """The address to count login failures against.

    X-Forwarded-For is only trusted when DJANGO_TRUSTED_PROXY_COUNT says how many
    proxies of ours append to it; otherwise anyone could pick their own address.
    """
    proxies = settings.FACTCHECK_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
        # Our proxies always append: fewer hops means the request skipped them, so
        # the app port is reachable directly and the lockout can be dodged.
        logger.warning(
            "A login request from %s has %d X-Forwarded-For address(es) but "
            "DJANGO_TRUSTED_PROXY_COUNT=%d: the app port is reachable without the proxy; "
            "firewall it so only the proxy can connect.",
            request.META.get("REMOTE_ADDR"),
            len(hops),
            proxies,
        )
    return request.META.get("REMOTE_ADDR")


def body_limit(request: HttpRequest) -> int | None:
    """Largest body accepted for this request (None: no limit configured)."""
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        return settings.FACTCHECK_MAX_UPLOAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def too_large(
    request: HttpRequest, *, size: int | None, limit: int | None, is_upload: bool
) -> HttpResponse:
    logger.warning(
        "Refused a request body of %s bytes to %s (limit %s)",
        size or "unknown",
        request.path,
        limit,
    )
    context = {
        "size": filesizeformat(size) if size else None,
        "limit": filesizeformat(limit) if limit else None,
        "is_upload": is_upload,
    }
    return render(request, "413.html", context, status=413)


def unreadable(request: HttpRequest, *, reason: str) -> HttpResponse:
    logger.warning("Refused an unreadable request to %s: %s", request.path, reason)
    context = {"reason": reason, "max_fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}
    return render(request, "400.html", context, status=400)


def has_nul_character(request: HttpRequest) -> bool:
    """NUL can't be stored in PostgreSQL text (it raises DataError); refuse it at the door.
    Form fields refuse it already; this covers query strings and fields views read raw."""
    values = [*request.GET.values(), *(request.POST.values() if request.method == "POST" else [])]
    return any("\x00" in value for value in values if isinstance(value, str))


class RequestLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return unreadable(
                request, reason="The request's Content-Length header is not a number."
            )
        if size < 0:
            return unreadable(request, reason="The request's Content-Length header is negative.")
        if limit is not None and size > limit:
            is_upload = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
            return too_large(request, size=size, limit=limit, is_upload=is_upload)
        try:
            if has_nul_character(request):
                return unreadable(
                    request, reason="The request contains a NUL character, which no field accepts."
                )
        except (
            RequestDataTooBig,
            TooManyFieldsSent,
            TooManyFilesSent,
            MultiPartParserError,
        ) as exc:
            return self.process_exception(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # The view touched request.POST/FILES and Django refused to parse it.
        if isinstance(exception, RequestDataTooBig):
            # Raised for the form's text fields: files do not count against this limit.
            request._mark_post_parse_error()
            return too_large(
                request, size=None, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE, is_upload=False
            )
        if isinstance(exception, (TooManyFieldsSent, TooManyFilesSent)):
            request._mark_post_parse_error()
            what = "files" if isinstance(exception, TooManyFilesSent) else "fields"
            return unreadable(request, reason=f"The form sent too many {what}.")
        if isinstance(exception, MultiPartParserError):
            request._mark_post_parse_error()
            return unreadable(request, reason="The uploaded form data could not be read.")
        return None
