"""The project's own deployment checks (`manage.py check --deploy`).

Ids: factcheck.W002 mail host; W003 tasks backend; W004 site URL.
Each message names the environment variable that settles it (listed in the README).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.core.checks import register

IMMEDIATE_BACKEND = "django.tasks.backends.immediate.ImmediateBackend"


@register("factcheck", deploy=True)
def mail_host_configured(app_configs=None, **kwargs) -> list[CheckWarning]:
    mailer = settings.MAILERS.get("default", {})
    if not mailer.get("BACKEND", "").endswith("smtp.EmailBackend"):
        return []
    if settings.FACTCHECK_EMAIL_HOST_CONFIGURED:
        return []
    return [
        CheckWarning(
            "No mail host is configured: notifications would go to an SMTP server on "
            "localhost, which usually does not exist.",
            hint="Set DJANGO_EMAIL_HOST (and DJANGO_EMAIL_PORT, DJANGO_EMAIL_USER, "
            "DJANGO_EMAIL_PASSWORD, DJANGO_EMAIL_USE_TLS) to your mail server; "
            "DJANGO_EMAIL_HOST=localhost if one really runs on this machine.",
            id="factcheck.W002",
        )
    ]


@register("factcheck", deploy=True)
def tasks_run_in_a_worker(app_configs=None, **kwargs) -> list[CheckWarning]:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend != IMMEDIATE_BACKEND:
        return []
    return [
        CheckWarning(
            "Background tasks run inside web requests (the immediate backend): a bulk "
            "import or a large export holds a server thread until it finishes.",
            hint="Set DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend and keep "
            "`manage.py db_worker` running.",
            id="factcheck.W003",
        )
    ]


@register("factcheck", deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list[CheckWarning]:
    """Exports made outside a request (commands, background jobs) link to
    FACTCHECK_SITE_URL: unset in production, readers would get localhost links."""
    value = (settings.FACTCHECK_SITE_URL or "").strip()
    parts = urlsplit(value)
    if value and parts.scheme in {"http", "https"} and parts.netloc:
        return []
    problem = "is not set" if not value else f"is not an http(s) address ({value!r})"
    return [
        CheckWarning(
            f"FACTCHECK_SITE_URL {problem}: emails, and reports, CSV, JSON and ClaimReview made "
            "from the command line or in background jobs, would link to http://127.0.0.1:8000.",
            hint="Set FACTCHECK_SITE_URL to the site's public address, e.g. https://factcheck.example.",
            id="factcheck.W004",
        )
    ]
