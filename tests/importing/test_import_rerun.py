"""A re-run of an import (after a killed worker) imports each file exactly once:
items with a result entry are skipped, and an item added but not yet extracted is
extracted without being added again."""

from __future__ import annotations

import pytest

from claims import importing, jobs
from claims.models import Article, Job

pytestmark = pytest.mark.django_db

FILES = [
    (f"s{i}.txt", f"Story {i}\nThe city spent ${i}.2 million on roads in 2023.".encode())
    for i in range(4)
]


def test_rerun_skips_done_items_and_finishes_extraction(editor):
    items = importing.build_items(FILES)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, created_by=editor, total=4, params={"items": items, "extract": True}
    )
    jobs.enqueue(job)  # the immediate backend runs it here
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 1
    first_ids = [r["article_id"] for r in job.results]

    # What a worker killed during item 3's extraction leaves: items 0-2 committed with
    # their entries (item 2 not yet extracted), item 3 never committed.
    Article.objects.filter(pk=first_ids[3]).delete()
    Article.objects.filter(pk=first_ids[2]).update(candidates=[], extracted_at=None)
    results = job.results[:3]
    results[2] = {**results[2], "extracted": False, "message": "Added “Story 2”."}
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.QUEUED, results=results, done=3, params={"items": items, "extract": True}
    )
    job.refresh_from_db()
    jobs.enqueue(job)
    job.refresh_from_db()

    assert (job.state, job.done, job.attempts) == (Job.State.DONE, 4, 2)
    assert Article.objects.count() == 4
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        f"Story {i}" for i in range(4)
    ]
    assert [r["index"] for r in job.results] == [0, 1, 2, 3]
    assert [r["article_id"] for r in job.results][:3] == first_ids[:3]  # not added again
    assert Article.objects.get(pk=first_ids[2]).extracted_at is not None
    assert "check-worthy" in job.results[2]["message"]


def test_a_finished_job_is_not_run_again(editor):
    items = importing.build_items(FILES[:1])
    job = Job.objects.create(
        kind=Job.Kind.IMPORT, created_by=editor, total=1, params={"items": items, "extract": False}
    )
    jobs.enqueue(job)
    jobs.enqueue(job)
    job.refresh_from_db()
    assert (job.state, job.attempts, Article.objects.count()) == (Job.State.DONE, 1, 1)
