"""`/healthz`: 200 when the database answers, 503 when it does not; no login needed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_healthz_answers_200_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "no-cache" in response.headers["Cache-Control"]
    assert client.head("/healthz").status_code == 200


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: a SQLite file in a directory that does not exist.
    script = (
        "import django; django.setup()\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "from django.test import Client\n"
        "r = Client().get('/healthz'); print(r.status_code, r.content.decode().strip())\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3"}
    env["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "503 database unavailable", result.stderr
