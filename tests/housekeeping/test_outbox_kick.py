"""db_worker's housekeeping queues a delivery run while outbox retries fall due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import housekeeping, outbox
from claims.models import OutboxMessage
from claims.outbox import email

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _waiting_runs() -> int:
    return DBTaskResult.objects.filter(task_path=housekeeping.DELIVER_TASK, status="READY").count()


def test_queues_one_run_when_a_retry_is_due(database_tasks):
    message = outbox.add(
        kind=email.KIND, payload=email.payload(subject="s", body="b", to="a@example.com")
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=1)
    )
    assert housekeeping.tick()["outbox_queued"] is False  # not due yet
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert housekeeping.tick()["outbox_queued"] is True
    assert housekeeping.tick()["outbox_queued"] is False  # one run already waits
    assert _waiting_runs() == 1


def test_nothing_due_queues_nothing(database_tasks):
    assert housekeeping.tick()["outbox_queued"] is False
    assert _waiting_runs() == 0
