"""A mail server that accepts connections and never answers cannot hold a worker:
the configured SMTP timeout ends the attempt, and an assign answers at once because
mail goes through the outbox and a background task after the commit.

Tests replace the mailers with an in-memory one, so the production mailer runs in a
subprocess against a real socket that never speaks, and the in-process tests set the
SMTP mailer back explicitly.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import Claim, OutboxMessage
from claims.tasks import deliver_outbox

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


@contextmanager
def stalled_smtp_server():
    """A listener that accepts connections and never sends the 220 greeting; yields
    (port, accepted connections)."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_stall():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_stall, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


def test_stalled_smtp_server_times_out(tmp_path):
    with stalled_smtp_server() as (port, accepted):
        result, elapsed = _send_in_subprocess(tmp_path, port)
    outcome = result.stdout.split()
    # smtplib reports the greeting that never came as a disconnect.
    assert outcome[:1] == ["FAILED"], result.stdout + result.stderr
    assert outcome[1] in {"TimeoutError", "SMTPServerDisconnected"}, outcome
    assert accepted, "the mailer never connected"
    assert float(outcome[2]) < 3 and elapsed < 15


def _send_in_subprocess(tmp_path, port: int):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="factcheck.example",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(port),
        DJANGO_EMAIL_TIMEOUT="1",
    )
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
    return result, time.monotonic() - started


@pytest.mark.django_db
def test_assign_answers_at_once_and_mail_is_retried_then_failed(
    client, editor, reviewer, claim, settings, django_capture_on_commit_callbacks, caplog
):
    """The issue's repro through the view: the request neither waits for the stalled
    server nor loses the assign; the worker's task tries, retries, then gives up."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FACTCHECK_OUTBOX_MAX_ATTEMPTS = 2
    client.force_login(editor)
    with stalled_smtp_server() as (port, accepted):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
            }
        }
        with django_capture_on_commit_callbacks(execute=True):
            page = client.post(
                reverse("claims:claim-assign", args=[claim.pk]),
                {"version": claim.version, "assignee": reviewer.pk},
            )
        assert page.status_code in {200, 302}
        claim.refresh_from_db()
        assert (claim.status, claim.assignee) == (Claim.Status.ASSIGNED, reviewer)
        message = OutboxMessage.objects.get()
        assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 0)
        assert not accepted, "the request talked to the mail server"
        queued = DBTaskResult.objects.get()
        assert (queued.task_path, queued.status) == ("claims.tasks.deliver_outbox", "READY")

        # What db_worker runs: the attempt ends at the SMTP timeout, not the server's whim.
        tried = time.monotonic()
        assert deliver_outbox.call() == {"sent": 0, "retrying": 1, "failed": 0}
        attempt_took = time.monotonic() - tried
        message.refresh_from_db()
        assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
        assert message.next_attempt_at > timezone.now()
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert deliver_outbox.call() == {"sent": 0, "retrying": 0, "failed": 1}
        assert accepted, "the worker never reached the mail server"
    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutboxMessage.State.FAILED, 2)
    assert message.last_error.startswith(("TimeoutError", "SMTPServerDisconnected")), (
        message.last_error
    )
    assert 0.9 < attempt_took < 5  # bounded by the 1 s timeout, not by the server
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSIGNED  # a failed delivery never undoes the change
