"""Background jobs people ask for: large report exports and bulk article imports.
Each is queued with an audit event; claims.tasks does the work."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from claims import importing
from claims.errors import InvalidInput
from claims.models import Article, Job
from claims.permissions import require_editor
from claims.reports import FORMATS
from claims.services.write import actor_or_none, record_event


@transaction.atomic
def export_job_create(
    *,
    actor,
    format: str,
    internal: bool,
    article: Article | None = None,
    filters: dict | None = None,
    claim_count: int = 0,
    site_url: str = "",
) -> Job:
    """Queue a large report export as a Job (kind "export") for claims.tasks.export_report.
    `site_url`: the address the asking request reached, so the file links back there."""
    if format not in FORMATS:
        raise InvalidInput("Choose a report format from the list.")
    if internal:
        require_editor(actor, "export internal reports")
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        created_by=actor_or_none(actor),
        total=claim_count + 1,
        params={
            "format": format,
            "internal": bool(internal),
            "article_id": article.pk if article is not None else None,
            "filters": filters or {},
            "site_url": site_url,
        },
    )
    record_event(
        actor=actor,
        action="report_export_queued",
        article=article,
        message=f"Queued a {FORMATS[format].label} export of {claim_count:,} claims.",
        after={"job": job.pk, "format": format, "internal": bool(internal)},
    )
    return job


@transaction.atomic
def import_job_create(
    *, actor, files: list[tuple[str, bytes]], extract: bool = True, missing: Sequence[str] = ()
) -> Job:
    """Queue a bulk import of files (name, bytes) for claims.tasks.import_articles.
    `missing` names paths that could not be read; the job reports each as failed."""
    require_editor(actor, "import articles")
    items = [{"name": name, "error": f"{name}: no such file."} for name in missing]
    items += importing.build_items(files)
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        created_by=actor_or_none(actor),
        total=len(items),
        params={"items": items, "extract": bool(extract)},
    )
    record_event(
        actor=actor,
        action="article_import_queued",
        message=f"Queued an import of {len(items):,} item{'s' if len(items) != 1 else ''}.",
        after={"job": job.pk, "items": len(items), "extract": bool(extract)},
    )
    return job
