"""How long the Articles list takes to open, against a claim's page in the same run.

Seeds a fresh temporary SQLite database (or DATABASE_URL if given) with
claims.demo.seed_synthetic (100 claims per article), then times Django's test
Client GET /articles/ (the first page: 50 articles with their progress bars,
signed in as the demo editor) and GET /claims/<pk>/ several times each,
interleaved, and prints medians, their ratio, SQL query counts and HTML size.

    .venv/bin/python bench/bench_article_list.py [--sizes 5000 50000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--claims-per-article", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
        os.environ["DJANGO_DEBUG"] = "1"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.core.signals import request_finished
        from django.db import close_old_connections, connection, connections
        from django.test import Client

        from claims import demo
        from claims.models import Article, Claim

        settings.ALLOWED_HOSTS = ["*"]
        # As in production (DEBUG off): no template debug bookkeeping. Keep one
        # connection open across requests, as CONN_MAX_AGE does on PostgreSQL.
        settings.TEMPLATES[0]["OPTIONS"]["debug"] = False
        request_finished.disconnect(close_old_connections)
        call_command("migrate", verbosity=0)
        people = demo.ensure_users()
        reviewers = [people["reviewer1"], people["reviewer2"], people["reviewer3"]]
        client = Client()
        client.force_login(people["editor"])
        print(f"database: {connection.vendor}")

        def count_queries(path: str) -> int:
            # request_started resets connection.queries, so count with an execute wrapper.
            executed: list[str] = []

            def record(run, sql, *rest):
                executed.append(sql)
                return run(sql, *rest)

            with connections["default"].execute_wrapper(record):
                assert client.get(path).status_code == 200
            return len(executed)

        for size in sorted(args.sizes):
            if size > Claim.objects.count():
                articles = -(-size // args.claims_per_article)
                started = time.perf_counter()
                demo.seed_synthetic(
                    editor=people["editor"],
                    reviewers=reviewers,
                    articles=articles,
                    claims_per_article=args.claims_per_article,
                )
                print(
                    f"seeded to {Claim.objects.count():,} claims in {time.perf_counter() - started:.1f} s"
                )
            claim = Claim.objects.filter(assignee__isnull=False).order_by("id").first()
            pages = {"list": "/articles/", "claim": f"/claims/{claim.pk}/"}
            for path in pages.values():
                client.get(path)  # warm caches and templates
            times: dict[str, list[float]] = {name: [] for name in pages}
            for _ in range(args.repeat):
                for name, path in pages.items():  # interleaved: both see the same machine load
                    started = time.perf_counter()
                    response = client.get(path)
                    times[name].append(time.perf_counter() - started)
                    assert response.status_code == 200
                    if name == "list":
                        size_kib = len(response.content) // 1024
            med = {name: statistics.median(values) * 1000 for name, values in times.items()}
            print(
                f"{Claim.objects.count():>7,} claims, {Article.objects.count():,} articles: "
                f"GET /articles/ median {med['list']:.1f} ms ({count_queries(pages['list'])} queries, {size_kib} KiB); "
                f"claim page median {med['claim']:.1f} ms ({count_queries(pages['claim'])} queries); "
                f"ratio {med['list'] / med['claim']:.2f}x"
            )


if __name__ == "__main__":
    main()
