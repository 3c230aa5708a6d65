"""The bulk-import task: progress on the Job row, one bad file never stops the rest."""

from __future__ import annotations

import pytest

from claims import importing, services
from claims.errors import NotAllowed
from claims.models import Article, Event, Job
from claims.tasks import import_articles, import_progress

pytestmark = pytest.mark.django_db


def make_job(editor, files, *, extract=True) -> Job:
    items = importing.build_items(files)
    return Job.objects.create(
        kind=Job.Kind.IMPORT,
        created_by=editor,
        total=len(items),
        params={"items": items, "extract": extract},
    )


def test_bad_file_is_reported_by_name_and_the_rest_import(editor):
    job = make_job(
        editor,
        [
            ("one.txt", b"First story\nThe city spent $4.2 million on roads in 2023."),
            ("broken.docx", b"not a zip"),
            (
                "two.html",
                b"<title>Second</title><p>Crime fell by half, the mayor said.</p><script>x()</script>",
            ),
            ("photo.jpg", b"\xff\xd8\xff"),
        ],
    )
    seen = []

    def on_progress(sender, job, **kwargs):
        seen.append((job.done, job.total))

    import_progress.connect(on_progress)
    try:
        result = import_articles.enqueue(job.pk)
    finally:
        import_progress.disconnect(on_progress)
    job.refresh_from_db()
    assert result.return_value == {"imported": 2, "failed": 2}
    assert job.state == Job.State.DONE and job.done == job.total == 4 and job.percent == 100
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    by_name = {r["name"]: r for r in job.results}
    assert by_name["broken.docx"]["ok"] is False
    assert by_name["broken.docx"]["message"].startswith("broken.docx:")
    assert "“.jpg” files are not supported" in by_name["photo.jpg"]["message"]
    first = Article.objects.get(pk=by_name["one.txt"]["article_id"])
    assert first.title == "First story" and first.candidates and first.added_by == editor
    second = Article.objects.get(pk=by_name["two.html"]["article_id"])
    assert second.title == "Second" and "x()" not in second.body
    # File contents are dropped from the job once imported.
    assert job.params["items"] == [
        {"name": n} for n in ["one.txt", "broken.docx", "two.html", "photo.jpg"]
    ]


def test_csv_rows_without_extraction(editor):
    job = make_job(
        editor,
        [
            (
                "batch.csv",
                b"title,text,url\nA,Alpha text here.,https://a.example\nB,,\nC,Gamma text.,ftp://bad\n",
            )
        ],
        extract=False,
    )
    import_articles.enqueue(job.pk)
    job.refresh_from_db()
    assert [r["ok"] for r in job.results] == [True, False, False]
    assert "row 3" in job.results[1]["message"]
    assert "must start with http:// or https://" in job.results[2]["message"]
    article = Article.objects.get(pk=job.results[0]["article_id"])
    assert (article.title, article.url, article.candidates) == ("A", "https://a.example", [])


def test_non_editor_job_reports_every_item_refused(reviewer):
    job = make_job(reviewer, [("a.txt", b"Some text.")])
    import_articles.enqueue(job.pk)
    job.refresh_from_db()
    assert (
        job.results[0]["ok"] is False
        and "Only an editor can add articles" in job.results[0]["message"]
    )
    assert not Article.objects.exists()


def test_queueing_an_import_is_one_service_with_an_audit_event(editor, reviewer):
    job = services.import_job_create(
        actor=editor, files=[("a.txt", b"Some text.")], missing=["gone.txt"]
    )
    assert job.kind == Job.Kind.IMPORT and job.total == 2 and job.created_by == editor
    assert job.params["items"][0] == {"name": "gone.txt", "error": "gone.txt: no such file."}
    event = Event.objects.get(action="article_import_queued")
    assert event.actor == editor and event.after == {"job": job.pk, "items": 2, "extract": True}
    with pytest.raises(NotAllowed):
        services.import_job_create(actor=reviewer, files=[("a.txt", b"Some text.")])
    assert Job.objects.count() == 1
