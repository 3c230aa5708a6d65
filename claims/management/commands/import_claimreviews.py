"""python manage.py import_claimreviews PATH... [--as USERNAME]: import other
publishers' fact-checks (ClaimReview JSON-LD or HTML, Google Fact Check Tools
JSON, CSV) into the fact-check archive, through the same background job as the
"Import fact-checks" page, with a progress bar and every bad record listed."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import jobs, services
from claims.management.commands.import_articles import _actor
from claims.models import Job
from claims.tasks import import_progress

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import fact-checks (ClaimReview JSON-LD/HTML, Fact Check Tools JSON, CSV) into the archive."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--as",
            dest="username",
            help="the editor recorded as importing (default: the first superuser)",
        )

    def handle(self, *args, paths: list[str], username: str | None = None, **options):
        actor = _actor(username)
        files = [(Path(p).name, Path(p).read_bytes()) for p in paths if Path(p).is_file()]
        missing = [p for p in paths if not Path(p).is_file()]
        try:
            job = services.archive_import_job_create(actor=actor, files=files, missing=missing)
        except services.ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Importing {job.total:,} fact-check{'s' if job.total != 1 else ''} (job {job.pk})"
        )
        job_id = job.pk

        def on_progress(sender, job: Job, **kwargs):
            if job.pk == job_id:
                self._draw(job.done, job.total)

        import_progress.connect(on_progress, weak=False)
        try:
            jobs.enqueue(job)
            job.refresh_from_db()
            while job.state in {Job.State.QUEUED, Job.State.RUNNING}:  # a db_worker runs it
                self._draw(job.done, job.total)
                time.sleep(0.5)
                job.refresh_from_db()
        finally:
            import_progress.disconnect(on_progress)
        self._draw(job.done, job.total)
        self.stdout.write("")
        self._summary(job)

    def _draw(self, done: int, total: int) -> None:
        filled = BAR_WIDTH if not total else BAR_WIDTH * done // total
        self.stdout.write(
            f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {done:,}/{total:,}", ending=""
        )
        self.stdout.flush()

    def _summary(self, job: Job) -> None:
        if job.state == Job.State.FAILED:
            raise CommandError(
                "The import failed; nothing after the last saved chunk was imported."
            )
        failed = [r for r in job.results if not r["ok"]]
        for r in failed:
            self.stdout.write(self.style.ERROR(f"  SKIPPED {r['message']}"))
        line = (
            f"{job.params.get('added', 0):,} added, {job.params.get('updated', 0):,} updated; "
            f"{len(failed)} record{'s' if len(failed) != 1 else ''} skipped."
        )
        if failed:
            raise CommandError(line)
        self.stdout.write(self.style.SUCCESS(line))
