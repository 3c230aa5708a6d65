"""python manage.py jobs list | show ID | retry ID | reap | outbox | deliver

Inspect and recover background work: import/export jobs (state, progress, attempts,
heartbeat, error), the outbox of notifications, and the housekeeping db_worker runs
on its own (re-queue jobs whose worker died, queue due outbox retries)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from claims import housekeeping, jobs, outbox
from claims.errors import ServiceError
from claims.models import Job, OutboxMessage


def _age(when) -> str:
    if when is None:
        return "-"
    seconds = int((timezone.now() - when).total_seconds())
    return f"{seconds} s ago" if seconds < 120 else f"{seconds // 60} min ago"


class Command(BaseCommand):
    help = "Inspect and retry background jobs and the outbox (see the README's Deployment)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="recent jobs, newest first")
        listing.add_argument("--state", choices=Job.State.values)
        listing.add_argument("--limit", type=int, default=20)
        sub.add_parser("show", help="one job with its per-item results").add_argument(
            "job_id", type=int
        )
        sub.add_parser("retry", help="re-queue a failed or stuck job").add_argument(
            "job_id", type=int
        )
        sub.add_parser("reap", help="recover jobs whose worker stopped, now")
        box = sub.add_parser("outbox", help="outbox counts and the messages that failed")
        box.add_argument("--limit", type=int, default=20)
        deliver = sub.add_parser("deliver", help="send due outbox messages from this process")
        deliver.add_argument(
            "--retry-failed",
            action="store_true",
            help="give failed messages another round of attempts first",
        )

    def handle(self, *args, action: str, **options):
        getattr(self, f"_{action}")(**options)

    def _list(self, *, state=None, limit=20, **_):
        rows = Job.objects.order_by("-created_at", "-id")
        if state:
            rows = rows.filter(state=state)
        self.stdout.write(
            f"{'id':>5}  {'kind':6}  {'state':7}  {'done':>9}  {'tries':>5}  {'heartbeat':>12}  error"
        )
        for job in rows[:limit]:
            self.stdout.write(
                f"{job.pk:>5}  {job.kind:6}  {job.state:7}  {f'{job.done}/{job.total}':>9}  "
                f"{job.attempts:>5}  {_age(job.heartbeat_at):>12}  {job.error[:80]}"
            )

    def _show(self, *, job_id: int, **_):
        job = Job.objects.filter(pk=job_id).first()
        if job is None:
            raise CommandError(f"No job {job_id}.")
        self.stdout.write(
            f"{job}: {job.done}/{job.total} done, attempt {job.attempts}, heartbeat {_age(job.heartbeat_at)}"
        )
        self.stdout.write(
            f"task {job.task_id or '-'}; created {job.created_at:%Y-%m-%d %H:%M:%S} UTC"
        )
        if job.error:
            self.stdout.write(f"note: {job.error}")
        for r in job.results:
            mark = "ok    " if r.get("ok") else "FAILED"
            article = f" (article {r['article_id']})" if r.get("article_id") else ""
            self.stdout.write(
                f"  {r.get('index', '?'):>4} {mark} {r.get('name', '')}: {r.get('message', '')}{article}"
            )

    def _retry(self, *, job_id: int, **_):
        try:
            job = jobs.retry(job_id)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        job.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(f"Job {job.pk} re-queued ({job.get_state_display()} now).")
        )

    def _reap(self, **_):
        done = housekeeping.tick()
        for line in done["jobs"]:
            self.stdout.write(line)
        self.stdout.write(
            f"{len(done['jobs'])} job(s) recovered, {done['orphan_tasks']} orphan task row(s) closed, "
            f"outbox delivery {'queued' if done['outbox_queued'] else 'not needed'}."
        )

    def _outbox(self, *, limit=20, **_):
        counts = dict(OutboxMessage.objects.values_list("state").annotate(n=Count("id")))
        self.stdout.write(", ".join(f"{s}: {counts.get(s, 0)}" for s in OutboxMessage.State.values))
        for m in OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).order_by("-id")[
            :limit
        ]:
            self.stdout.write(
                f"  {m.pk:>5} {m.kind} to {m.payload.get('to', '-')}: {m.attempts} attempts; {m.last_error[:100]}"
            )

    def _deliver(self, *, retry_failed=False, **_):
        if retry_failed:
            again = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).update(
                state=OutboxMessage.State.PENDING, attempts=0, next_attempt_at=timezone.now()
            )
            self.stdout.write(f"{again} failed message(s) given another round.")
        totals = outbox.Delivered()
        while True:
            batch = outbox.deliver_due()
            totals.sent, totals.retrying, totals.failed = (
                totals.sent + batch.sent,
                totals.retrying + batch.retrying,
                totals.failed + batch.failed,
            )
            if not (batch.sent or batch.retrying or batch.failed):
                break
        self.stdout.write(
            f"sent {totals.sent}, to retry later {totals.retrying}, failed {totals.failed}"
        )
