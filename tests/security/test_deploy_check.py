"""Production settings pass Django's deployment checklist and send secure cookies.

Settings read the environment once at import, so production mode is tested in a
subprocess with DJANGO_DEBUG=0.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _prod_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="factcheck.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        FACTCHECK_SITE_URL="https://factcheck.example",
        **extra,
    )
    return env


def test_check_deploy_reports_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_prod_env(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


# Runs inside the production-mode subprocess: signs in over HTTPS with the test client
# and prints what the browser would receive.
PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
get_user_model().objects.create_user("erin", password="a long passphrase 42")
c = Client(HTTP_HOST="factcheck.example")
page = c.get("/accounts/login/", secure=True)
login = c.post("/accounts/login/", {"username": "erin", "password": "a long passphrase 42"}, secure=True, REMOTE_ADDR="10.1.1.1")
plain = Client(HTTP_HOST="factcheck.example").get("/accounts/login/")
user = get_user_model().objects.get(username="erin")
print(json.dumps({
    "status": [page.status_code, login.status_code, plain.status_code],
    "plain_location": plain.get("Location", ""),
    "headers": dict(page.headers),
    "cookies": {name: {"secure": m["secure"], "httponly": m["httponly"], "samesite": m["samesite"], "path": m["path"], "domain": m["domain"]}
                for name, m in {**page.cookies, **login.cookies}.items()},
    "hash": user.password.split("$", 1)[0],
    "debug": settings.DEBUG,
}))
"""


def test_production_headers_cookies_and_hashing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=_prod_env(tmp_path), capture_output=True, text=True, timeout=180, check=False
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["debug"] is False
    page_status, login_status, plain_status = data["status"]
    assert page_status == 200 and login_status == 302
    # Plain HTTP is redirected to HTTPS.
    assert plain_status == 301 and data["plain_location"].startswith("https://factcheck.example/")

    headers = data["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]

    cookies = data["cookies"]
    assert set(cookies) == {"__Host-csrftoken", "__Host-sessionid"}
    for name, attrs in cookies.items():
        # The __Host- prefix: Secure, Path=/, no Domain — browsers reject it otherwise.
        assert attrs["secure"] is True, name
        assert attrs["path"] == "/", name
        assert attrs["domain"] == "", name
        assert attrs["httponly"] is True, name
        assert attrs["samesite"] == "Lax", name
    assert data["hash"] == "argon2"


def test_development_keeps_plain_cookie_names(settings):
    # Over plain HTTP the browser would drop __Host- cookies, so development keeps the defaults.
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
