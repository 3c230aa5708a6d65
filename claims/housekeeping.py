"""What db_worker does between tasks, from a side thread: recover jobs whose worker
was killed (claims.jobs) and queue outbox delivery while messages are due (retries
wait for their backoff; nothing else would wake them)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.tasks import task_backends

from claims import jobs, outbox
from claims.models import OutboxMessage

logger = logging.getLogger(__name__)

DELIVER_TASK = "claims.tasks.deliver_outbox"


def tick() -> dict:
    """One round of housekeeping; returns what it did (for `manage.py jobs` and tests)."""
    return {
        "jobs": jobs.reap_stale(),
        "orphan_tasks": jobs.reap_orphan_tasks(),
        "outbox_queued": kick_outbox(),
    }


def kick_outbox() -> bool:
    """Queue a delivery run when messages are due and no run is already waiting."""
    if not OutboxMessage.objects.filter(outbox.due()).exists():
        return False
    if _delivery_waiting():
        return False
    outbox.enqueue_delivery()
    return True


def _delivery_waiting() -> bool:
    if not task_backends["default"].supports_defer:  # the immediate backend: nothing waits
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=DELIVER_TASK, status="READY").exists()


def run_forever(stop: threading.Event, interval: float | None = None) -> None:
    """The housekeeping thread's loop: a failed round is logged and the next one runs."""
    interval = settings.FACTCHECK_HOUSEKEEPING_SECONDS if interval is None else interval
    while not stop.is_set():
        try:
            close_old_connections()
            tick()
        except Exception:
            logger.exception("Housekeeping round failed")
        finally:
            connection.close()
        stop.wait(interval)
