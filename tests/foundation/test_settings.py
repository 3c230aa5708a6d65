"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run_check(**env):
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_off_without_secret_key_refuses_with_clear_message():
    result = _run_check(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="factcheck.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_off_with_secret_key_starts():
    result = _run_check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="factcheck.example"
    )
    assert result.returncode == 0, result.stderr


def test_sqlite_runs_wal_and_immediate(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        import pytest

        pytest.skip("SQLite-only settings")
    assert connection.transaction_mode == "IMMEDIATE"
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; the file database does (checked below).
    assert mode in {"wal", "memory"}


def test_sqlite_file_database_uses_wal(tmp_path):
    db_file = tmp_path / "wal.sqlite3"
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DATABASE_URL=f"sqlite:///{db_file}", DJANGO_SETTINGS_MODULE="factcheck.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.stdout.strip() == "wal", result.stderr


@pytest.mark.parametrize(
    "word,expected",
    [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False), ("", True)],
)
def test_env_bool_reads_known_words(monkeypatch, word, expected):
    from factcheck.settings import env_bool

    monkeypatch.setenv("FACTCHECK_TEST_FLAG", word)
    assert env_bool("FACTCHECK_TEST_FLAG", True) is expected


@pytest.mark.parametrize("word", ["flase", "ture", "2", "enabled"])
def test_env_bool_refuses_words_it_does_not_know(monkeypatch, word):
    from django.core.exceptions import ImproperlyConfigured

    from factcheck.settings import env_bool

    monkeypatch.setenv("FACTCHECK_TEST_FLAG", word)
    with pytest.raises(ImproperlyConfigured, match="FACTCHECK_TEST_FLAG"):
        env_bool("FACTCHECK_TEST_FLAG", False)
