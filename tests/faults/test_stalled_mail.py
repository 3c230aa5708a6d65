"""A mail server that accepts connections and never answers cannot hold a worker:
the configured SMTP timeout ends the attempt (delivery from an outbox comes later).

Tests replace the mailers with an in-memory one, so the production mailer runs in a
subprocess against a real socket that never speaks.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEND = r"""
import time, django
django.setup()
from django.core.mail import send_mail
started = time.monotonic()
try:
    send_mail("Assigned", "A claim is yours.", None, ["ravi@example.com"])
except (TimeoutError, OSError) as exc:
    print("FAILED", type(exc).__name__, round(time.monotonic() - started, 2))
else:
    print("SENT")
"""


def test_stalled_smtp_server_times_out(tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_stall():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])  # never sends the 220 greeting
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_stall, daemon=True)
    thread.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="factcheck.example",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(listener.getsockname()[1]),
        DJANGO_EMAIL_TIMEOUT="1",
    )
    try:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", SEND],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
    outcome = result.stdout.split()
    # smtplib reports the greeting that never came as a disconnect.
    assert outcome[:1] == ["FAILED"], result.stdout + result.stderr
    assert outcome[1] in {"TimeoutError", "SMTPServerDisconnected"}, outcome
    assert accepted, "the mailer never connected"
    assert float(outcome[2]) < 3 and elapsed < 15
