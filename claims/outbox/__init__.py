"""The outbox: side effects written in the same transaction as the change that causes
them, delivered afterwards by a background task with bounded retries.

- `add(kind=..., payload=...)` inside a service's transaction; once it commits, a
  `claims.tasks.deliver_outbox` task is enqueued (never inside the transaction, so a
  rolled-back change sends nothing, and a failed delivery never undoes the change).
- `deliver_due()` claims due rows (a lease, so a run that dies mid-send is retried),
  hands each to the handler for its kind, and marks it sent, schedules a retry with
  exponential backoff, or gives up after FACTCHECK_OUTBOX_MAX_ATTEMPTS keeping the error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from claims.models import OutboxMessage
from claims.outbox import email

logger = logging.getLogger(__name__)

# kind -> handler(payload). A handler raises to fail the attempt.
HANDLERS: dict[str, Callable[[dict], None]] = {
    email.KIND: email.send,
}

# Errors the outside world causes (a mail server down or stalled): one log line each,
# no traceback. Anything else is a bug and is logged with its traceback.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (OSError, *email.EXPECTED_ERRORS)


def max_attempts() -> int:
    return int(getattr(settings, "FACTCHECK_OUTBOX_MAX_ATTEMPTS", 6))


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failures: base, 2×base, 4×base ... capped."""
    base = float(getattr(settings, "FACTCHECK_OUTBOX_BACKOFF_SECONDS", 60))
    cap = float(getattr(settings, "FACTCHECK_OUTBOX_BACKOFF_MAX_SECONDS", 6 * 3600))
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def lease() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "FACTCHECK_OUTBOX_LEASE_SECONDS", 300)))


def add(*, kind: str, payload: dict) -> OutboxMessage:
    """Write a message in the caller's transaction; delivery is queued once it commits."""
    if kind not in HANDLERS:
        raise ValueError(f"No outbox handler for kind {kind!r}.")
    message = OutboxMessage.objects.create(kind=kind, payload=payload)
    _enqueue_delivery_on_commit()
    return message


def _enqueue_delivery_on_commit() -> None:
    # One delivery task per atomic block is enough: it takes every due row.
    here = set(connection.savepoint_ids)
    if any(f is enqueue_delivery and sids == here for sids, f, _ in connection.run_on_commit):
        return
    # robust: the change has committed; a queue hiccup must not turn it into an error.
    transaction.on_commit(enqueue_delivery, robust=True)


def enqueue_delivery() -> None:
    from claims.tasks import deliver_outbox  # tasks import services, which import this

    deliver_outbox.enqueue()


def due() -> Q:
    now = timezone.now()
    return Q(state=OutboxMessage.State.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxMessage.State.SENDING, next_attempt_at__lte=now
    )


@dataclass
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retrying": self.retrying, "failed": self.failed}


def deliver_due(*, limit: int = 50) -> Delivered:
    """Deliver up to `limit` due messages; never raises for a failed delivery."""
    outcome = Delivered()
    for message in _claim(limit):
        _deliver(message, outcome)
    return outcome


def _claim(limit: int) -> list[OutboxMessage]:
    """Take due rows under a lease in a short transaction (the sending happens outside it,
    so a slow mail server never holds a database lock)."""
    with transaction.atomic():
        rows = OutboxMessage.objects.filter(due()).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            # Two workers never take the same row, and neither waits for the other.
            rows = rows.select_for_update(skip_locked=True)
        claimed = list(rows[:limit])
        until = timezone.now() + lease()
        OutboxMessage.objects.filter(pk__in=[m.pk for m in claimed]).update(
            state=OutboxMessage.State.SENDING, attempts=F("attempts") + 1, next_attempt_at=until
        )
    for message in claimed:
        message.attempts += 1
    return claimed


def _deliver(message: OutboxMessage, outcome: Delivered) -> None:
    # Only the run holding this attempt may record its end (a lease may have passed).
    mine = OutboxMessage.objects.filter(
        pk=message.pk, state=OutboxMessage.State.SENDING, attempts=message.attempts
    )
    try:
        HANDLERS[message.kind](message.payload)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        expected = isinstance(exc, EXPECTED_ERRORS)
        attempt = f"attempt {message.attempts} of {max_attempts()}"
        if message.attempts >= max_attempts() or message.kind not in HANDLERS:
            mine.update(state=OutboxMessage.State.FAILED, last_error=error)
            outcome.failed += 1
            logger.error(
                "Outbox %s message %s failed for good (%s): %s",
                message.kind,
                message.pk,
                attempt,
                error,
                exc_info=not expected,
            )
            return
        wait = backoff(message.attempts)
        mine.update(
            state=OutboxMessage.State.PENDING,
            next_attempt_at=timezone.now() + wait,
            last_error=error,
        )
        outcome.retrying += 1
        logger.warning(
            "Outbox %s message %s not delivered (%s): %s; next try in %d s",
            message.kind,
            message.pk,
            attempt,
            error,
            wait.total_seconds(),
            exc_info=not expected,
        )
        return
    mine.update(state=OutboxMessage.State.SENT, sent_at=timezone.now(), last_error="")
    outcome.sent += 1
