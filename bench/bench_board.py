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
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _in_process import grow_to, query_count, start_site  # noqa: E402 (after sys.path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--claims-per-article", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = start_site(tmp)
        from django.conf import settings
        from django.db import connection
        from django.test import Client

        from claims.models import Claim

        client = site.client
        print(
            f"database: {connection.vendor}, page size {settings.FACTCHECK_BOARD_PAGE_SIZE} cards per column"
        )
        for size in sorted(args.sizes):
            grow_to(site, size, claims_per_article=args.claims_per_article)
            claim_url = (
                f"/claims/{Claim.objects.order_by('id').values_list('id', flat=True).first()}/"
            )
            board = measure(client, "/board/", args.repeat)
            claim = measure(client, claim_url, args.repeat)
            sign_in = measure(Client(), "/accounts/login/", args.repeat)
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


def measure(client, url: str, repeat: int) -> dict:
    """Median wall and CPU time of GET url, its query count and HTML size."""
    client.get(url)  # warm caches and templates
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "ms": statistics.median(times) * 1000,
        "min_ms": min(times) * 1000,
        "cpu_ms": statistics.median(cpu) * 1000,
        "queries": query_count(client, url),
        "bytes": len(response.content),
    }


if __name__ == "__main__":
    main()
