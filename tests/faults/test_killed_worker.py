"""A db_worker killed with SIGKILL in the middle of a 40-file import: a new worker
recovers the job (heartbeat gone stale -> the task row the dead worker left RUNNING
is failed, the job re-queued) and finishes it with every file imported exactly once.

Real processes: `manage.py migrate`, the import queued with the database tasks
backend, `manage.py db_worker` started, killed, started again. On a file SQLite
database, and on a fresh PostgreSQL database when DATABASE_URL names a server.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = 40
SERVER_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql://"))

QUEUE = r"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
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


class Database:
    """The test's own view of the database the processes share (plain SQL, no Django)."""

    def __init__(self, url: str, connect, placeholder: str):
        self.url, self._connect, self._placeholder = url, connect, placeholder

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        with closing(self._connect()) as conn:
            return list(conn.execute(sql.replace("%s", self._placeholder), params).fetchall())

    def one(self, sql: str, params: tuple = ()) -> tuple:
        return self.rows(sql, params)[0]


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(
                not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL) for the PostgreSQL run"
            ),
        ),
    ]
)
def database(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "db.sqlite3"
        yield Database(f"sqlite:///{path}", lambda: sqlite3.connect(path, timeout=10), "?")
        return
    import psycopg

    server = SERVER_URL.rsplit("/", 1)[0]
    name = f"killed_worker_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(
            f"{server}/{name}", lambda: psycopg.connect(f"{server}/{name}", autocommit=True), "%s"
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        DATABASE_URL=url,
        DJANGO_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DJANGO_TEST_IMPORT_ITEM_DELAY="0.05",  # inside each item's transaction
        DJANGO_JOB_STALE_SECONDS="2",
        DJANGO_HOUSEKEEPING_SECONDS="0.3",
        DJANGO_LOG_FORMAT="plain",
    )
    return env


def _worker(env: dict, log: Path) -> subprocess.Popen:
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


def _job(db: Database, job_id: int) -> tuple[str, int, int]:
    return db.one("SELECT state, done, attempts FROM claims_job WHERE id = %s", (job_id,))


def _wait_for(db: Database, job_id: int, ready, seconds: float) -> tuple[str, int, int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = _job(db, job_id)
        if ready(row):
            return row
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never got there: {_job(db, job_id)}")


def test_killed_worker_job_is_recovered_and_each_file_imported_once(tmp_path, database):
    db = database
    env = _env(db.url)
    # Migrate, then queue the import, in one process.
    queued = subprocess.run(
        [sys.executable, "-c", QUEUE],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=90,
        capture_output=True,
        text=True,
    )
    job_id = int(queued.stdout.split()[-1])

    first = _worker(env, tmp_path / "worker1.log")
    try:
        state, done, _ = _wait_for(db, job_id, lambda r: r[1] >= 6, 30)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    state, done, attempts = _job(db, job_id)
    articles = db.one("SELECT COUNT(*) FROM claims_article")[0]
    task_status = db.one("SELECT status FROM django_tasks_database_dbtaskresult")[0]
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

    bodies = [row[0] for row in db.rows("SELECT body FROM claims_article")]
    results = db.one("SELECT results, error FROM claims_job WHERE id = %s", (job_id,))
    tasks = dict(
        db.rows(
            "SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'claims.tasks.import_articles' GROUP BY status"
        )
    )
    lost = db.one(
        "SELECT exception_class_path FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    )[0]
    extracted = db.one("SELECT COUNT(*) FROM claims_article WHERE extracted_at IS NOT NULL")[0]
    # SQLite hands back JSON text, psycopg the decoded list.
    entries = json.loads(results[0]) if isinstance(results[0], str) else results[0]
    # Every file exactly once: 40 articles, 40 different stories, one entry per file.
    assert len(bodies) == FILES and len(set(bodies)) == FILES
    assert sorted(e["index"] for e in entries) == list(range(FILES))
    assert all(e["ok"] and e["extracted"] for e in entries)
    assert len({e["article_id"] for e in entries}) == FILES and extracted == FILES
    # The dead worker's task row is closed as lost; the re-queued run succeeded.
    assert tasks == {"FAILED": 1, "SUCCESSFUL": 1} and lost == "claims.jobs.WorkerLost"
    assert "Re-queued" in results[1] and "stopped" in results[1]
