"""How long the review board takes to open at 500 and at 50,000 claims.

Seeds a fresh temporary SQLite database (or DATABASE_URL if given) with
claims.demo.seed_synthetic, then times Django's test Client GET /board/ (signed in
as the demo editor) several times and prints the median and the SQL query count.

    .venv/bin/python bench/bench_board.py [--sizes 500 50000] [--repeat 7]
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 50_000])
    parser.add_argument("--repeat", type=int, default=7)
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
        from claims.models import Claim

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
        print(f"database: {connection.vendor}, page size {settings.FACTCHECK_BOARD_PAGE_SIZE} cards per column")
        for size in sorted(args.sizes):
            have = Claim.objects.count()
            if size > have:
                articles = -(-size // args.claims_per_article)
                started = time.perf_counter()
                demo.seed_synthetic(editor=people["editor"], reviewers=reviewers, articles=articles, claims_per_article=args.claims_per_article)
                print(f"seeded to {Claim.objects.count():,} claims in {time.perf_counter() - started:.1f} s")
            client.get("/board/")  # warm caches and templates
            times, cpu = [], []
            for _ in range(args.repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get("/board/")
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
                assert response.status_code == 200
            # request_started resets connection.queries, so count with an execute wrapper.
            executed: list[str] = []

            def record(run, sql, *rest, log=executed):
                log.append(sql)
                return run(sql, *rest)

            with connections["default"].execute_wrapper(record):
                client.get("/board/")
            stamp = []
            etag = client.get("/board/stamp/")["ETag"]
            for _ in range(args.repeat):
                started = time.perf_counter()
                assert client.get("/board/stamp/", HTTP_IF_NONE_MATCH=etag).status_code == 304
                stamp.append(time.perf_counter() - started)
            print(
                f"{Claim.objects.count():>7,} claims: GET /board/ median {statistics.median(times) * 1000:.0f} ms "
                f"(min {min(times) * 1000:.0f}), CPU median {statistics.median(cpu) * 1000:.0f} ms, {len(executed)} queries, "
                f"{len(response.content) // 1024} KiB; stamp poll (304) median {statistics.median(stamp) * 1000:.1f} ms"
            )


if __name__ == "__main__":
    main()
