"""Checks on user input shared by services and forms; each raises InvalidInput."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from claims.errors import InvalidInput

URL_MAX_CHARS = 2000


def validate_http_url(url: str, *, label: str = "URL") -> str:
    """An http(s) URL, stripped; "" stays "". Every other scheme is refused."""
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX_CHARS:
        raise InvalidInput(f"{label} is too long (2,000 characters at most).")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidInput(f"{label} must not contain spaces or control characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(f"{label} must start with http:// or https:// (got “{url[:80]}”).")
    return url


def validate_article_body(body: str) -> str:
    """An article's text must hold something and stay under the configured size."""
    if not body or not body.strip():
        raise InvalidInput(
            "The article has no text. Paste the article or upload a file with text in it."
        )
    limit = settings.FACTCHECK_MAX_ARTICLE_CHARS
    if len(body) > limit:
        raise InvalidInput(
            f"The article is too long: {len(body):,} characters; the limit is {limit:,}."
        )
    return body


OVERDUE_CONFIRM_LABEL = "It is already overdue: keep this past date"


def validate_due_date(
    due_date: dt.date | None, *, current: dt.date | None = None, allow_overdue: bool = False
) -> dt.date | None:
    """A due date in the past is refused unless the person confirms it as overdue
    (re-saving the date a claim already has is not a change, so it passes)."""
    if due_date is None or due_date == current or allow_overdue:
        return due_date
    today = timezone.localdate()
    if due_date < today:
        raise InvalidInput(
            f"The due date {due_date:%d %b %Y} is in the past (today is {today:%d %b %Y}). "
            f"Choose today or later, or tick “{OVERDUE_CONFIRM_LABEL}”."
        )
    return due_date
