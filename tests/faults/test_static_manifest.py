"""Forgetting collectstatic: the server refuses to start with a clear message, and
the error pages still render when the manifest is missing.

Production settings are read at import, so each case runs in a subprocess.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _prod_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="factcheck.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="factcheck.settings",
    )
    return env


def _python(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=_prod_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_server_refuses_to_start_without_collectstatic_then_starts(tmp_path):
    refused = _python(tmp_path, "-c", "import factcheck.wsgi")
    assert refused.returncode != 0
    assert "static files manifest" in refused.stderr
    assert "python manage.py collectstatic --no-input" in refused.stderr

    assert _python(tmp_path, "-c", "import factcheck.asgi").returncode != 0

    collected = _python(tmp_path, "manage.py", "collectstatic", "--no-input", "-v0")
    assert collected.returncode == 0, collected.stderr
    started = _python(tmp_path, "-c", "import factcheck.wsgi; print('loaded')")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "loaded"


ERROR_PAGES = r"""
import django
django.setup()
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

@login_not_required
def explode(request):
    raise RuntimeError("boom")

class Urls:
    urlpatterns = [path("boom/", explode)]

with override_settings(ROOT_URLCONF=Urls, ALLOWED_HOSTS=["testserver"]):
    c = Client(raise_request_exception=False)
    for url in ["/boom/", "/nothing-here/"]:
        r = c.get(url, secure=True)
        print(r.status_code, "|", r.content.decode().replace("\n", " "))
"""


def test_error_pages_render_without_the_manifest(tmp_path):
    result = _python(tmp_path, "-c", ERROR_PAGES)
    assert result.returncode == 0, result.stderr
    server_error, not_found = result.stdout.strip().splitlines()
    assert server_error.startswith("500 |") and "Something went wrong on our side" in server_error
    assert not_found.startswith("404 |") and "Page not found" in not_found
    # The unhashed stylesheet: it loads once collectstatic has run.
    assert 'href="/static/css/app.css"' in server_error
