"""Background work with Django's tasks framework (immediate backend by default;
django-tasks-db's DatabaseBackend and `manage.py db_worker` in production)."""

from __future__ import annotations

import logging
from dataclasses import fields as dataclass_fields

from django.dispatch import Signal
from django.tasks import task

from claims import importing, reports, selectors, services
from claims.models import Article, Job
from claims.reports.data import build_report

logger = logging.getLogger(__name__)

# Sent after each imported item (job=Job): lets an in-process caller such as the
# import_articles command draw a progress bar while the immediate backend runs.
import_progress = Signal()

# ---------------------------------------------------------------- bulk import


@task
def import_articles(job_id: int) -> dict:
    """Import the items stored in Job.params into articles (and extract claims),
    recording each item's outcome; one bad item never stops the rest."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    items = list(job.params.get("items", []))
    extract = bool(job.params.get("extract", True))
    job.state, job.total, job.done, job.results = Job.State.RUNNING, len(items), 0, []
    job.save(update_fields=["state", "total", "done", "results", "updated_at"])
    for item in items:
        job.results.append(_import_one(item, actor=job.created_by, extract=extract))
        job.done += 1
        job.save(update_fields=["done", "results", "updated_at"])
        import_progress.send(sender=Job, job=job)
    # The file contents are no longer needed once imported.
    job.params = {**job.params, "items": [{"name": i.get("name", "")} for i in items]}
    job.state = Job.State.DONE
    job.save(update_fields=["params", "state", "updated_at"])
    ok = sum(r["ok"] for r in job.results)
    return {"imported": ok, "failed": len(job.results) - ok}


def _import_one(item: dict, *, actor, extract: bool) -> dict:
    name = item.get("name") or "item"
    try:
        title, text, url = importing.item_text(item)
        article = services.article_create(actor=actor, title=title, body=text, url=url)
    except (importing.ImportFailed, services.ServiceError) as exc:
        message = exc.message
        return {"name": name, "ok": False, "message": message if message.startswith(name) else f"{name}: {message}", "article_id": None}
    except Exception:
        logger.exception("Import of %s failed", name)
        return {"name": name, "ok": False, "message": f"{name}: could not be imported (unexpected error).", "article_id": None}
    result = {"name": name, "ok": True, "message": f"Added “{article.title}”.", "article_id": article.pk}
    if extract:
        try:
            article = services.article_extract(actor=actor, article=article)
            kept = sum(c["checkworthy"] for c in article.candidates)
            result["message"] += f" {len(article.candidates)} sentences, {kept} check-worthy."
        except services.ServiceError as exc:
            result["message"] += f" Extraction failed: {exc.message}"
        except Exception:
            logger.exception("Extraction of %s failed", name)
            result["message"] += " Extraction failed (unexpected error); run it from the article page."
    return result


# ---------------------------------------------------------------- report export


@task
def export_report(job_id: int) -> dict:
    """Build and render a large report, storing the file on the Job row.

    Progress: `total` is the claim count plus one rendering step, so the bar
    moves while claims are read and finishes when the file is stored.
    """
    job = Job.objects.get(pk=job_id)
    params = job.params
    job.state = Job.State.RUNNING
    job.save(update_fields=["state", "updated_at"])

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job.pk).update(total=total + 1, done=done)

    try:
        article = None
        if params.get("article_id"):
            article = Article.objects.get(pk=params["article_id"])
            claims = selectors.report_article_claims(article=article)
        else:
            known = {f.name for f in dataclass_fields(selectors.BoardFilters)}
            filters = selectors.BoardFilters(**{k: v for k, v in params.get("filters", {}).items() if k in known})
            claims = selectors.board_claims(filters=filters)
        report = build_report(
            claims=claims, internal=bool(params.get("internal")), article=article,
            filters=params.get("filters"), progress=progress, site=params.get("site_url") or None,
        )
        output = reports.render(report, params["format"])
    except Exception:
        logger.exception("Report export job %s failed", job_id)
        Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED)
        return {"ok": False}
    job.refresh_from_db(fields=["total"])
    job.output = output
    job.output_name = reports.filename(report, params["format"])
    job.output_content_type = reports.FORMATS[params["format"]].content_type
    job.done = job.total
    job.state = Job.State.DONE
    job.save(update_fields=["output", "output_name", "output_content_type", "done", "state", "updated_at"])
    return {"ok": True, "bytes": len(output)}
