"""How long the review board takes to open at 500 and at 5,000 claims, against a
claim's page and the sign-in page timed in the same run.

Seeds a fresh temporary SQLite database (or DATABASE_URL if given) with
claims.demo.seed_synthetic, then times Django's test Client GET /board/ (signed in
as the demo editor) several times and prints the median, the SQL query count and
the HTML size; then the same for one claim's page (GET /claims/<pk>/) and the
sign-in page, and the board's time as a multiple of the claim page's.

Targets (issue 12): board HTML under 200 KB at 5,000 claims, board time at most
3x a claim page's, the same query count at every size.

    .venv/bin/python bench/bench_board.py [--sizes 500 5000] [--repeat 7]
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
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000])
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
        print(
            f"database: {connection.vendor}, page size {settings.FACTCHECK_BOARD_PAGE_SIZE} cards per column"
        )
        for size in sorted(args.sizes):
            have = Claim.objects.count()
            if size > have:
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
            claim_url = (
                f"/claims/{Claim.objects.order_by('id').values_list('id', flat=True).first()}/"
            )
            board = measure(client, "/board/", args.repeat, connections)
            claim = measure(client, claim_url, args.repeat, connections)
            sign_in = measure(Client(), "/accounts/login/", args.repeat, connections)
            stamp = []
            etag = client.get("/board/stamp/")["ETag"]
            for _ in range(args.repeat):
                started = time.perf_counter()
                assert client.get("/board/stamp/", HTTP_IF_NONE_MATCH=etag).status_code == 304
                stamp.append(time.perf_counter() - started)
            print(f"{Claim.objects.count():>7,} claims:")
            for name, row in (
                ("GET /board/", board),
                (f"GET {claim_url}", claim),
                ("GET /accounts/login/", sign_in),
            ):
                print(
                    f"    {name:<22} median {row['ms']:6.1f} ms (min {row['min_ms']:.1f}), CPU {row['cpu_ms']:.1f} ms, "
                    f"{row['queries']} queries, {row['bytes'] / 1000:.0f} KB"
                )
            print(
                f"    board / claim page: {board['ms'] / claim['ms']:.1f}x (target at most 3x); "
                f"board HTML {board['bytes'] / 1000:.0f} KB (target under 200 KB); "
                f"stamp poll (304) median {statistics.median(stamp) * 1000:.1f} ms"
            )


def measure(client, url: str, repeat: int, connections) -> dict:
    """Median wall and CPU time of GET url, its query count and HTML size."""
    client.get(url)  # warm caches and templates
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
    # request_started resets connection.queries, so count with an execute wrapper.
    executed: list[str] = []

    def record(run, sql, *rest):
        executed.append(sql)
        return run(sql, *rest)

    with connections["default"].execute_wrapper(record):
        client.get(url)
    return {
        "ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "queries": len(executed),
        "bytes": len(response.content),
    }


if __name__ == "__main__":
    main()
