"""Checks on user input shared by services and forms; each raises InvalidInput."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

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
        raise InvalidInput("The article has no text. Paste the article or upload a file with text in it.")
    limit = settings.FACTCHECK_MAX_ARTICLE_CHARS
    if len(body) > limit:
        raise InvalidInput(f"The article is too long: {len(body):,} characters; the limit is {limit:,}.")
    return body
