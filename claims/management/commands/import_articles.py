"""python manage.py import_articles PATH... [--as USERNAME]: bulk import through
the same background task as the browser, with a progress bar and a per-file summary."""

from __future__ import annotations

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims import jobs, services
from claims.models import Job
from claims.permissions import is_editor
from claims.tasks import import_progress

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import article files (.txt, .md, .html, .docx) or CSVs with title, text and url columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--as",
            dest="username",
            help="the editor recorded as adding the articles (default: the first superuser)",
        )
        parser.add_argument(
            "--no-extract", action="store_true", help="only add the articles; do not extract claims"
        )

    def handle(
        self,
        *args,
        paths: list[str],
        username: str | None = None,
        no_extract: bool = False,
        **options,
    ):
        actor = _actor(username)
        files = [(Path(p).name, Path(p).read_bytes()) for p in paths if Path(p).is_file()]
        missing = [p for p in paths if not Path(p).is_file()]
        try:
            job = services.import_job_create(
                actor=actor, files=files, extract=not no_extract, missing=missing
            )
        except services.ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Importing {job.total} item{'s' if job.total != 1 else ''} as {actor.get_username()} (job {job.pk})"
        )

        def on_progress(sender, job: Job, **kwargs):
            if job.pk == job_id:
                self._draw(job.done, job.total, job.results[-1]["name"] if job.results else "")

        job_id = job.pk
        import_progress.connect(on_progress, weak=False)
        try:
            jobs.enqueue(job)
            job.refresh_from_db()
            # A database backend runs the task in `db_worker`: follow the Job row.
            while job.state in {Job.State.QUEUED, Job.State.RUNNING}:
                self._draw(
                    job.done,
                    job.total,
                    "waiting for the worker…" if job.state == Job.State.QUEUED else "",
                )
                time.sleep(0.5)
                job.refresh_from_db()
        finally:
            import_progress.disconnect(on_progress)
        self._draw(job.done, job.total, "")
        self.stdout.write("")
        self._summary(job)

    def _draw(self, done: int, total: int, name: str) -> None:
        filled = BAR_WIDTH if not total else BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} {name[:40]:<40}", ending="")
        self.stdout.flush()

    def _summary(self, job: Job) -> None:
        failed = [r for r in job.results if not r["ok"]]
        for r in job.results:
            if r["ok"]:
                self.stdout.write(
                    f"  ok      {r['name']}: {r['message']} (article {r['article_id']})"
                )
            else:
                self.stdout.write(self.style.ERROR(f"  FAILED  {r['message']}"))
        total = len(job.results)
        line = f"Imported {total - len(failed)} of {total}; {len(failed)} failed."
        if failed:
            raise CommandError(line)
        self.stdout.write(self.style.SUCCESS(line))


def _actor(username: str | None):
    User = get_user_model()
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user named {username!r}.")
    else:
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("Pass --as USERNAME: the editor recorded as adding the articles.")
    if not is_editor(user):
        raise CommandError(f"{user.get_username()} is not an editor; only editors add articles.")
    return user
