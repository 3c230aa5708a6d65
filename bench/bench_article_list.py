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
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--claims-per-article", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = start_site(tmp)
        from django.db import connection

        from claims.models import Article, Claim

        client = site.client
        print(f"database: {connection.vendor}")

        for size in sorted(args.sizes):
            grow_to(site, size, claims_per_article=args.claims_per_article)
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
                f"GET /articles/ median {med['list']:.1f} ms ({query_count(client, pages['list'])} queries, {size_kib} KiB); "
                f"claim page median {med['claim']:.1f} ms ({query_count(client, pages['claim'])} queries); "
                f"ratio {med['list'] / med['claim']:.2f}x"
            )


if __name__ == "__main__":
    main()
