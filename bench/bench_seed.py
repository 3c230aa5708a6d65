"""How long `seed_demo` takes to load 10,000 claims (target: under a minute).

Runs against a fresh temporary SQLite database (or DATABASE_URL if given) and
prints the wall time of migrate and of the seeding itself.

    .venv/bin/python bench/bench_seed.py [--articles 100] [--claims-per-article 100]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--claims-per-article", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DJANGO_DEBUG="1")
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        manage = [sys.executable, str(ROOT / "manage.py")]
        started = time.perf_counter()
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        migrated = time.perf_counter()
        subprocess.run(
            [
                *manage,
                "seed_demo",
                "--articles",
                str(args.articles),
                "--claims-per-article",
                str(args.claims_per_article),
            ],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        seeded = time.perf_counter()
        subprocess.run(
            [
                *manage,
                "seed_demo",
                "--articles",
                str(args.articles),
                "--claims-per-article",
                str(args.claims_per_article),
            ],
            env=env,
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        again = time.perf_counter()
    claims = args.articles * args.claims_per_article
    print(f"database: {env['DATABASE_URL'].split(':')[0]}")
    print(f"migrate: {migrated - started:.1f} s")
    print(
        f"seed_demo {args.articles} x {args.claims_per_article} = {claims:,} claims: {seeded - migrated:.1f} s"
    )
    print(f"second run (idempotent, creates nothing): {again - seeded:.1f} s")


if __name__ == "__main__":
    main()
