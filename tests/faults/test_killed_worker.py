"""A db_worker killed with SIGKILL in the middle of a 40-file import: a new worker
recovers the job (heartbeat gone stale -> the task row the dead worker left RUNNING
is failed, the job re-queued) and finishes it with every file imported exactly once.

Real processes on a file SQLite database: `manage.py migrate`, the import queued with
the database tasks backend, `manage.py db_worker` started, killed, started again.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = 40

QUEUE = r"""
import django
django.setup()
from django.contrib.auth.models import Group, User
from claims import jobs, services

erin = User.objects.create_user("erin", email="erin@example.com")
erin.groups.add(Group.objects.get(name="Editors"))
files = [
    (f"story-{i:02}.txt", f"Story {i}\n\nThe council spent {i}.5 million on road repairs in 2023, officials said.".encode())
    for i in range(FILES)
]
job = services.import_job_create(actor=erin, files=files, extract=True)
jobs.enqueue(job)
print(job.pk)
""".replace("FILES", str(FILES))


def _env(db: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=f"sqlite:///{db}",
        DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_TEST_IMPORT_ITEM_DELAY="0.05",  # inside each item's transaction
        DJANGO_JOB_STALE_SECONDS="2",
        DJANGO_HOUSEKEEPING_SECONDS="0.3",
        DJANGO_LOG_FORMAT="plain",
    )
    return env


def _worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def _job(db: Path, job_id: int) -> tuple[str, int, int]:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute("SELECT state, done, attempts FROM claims_job WHERE id = ?", (job_id,)).fetchone()


def _wait_for(db: Path, job_id: int, ready, seconds: float) -> tuple[str, int, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = _job(db, job_id)
        if ready(row):
            return row
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never got there: {_job(db, job_id)}")


def test_killed_worker_job_is_recovered_and_each_file_imported_once(tmp_path):
    db = tmp_path / "db.sqlite3"
    env = _env(db)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=60)
    queued = subprocess.run([sys.executable, "-c", QUEUE], cwd=ROOT, env=env, check=True, timeout=60,
                            capture_output=True, text=True)
    job_id = int(queued.stdout.split()[-1])

    first = _worker(env, tmp_path / "worker1.log")
    try:
        state, done, _ = _wait_for(db, job_id, lambda r: r[1] >= 6, 30)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    with sqlite3.connect(db, timeout=10) as conn:
        state, done, attempts = conn.execute("SELECT state, done, attempts FROM claims_job WHERE id = ?", (job_id,)).fetchone()
        articles = conn.execute("SELECT COUNT(*) FROM claims_article").fetchone()[0]
        task_status = conn.execute("SELECT status FROM django_tasks_database_dbtaskresult").fetchone()[0]
    # What the issue saw: stuck "running", the task row RUNNING. But no article
    # without its result entry: each commits with it.
    assert (state, attempts, task_status) == ("running", 1, "RUNNING")
    assert 6 <= done < FILES and articles == done

    second = _worker(env, tmp_path / "worker2.log")
    try:
        state, done, attempts = _wait_for(db, job_id, lambda r: r[0] in {"done", "failed"}, 40)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(10)
    assert (state, done, attempts) == ("done", FILES, 2), (tmp_path / "worker2.log").read_text()

    with sqlite3.connect(db, timeout=10) as conn:
        bodies = [row[0] for row in conn.execute("SELECT body FROM claims_article")]
        results = conn.execute("SELECT results, error FROM claims_job WHERE id = ?", (job_id,)).fetchone()
        tasks = dict(conn.execute(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'claims.tasks.import_articles' GROUP BY status"
        ).fetchall())
        lost = conn.execute(
            "SELECT exception_class_path FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        ).fetchone()[0]
        extracted = conn.execute("SELECT COUNT(*) FROM claims_article WHERE extracted_at IS NOT NULL").fetchone()[0]
    entries = json.loads(results[0])
    # Every file exactly once: 40 articles, 40 different stories, one entry per file.
    assert len(bodies) == FILES and len(set(bodies)) == FILES
    assert sorted(e["index"] for e in entries) == list(range(FILES))
    assert all(e["ok"] and e["extracted"] for e in entries)
    assert len({e["article_id"] for e in entries}) == FILES and extracted == FILES
    # The dead worker's task row is closed as lost; the re-queued run succeeded.
    assert tasks == {"FAILED": 1, "SUCCESSFUL": 1} and lost == "claims.jobs.WorkerLost"
    assert "Re-queued" in results[1] and "stopped" in results[1]
