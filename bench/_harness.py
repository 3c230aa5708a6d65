"""Shared by bench/sqlite_concurrency.py, bench/load.py and bench/concurrent_bulk.py: a production-mode
gunicorn on loopback against a given database, signed-in sessions made directly
in the database, and a small urllib client that records latencies.

Stdlib only (plus the app itself), so the benchmarks need nothing installed.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CSRF_TOKEN = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret


def server_env(database_url: str, static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", secrets.token_urlsafe(50)),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",  # loopback, plain HTTP
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_AXES_ENABLED="0",
    )
    return env


def setup_django(env: dict[str, str]) -> None:
    """Point this process's Django at the same database the server uses."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    env: dict[str, str], *, workers: int, threads: int, log: Path
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    cmd = [
        str(gunicorn),
        "factcheck.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]
    out = log.open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def session_cookie_for(user) -> str:
    """A signed-in session for `user`, created the way django.contrib.auth.login does."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"


@dataclass
class Result:
    kind: str
    status: int
    seconds: float
    body: bytes = b""
    headers: dict = field(default_factory=dict)


@dataclass
class Client:
    """One person's browser: a keep-alive connection and their cookies."""

    port: int
    cookie: str
    conn: http.client.HTTPConnection | None = None
    results: list[Result] = field(default_factory=list)

    def _request(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
    ) -> Result:
        all_headers = {"Cookie": self.cookie, "Host": "127.0.0.1", **(headers or {})}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=all_headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (http.client.HTTPException, OSError):
                # The server closed an idle keep-alive connection: reconnect once.
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    result = Result(kind, 0, time.perf_counter() - started)
                    self.results.append(result)
                    return result
        result = Result(
            kind, response.status, time.perf_counter() - started, data, dict(response.getheaders())
        )
        self.results.append(result)
        return result

    def get(self, kind: str, path: str, htmx: bool = False) -> Result:
        return self._request(kind, "GET", path, headers={"HX-Request": "true"} if htmx else None)

    def post(self, kind: str, path: str, data: dict, htmx: bool = False) -> Result:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": CSRF_TOKEN}
        if htmx:
            headers["HX-Request"] = "true"
        return self._request(kind, "POST", path, urlencode(data, doseq=True).encode(), headers)


def percentiles(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"n": 0, "p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


@dataclass
class Scratch:
    """A throwaway PostgreSQL database and folder for one benchmark run."""

    name: str
    admin: object  # psycopg connection to the server's "postgres" database
    tmp: Path
    env: dict[str, str]


def open_scratch(pg: str, prefix: str) -> Scratch:
    """Create the database, migrate it, collect static files, set up Django on it."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(f"{pg}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix=f"{prefix}-"))
    scratch = Scratch(name, admin, tmp, server_env(f"{pg}/{name}", tmp / "static"))
    prepare_database(scratch.env)
    setup_django(scratch.env)
    return scratch


def drop_scratch(scratch: Scratch) -> None:
    from django.db import connections

    connections.close_all()
    scratch.admin.execute(f'DROP DATABASE IF EXISTS "{scratch.name}" WITH (FORCE)')
    scratch.admin.close()


def prepare_database(env: dict[str, str]) -> None:
    """migrate and collectstatic in a child process, as a deploy would."""
    for args in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def warm_up(port: int, *, workers: int, seconds: float = 90) -> None:
    """Wait until every worker has booted (gunicorn binds before workers import the app)."""
    deadline = time.monotonic() + seconds
    fast = 0
    while time.monotonic() < deadline and fast < workers * 3:
        client = Client(port, "")
        started = time.perf_counter()
        result = client.get("warm", "/accounts/login/")
        fast = fast + 1 if result.status == 200 and time.perf_counter() - started < 0.5 else 0
