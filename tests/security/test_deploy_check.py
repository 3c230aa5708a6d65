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
        # The README's production environment: with these the project's own checks are quiet.
        DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_EMAIL_HOST="smtp.factcheck.example",
        FACTCHECK_SITE_URL="https://factcheck.example",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _check_deploy(tmp_path, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_prod_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_warns_about_inline_tasks_and_no_mail_host(tmp_path):
    result = _check_deploy(tmp_path, DJANGO_TASKS_BACKEND=None, DJANGO_EMAIL_HOST=None)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "(factcheck.W002) No mail host is configured" in output
    assert "HINT: Set DJANGO_EMAIL_HOST" in output
    assert "(factcheck.W003) Background tasks run inside web requests" in output
    assert "DJANGO_TASKS_BACKEND=django_tasks_db.DatabaseBackend" in output
    assert "security." not in output  # only the project's own warnings
    assert "2 issues" in output


def test_each_variable_silences_its_warning(tmp_path):
    only_mail = _check_deploy(tmp_path, DJANGO_TASKS_BACKEND=None)
    assert "factcheck.W003" in only_mail.stderr + only_mail.stdout
    assert "factcheck.W002" not in only_mail.stderr + only_mail.stdout
    only_tasks = _check_deploy(tmp_path, DJANGO_EMAIL_HOST=None)
    assert "factcheck.W002" in only_tasks.stderr + only_tasks.stdout
    assert "factcheck.W003" not in only_tasks.stderr + only_tasks.stdout


def test_check_deploy_reports_nothing(tmp_path):
    result = _check_deploy(tmp_path)
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
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_prod_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
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


MAIL_PROBE = r"""
import django, json
django.setup()
from django.conf import settings
print(json.dumps(settings.MAILERS["default"]))
"""


def test_production_smtp_has_a_timeout_and_development_uses_the_console(tmp_path):
    def mailer(**env):
        result = subprocess.run(
            [sys.executable, "-c", MAIL_PROBE],
            cwd=ROOT,
            env=_prod_env(tmp_path, **env),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(result.stdout)

    production = mailer()
    assert production["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production["OPTIONS"]["host"] == "smtp.factcheck.example"
    assert production["OPTIONS"]["timeout"] == 10
    assert mailer(DJANGO_EMAIL_TIMEOUT="2.5")["OPTIONS"]["timeout"] == 2.5
    development = mailer(DJANGO_DEBUG="1")
    assert development == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_bad_mail_timeout_and_old_email_timeout_setting_are_refused(tmp_path):
    bad = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_prod_env(tmp_path, DJANGO_EMAIL_TIMEOUT="never"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode != 0 and "DJANGO_EMAIL_TIMEOUT='never'" in bad.stderr
    # A settings module that adds the pre-6.1 EMAIL_TIMEOUT next to MAILERS.
    (tmp_path / "old_mail_settings.py").write_text(
        "from factcheck.settings import *\nEMAIL_TIMEOUT = 5\n"
    )
    env = _prod_env(tmp_path, DJANGO_SETTINGS_MODULE="old_mail_settings")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(tmp_path), str(ROOT), env.get("PYTHONPATH")])
    )
    old = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert old.returncode != 0
    assert (
        "Deprecated email settings are not allowed when MAILERS is defined: EMAIL_TIMEOUT"
        in old.stderr
    )


def test_development_keeps_plain_cookie_names(settings):
    # Over plain HTTP the browser would drop __Host- cookies, so development keeps the defaults.
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
