"""The article page shows a background re-score's progress, polls while it runs,
and offers the new scores when it finishes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import extraction, services
from claims.models import Job

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def queued(article, editor, monkeypatch, django_capture_on_commit_callbacks):
    """An article extracted as a long text, its re-score queued but not yet run."""
    monkeypatch.setattr(extraction, "ENCODER_MAX_SENTENCES", 2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = services.article_extract(actor=editor, article=article)
    return article, Job.objects.get(kind=Job.Kind.RESCORE), callbacks


def status_url(article):
    return reverse("claims:article-rescore", args=[article.pk])


def test_the_article_page_shows_the_running_re_score_and_polls(client, editor, queued):
    article, job, _ = queued
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=1)
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "The full model is re-scoring these 4 sentences: 1 of 4 done." in html
    assert f'hx-get="{status_url(article)}"' in html
    assert 'hx-trigger="every 2s"' in html
    assert '<progress id="rescore-progress" max="4" value="1">' in html


def test_the_poll_says_when_the_new_scores_are_ready_and_stops(client, editor, queued):
    article, job, callbacks = queued
    client.force_login(editor)
    assert "1 of 4" not in client.get(status_url(article), **HX).content.decode()
    for callback in callbacks:
        callback()
    html = client.get(status_url(article), **HX).content.decode()
    assert "The full model has re-scored these sentences." in html
    assert "Reload to see the new scores" in html
    assert "hx-get" not in html
    # A page loaded afterwards already has the new scores: no notice.
    page = client.get(article.get_absolute_url()).content.decode()
    assert "re-scor" not in page


def test_a_failed_re_score_says_why_on_the_article_page(client, editor, queued):
    article, job, _ = queued
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.FAILED, error="The full model could not run (x); the fast scores stay."
    )
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "The full model could not run (x); the fast scores stay." in html
    assert 'hx-trigger="every 2s"' not in html


def test_reviewers_cannot_poll_the_re_score(client, reviewer, queued):
    article, _, _ = queued
    client.force_login(reviewer)
    assert client.get(status_url(article)).status_code == 403


def test_the_status_is_read_only(client, editor, queued):
    article, _, _ = queued
    client.force_login(editor)
    assert client.post(status_url(article)).status_code == 405


def test_the_job_page_speaks_of_sentences_and_links_the_article(client, editor, queued):
    article, job, callbacks = queued
    for callback in callbacks:
        callback()
    client.force_login(editor)
    html = client.get(reverse("claims:job-detail", args=[job.pk])).content.decode()
    assert "4 of 4 sentences done" in html
    assert "imported" not in html
    assert f'href="{article.get_absolute_url()}"' in html
