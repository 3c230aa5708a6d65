"""`manage.py jobs`: list, show, retry, reap, outbox, deliver."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims import outbox, services
from claims.models import Job, OutboxMessage
from claims.outbox import email

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_list_show_and_retry_a_failed_job(editor, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = services.import_job_create(actor=editor, files=[("a.txt", b"A story.\nSome text.")])
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED,
        attempts=3,
        error="Stopped after 3 attempts: the worker running it stopped.",
    )
    listing = run("list", "--state", "failed")
    assert f"{job.pk:>5}  import  failed" in listing and "Stopped after 3 attempts" in listing
    assert "Stopped after 3 attempts" in run("show", str(job.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert f"Job {job.pk} re-queued" in run("retry", str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.QUEUED, 0) and job.task_id
    with pytest.raises(CommandError, match="No job 424242."):
        run("retry", "424242")


def test_reap_reports_what_it_recovered(editor, settings):
    settings.FACTCHECK_JOB_STALE_SECONDS = 60
    job = services.import_job_create(actor=editor, files=[("a.txt", b"A story.\nSome text.")])
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(minutes=3)
    )
    out = run("reap")
    assert f"job {job.pk}: re-queued" in out and "1 job(s) recovered" in out


def test_outbox_and_deliver_with_retry_failed(mailoutbox):
    message = outbox.add(
        kind=email.KIND, payload=email.payload(subject="s", body="b", to="a@example.com")
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        state=OutboxMessage.State.FAILED, attempts=6, last_error="TimeoutError: timed out"
    )
    summary = run("outbox")
    assert (
        "failed: 1" in summary and "a@example.com: 6 attempts; TimeoutError: timed out" in summary
    )
    out = run("deliver", "--retry-failed")
    assert (
        "1 failed message(s) given another round." in out
        and "sent 1, to retry later 0, failed 0" in out
    )
    assert [m.to for m in mailoutbox] == [["a@example.com"]]
