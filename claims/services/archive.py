"""The fact-check archive: importing other publishers' fact-checks (ClaimReview,
Google Fact Check Tools JSON, CSV) and keeping this newsroom's published claims
in it. Parsing lives in claims.archive_formats; the import runs as a Job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims import archive_formats
from claims.models import ArchiveEntry, Claim, Job, Rating
from claims.permissions import require_editor
from claims.services.write import actor_or_none, record_event

# Records written per transaction: the job's progress moves in these steps.
IMPORT_CHUNK = 250
IMPORTED_FIELDS = (
    "claim_text",
    "rating",
    "rating_value",
    "conclusion",
    "publisher",
    "published_on",
    "language",
)


@transaction.atomic
def archive_import_job_create(
    *, actor, files: Sequence[tuple[str, bytes]], missing: Sequence[str] = ()
) -> Job:
    """Read the files and queue their fact-checks as an "archive import" Job
    (claims.tasks.import_fact_checks). A bad record is reported by file and line or
    index with the reason, and the rest still import."""
    require_editor(actor, "import fact-checks")
    records, problems = (
        [],
        [{"name": name, "ok": False, "message": f"{name}: no such file."} for name in missing],
    )
    for name, data in files:
        parsed = archive_formats.parse(name, data)
        records += [
            {"where": f"{name}, {where}", **vars(record)} for where, record in parsed.records
        ]
        problems += [
            {"name": name, "ok": False, "message": f"{name}, {p}"} for p in parsed.problems
        ]
    job = Job.objects.create(
        kind=Job.Kind.ARCHIVE_IMPORT,
        created_by=actor_or_none(actor),
        total=len(records),
        results=problems,
        params={"records": records, "files": [name for name, _ in files]},
    )
    record_event(
        actor=actor,
        action="archive_import_queued",
        message=f"Queued an import of {len(records):,} fact-check{'s' if len(records) != 1 else ''}"
        + (
            f"; {len(problems)} record{'s' if len(problems) != 1 else ''} could not be read."
            if problems
            else "."
        ),
        after={"job": job.pk, "records": len(records), "problems": len(problems)},
    )
    return job


def _rating_values() -> dict[str, int]:
    """This newsroom's ordinal ratings by lower-case name: a published "False" gets its colour."""
    return {
        name.lower(): value
        for name, value in Rating.objects.filter(value__isnull=False).values_list("name", "value")
    }


def _entry_fields(record: dict, rating_values: dict[str, int]) -> dict:
    return {
        "claim_text": record["claim_text"],
        "rating": record["rating"],
        "rating_value": rating_values.get(record["rating"].lower()),
        "conclusion": record.get("conclusion", ""),
        "publisher": record.get("publisher", ""),
        "published_on": dt.date.fromisoformat(record["published_on"])
        if record.get("published_on")
        else None,
        "language": record.get("language", ""),
    }


@transaction.atomic
def archive_import_chunk(
    *, actor, records: Sequence[dict], rating_values: dict[str, int] | None = None
) -> tuple[int, int]:
    """Add or update (by URL) one chunk of parsed records; returns (added, updated).
    Re-importing a URL updates its entry and never duplicates it."""
    rating_values = _rating_values() if rating_values is None else rating_values
    by_url: dict[str, dict] = {}
    for record in records:  # the same URL twice in a chunk: the later one wins
        by_url[record["url"]] = _entry_fields(record, rating_values)
    existing = {
        e.url: e
        for e in ArchiveEntry.objects.select_for_update().filter(
            origin=ArchiveEntry.Origin.IMPORTED, url__in=list(by_url)
        )
    }
    now = timezone.now()
    new, changed = [], []
    for url, fields in by_url.items():
        entry = existing.get(url)
        if entry is None:
            new.append(ArchiveEntry(origin=ArchiveEntry.Origin.IMPORTED, url=url, **fields))
            continue
        if entry.claim_text != fields["claim_text"] or entry.conclusion != fields["conclusion"]:
            entry.vector, entry.vector_version = None, ""  # its words changed: encode again
        for name, value in fields.items():
            setattr(entry, name, value)
        entry.updated_at = now
        changed.append(entry)
    ArchiveEntry.objects.bulk_create(new)
    ArchiveEntry.objects.bulk_update(
        changed, [*IMPORTED_FIELDS, "vector", "vector_version", "updated_at"]
    )
    updated = len(records) - len(new)
    record_event(
        actor=actor,
        action="archive_imported",
        message=f"Imported fact-checks: {len(new)} added, {updated} updated.",
        after={"added": len(new), "updated": updated},
    )
    return len(new), updated


def archive_import_run(*, job: Job, progress: Callable[[Job], None] | None = None) -> dict:
    """Import the records a running Job holds (claims.jobs.start), chunk by chunk.

    Each chunk commits with the Job's progress and heartbeat in one transaction,
    so a run after a killed worker goes on from ``job.done`` and counts nothing
    twice. Raises claims.jobs.Superseded when the reaper gave the job to another run."""
    from claims import jobs  # jobs maps job kinds to tasks, which import services

    records = list(job.params.get("records", []))
    attempt = job.attempts
    rating_values = _rating_values()
    for start in range(job.done, len(records), IMPORT_CHUNK):
        chunk = records[start : start + IMPORT_CHUNK]
        with transaction.atomic():
            job = jobs.lock_for(job.pk, attempt=attempt)
            a, u = archive_import_chunk(
                actor=job.created_by, records=chunk, rating_values=rating_values
            )
            added, updated = _tally(job)
            _set_tally(job, added + a, updated + u)
            job.done = start + len(chunk)
            job.save(update_fields=["done", "results", "heartbeat_at", "updated_at"])
        if progress is not None:
            progress(job)
    with transaction.atomic():
        job = jobs.lock_for(job.pk, attempt=attempt)
        added, updated = _tally(job)
        _set_tally(job, added, updated)  # an empty import says "0 added, 0 updated." too
        # The records are in the archive now; keep only where each came from.
        job.params = {**job.params, "records": [], "added": added, "updated": updated}
        job.state = Job.State.DONE
        job.save(update_fields=["results", "params", "state", "heartbeat_at", "updated_at"])
    return {"added": added, "updated": updated, "failed": len(job.results) - 1}


TALLY = "fact-checks"  # the name of the Job result that counts what was imported


def _is_tally(result: dict) -> bool:
    return result.get("name") == TALLY and "added" in result  # not a file named "fact-checks"


def _tally(job: Job) -> tuple[int, int]:
    entry = next((r for r in job.results if _is_tally(r)), None)
    return (entry["added"], entry["updated"]) if entry else (0, 0)


def _set_tally(job: Job, added: int, updated: int) -> None:
    others = [r for r in job.results if not _is_tally(r)]
    message = f"{added:,} added, {updated:,} updated."
    job.results = [
        *others,
        {"name": TALLY, "ok": True, "added": added, "updated": updated, "message": message},
    ]


# ---------------------------------------------------------------- this newsroom's own work


def archive_entry_for_claim(claim: Claim) -> ArchiveEntry:
    """Put a published or corrected claim in the archive (or bring its entry up to
    date), with its verdict, conclusion, sources count and public link. Called by
    the publish and correct services inside their transaction."""
    from claims.reports.data import article_report_url  # the report's public address

    fields = {
        "origin": ArchiveEntry.Origin.NEWSROOM,
        "claim_text": claim.text,
        "rating": claim.rating.name if claim.rating_id else "",
        "rating_value": claim.rating.value if claim.rating_id else None,
        "conclusion": claim.conclusion,
        "publisher": settings.FACTCHECK_ORGANIZATION["name"][:200],
        "url": f"{article_report_url(claim.article_id)}#claim-{claim.pk}",
        "published_on": timezone.localdate(claim.published_at)
        if claim.published_at
        else timezone.localdate(),
        "language": settings.LANGUAGE_CODE.split("-")[0],
        "sources_count": claim.sources.count(),
    }
    entry = ArchiveEntry.objects.filter(claim=claim).first()
    if entry is None:
        return ArchiveEntry.objects.create(claim=claim, **fields)
    if entry.claim_text != fields["claim_text"] or entry.conclusion != fields["conclusion"]:
        fields.update(vector=None, vector_version="")
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry
