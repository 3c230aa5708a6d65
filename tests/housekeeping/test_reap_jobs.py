"""The reaper: a job whose worker died (stale heartbeat) is re-queued, and the task
row the worker left RUNNING is closed; after the last attempt the job fails with a
clear message; `retry` re-queues by hand. A live job is left alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import jobs, services
from claims.errors import InvalidInput
from claims.models import Event, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.FACTCHECK_JOB_STALE_SECONDS = 60
    settings.FACTCHECK_JOB_MAX_ATTEMPTS = 3


def _abandoned_job(editor, *, attempts: int, silent_for: timedelta) -> Job:
    """What a worker killed mid-job leaves: job RUNNING, its task row RUNNING."""
    job = services.import_job_create(actor=editor, files=[("a.txt", b"A story.\nSome text.")])
    jobs.enqueue(job)
    then = timezone.now() - silent_for
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", started_at=then)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=attempts, heartbeat_at=then
    )
    job.refresh_from_db()
    return job


def test_stale_job_is_requeued_and_its_task_row_closed(
    database_tasks, editor, django_capture_on_commit_callbacks
):
    job = _abandoned_job(editor, attempts=1, silent_for=timedelta(minutes=5))
    old_task = job.task_id
    with django_capture_on_commit_callbacks(execute=True):
        lines = jobs.reap_stale()
    assert lines == [
        f"job {job.pk}: re-queued (the worker running it stopped (no heartbeat since "
        f"{job.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC))"
    ]
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.error.startswith("Re-queued (attempt 2 of 3 next)")
    dead = DBTaskResult.objects.get(pk=old_task)
    assert (dead.status, dead.exception_class_path) == ("FAILED", jobs.WORKER_LOST)
    fresh = DBTaskResult.objects.get(pk=job.task_id)
    assert fresh.status == "READY" and fresh.args_kwargs["args"] == [job.pk]
    assert Event.objects.filter(action="job_requeued").count() == 1


def test_after_the_last_attempt_the_job_fails_with_a_clear_message(database_tasks, editor):
    job = _abandoned_job(editor, attempts=3, silent_for=timedelta(minutes=5))
    jobs.reap_stale()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.error.startswith("Stopped after 3 attempts: the worker running it stopped")
    assert f"manage.py jobs retry {job.pk}" in job.error
    assert DBTaskResult.objects.filter(status="READY").count() == 0


def test_a_job_with_a_fresh_heartbeat_is_left_alone(database_tasks, editor):
    job = _abandoned_job(editor, attempts=1, silent_for=timedelta(seconds=10))
    assert jobs.reap_stale() == []
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING
    with pytest.raises(InvalidInput, match=rf"Job {job.pk} is running \(heartbeat 1\d s ago\)"):
        jobs.retry(job.pk)


def test_a_queued_job_whose_task_row_died_before_starting_is_requeued(database_tasks, editor):
    job = services.import_job_create(actor=editor, files=[("a.txt", b"A story.\nSome text.")])
    jobs.enqueue(job)
    old = timezone.now() - timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=job.task_id).update(status="RUNNING", started_at=old)
    Job.objects.filter(pk=job.pk).update(updated_at=old)
    assert jobs.reap_stale() == [
        f"job {job.pk}: re-queued (its queued task was lost before it started)"
    ]


def test_a_queued_job_waiting_for_a_busy_worker_is_left_alone(database_tasks, editor):
    job = services.import_job_create(actor=editor, files=[("a.txt", b"A story.\nSome text.")])
    jobs.enqueue(job)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    assert jobs.reap_stale() == []


def test_retry_by_hand(database_tasks, editor, django_capture_on_commit_callbacks):
    job = _abandoned_job(editor, attempts=3, silent_for=timedelta(minutes=5))
    jobs.reap_stale()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.retry(job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.QUEUED, 0, "Retried by hand.")
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE)
    with pytest.raises(InvalidInput, match=f"Job {job.pk} is done; nothing to retry."):
        jobs.retry(job.pk)
    with pytest.raises(InvalidInput, match="No job 999999."):
        jobs.retry(999999)
