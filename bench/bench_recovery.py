"""Recovery figures for docs/performance.md ("Reliability"): mail through the outbox
and a db_worker killed mid-import. Real processes on a throw-away SQLite file.

1. An assign through the view while the mail server accepts and never answers
   (SMTP timeout 1 s): with the database tasks backend (the outbox; mail leaves from
   the worker) and with the immediate backend (delivery right after the commit,
   inside the request), then the worker's delivery attempt.
2. kill -9 of `manage.py db_worker` during a 40-file import, a new worker started
   at once: how long until the job is re-queued and done, and how many articles.

    .venv/bin/python bench/bench_recovery.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = 40
STALE_SECONDS = 2

ASSIGN = r"""
import json, sys, time, django
django.setup()
from django.core.management import call_command
from django.contrib.auth.models import Group, User
from django.test import Client
from claims import services
from claims.models import OutboxMessage
from claims.tasks import deliver_outbox
call_command("migrate", verbosity=0)
erin = User.objects.create_user("erin", email="erin@example.com")
erin.groups.add(Group.objects.get(name="Editors"))
ravi = User.objects.create_user("ravi", email="ravi@example.com")
ravi.groups.add(Group.objects.get(name="Reviewers"))
client = Client()
client.force_login(erin)
times = []
for n in range(int(sys.argv[1])):
    body = f"The city spent ${n}.2 million on roads in 2023."
    article = services.article_create(actor=erin, title=f"T{n}", body=body)
    claim = services.claim_add_from_selection(actor=erin, article=article, start=0, end=len(body))
    started = time.perf_counter()
    page = client.post(f"/claims/{claim.pk}/assign/", {"version": claim.version, "assignee": ravi.pk})
    times.append(time.perf_counter() - started)
    assert page.status_code in (200, 302), page.status_code
started = time.perf_counter()
outcome = deliver_outbox.call() if sys.argv[2] == "worker" else None
attempt = time.perf_counter() - started
states = sorted(OutboxMessage.objects.values_list("state", flat=True))
print(json.dumps([max(times), sum(times) / len(times), attempt, outcome, states]))
"""


def stalled_server():
    listener = socket.create_server(("127.0.0.1", 0))
    accepted, stop = [], threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return listener, accepted, stop, thread


def base_env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",
        DJANGO_LOG_FORMAT="plain",
    )
    return env


def bench_mail(runs: int) -> None:
    print(f"Assign through the view, mail server stalled, SMTP timeout 1 s ({runs} assigns each):")
    print(
        "| tasks backend | slowest assign | mean assign | worker's delivery attempt | outbox after |"
    )
    print("|---|---|---|---|---|")
    for label, backend, mode in [
        ("database (outbox, db_worker sends)", "django_tasks_db.DatabaseBackend", "worker"),
        (
            "immediate (sent after commit, in the request)",
            "django.tasks.backends.immediate.ImmediateBackend",
            "request",
        ),
    ]:
        listener, accepted, stop, thread = stalled_server()
        with tempfile.TemporaryDirectory() as tmp:
            env = base_env(Path(tmp) / "db.sqlite3")
            env.update(
                DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                DJANGO_EMAIL_HOST="127.0.0.1",
                DJANGO_EMAIL_PORT=str(listener.getsockname()[1]),
                DJANGO_EMAIL_TIMEOUT="1",
                DJANGO_TASKS_BACKEND=backend,
            )
            out = subprocess.run(
                [sys.executable, "-c", ASSIGN, str(runs), mode],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
        if out.returncode:
            print(out.stderr[-2000:])
            raise SystemExit(1)
        slowest, mean, attempt, outcome, states = json.loads(out.stdout.strip().splitlines()[-1])
        attempt_text = (
            f"{attempt:.2f} s for {runs} messages ({outcome})" if mode == "worker" else "-"
        )
        counts = ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states)))
        print(f"| {label} | {slowest:.3f} s | {mean:.3f} s | {attempt_text} | {counts} |")


def worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def job_row(db: Path) -> tuple:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute("SELECT state, done, attempts FROM claims_job").fetchone()


QUEUE = r"""
import django
django.setup()
from django.contrib.auth.models import Group, User
from claims import jobs, services
erin = User.objects.create_user("erin")
erin.groups.add(Group.objects.get(name="Editors"))
files = [(f"s{i:02}.txt", f"Story {i}\n\nThe council spent {i}.5 million on roads in 2023.".encode()) for i in range(NFILES)]
jobs.enqueue(services.import_job_create(actor=erin, files=files, extract=True))
"""


def bench_kill(runs: int, delay: float) -> None:
    print(
        f"\nkill -9 of db_worker during a {FILES}-file import (item delay {delay} s, "
        f"stale after {STALE_SECONDS} s, housekeeping every 0.3 s), new worker started at once:"
    )
    print(
        "| run | done at kill | articles at kill | kill -> running again | kill -> done | articles | distinct | attempts |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for run in range(1, runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "db.sqlite3"
            env = base_env(db)
            env.update(
                DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
                DJANGO_TEST_IMPORT_ITEM_DELAY=str(delay),
                DJANGO_JOB_STALE_SECONDS=str(STALE_SECONDS),
                DJANGO_HOUSEKEEPING_SECONDS="0.3",
            )
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
            )
            subprocess.run(
                [sys.executable, "-c", QUEUE.replace("NFILES", str(FILES))],
                cwd=ROOT,
                env=env,
                check=True,
            )
            first = worker(env, Path(tmp) / "w1.log")
            while job_row(db)[1] < 10:
                time.sleep(0.02)
            first.send_signal(signal.SIGKILL)
            first.wait()
            killed = time.monotonic()
            _, done_at_kill, _ = job_row(db)
            with sqlite3.connect(db) as conn:
                articles_at_kill = conn.execute("SELECT COUNT(*) FROM claims_article").fetchone()[0]
            second = worker(env, Path(tmp) / "w2.log")
            requeued = None
            while (row := job_row(db))[0] != "done":
                if requeued is None and row[2] == 2:
                    requeued = time.monotonic() - killed
                time.sleep(0.02)
            finished = time.monotonic() - killed
            second.send_signal(signal.SIGTERM)
            second.wait()
            with sqlite3.connect(db) as conn:
                bodies = [r[0] for r in conn.execute("SELECT body FROM claims_article")]
            print(
                f"| {run} | {done_at_kill}/{FILES} | {articles_at_kill} | {requeued:.1f} s | {finished:.1f} s | "
                f"{len(bodies)} | {len(set(bodies))} | {row[2]} |"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--assigns", type=int, default=5)
    args = parser.parse_args()
    bench_mail(args.assigns)
    bench_kill(args.runs, delay=0.05)
