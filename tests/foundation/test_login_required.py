"""Anonymous visitors are sent to the login page from every page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

# The sign-in page, and the health check uptime monitors call without an account.
PUBLIC = {"login", "healthz"}


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = f"{entry.namespace}:" if entry.namespace else ""
            yield from _named_patterns(entry, prefix + ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def _sample_kwargs(pattern: URLPattern) -> dict:
    kwargs = {}
    for name, converter in pattern.pattern.converters.items():
        kwargs[name] = 1 if converter.__class__.__name__ == "IntConverter" else "assigned"
    return kwargs


@pytest.mark.parametrize(
    "name,pattern", list(_named_patterns()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_anonymous_redirected_to_login(client, name, pattern):
    if name in PUBLIC:
        pytest.skip("public on purpose")
    url = reverse(name, kwargs=_sample_kwargs(pattern))
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url, response.status_code)
        assert response.url.startswith(reverse("login")), (method, url, response.url)


def test_admin_requires_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "login" in response.url


def test_login_page_renders_and_signs_in(client, editor):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b"Sign in" in page.content
    response = client.post(
        reverse("login"),
        {"username": editor.username, "password": "factcheck"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    assert response.url == reverse("claims:board")


def test_logout_is_post_only_and_signs_out(client, editor):
    client.force_login(editor)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("claims:board")).status_code == 302
