"""The database connection dropped under a running server (gunicorn, gthread, DEBUG
off, PostgreSQL): mid-request the page fails cleanly with a logged 503, and the
next request succeeds; a persistent connection killed between requests is
replaced instead of failing the next request.

The server runs in a subprocess on a fresh database of the DATABASE_URL server,
with a test-only URL that queries (and can sleep, so it can be caught mid-query).
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="needs PostgreSQL (DATABASE_URL): drops a server-side connection with "
    "pg_terminate_backend",
)

FAULT_SETTINGS = "from factcheck.settings import *  # noqa: F403\nROOT_URLCONF = 'fault_urls'\n"
FAULT_URLS = """
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.urls import include, path

from factcheck.urls import handler500  # noqa: F401 - the project's error handler


@login_not_required
def query(request):
    with connection.cursor() as cursor:
        seconds = float(request.GET.get("sleep", 0))
        cursor.execute("SELECT pg_backend_pid(), pg_sleep(%s)", [seconds])
        pid = cursor.fetchone()[0]
    return HttpResponse(f"backend={pid}")


urlpatterns = [path("_fault/query/", query), path("", include("factcheck.urls"))]
"""


@pytest.fixture
def fault_database():
    import psycopg

    server = DATABASE_URL.rsplit("/", 1)[0]
    name = f"fault_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin, name, f"{server}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path, fault_database):
    admin, name, url = fault_database
    (tmp_path / "fault_settings.py").write_text(FAULT_SETTINGS)
    (tmp_path / "fault_urls.py").write_text(FAULT_URLS)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_INSECURE_LOCAL="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=url,
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="fault_settings",
        DJANGO_LOG_FORMAT="plain",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    log = (tmp_path / "server.log").open("w+")
    # One thread: every request reuses the same persistent connection.
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "python:factcheck.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "factcheck.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.2)
    try:
        yield admin, name, base, log
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _get(url: str, request_id: str | None = None):
    headers = {"X-Request-ID": request_id} if request_id else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _terminate_app_connections(admin, name: str, *, query_like: str = "%") -> int:
    rows = admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid() AND query LIKE %s",
        [name, query_like],
    ).fetchall()
    return len(rows)


def test_connection_dropped_mid_request_fails_cleanly_and_the_next_succeeds(server):
    admin, name, base, log = server
    result: dict = {}

    def slow_request():
        answer = _get(f"{base}/_fault/query/?sleep=15", "fault-mid-0001")
        result.update(zip(("status", "headers", "body"), answer, strict=True))

    request = threading.Thread(target=slow_request)
    started = time.monotonic()
    request.start()
    killed = 0
    while not killed and time.monotonic() - started < 10:
        time.sleep(0.1)
        killed = _terminate_app_connections(admin, name, query_like="%pg_sleep%")
    request.join(timeout=20)
    assert killed == 1, "the request's query was never seen running"
    assert time.monotonic() - started < 10, "the request waited out the sleep"

    assert result["status"] == 503
    assert result["headers"]["Retry-After"] == "5"
    assert result["headers"]["X-Request-ID"] == "fault-mid-0001"
    assert "The database did not answer" in result["body"]
    log.flush()
    logged = Path(log.name).read_text()
    line = next(
        line for line in logged.splitlines() if "fault-mid-0001" in line and "ERROR" in line
    )
    assert "django.request" in line and "path=/_fault/query/" in line
    assert "OperationalError" in logged

    status, _, body = _get(f"{base}/_fault/query/")
    assert status == 200 and body.startswith("backend=")


def test_connection_killed_between_requests_is_replaced(server):
    admin, name, base, _ = server
    status, _, first = _get(f"{base}/_fault/query/")
    assert status == 200
    assert _terminate_app_connections(admin, name) >= 1  # the idle persistent connection
    status, _, second = _get(f"{base}/_fault/query/")
    assert status == 200, second
    assert second != first  # a new backend answered
