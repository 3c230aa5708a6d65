"""The outbox: written with the change, delivered after commit, retried with backoff,
given up with the error kept; the console and in-memory mailers deliver it."""

from __future__ import annotations

import socket
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from claims import outbox, services
from claims.models import Claim, OutboxMessage
from claims.outbox import email
from claims.tasks import deliver_outbox

pytestmark = pytest.mark.django_db
State = OutboxMessage.State


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nothing listens


def _smtp_nowhere(settings) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 2},
        }
    }


def _message(to="ravi@example.com") -> OutboxMessage:
    return outbox.add(kind=email.KIND, payload=email.payload(subject="Hi", body="A claim.", to=to))


def test_assign_writes_the_message_in_its_transaction_and_sends_after_commit(
    editor, reviewer, claim, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
        message = OutboxMessage.objects.get()
        assert (message.kind, message.state, message.payload["to"]) == (
            "email",
            State.PENDING,
            reviewer.email,
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (State.SENT, 1, "")
    assert message.sent_at is not None
    assert [m.to for m in mailoutbox] == [[reviewer.email]] and "assigned" in mailoutbox[0].subject


def test_a_rolled_back_change_leaves_no_message(editor, reviewer, claim, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
        raise RuntimeError("the rest of the change failed")
    assert not OutboxMessage.objects.exists()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNASSIGNED


def test_console_mailer_prints_the_message(settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    message = _message()
    assert deliver_outbox.call() == {"sent": 1, "retrying": 0, "failed": 0}
    out = capsys.readouterr().out
    assert "Subject: Hi" in out and "To: ravi@example.com" in out
    message.refresh_from_db()
    assert message.state == State.SENT


def test_retry_with_backoff_then_give_up_keeping_the_error(settings, caplog):
    _smtp_nowhere(settings)
    settings.FACTCHECK_OUTBOX_MAX_ATTEMPTS = 3
    settings.FACTCHECK_OUTBOX_BACKOFF_SECONDS = 10
    message = _message()
    waits = []
    for attempt in (1, 2):
        before = timezone.now()
        assert deliver_outbox.call() == {"sent": 0, "retrying": 1, "failed": 0}
        message.refresh_from_db()
        assert (message.state, message.attempts) == (State.PENDING, attempt)
        assert "Connection refused" in message.last_error
        waits.append(round((message.next_attempt_at - before).total_seconds()))
        # Not due yet: a run now leaves it alone.
        assert deliver_outbox.call() == {"sent": 0, "retrying": 0, "failed": 0}
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert waits == [10, 20]  # exponential backoff
    assert deliver_outbox.call() == {"sent": 0, "retrying": 0, "failed": 1}
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 3)
    assert "Connection refused" in message.last_error
    assert deliver_outbox.call() == {"sent": 0, "retrying": 0, "failed": 0}  # given up for good
    # One line per attempt, none with a traceback.
    lines = [r for r in caplog.records if r.name == "claims.outbox"]
    assert len(lines) == 3 and not any(r.exc_info for r in lines)


def test_a_run_that_died_mid_send_is_retried_after_its_lease(settings, mailoutbox):
    message = _message()
    # What a killed worker leaves: claimed, attempt counted, lease running.
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=State.SENDING, attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert deliver_outbox.call()["sent"] == 0 and mailoutbox == []
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert deliver_outbox.call()["sent"] == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENT, 2) and len(mailoutbox) == 1


def test_unknown_kind_is_refused_when_written():
    with pytest.raises(ValueError, match="No outbox handler for kind 'fax'"):
        outbox.add(kind="fax", payload={})
