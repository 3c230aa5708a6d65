"""Whole-database backup and restore, portable between SQLite and PostgreSQL.

The file is one JSON document (gzip-compressed when its name ends in .gz)::

    {"format": "factcheck-backup", "version": 1, "created_at": ..., "source_vendor": "sqlite",
     "counts": {"claims.claim": 12, ...}, "objects": [<Django serializer dicts>...]}

Objects keep their primary keys. Content types and permissions are not carried:
`migrate` recreates them with different ids on the other database, so references
to them (group and user permissions, admin log entries) are written as natural
keys (["change_claim", "claims", "claim"]). Sessions, login-attempt records and
the background-task queue are left out: they are transient, and restored
sessions would sign people in as whoever gets their old user id.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction

FORMAT = "factcheck-backup"
VERSION = 1

# Rows `migrate` itself creates (roles and the default rating scale): an otherwise
# empty database holds them, and the backup's copies replace them.
SEEDED_BY_MIGRATIONS = ("auth.group", "claims.rating")


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why."""


class LosslessJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to
    milliseconds, as ECMAScript dates have no more); the deserializer reads both."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


def backed_up_models() -> list[type[models.Model]]:
    """Every model carried, parents before children."""
    claims_models = serializers.sort_dependencies([(apps.get_app_config("claims"), None)])
    return [
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "User"),
        *claims_models,
        apps.get_model("admin", "LogEntry"),
    ]


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


# --------------------------------------------------------------------------- export


def _natural_keys() -> tuple[dict[int, list], dict[int, list]]:
    perms = {p.pk: list(p.natural_key()) for p in Permission.objects.select_related("content_type")}
    types = {ct.pk: list(ct.natural_key()) for ct in ContentType.objects.all()}
    return perms, types


def _objects(perms: dict[int, list], types: dict[int, list]) -> Iterator[dict]:
    for model in backed_up_models():
        queryset = model._default_manager.order_by("pk")
        for item in serializers.serialize("python", queryset.iterator(chunk_size=500)):
            fields = item["fields"]
            if "permissions" in fields:
                fields["permissions"] = [perms[pk] for pk in fields["permissions"]]
            if "user_permissions" in fields:
                fields["user_permissions"] = [perms[pk] for pk in fields["user_permissions"]]
            if model._meta.label_lower == "admin.logentry" and fields.get("content_type"):
                fields["content_type"] = types[fields["content_type"]]
            yield item


def export_all(path: str | Path) -> dict[str, int]:
    """Write the whole database to `path`; returns the count of rows per model."""
    path = Path(path)
    with transaction.atomic():  # one consistent snapshot
        perms, types = _natural_keys()
        objects = list(_objects(perms, types))
    counts = dict(Counter(item["model"] for item in objects))
    document = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "source_vendor": connection.vendor,
        "counts": counts,
        "objects": objects,
    }
    data = json.dumps(document, cls=LosslessJSONEncoder, ensure_ascii=False).encode()
    tmp = path.with_name(path.name + ".partial")
    tmp.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    tmp.replace(path)  # never leave a half-written backup under the real name
    return counts


# --------------------------------------------------------------------------- import


def read_backup(path: str | Path) -> dict:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BackupError(f"Cannot read {path}: {exc.strerror}.") from exc
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        document = json.loads(raw)
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{path} is not a backup file (not JSON or gzip JSON): {exc}.") from exc
    except RecursionError:
        raise BackupError(
            f"{path} is not a backup file: its JSON is nested too deeply to read "
            "(a backup is never nested more than a few levels)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f'{path} is not a fact-check backup (no "format": "{FORMAT}").')
    if document.get("version") != VERSION:
        raise BackupError(
            f"{path} is backup format version {document.get('version')}; "
            f"this version of the app reads version {VERSION}."
        )
    if not isinstance(document.get("objects"), list) or not isinstance(
        document.get("counts"), dict
    ):
        raise BackupError(f"{path} is damaged: it has no object list or counts.")
    return document


def existing_rows() -> dict[str, int]:
    """Rows that would be lost by an import (rows migrations seed do not count)."""
    counts = {}
    for model in backed_up_models():
        if _label(model) in SEEDED_BY_MIGRATIONS:
            continue
        n = model._default_manager.count()
        if n:
            counts[_label(model)] = n
    return counts


def _clear() -> None:
    """Empty every backed-up table, children first. The audit log refuses deletes
    through the ORM on purpose, so its table is emptied with SQL."""
    Session = apps.get_model("sessions", "Session")
    Session.objects.all().delete()
    with connection.cursor() as cursor:
        for model in reversed(backed_up_models()):
            for m2m in model._meta.local_many_to_many:
                through = m2m.remote_field.through._meta.db_table
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(through)}")  # noqa: S608 (our own table names, quoted)
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def _tables() -> list[str]:
    tables = []
    for model in backed_up_models():
        tables.append(model._meta.db_table)
        tables += [
            m2m.remote_field.through._meta.db_table for m2m in model._meta.local_many_to_many
        ]
    return tables


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def import_all(path: str | Path, *, replace: bool = False) -> dict[str, int]:
    """Load a backup into this database, all or nothing; returns rows per model."""
    document = read_backup(path)
    with transaction.atomic():
        present = existing_rows()
        if present and not replace:
            listing = ", ".join(f"{n} {label}" for label, n in sorted(present.items()))
            raise BackupError(
                f"The database is not empty ({listing}). Import into a freshly migrated "
                "database, or pass --replace to delete everything in it first."
            )
        _clear()
        try:
            for obj in serializers.deserialize(
                "python", document["objects"], handle_forward_references=True
            ):
                obj.save(force_insert=True)
                if obj.deferred_fields:
                    raise BackupError(
                        f"{obj.object._meta.label} {obj.object.pk} refers to a missing row."
                    )
            # Foreign keys are checked at commit; check now so the error names the row.
            connection.check_constraints(table_names=_tables())
        except BackupError:
            raise
        except Exception as exc:  # any bad row aborts the whole import
            raise BackupError(f"The backup could not be loaded: {exc}") from exc
        _reset_sequences()
        loaded = {_label(m): m._default_manager.count() for m in backed_up_models()}
        expected = {label: int(n) for label, n in document["counts"].items()}
        wrong = {
            label: (expected.get(label, 0), loaded.get(label, 0))
            for label in set(loaded) | set(expected)
            if expected.get(label, 0) != loaded.get(label, 0)
        }
        if wrong:
            detail = ", ".join(
                f"{label}: expected {e}, loaded {got}" for label, (e, got) in sorted(wrong.items())
            )
            raise BackupError(
                f"Row counts do not match the backup ({detail}); nothing was imported."
            )
    return {label: n for label, n in loaded.items() if n}
