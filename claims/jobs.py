"""Background jobs that survive a killed worker.

- `enqueue(job)` queues the job's task and remembers the task row's id.
- `start(job_id, task_id)` (first thing a job's task does) counts the attempt and
  writes the first heartbeat; `beat(...)` refreshes it per item (claims.tasks).
- `reap_stale()` (db_worker's housekeeping and `manage.py jobs reap`) finds jobs whose
  worker stopped: no heartbeat for FACTCHECK_JOB_STALE_SECONDS. It fails the task row
  the dead worker left RUNNING, then re-queues the job, or after
  FACTCHECK_JOB_MAX_ATTEMPTS starts fails it with a message saying so.
- `retry(job_id)` re-queues a failed or stuck job by hand (`manage.py jobs retry ID`).
Imports are idempotent per item (claims.tasks), so a re-run never duplicates an article.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task_backends
from django.utils import timezone

from claims.errors import InvalidInput
from claims.models import Job
from claims.services.write import record_event

logger = logging.getLogger(__name__)

WORKER_LOST = "claims.jobs.WorkerLost"


class Superseded(Exception):
    """This run's job was reaped and re-queued (or finished) by someone else: stop."""


def _task_for(job: Job):
    from claims import tasks  # tasks import services; services must not import tasks

    return {
        Job.Kind.IMPORT: tasks.import_articles,
        Job.Kind.EXPORT: tasks.export_report,
        Job.Kind.RESCORE: tasks.rescore_article,
        Job.Kind.ARCHIVE_IMPORT: tasks.import_fact_checks,
    }[job.kind]


def enqueue(job: Job) -> None:
    """Queue the job's task (the immediate backend runs it here) and keep the task id."""
    result = _task_for(job).enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()


def stale_after() -> timedelta:
    return timedelta(seconds=settings.FACTCHECK_JOB_STALE_SECONDS)


def start(job_id: int, *, task_id: str) -> Job | None:
    """Mark the job running for a new attempt; None when there is nothing to do."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.state in {Job.State.DONE, Job.State.FAILED}:
            return None
        job.state = Job.State.RUNNING
        job.attempts += 1
        job.task_id = str(task_id)
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["state", "attempts", "task_id", "heartbeat_at", "updated_at"])
    return job


def lock_for(job_id: int, *, attempt: int) -> Job:
    """Lock the job row inside the caller's transaction, checking this run still owns it."""
    # params holds the job's input (uploaded files, parsed records: megabytes at
    # times) and this runs once per item: it is loaded only if the caller reads it.
    job = Job.objects.select_for_update().defer("params").get(pk=job_id)
    if job.state != Job.State.RUNNING or job.attempts != attempt:
        raise Superseded(f"job {job_id} attempt {attempt} was superseded")
    job.heartbeat_at = timezone.now()
    return job


def _stale(now) -> Q:
    cutoff = now - stale_after()
    return Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, updated_at__lt=cutoff)


def reap_stale(*, now=None) -> list[str]:
    """Recover every job whose worker stopped; returns one line per job handled."""
    now = now or timezone.now()
    lines = []
    for pk in Job.objects.filter(_stale(now), state=Job.State.RUNNING).values_list("pk", flat=True):
        line = _reap_one(pk, now)
        if line:
            lines.append(line)
    queued_before = now - stale_after()
    waiting = Job.objects.filter(state=Job.State.QUEUED, updated_at__lt=queued_before)
    for pk in waiting.values_list("pk", flat=True):
        line = _reap_lost_queued(pk, now)
        if line:
            lines.append(line)
    return lines


def _reap_one(pk: int, now) -> str | None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(_stale(now), pk=pk, state=Job.State.RUNNING)
            .first()
        )
        if job is None:  # it moved on since the query
            return None
        seen = job.heartbeat_at or job.updated_at
        why = f"the worker running it stopped (no heartbeat since {seen:%Y-%m-%d %H:%M:%S} UTC)"
        _fail_task_row(job.task_id, why)
        return _requeue_or_fail(job, why)


def _reap_lost_queued(pk: int, now) -> str | None:
    """A queued job whose task row is gone, failed or stuck RUNNING (its worker died
    between taking the task and starting the job) would wait forever."""
    if not _database_backend():
        return None
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=pk, state=Job.State.QUEUED).first()
        if job is None:
            return None
        row = DBTaskResult.objects.filter(pk=job.task_id).first() if job.task_id else None
        if row is not None and row.status == "READY":
            return None  # still waiting for a worker: fine
        if row is not None and row.status == "RUNNING" and row.started_at > now - stale_after():
            return None  # just taken; start() is about to run
        why = "its queued task was lost before it started"
        if row is not None:
            _fail_task_row(job.task_id, why)
        return _requeue_or_fail(job, why)


def _requeue_or_fail(job: Job, why: str) -> str:
    limit = settings.FACTCHECK_JOB_MAX_ATTEMPTS
    if job.attempts >= limit:
        job.state = Job.State.FAILED
        job.error = (
            f"Stopped after {job.attempts} attempts: {why}. {job.done} of {job.total} done; "
            f"run `manage.py jobs retry {job.pk}` to try again."
        )
        job.save(update_fields=["state", "error", "updated_at"])
        record_event(actor=None, action="job_failed", message=job.error, after={"job": job.pk})
        logger.error("Job %s failed: %s", job.pk, job.error)
        return f"job {job.pk}: failed ({job.error})"
    job.state = Job.State.QUEUED
    job.error = f"Re-queued (attempt {job.attempts + 1} of {limit} next): {why}."
    job.save(update_fields=["state", "error", "updated_at"])
    record_event(actor=None, action="job_requeued", message=job.error, after={"job": job.pk})
    transaction.on_commit(lambda: enqueue(job))
    logger.warning("Job %s re-queued: %s", job.pk, why)
    return f"job {job.pk}: re-queued ({why})"


def _database_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _fail_task_row(task_id: str, why: str) -> None:
    """The task row a killed worker left RUNNING would stay so forever: close it."""
    if not task_id or not _database_backend():
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path=WORKER_LOST,
        traceback=f"Reaped by claims.jobs: {why}.\n",
    )


def reap_orphan_tasks(*, now=None) -> int:
    """Task rows left RUNNING by a killed worker that no job tracks (outbox delivery):
    fail them so the queue shows the truth. Outbox rows recover by their own lease."""
    if not _database_backend():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    tracked = Job.objects.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).values_list(
        "task_id", flat=True
    )
    tracked = [t for t in tracked if t]
    # Generous: a delivery run may legitimately take several mail timeouts.
    cutoff = now - max(stale_after(), timedelta(hours=1))
    return (
        DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
        .exclude(pk__in=tracked)
        .update(
            status="FAILED",
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback="Reaped by claims.jobs: RUNNING for over an hour with no job tracking it.\n",
        )
    )


def retry(job_id: int) -> Job:
    """Re-queue a failed job, or one stuck without a live worker, with fresh attempts."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            raise InvalidInput(f"No job {job_id}.")
        if job.state == Job.State.DONE:
            raise InvalidInput(f"Job {job_id} is done; nothing to retry.")
        seen = job.heartbeat_at or job.updated_at
        if job.state == Job.State.RUNNING and seen > timezone.now() - stale_after():
            raise InvalidInput(
                f"Job {job_id} is running (heartbeat {int((timezone.now() - seen).total_seconds())} s ago); "
                "wait, or retry it once it has no heartbeat for "
                f"{int(stale_after().total_seconds())} s."
            )
        _fail_task_row(job.task_id, "retried by hand")
        job.state = Job.State.QUEUED
        job.attempts = 0
        job.error = "Retried by hand."
        job.save(update_fields=["state", "attempts", "error", "updated_at"])
        record_event(
            actor=None,
            action="job_retried",
            message=f"Job {job.pk} retried by hand.",
            after={"job": job.pk},
        )
        transaction.on_commit(lambda: enqueue(job))
    return job
