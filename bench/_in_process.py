"""Shared setup for benchmarks that time pages in process with Django's test Client:
a fresh database, the demo users, an editor's signed-in client, seeding to a size,
and counting a page's SQL queries."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass


@dataclass
class Site:
    client: object  # django.test.Client, signed in as the demo editor
    people: dict
    reviewers: list


def start_site(tmp: str) -> Site:
    """Django set up on a fresh SQLite file in `tmp` (or DATABASE_URL), migrated,
    with the demo users. Templates skip debug bookkeeping as in production, and one
    connection stays open across requests, as CONN_MAX_AGE does on PostgreSQL."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ["DJANGO_DEBUG"] = "1"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test import Client

    from claims import demo

    settings.ALLOWED_HOSTS = ["*"]
    settings.TEMPLATES[0]["OPTIONS"]["debug"] = False
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    people = demo.ensure_users()
    client = Client()
    client.force_login(people["editor"])
    return Site(client=client, people=people, reviewers=[people[f"reviewer{n}"] for n in (1, 2, 3)])


def grow_to(site: Site, size: int, *, claims_per_article: int) -> None:
    """Seed synthetic articles until the database holds at least `size` claims."""
    from claims import demo
    from claims.models import Claim

    if size <= Claim.objects.count():
        return
    started = time.perf_counter()
    demo.seed_synthetic(
        editor=site.people["editor"],
        reviewers=site.reviewers,
        articles=-(-size // claims_per_article),
        claims_per_article=claims_per_article,
        archive=False,  # the archive and matching are measured by their own benchmarks
    )
    print(f"seeded to {Claim.objects.count():,} claims in {time.perf_counter() - started:.1f} s")


def query_count(client, path: str) -> int:
    """SQL queries one GET of `path` runs (request_started resets connection.queries,
    so they are counted with an execute wrapper)."""
    from django.db import connections

    executed: list[str] = []

    def record(run, sql, *rest):
        executed.append(sql)
        return run(sql, *rest)

    with connections["default"].execute_wrapper(record):
        assert client.get(path).status_code == 200
    return len(executed)
