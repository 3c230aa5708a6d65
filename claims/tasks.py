"""Background work with Django's tasks framework (immediate backend by default;
django-tasks-db's DatabaseBackend and `manage.py db_worker` in production)."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.tasks import task
from django.utils import timezone

from claims import importing, jobs, outbox, reports, selectors, services, workflow
from claims.models import Article, Job, MatchRun
from claims.reports.data import build_report

logger = logging.getLogger(__name__)

# Sent after each imported item (job=Job): lets an in-process caller such as the
# import_articles command draw a progress bar while the immediate backend runs.
import_progress = Signal()

# ---------------------------------------------------------------- bulk import


@task(takes_context=True)
def import_articles(context, job_id: int) -> dict:
    """Import the items stored in Job.params into articles (and extract claims),
    recording each item's outcome; one bad item never stops the rest.

    Safe to run again after a killed worker (claims.jobs re-queues it): each item's
    article and its result entry commit together, and items with a result are skipped,
    so every file is imported exactly once.
    """
    job = jobs.start(job_id, task_id=context.task_result.id)
    if job is None:
        return {"skipped": "the job is already finished"}
    items = list(job.params.get("items", []))
    extract = bool(job.params.get("extract", True))
    if job.total != len(items):
        Job.objects.filter(pk=job.pk).update(total=len(items))
    try:
        for index, item in enumerate(items):
            job = _import_item(job, index, item, extract=extract)
            import_progress.send(sender=Job, job=job)
        with transaction.atomic():
            job = jobs.lock_for(job.pk, attempt=job.attempts)
            # The file contents are no longer needed once imported.
            job.params = {**job.params, "items": [{"name": i.get("name", "")} for i in items]}
            job.state = Job.State.DONE
            job.save(update_fields=["params", "state", "heartbeat_at", "updated_at"])
    except jobs.Superseded:
        logger.warning("Import job %s was re-queued elsewhere; this run stops.", job_id)
        return {"superseded": True}
    ok = sum(r["ok"] for r in job.results)
    return {"imported": ok, "failed": len(job.results) - ok}


def _import_item(job: Job, index: int, item: dict, *, extract: bool) -> Job:
    attempt = job.attempts
    with transaction.atomic():
        job = jobs.lock_for(job.pk, attempt=attempt)
        result = next((r for r in job.results if r.get("index") == index), None)
        if result is None:
            result = {"index": index, **_import_one(item, actor=job.created_by)}
            result["extracted"] = not (extract and result["ok"])
            _test_delay()
            job.results = sorted([*job.results, result], key=lambda r: r.get("index", -1))
            job.done = len(job.results)
        job.save(update_fields=["results", "done", "heartbeat_at", "updated_at"])
    if result["extracted"]:
        return job
    # Extraction is its own service transaction; a run killed before it finishes
    # leaves "extracted": False, and the next run extracts without re-adding.
    suffix = _extract_one(result["article_id"], name=result["name"], actor=job.created_by)
    with transaction.atomic():
        job = jobs.lock_for(job.pk, attempt=attempt)
        for entry in job.results:
            if entry.get("index") == index:
                entry["message"] += suffix
                entry["extracted"] = True
        job.save(update_fields=["results", "heartbeat_at", "updated_at"])
    return job


def _test_delay() -> None:
    # Test only (DJANGO_TEST_IMPORT_ITEM_DELAY): widens the window a killed worker hits.
    if settings.FACTCHECK_TEST_IMPORT_ITEM_DELAY:
        time.sleep(settings.FACTCHECK_TEST_IMPORT_ITEM_DELAY)


def _import_one(item: dict, *, actor) -> dict:
    name = item.get("name") or "item"
    try:
        title, text, url = importing.item_text(item)
        article = services.article_create(actor=actor, title=title, body=text, url=url)
    except (importing.ImportFailed, services.ServiceError) as exc:
        message = exc.message
        return {
            "name": name,
            "ok": False,
            "message": message if message.startswith(name) else f"{name}: {message}",
            "article_id": None,
        }
    except Exception:
        logger.exception("Import of %s failed", name)
        return {
            "name": name,
            "ok": False,
            "message": f"{name}: could not be imported (unexpected error).",
            "article_id": None,
        }
    return {
        "name": name,
        "ok": True,
        "message": f"Added “{article.title}”.",
        "article_id": article.pk,
    }


def _extract_one(article_id: int, *, name: str, actor) -> str:
    try:
        article = services.article_extract(actor=actor, article=Article.objects.get(pk=article_id))
    except services.ServiceError as exc:
        return f" Extraction failed: {exc.message}"
    except Exception:
        logger.exception("Extraction of %s failed", name)
        return " Extraction failed (unexpected error); run it from the article page."
    kept = sum(c["checkworthy"] for c in article.candidates)
    return f" {len(article.candidates)} sentences, {kept} check-worthy."


# ---------------------------------------------------------------- report export


@task(takes_context=True)
def export_report(context, job_id: int) -> dict:
    """Build and render a large report, storing the file on the Job row.

    Progress: `total` is the claim count plus one rendering step, so the bar
    moves while claims are read and finishes when the file is stored.
    """
    job = jobs.start(job_id, task_id=context.task_result.id)
    if job is None:
        return {"skipped": "the job is already finished"}
    params = job.params

    def progress(done: int, total: int) -> None:
        # Each step is also the heartbeat claims.jobs watches for a killed worker.
        Job.objects.filter(pk=job.pk).update(
            total=total + 1, done=done, heartbeat_at=timezone.now()
        )

    try:
        article = None
        if params.get("article_id"):
            article = Article.objects.get(pk=params["article_id"])
            claims = selectors.report_article_claims(article=article)
        else:
            known = set(selectors.BOARD_FILTER_KEYS)
            chosen = {k: v for k, v in params.get("filters", {}).items() if k in known}
            # Verdict filters match what the person who asked may see (workflow.can_see_verdict).
            filters = selectors.BoardFilters(**chosen, **selectors.verdict_scope(job.created_by))
            claims = selectors.board_claims(filters=filters)
        report = build_report(
            claims=claims,
            internal=bool(params.get("internal")),
            article=article,
            filters=params.get("filters"),
            progress=progress,
            site=params.get("site_url") or None,
        )
        output = reports.render(report, params["format"])
    except Exception:
        logger.exception("Report export job %s failed", job_id)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, error="The export failed; see the server log."
        )
        return {"ok": False}
    job.refresh_from_db(fields=["total"])
    job.output = output
    job.output_name = reports.filename(report, params["format"])
    job.output_content_type = reports.FORMATS[params["format"]].content_type
    job.done = job.total
    job.state = Job.State.DONE
    job.save(
        update_fields=[
            "output",
            "output_name",
            "output_content_type",
            "done",
            "state",
            "updated_at",
        ]
    )
    return {"ok": True, "bytes": len(output)}


# ---------------------------------------------------------------- outbox


@task
def deliver_outbox() -> dict:
    """Deliver due outbox messages (enqueued after each commit that writes one; the
    worker's housekeeping enqueues it again while retries are due)."""
    return outbox.deliver_due().as_dict()


# ---------------------------------------------------------------- fact-check archive


# ---------------------------------------------------------------- re-scoring long articles


@task(takes_context=True)
def rescore_article(context, job_id: int) -> dict:
    """Score a long article's sentences with the best scorer (claims.services.rescoring).

    Progress and heartbeat every PROGRESS_EVERY sentences; the scores are written
    in one transaction at the end, so a killed worker leaves the fast scores and
    the re-queued run starts over.
    """
    from claims import extraction

    job = jobs.start(job_id, task_id=context.task_result.id)
    if job is None:
        return {"skipped": "the job is already finished"}
    article = Article.objects.filter(pk=job.params.get("article_id")).first()
    if article is None or not services.rescore_current(job, article):
        _finish(job, Job.State.DONE, "The article was extracted again; nothing to re-score.")
        return {"superseded": True}
    sentences = [article.body[c["start"] : c["end"]] for c in article.candidates]

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
            done=done, heartbeat_at=timezone.now()
        )

    try:
        scores = extraction.rescore(sentences, progress=progress)
    except extraction.EncoderUnavailable as error:
        _finish(
            job, Job.State.FAILED, f"The full model could not run ({error}); the fast scores stay."
        )
        return {"ok": False}
    try:
        with transaction.atomic():
            job = jobs.lock_for(job.pk, attempt=job.attempts)
            written = services.rescore_apply(job=job, scores=scores)
            job.state = Job.State.DONE
            job.done = job.total
            if written is None:
                job.error = "The article was extracted again; nothing to re-score."
            job.save(update_fields=["state", "done", "error", "heartbeat_at", "updated_at"])
    except jobs.Superseded:
        logger.warning("Re-score job %s was re-queued elsewhere; this run stops.", job_id)
        return {"superseded": True}
    return {"rescored": len(scores) if written else 0}


def _finish(job: Job, state: str, message: str) -> None:
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        state=state, error=message, updated_at=timezone.now()
    )


@task(takes_context=True)
def import_fact_checks(context, job_id: int) -> dict:
    """Import the fact-checks an "archive import" Job holds, with progress; then
    encode them and match the open claims again, since the archive changed.
    Each chunk is the heartbeat claims.jobs watches: a run after a killed worker
    goes on from the last chunk saved."""
    job = jobs.start(job_id, task_id=context.task_result.id)
    if job is None:
        return {"skipped": "the job is already finished"}
    try:
        result = services.archive_import_run(
            job=job, progress=lambda j: import_progress.send(sender=Job, job=j)
        )
    except jobs.Superseded:
        logger.warning("Fact-check import job %s was re-queued elsewhere; this run stops.", job_id)
        return {"superseded": True}
    except Exception:
        logger.exception("Fact-check import job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(state=Job.State.FAILED)
        return {"ok": False}
    encode_archive.enqueue()
    open_ids = list(
        MatchRun.objects.filter(claim__status__in=workflow.OPEN).values_list("claim_id", flat=True)
    )
    if open_ids:
        match_claims.enqueue(open_ids)
    return result


@task
def encode_archive() -> int:
    """Store encoder vectors for archive entries that have none (or an old model's)."""
    return services.archive_encode_missing()


@task
def match_claims(claim_ids: list[int]) -> int:
    """Find and store "Checked before" and "Already being checked" matches."""
    return services.claims_match(claim_ids=claim_ids)
