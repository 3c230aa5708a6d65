"""The project's own system checks (ids factcheck.Wnnn), one function each."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.compatibility, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[Warning]:
    """Exports made outside a request (commands, background jobs) link to
    FACTCHECK_SITE_URL: unset in production, readers would get localhost links."""
    value = (settings.FACTCHECK_SITE_URL or "").strip()
    parts = urlsplit(value)
    if value and parts.scheme in {"http", "https"} and parts.netloc:
        return []
    problem = "is not set" if not value else f"is not an http(s) address ({value!r})"
    return [
        Warning(
            f"FACTCHECK_SITE_URL {problem}: emails, and reports, CSV, JSON and ClaimReview made "
            "from the command line or in background jobs, would link to http://127.0.0.1:8000.",
            hint="Set FACTCHECK_SITE_URL to the site's public address, e.g. https://factcheck.example.",
            id="factcheck.W004",
        )
    ]
