"""Security headers on every page, and pages that a strict CSP does not break:
no inline scripts, no inline styles, no event-handler attributes, nonces on scripts."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=_-]+)'")


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_secure_headers(response) -> None:
    where = response.request["PATH_INFO"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    csp = csp_directives(response)
    assert csp["frame-ancestors"] == ["'none'"], where
    assert csp["default-src"] == ["'self'"], where
    assert csp["object-src"] == ["'none'"], where
    script_src = csp["script-src"]
    # Django adds the nonce source only when the page used its nonce (see the HTML check).
    assert script_src[0] == "'self'" and all(NONCE.fullmatch(v) for v in script_src[1:]), where
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in csp.get(directive, []), (where, directive)
        assert "'unsafe-eval'" not in csp.get(directive, []), (where, directive)


def assert_csp_clean_html(response) -> None:
    """What a strict CSP would block is not on the page, so nothing silently breaks."""
    where = response.request["PATH_INFO"]
    soup = BeautifulSoup(response.content, "html.parser")
    found = NONCE.search(response.headers["Content-Security-Policy"])
    nonce = found.group(1) if found else None
    for script in soup.find_all("script"):
        if script.get("type") in ("application/ld+json", "application/json"):
            continue  # data blocks are not executed
        assert script.get("src"), f"inline <script> on {where}: {str(script)[:120]}"
        assert nonce and script.get("nonce") == nonce, (
            f"script without the page's nonce on {where}: {script}"
        )
    for tag in soup.find_all(True):
        assert "style" not in tag.attrs, f"style attribute on {where}: {str(tag)[:120]}"
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"event handler attribute on {where}: {str(tag)[:120]}"
        for attr in ("href", "src", "action", "formaction"):
            value = str(tag.get(attr, "")).strip().lower()
            assert not value.startswith("javascript:"), f"javascript: URL on {where}"
    assert not soup.find_all("style"), f"inline <style> block on {where}"


def is_html_page(response) -> bool:
    return (
        response.status_code == 200
        and response["Content-Type"].startswith("text/html")
        and b"<html" in response.content
    )


def test_every_app_page_sends_security_headers(client, world, every_url):
    checked = 0
    for user in (world.editor, world.reviewer):
        client.force_login(user)
        for name, url in every_url:
            response = client.get(url)
            assert response.status_code < 500, (name, url, response.status_code)
            assert_secure_headers(response)
            if is_html_page(response):
                assert_csp_clean_html(response)
                checked += 1
    # Most of the app's pages are real pages, not redirects or 405s.
    assert checked >= 10


def test_htmx_partials_send_security_headers_too(client, world, every_url):
    client.force_login(world.editor)
    for name, url in every_url:
        response = client.get(url, headers={"HX-Request": "true"})
        assert response.status_code < 500, (name, url)
        assert_secure_headers(response)


def test_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_secure_headers(response)
    assert_csp_clean_html(response)
    # The htmx script tag carries the nonce the header announces.
    htmx = BeautifulSoup(response.content, "html.parser").find("script", src=re.compile("htmx"))
    assert htmx is not None and htmx["nonce"] in response.headers["Content-Security-Policy"]


def test_admin_index(client, django_user_model):
    admin = django_user_model.objects.create_superuser("ada_admin", "ada@example.com", "factcheck")
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_secure_headers(response)


@pytest.mark.parametrize("path,status", [("/no-such-page/", 404), ("/articles/999999/", 404)])
def test_error_pages(client, editor, path, status):
    client.force_login(editor)
    response = client.get(path)
    assert response.status_code == status
    assert_secure_headers(response)
    assert_csp_clean_html_or_error(response)


def assert_csp_clean_html_or_error(response) -> None:
    soup = BeautifulSoup(response.content, "html.parser")
    assert not soup.find_all("script", src=False)
    assert not [t for t in soup.find_all(True) if "style" in t.attrs]


def test_csrf_failure_is_a_clear_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.editor)
    response = client.post(reverse("claims:comment-add", args=[world.claim.pk]), {"body": "hi"})
    assert response.status_code == 403
    assert b"This form has expired" in response.content
    assert_secure_headers(response)
