"""SQLite under concurrent writes: 20 writers for 30 s against gunicorn.

    .venv/bin/python bench/sqlite_concurrency.py [--writers 20] [--seconds 30]

A temporary SQLite file (WAL, IMMEDIATE transactions, as configured in settings),
gunicorn with 4 workers x 5 threads on 127.0.0.1, and 20 signed-in reviewers each
POSTing comments and verdict edits on their own claim as fast as answers come.
Exits non-zero if any request failed, any "database is locked" appeared in the
server log, or a successful write is missing from the database.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Client,
    percentiles,
    prepare_database,
    server_env,
    session_cookie_for,
    setup_django,
    start_gunicorn,
    stop,
    warm_up,
)


def seed(writers: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import services
    from claims.models import EDITORS_GROUP, REVIEWERS_GROUP, Claim, Rating

    User = get_user_model()
    editor = User.objects.create_user("bench_editor", password="x" * 20)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    body = " ".join(f"Claim number {n} says the budget rose {n}% in 2023." for n in range(writers))
    article = services.article_create(actor=editor, title="Concurrency bench", body=body)
    spans = [(m.start(), m.end()) for m in re.finditer(r"Claim number \d+ says[^.]*\.", body)]
    claims = services.claims_keep(actor=editor, article=article, spans=spans)
    people = []
    for n, claim in enumerate(claims):
        reviewer = User.objects.create_user(f"bench_reviewer{n}", password="x" * 20)
        reviewer.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
        services.claim_start_research(actor=reviewer, claim=claim)
        people.append((reviewer, Claim.objects.get(pk=claim.pk)))
    ratings = list(Rating.objects.values_list("pk", flat=True))
    return people, ratings


def writer(
    client: Client,
    claim_id: int,
    version: int,
    ratings: list[int],
    stop_at: float,
    tally: dict,
    lock: threading.Lock,
):
    n = 0
    comments = verdicts = 0
    while time.perf_counter() < stop_at:
        n += 1
        if n % 2:
            r = client.post(
                "comment",
                f"/claims/{claim_id}/comments/new/",
                {"body": f"Note {n} from the bench."},
            )
            comments += r.status == 302
        else:
            data = {
                "rating": ratings[n % len(ratings)],
                "conclusion": f"Checked {n} times.",
                "version": version,
            }
            r = client.post("verdict", f"/claims/{claim_id}/verdict/", data)
            if r.status == 302:
                version += 1
                verdicts += 1
    with lock:
        tally["comments"][claim_id] = comments
        tally["verdicts"][claim_id] = verdicts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sqlite-bench-"))
    env = server_env(f"sqlite:///{tmp / 'bench.sqlite3'}", tmp / "static")
    prepare_database(env)
    setup_django(env)
    people, ratings = seed(args.writers)
    log = tmp / "gunicorn.log"
    proc, port = start_gunicorn(env, workers=args.workers, threads=args.threads, log=log)
    warm_up(port, workers=args.workers)
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}, database {tmp / 'bench.sqlite3'}"
    )
    try:
        clients = [Client(port, session_cookie_for(user)) for user, _ in people]
        tally = {"comments": {}, "verdicts": {}}
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(
                target=writer, args=(c, claim.pk, claim.version, ratings, stop_at, tally, lock)
            )
            for c, (_, claim) in zip(clients, people, strict=False)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        stop(proc)

    from claims.models import Claim, Comment, Event

    results = [r for c in clients for r in c.results]
    statuses: dict[int, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    errors = sum(n for s, n in statuses.items() if s == 0 or s >= 500)
    log_text = log.read_text()
    locked = log_text.count("database is locked")
    lost = 0
    for user, claim in people:
        saved_comments = Comment.objects.filter(claim=claim, author=user).count()
        saved_verdicts = Event.objects.filter(claim=claim, action__startswith="verdict").count()
        fresh = Claim.objects.get(pk=claim.pk)
        expected = tally["verdicts"][claim.pk]
        lost += abs(saved_comments - tally["comments"][claim.pk])
        lost += abs((fresh.version - claim.version) - expected)
        lost += abs(saved_verdicts - expected)
    summary = {
        "writers": args.writers,
        "seconds": round(elapsed, 1),
        "requests": len(results),
        "writes_per_second": round(len(results) / elapsed, 1),
        "statuses": statuses,
        "errors": errors,
        "database_is_locked": locked,
        "lost_writes": lost,
        "comment": percentiles([r.seconds for r in results if r.kind == "comment"]),
        "verdict": percentiles([r.seconds for r in results if r.kind == "verdict"]),
    }
    print(json.dumps(summary, indent=2))
    ok = errors == 0 and locked == 0 and lost == 0
    print("PASS" if ok else f"FAIL (server log: {log})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
