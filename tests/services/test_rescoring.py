"""Long articles: fast scores at once, then the full model re-scores them in the
background (claims.services.rescoring, claims.tasks.rescore_article).

ENCODER_MAX_SENTENCES is lowered so the test article (4 sentences) counts as
long; everything else runs for real: the encoder, the immediate task
backend, the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from claims import extraction, jobs, selectors, services
from claims.extraction import scoring
from claims.extraction.attribution import strip_all
from claims.models import Event, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_text_limit(monkeypatch):
    monkeypatch.setattr(extraction, "ENCODER_MAX_SENTENCES", 2)


def sentences_of(article):
    return [article.body[c["start"] : c["end"]] for c in article.candidates]


def extract(editor, article, capture):
    with capture(execute=True):
        return services.article_extract(actor=editor, article=article)


def test_a_long_article_gets_fast_scores_then_the_full_models(
    long_text_limit, article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        article = services.article_extract(actor=editor, article=article)
    sentences = sentences_of(article)
    fast = scoring.fast_scores(scoring.get_model().encode(strip_all(sentences)))
    assert [c["score"] for c in article.candidates] == [round(float(s), 4) for s in fast]
    job = Job.objects.get(kind=Job.Kind.RESCORE)
    assert job.state == Job.State.QUEUED
    assert job.total == len(sentences) == 4
    kept_span = (article.candidates[0]["start"], article.candidates[0]["end"])
    (kept,) = services.claims_keep(actor=editor, article=article, spans=[kept_span])

    for callback in queued:  # the extraction commits: the job runs (immediate backend)
        callback()

    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.done == job.total
    article.refresh_from_db()
    best = extraction.score_sentences(sentences)
    assert [c["score"] for c in article.candidates] == [round(s, 4) for s in best]
    cut = extraction.checkworthy_cut()
    assert [c["checkworthy"] for c in article.candidates] == [s >= cut for s in best]
    kept.refresh_from_db()
    assert kept.score == round(best[0], 4)
    event = Event.objects.get(action="claims_rescored")
    assert event.message.startswith("Re-scored 4 sentences with the full model")


def test_a_short_article_is_scored_by_the_full_model_at_once(
    article, editor, django_capture_on_commit_callbacks
):
    article = extract(editor, article, django_capture_on_commit_callbacks)
    best = extraction.score_sentences(sentences_of(article))
    assert [c["score"] for c in article.candidates] == [round(s, 4) for s in best]
    assert not Job.objects.filter(kind=Job.Kind.RESCORE).exists()


def test_a_re_extraction_supersedes_the_running_re_score(
    long_text_limit, article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as first:
        article = services.article_extract(actor=editor, article=article)
    old_job = Job.objects.get(kind=Job.Kind.RESCORE)
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_extract(actor=editor, article=article)
    fast_scores = [c["score"] for c in article.candidates]

    for callback in first:  # the first extraction's job runs late
        callback()

    old_job.refresh_from_db()
    article.refresh_from_db()
    assert old_job.state == Job.State.DONE
    assert "extracted again" in old_job.error
    assert [c["score"] for c in article.candidates] == fast_scores
    assert not Event.objects.filter(action="claims_rescored").exists()
    assert selectors.article_rescore_job(article) != old_job


def test_no_re_score_is_queued_when_the_encoder_cannot_load(
    long_text_limit, broken_encoder, article, editor, django_capture_on_commit_callbacks
):
    article = extract(editor, article, django_capture_on_commit_callbacks)
    assert len(article.candidates) == 4
    assert not Job.objects.filter(kind=Job.Kind.RESCORE).exists()


def test_a_re_score_whose_encoder_fails_keeps_the_fast_scores(
    long_text_limit, article, editor, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        article = services.article_extract(actor=editor, article=article)
    before = list(article.candidates)

    class Failing:
        def encode(self, texts):
            raise RuntimeError("out of memory")

    monkeypatch.setattr(scoring, "_encoder_state", Failing())
    for callback in queued:
        callback()

    job = Job.objects.get(kind=Job.Kind.RESCORE)
    assert job.state == Job.State.FAILED
    assert job.error == (
        "The full model could not run (the encoder failed (RuntimeError: out of memory)); "
        "the fast scores stay."
    )
    article.refresh_from_db()
    assert article.candidates == before


def test_progress_is_reported_as_the_encoder_works():
    seen = []
    sentences = [f"Unemployment fell to {n} percent in {2000 + n}." for n in range(250)]
    scores = extraction.score_sentences(sentences, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(100, 250), (200, 250), (250, 250)]
    assert len(scores) == 250


def test_a_re_score_whose_worker_died_is_requeued_and_finishes(
    long_text_limit, article, editor, django_capture_on_commit_callbacks, settings
):
    """The reaper knows the re-score task: a killed worker's job runs again to the end."""
    with django_capture_on_commit_callbacks(execute=False):
        article = services.article_extract(actor=editor, article=article)
    job = Job.objects.get(kind=Job.Kind.RESCORE)
    settings.FACTCHECK_JOB_STALE_SECONDS = 60
    then = timezone.now() - timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, attempts=1, heartbeat_at=then)

    with django_capture_on_commit_callbacks(execute=True):
        (line,) = jobs.reap_stale()

    assert line.startswith(f"job {job.pk}: re-queued")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.done) == (Job.State.DONE, 2, job.total)
    assert Event.objects.filter(action="claims_rescored").count() == 1
