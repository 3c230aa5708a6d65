"""export_all / import_all carry the whole database between SQLite and PostgreSQL.

The round trip runs the real commands in subprocesses against real databases:
SQLite file -> PostgreSQL -> a second SQLite file, and compares every row.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims import services
from claims.backup import BackupError, backed_up_models, import_all, read_backup
from claims.models import Article, Event

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = os.environ.get("BACKUP_TEST_PG", "postgres://postgres@127.0.0.1:5432")

# Builds a database with every kind of row, through the services where one exists.
SEED = r"""
import django
django.setup()
from django.contrib.admin.models import LogEntry, CHANGE
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from claims import demo, services
from claims.models import Job, Rating

people = demo.ensure_users()
editor, reviewer = people["editor"], people["reviewer1"]
editor.set_password("Ed1tor passphrase ✓"); editor.is_staff = True; editor.save()
chief = Group.objects.create(name="Chief editors")
chief.permissions.add(*Permission.objects.filter(codename__in=["change_rating", "view_claim"]))
editor.groups.add(chief)
editor.user_permissions.add(Permission.objects.get(codename="change_article"))
article = services.article_create(actor=editor, title="Ünïcödé <b>title</b> — “quotes”", body=demo.SAMPLE_ARTICLE.read_text(encoding="utf-8"), url="https://news.example/x")
import re
spans = [m.span() for m in re.finditer(r"[^\n]+", article.body)][1:4]  # three paragraphs
claims = services.claims_keep(actor=editor, article=article, spans=spans)
claim = claims[0]
services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
services.claim_start_research(actor=reviewer, claim=claim)
for n in (1, 2):
    services.source_add(actor=reviewer, claim=claim, url=f"https://stats.example/{n}", title=f"Table {n}", excerpt="Quoted “excerpt”", stance="refutes")
services.claim_set_verdict(actor=reviewer, claim=claim, rating=Rating.objects.get(name="Mostly false"), conclusion="The figure was $3.1m, not $4.2m.", expected_version=None)
services.comment_add(actor=reviewer, claim=claim, body="Checked the budget tables. 🙂")
services.claim_submit(actor=reviewer, claim=claim)
services.claim_approve(actor=editor, claim=claim)
services.claim_publish(actor=editor, claim=claim)
services.claim_correct(actor=editor, claim=claim, note="The council revised its figures.", rating=Rating.objects.get(name="False"), conclusion="The figure was $2.9m.")
services.claim_dismiss(actor=editor, claim=claims[1], reason="Opinion.")
rating = Rating.objects.get(name="Misleading"); rating.description = "Edited by an admin"; rating.save()
Job.objects.create(kind="export", state="done", created_by=editor, total=2, done=2, results=[{"name": "a", "ok": True}], output=b"\x00\x01binary\xff", output_name="r.zip", output_content_type="application/zip")
LogEntry.objects.log_actions(user_id=editor.pk, queryset=[article], action_flag=CHANGE, change_message="Edited in admin")
"""

# Signs in with the carried password and checks a new row gets a fresh id.
AFTER = r"""
import django
django.setup()
from django.contrib.auth import authenticate
from claims import services
from claims.models import Article
from django.test import RequestFactory
user = authenticate(RequestFactory().post("/"), username="editor", password="Ed1tor passphrase ✓")
assert user is not None, "password hash not carried"
assert user.has_perm("claims.change_rating") and user.has_perm("claims.change_article")
top = Article.objects.order_by("-pk").first().pk
new = services.article_create(actor=user, title="After restore", body="A new sentence of 12 words.")
assert new.pk > top, (new.pk, top)
print("ok")
"""


# Every field of every carried row, read from the database itself (not from an
# export, which would hide what the export loses). Datetimes keep their
# microseconds; content types and permissions are named by natural key, as their
# ids differ between databases.
SNAPSHOT_FUNCTION = r"""
def table_snapshot():
    import datetime as dt
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from claims.backup import backed_up_models

    def value(field, obj):
        raw = getattr(obj, field.attname)
        if raw is None:
            return None
        if field.is_relation and field.related_model in (ContentType, Permission):
            return list(field.related_model.objects.get(pk=raw).natural_key())
        if isinstance(raw, dt.datetime):
            return raw.astimezone(dt.UTC).isoformat()
        if isinstance(raw, (dt.date, dt.time)):
            return raw.isoformat()
        if isinstance(raw, (bytes, memoryview)):
            return bytes(raw).hex()
        return raw

    tables = {}
    for model in backed_up_models():
        rows = {}
        for obj in model._default_manager.order_by("pk"):
            row = {f.name: value(f, obj) for f in model._meta.concrete_fields}
            for m2m in model._meta.local_many_to_many:
                related = getattr(obj, m2m.name).all()
                if m2m.related_model is Permission:
                    row[m2m.name] = sorted(list(p.natural_key()) for p in related)
                else:
                    row[m2m.name] = sorted(r.pk for r in related)
            rows[str(obj.pk)] = row
        tables[model._meta.label_lower] = rows
    return tables
"""
SNAPSHOT = (
    "import django, json\ndjango.setup()\n"
    + SNAPSHOT_FUNCTION
    + "print(json.dumps(table_snapshot()))"
)


def _snapshot_here() -> dict:
    namespace: dict = {}
    exec(SNAPSHOT_FUNCTION, namespace)  # noqa: S102 - the test's own code, shared with subprocesses
    return namespace["table_snapshot"]()


def _has_sub_millisecond_times(snapshot: dict) -> bool:
    import re

    stamps = re.findall(r"\.(\d{6})\+00:00", json.dumps(snapshot))
    return any(int(s) % 1000 for s in stamps)


def _env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="factcheck.settings")
    return env


def _run(database_url: str, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(
        cmd,
        cwd=ROOT,
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _rows(path: Path) -> dict[tuple[str, int], dict]:
    return {(o["model"], o["pk"]): o["fields"] for o in read_backup(path)["objects"]}


@pytest.fixture
def pg_databases():
    """Makes fresh PostgreSQL databases (URLs) on the local server; drops them after."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    names: list[str] = []

    def make() -> str:
        name = f"factcheck_backup_{uuid.uuid4().hex[:8]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return f"{PG_SERVER}/{name}"

    try:
        yield make
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_database(pg_databases):
    return pg_databases()


@pytest.mark.slow
def test_sqlite_to_postgresql_and_back_loses_nothing(tmp_path, pg_database):
    sqlite_a = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    sqlite_b = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    first, via_pg, last = tmp_path / "a.json.gz", tmp_path / "pg.json", tmp_path / "b.json"

    _ok(_run(sqlite_a, "migrate", "--no-input", "-v0"))
    _ok(_run(sqlite_a, code=SEED))
    _ok(_run(sqlite_a, "export_all", str(first)))
    assert gzip.decompress(first.read_bytes())  # .gz means gzip

    _ok(_run(pg_database, "migrate", "--no-input", "-v0"))
    _ok(_run(pg_database, "import_all", str(first)))
    # A second import would duplicate or clobber: refused, and says how to proceed.
    again = _run(pg_database, "import_all", str(first))
    assert again.returncode != 0 and "not empty" in again.stderr and "--replace" in again.stderr
    _ok(_run(pg_database, "export_all", str(via_pg)))

    _ok(_run(sqlite_b, "migrate", "--no-input", "-v0"))
    _ok(_run(sqlite_b, "import_all", str(via_pg)))
    _ok(_run(sqlite_b, "export_all", str(last)))

    original = _rows(first)
    assert _rows(via_pg) == original
    assert _rows(last) == original
    kinds = {model for model, _ in original}
    # Every kind of row made it into the backup.
    for label in (
        "auth.user",
        "auth.group",
        "claims.article",
        "claims.claim",
        "claims.source",
        "claims.comment",
        "claims.correction",
        "claims.event",
        "claims.notification",
        "claims.job",
        "claims.rating",
        "admin.logentry",
    ):
        assert label in kinds, label
    # Roles, permissions by natural key, binary output and unicode survive.
    editor = next(
        f for (m, _), f in original.items() if m == "auth.user" and f["username"] == "editor"
    )
    assert editor["password"].startswith("argon2$")
    assert ["change_article", "claims", "article"] in editor["user_permissions"]
    # Every field of every row, in the databases themselves, to the microsecond.
    tables = json.loads(_ok(_run(sqlite_a, code=SNAPSHOT)))
    assert _has_sub_millisecond_times(tables)
    assert json.loads(_ok(_run(pg_database, code=SNAPSHOT))) == tables
    assert json.loads(_ok(_run(sqlite_b, code=SNAPSHOT))) == tables
    assert _ok(_run(pg_database, code=AFTER)).strip() == "ok"  # sequences reset on PostgreSQL
    assert _ok(_run(sqlite_b, code=AFTER)).strip() == "ok"


@pytest.mark.slow
def test_postgresql_to_sqlite_and_back_keeps_every_field_to_the_microsecond(tmp_path, pg_databases):
    pg_a, pg_b = pg_databases(), pg_databases()
    sqlite = f"sqlite:///{tmp_path / 'middle.sqlite3'}"
    first, middle = tmp_path / "pg.json.gz", tmp_path / "sqlite.json"
    for url in (pg_a, sqlite, pg_b):
        _ok(_run(url, "migrate", "--no-input", "-v0"))
    _ok(_run(pg_a, code=SEED))
    _ok(_run(pg_a, "export_all", str(first)))
    _ok(_run(sqlite, "import_all", str(first)))
    _ok(_run(sqlite, "export_all", str(middle)))
    _ok(_run(pg_b, "import_all", str(middle)))

    tables = json.loads(_ok(_run(pg_a, code=SNAPSHOT)))
    assert _has_sub_millisecond_times(tables)
    assert json.loads(_ok(_run(sqlite, code=SNAPSHOT))) == tables
    assert json.loads(_ok(_run(pg_b, code=SNAPSHOT))) == tables
    assert _ok(_run(pg_b, code=AFTER)).strip() == "ok"


@pytest.fixture
def backup_file(tmp_path, db, editor, reviewer, in_review_claim):
    services.comment_add(actor=reviewer, claim=in_review_claim, body="Looks right.")
    path = tmp_path / "backup.json"
    call_command("export_all", str(path), stdout=StringIO())
    return path


def test_round_trip_keeps_every_field_to_the_microsecond(backup_file, tmp_path, editor):
    import datetime as dt

    # A time a millisecond cut would change (created_at columns have their own).
    Article.objects.update(extracted_at=dt.datetime(2026, 3, 4, 5, 6, 7, 123457, tzinfo=dt.UTC))
    before = _snapshot_here()
    assert _has_sub_millisecond_times(before)
    path = tmp_path / "exact.json"
    call_command("export_all", str(path), stdout=StringIO())
    Article.objects.update(extracted_at=None)  # a change the restore must undo
    call_command("import_all", str(path), "--replace", stdout=StringIO())
    assert _snapshot_here() == before


def test_deeply_nested_json_is_refused_clearly(tmp_path, db):
    path = tmp_path / "nested.json"
    path.write_bytes(
        b'{"format": "factcheck-backup", "objects": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    )
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_all", str(path))


def test_import_refuses_a_database_with_data(backup_file):
    with pytest.raises(CommandError, match=r"not empty \(.*claims\.article.*--replace"):
        call_command("import_all", str(backup_file))


def test_replace_restores_exactly_and_drops_later_changes(backup_file, editor):
    before = _rows(backup_file)
    services.article_create(
        actor=editor, title="Added after the backup", body="Text of 8 words here."
    )
    call_command("import_all", str(backup_file), "--replace", stdout=StringIO())
    assert not Article.objects.filter(title="Added after the backup").exists()
    again = backup_file.with_name("again.json")
    call_command("export_all", str(again), stdout=StringIO())
    assert _rows(again) == before
    assert Event.objects.count() == sum(1 for model, _ in before if model == "claims.event")


def test_a_failing_import_changes_nothing(backup_file, tmp_path, editor):
    document = json.loads(backup_file.read_text())
    # A claim pointing at an article that is not in the file.
    claim = next(o for o in document["objects"] if o["model"] == "claims.claim")
    claim["fields"]["article"] = 999_999
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document))
    articles = Article.objects.count()
    with pytest.raises(BackupError):
        import_all(broken, replace=True)
    assert Article.objects.count() == articles


@pytest.mark.parametrize(
    "content,message",
    [
        (b"not json", "not a backup file"),
        (b'{"format": "something-else"}', "not a fact-check backup"),
        (
            b'{"format": "factcheck-backup", "version": 99, "objects": [], "counts": {}}',
            "version 99",
        ),
        (gzip.compress(b"[1, 2", mtime=0), "not a backup file"),
    ],
    # Stable ids: pytest-xdist workers must collect identical test names.
    ids=["not-json", "other-format", "future-version", "gzipped-garbage"],
)
def test_bad_files_are_refused_clearly(tmp_path, db, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_all", str(path))


def test_every_app_model_is_carried():
    # A new model in the claims app is picked up without editing the backup module.
    from django.apps import apps

    carried = set(backed_up_models())
    assert set(apps.get_app_config("claims").get_models()) <= carried
