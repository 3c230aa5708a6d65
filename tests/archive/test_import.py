"""Importing fact-checks: the job, idempotent re-import, only editors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims import jobs, services
from claims.errors import NotAllowed
from claims.models import ArchiveEntry, Event, Job
from claims.tasks import import_fact_checks

from .conftest import WATER, claim_review

pytestmark = pytest.mark.django_db


def run_import(actor, files) -> Job:
    job = services.archive_import_job_create(actor=actor, files=files)
    import_fact_checks.enqueue(job.pk)
    job.refresh_from_db()
    return job


def test_import_adds_good_records_and_reports_bad_ones(editor, review_file):
    job = run_import(editor, [review_file])
    assert job.state == Job.State.DONE
    assert (job.total, job.done) == (2, 2)
    assert ArchiveEntry.objects.count() == 2
    water = ArchiveEntry.objects.get(url="https://checks.example/water")
    assert (water.claim_text, water.rating, water.publisher) == (WATER, "False", "Checks Daily")
    assert water.rating_value == 1  # "False" is on this newsroom's scale: its badge colour
    bad = [r for r in job.results if not r["ok"]]
    assert len(bad) == 1 and bad[0]["message"].startswith("reviews.json, item 3:")
    assert "http:// or https://" in bad[0]["message"]
    assert Event.objects.filter(action="archive_imported").exists()


def test_reimport_updates_and_never_duplicates(editor, review_file):
    run_import(editor, [review_file])
    water = ArchiveEntry.objects.get(url="https://checks.example/water")
    changed = [claim_review("https://checks.example/water", WATER, "Mostly false")]
    job = run_import(editor, [("again.json", json.dumps(changed).encode())])
    assert ArchiveEntry.objects.count() == 2
    water.refresh_from_db()
    assert water.rating == "Mostly false"
    assert (job.params["added"], job.params["updated"]) == (0, 1)
    # The same file twice over: still no duplicates.
    run_import(editor, [review_file, review_file])
    assert ArchiveEntry.objects.filter(url="https://checks.example/water").count() == 1
    assert ArchiveEntry.objects.count() == 2


def test_progress_moves_in_chunks_on_large_imports(editor, monkeypatch):
    monkeypatch.setattr(services.archive, "IMPORT_CHUNK", 200)
    rows = "claim,rating,url,publisher,date\n" + "".join(
        f"Claim number {i} about the city budget.,False,https://many.example/{i},Many,2024-01-01\n"
        for i in range(620)
    )
    job = services.archive_import_job_create(actor=editor, files=[("many.csv", rows.encode())])
    seen = []
    from claims.tasks import import_progress

    def listen(sender, job, **kwargs):
        seen.append(job.done)

    import_progress.connect(listen)
    try:
        import_fact_checks.enqueue(job.pk)
    finally:
        import_progress.disconnect(listen)
    assert seen == [200, 400, 600, 620]
    assert ArchiveEntry.objects.count() == 620


def test_only_editors_import(reviewer, outsider, review_file):
    for person in (reviewer, outsider):
        with pytest.raises(NotAllowed):
            services.archive_import_job_create(actor=person, files=[review_file])
    assert not Job.objects.exists()


def test_import_page_refuses_reviewers(client, reviewer, review_file):
    client.force_login(reviewer)
    assert client.get("/archive/import/").status_code == 403


def test_import_page_imports_for_editors(client, editor, review_file):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor)
    response = client.post("/archive/import/", {"files": [SimpleUploadedFile(*review_file)]})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "2 added" in page.content.decode()
    assert "item 3" in page.content.decode()
    # The job's page is part of the archive: its menu entry is the current one.
    assert '<a href="/archive/" aria-current="page">Archive</a>' in page.content.decode()


def test_command(editor, tmp_path, review_file):
    path = tmp_path / review_file[0]
    path.write_bytes(review_file[1])
    with pytest.raises(CommandError, match="2 added, 0 updated; 1 record skipped"):
        call_command("import_claimreviews", str(path), "--as", editor.username)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(claim_review("https://checks.example/new", "A new claim.", "True")))
    call_command("import_claimreviews", str(good), "--as", editor.username)
    assert ArchiveEntry.objects.count() == 3


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing in the task may catch it."""


def test_an_import_whose_worker_died_is_resumed_by_the_reaper(
    editor, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The reaper knows the archive import: a killed run's job is re-queued, goes on
    from the last chunk it saved, and counts every fact-check once."""
    monkeypatch.setattr(services.archive, "IMPORT_CHUNK", 200)
    rows = "claim,rating,url,publisher,date\n" + "".join(
        f"Claim number {i} about the city budget.,False,https://many.example/{i},Many,2024-01-01\n"
        for i in range(620)
    )
    job = services.archive_import_job_create(actor=editor, files=[("many.csv", rows.encode())])
    from claims.tasks import import_progress

    def die_after_two_chunks(sender, job, **kwargs):
        if job.done == 400:
            raise WorkerKilled

    import_progress.connect(die_after_two_chunks)
    try:
        jobs.enqueue(job)  # the task backend records the task as failed; the job is left
    finally:
        import_progress.disconnect(die_after_two_chunks)
    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == (Job.State.RUNNING, 400, 1)
    assert ArchiveEntry.objects.count() == 400

    settings.FACTCHECK_JOB_STALE_SECONDS = 60
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        (line,) = jobs.reap_stale()
    assert line.startswith(f"job {job.pk}: re-queued")
    job.refresh_from_db()
    assert (job.state, job.done, job.attempts) == (Job.State.DONE, 620, 2)
    assert (job.params["added"], job.params["updated"]) == (620, 0)
    assert ArchiveEntry.objects.count() == 620
    assert job.results[-1]["message"] == "620 added, 0 updated."
