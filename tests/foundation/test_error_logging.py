"""Unhandled exceptions are logged to stderr with the request id, user id and path.

A view that raises is mounted with a throwaway URLconf; the records go through the
project's own handler, filter and formatter (its stream swapped for a buffer), and
production mode (DEBUG off, JSON lines) runs in a subprocess.
"""

from __future__ import annotations

import io
import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.tasks import task
from django.urls import path

from claims.request_log import SANE_ID

ROOT = Path(__file__).resolve().parents[2]


def _explode(request):
    raise RuntimeError("forced failure for the logging test")


def _fine(request):
    return HttpResponse("ok")


def _database_gone(request):
    from django.db import OperationalError

    raise OperationalError("server closed the connection unexpectedly")


class FailingUrls:
    urlpatterns = [path("boom/", _explode), path("fine/", _fine), path("db-gone/", _database_gone)]
    handler500 = "claims.views.server_errors.server_error"


@pytest.fixture
def stderr_log():
    """The configured console handler of django.request, writing into a buffer."""
    handler = next(h for h in logging.getLogger("django.request").handlers if h.name == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    yield buffer
    handler.setStream(old)


def test_forced_exception_is_logged_with_request_id_user_and_path(
    client, editor, settings, stderr_log
):
    settings.ROOT_URLCONF = FailingUrls
    client.raise_request_exception = False
    client.force_login(editor)
    response = client.post(
        "/boom/", {"password": "hunter2-secret"}, headers={"X-Request-ID": "req-12345678"}
    )
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-12345678"
    logged = stderr_log.getvalue()
    assert "ERROR django.request [request=req-12345678 " in logged
    assert f"user={editor.pk} path=/boom/]" in logged
    assert "RuntimeError: forced failure for the logging test" in logged  # the traceback
    assert "hunter2-secret" not in logged


def test_lost_database_answers_503_and_is_logged(client, editor, settings, stderr_log):
    settings.ROOT_URLCONF = FailingUrls
    client.raise_request_exception = False
    client.force_login(editor)
    response = client.get("/db-gone/", headers={"X-Request-ID": "req-db-000001"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert b"The database did not answer" in response.content
    logged = stderr_log.getvalue()
    assert "ERROR django.request [request=req-db-000001 " in logged
    assert "OperationalError: server closed the connection unexpectedly" in logged
    # Any other error stays a 500.
    assert client.get("/boom/").status_code == 500


@task
def failing_task():
    raise LookupError("forced task failure")


def test_failed_background_task_is_logged_with_its_traceback():
    handler = next(h for h in logging.getLogger("django.tasks").handlers if h.name == "console")
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        result = failing_task.enqueue()  # the immediate backend runs it here
    finally:
        handler.setStream(old)
    assert result.status == "FAILED"
    logged = buffer.getvalue()
    assert "ERROR django.tasks [request=- user=- path=-] Task id=" in logged
    assert "LookupError: forced task failure" in logged


def test_request_id_is_generated_when_missing_or_unsafe(client, editor, settings):
    settings.ROOT_URLCONF = FailingUrls
    client.force_login(editor)
    generated = client.get("/fine/")["X-Request-ID"]
    assert SANE_ID.fullmatch(generated)
    assert client.get("/fine/")["X-Request-ID"] != generated
    for bad in ["short", "a" * 200, "evil\nINFO forged line", 'quote"d-id-123']:
        echoed = client.get("/fine/", headers={"X-Request-ID": bad})["X-Request-ID"]
        assert echoed != bad and SANE_ID.fullmatch(echoed)


def test_redirects_carry_the_request_id(client):
    response = client.get("/", headers={"X-Request-ID": "from-proxy-0001"})
    assert response.status_code == 302  # to the login page
    assert response["X-Request-ID"] == "from-proxy-0001"


PROBE = r"""
import django
django.setup()
from django.http import HttpResponse
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.test.utils import override_settings
from django.urls import path

@login_not_required
def explode(request):
    raise ZeroDivisionError("forced in production mode")

class Urls:
    urlpatterns = [path("boom/", explode)]

with override_settings(ROOT_URLCONF=Urls, ALLOWED_HOSTS=["testserver"]):
    c = Client(raise_request_exception=False)
    r = c.get("/boom/", secure=True, headers={"X-Request-ID": "prod-req-0001"})
    print("STATUS", r.status_code, r["X-Request-ID"])
"""


def _prod_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="factcheck.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        **extra,
    )
    return env


def test_production_logs_json_lines_to_stderr(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_prod_env(tmp_path, DJANGO_LOG_FORMAT="json"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "STATUS 500 prod-req-0001" in result.stdout, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    errors = [e for e in lines if e["logger"] == "django.request"]
    assert len(errors) == 1, result.stderr
    entry = errors[0]
    assert entry["level"] == "ERROR" and entry["status"] == 500
    assert entry["request_id"] == "prod-req-0001"
    # The view is public, so nothing loaded the user: logging does not query for it.
    assert entry["path"] == "/boom/" and entry["user_id"] == "-"
    assert "ZeroDivisionError: forced in production mode" in entry["exception"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_LOG_FORMAT": "xml"}, "DJANGO_LOG_FORMAT='xml' is not a log format"),
        (
            {"DJANGO_ADMINS": "ops@example.com, not-an-address"},
            "DJANGO_ADMINS holds 'not-an-address'",
        ),
    ],
)
def test_bad_logging_settings_refuse_to_start(tmp_path, env, message):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_prod_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_admins_come_from_the_environment(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_prod_env(tmp_path, DJANGO_ADMINS="ops@example.com, desk@example.org"),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == "['ops@example.com', 'desk@example.org']"
