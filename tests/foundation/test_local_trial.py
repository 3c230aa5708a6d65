"""`make serve-prod`: production settings over plain HTTP, on this machine only.

gunicorn runs for real in a subprocess (on a free port) with the project's config.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from claims.local_trial import LoopbackOnlyMiddleware, is_loopback, public_binds

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_INSECURE_LOCAL="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'trial.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="factcheck.settings",
    )
    env.update(extra)
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(tmp_path, bind: str, **env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(GUNICORN),
            "-c",
            "python:factcheck.gunicorn_conf",
            "--bind",
            bind,
            "--workers",
            "1",
            "--threads",
            "2",
            "factcheck.wsgi:application",
        ],
        cwd=ROOT,
        env=_env(tmp_path, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_insecure_local_refuses_a_public_bind(tmp_path):
    server = _gunicorn(tmp_path, f"0.0.0.0:{_free_port()}")
    try:
        _, stderr = server.communicate(timeout=30)
    finally:
        server.kill()
    assert server.returncode != 0
    assert "DJANGO_INSECURE_LOCAL=1 turns off HTTPS" in stderr and "not 0.0.0.0:" in stderr


def test_insecure_local_refuses_public_host_names(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(tmp_path, DJANGO_ALLOWED_HOSTS="factcheck.example,localhost"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS names factcheck.example" in result.stderr


def test_production_settings_answer_plain_http_on_loopback(tmp_path):
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=_env(tmp_path),
            check=True,
            capture_output=True,
            timeout=120,
        )
    port = _free_port()
    server = _gunicorn(tmp_path, f"127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=5
                ) as r:
                    status, headers, body = r.status, r.headers, r.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert status == 200  # no redirect to https
    assert "Strict-Transport-Security" not in headers
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=") and "Secure" not in cookie
    assert "/static/css/app." in body and ".css" in body  # hashed name from the manifest
    assert headers["X-Request-ID"]


def test_other_machines_are_refused():
    middleware = LoopbackOnlyMiddleware(lambda request: HttpResponse("page"))
    factory = RequestFactory()
    assert middleware(factory.get("/", REMOTE_ADDR="127.0.0.1")).status_code == 200
    assert middleware(factory.get("/", REMOTE_ADDR="::1")).status_code == 200
    refused = middleware(factory.get("/", REMOTE_ADDR="192.168.1.20"))
    assert refused.status_code == 403 and b"this machine only" in refused.content


@pytest.mark.parametrize(
    ("addresses", "public"),
    [
        ([("127.0.0.1", 8000)], []),
        ([("localhost", 8000), ("::1", 8000), "/run/factcheck.sock"], []),
        ([("0.0.0.0", 8000)], ["0.0.0.0:8000"]),
        ([("127.0.0.1", 8000), ("192.168.1.5", 80)], ["192.168.1.5:80"]),
        ([("factcheck.example", 443)], ["factcheck.example:443"]),
    ],
)
def test_public_binds(addresses, public):
    assert public_binds(addresses) == public


def test_is_loopback():
    assert is_loopback("127.0.0.2") and is_loopback("[::1]")
    assert not is_loopback("") and not is_loopback("10.0.0.1")
