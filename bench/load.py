"""Load: 50 simulated editors and reviewers for 60 s against gunicorn + PostgreSQL.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--pg postgres://postgres@127.0.0.1:5432]

Creates a throw-away PostgreSQL database, migrates it, seeds articles and claims
assigned to reviewers, and starts gunicorn on 127.0.0.1. Each simulated person
loops: open the board, open a claim panel (reading the claim's version), edit the
verdict with that version (as htmx posts it), pause briefly. Editors
pick any claim, reviewers their own, so edits collide and some are refused as
stale (409, expected). Then it checks:

- errors: no 5xx and no failed connections;
- lost updates: every successful edit bumped the version exactly once, no two
  successes on a claim were based on the same version, and each has its event.

Prints p50/p95 per request kind. Exits non-zero on any error or lost update.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Client,
    drop_scratch,
    open_scratch,
    percentiles,
    session_cookie_for,
    start_gunicorn,
    stop,
    warm_up,
)

VERSION = re.compile(rb'data-version="(\d+)"')


def seed(users: int, claims_per_reviewer: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import services
    from claims.models import EDITORS_GROUP, REVIEWERS_GROUP, Rating

    User = get_user_model()
    n_editors = max(1, users // 5)
    editors = []
    for n in range(n_editors):
        user = User.objects.create_user(f"load_editor{n}", password="x" * 20)
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
        editors.append(user)
    reviewers = []
    for n in range(users - n_editors):
        user = User.objects.create_user(f"load_reviewer{n}", password="x" * 20)
        user.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
        reviewers.append(user)
    owned: dict[int, list[int]] = {}
    sentences = [
        f"Claim {n} says spending rose {n % 40 + 1}% in {2000 + n % 25}."
        for n in range(len(reviewers) * claims_per_reviewer)
    ]
    for start in range(0, len(sentences), 20):
        body = " ".join(sentences[start : start + 20])
        article = services.article_create(
            actor=editors[0], title=f"Load article {start // 20 + 1}", body=body
        )
        spans = [(m.start(), m.end()) for m in re.finditer(r"Claim \d+ says[^.]*\.", body)]
        for n, claim in enumerate(
            services.claims_keep(actor=editors[0], article=article, spans=spans)
        ):
            reviewer = reviewers[(start + n) % len(reviewers)]
            services.claim_assign(actor=editors[0], claim=claim, assignee=reviewer)
            services.claim_start_research(actor=reviewer, claim=claim)
            owned.setdefault(reviewer.pk, []).append(claim.pk)
    ratings = list(Rating.objects.values_list("pk", flat=True))
    return editors, reviewers, owned, ratings


def person(
    client: Client,
    claim_ids: list[int],
    ratings: list[int],
    stop_at: float,
    think: float,
    successes: list,
    lock: threading.Lock,
    rng: random.Random,
):
    while time.perf_counter() < stop_at:
        client.get("board", "/board/" + ("?page=2" if rng.random() < 0.2 else ""))
        claim_id = rng.choice(claim_ids)
        panel = client.get("panel", f"/claims/{claim_id}/", htmx=rng.random() < 0.5)
        found = VERSION.search(panel.body)
        if found:
            version = int(found.group(1))
            data = {
                "rating": rng.choice(ratings),
                "conclusion": f"Checked by load test {uuid.uuid4().hex[:8]}.",
                "version": version,
            }
            # As htmx does it: success is the fresh panel plus the board-changed event.
            result = client.post("verdict", f"/claims/{claim_id}/verdict/", data, htmx=True)
            ok = result.status == 200 and "board-changed" in result.headers.get("HX-Trigger", "")
            if ok:
                with lock:
                    successes.append((claim_id, version))
        time.sleep(rng.uniform(0, 2 * think))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, default=0.25, help="mean pause between a person's rounds (s)"
    )
    parser.add_argument("--claims-per-reviewer", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL (no database)",
    )
    args = parser.parse_args()

    scratch = open_scratch(args.pg, "factcheck_load")
    name, tmp, env = scratch.name, scratch.tmp, scratch.env
    proc = None
    try:
        editors, reviewers, owned, ratings = seed(args.users, args.claims_per_reviewer)
        all_claims = [pk for ids in owned.values() for pk in ids]

        from claims.models import Claim, Event

        start_versions = dict(Claim.objects.values_list("pk", "version"))
        log = tmp / "gunicorn.log"
        proc, port = start_gunicorn(env, workers=args.workers, threads=args.threads, log=log)
        warm_up(port, workers=args.workers)
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{port}; PostgreSQL database {name}; "
            f"{len(editors)} editors, {len(reviewers)} reviewers, {len(all_claims)} claims"
        )

        successes: list[tuple[int, int]] = []
        lock = threading.Lock()
        clients = []
        threads = []
        stop_at = time.perf_counter() + args.seconds
        for n, user in enumerate(editors + reviewers):
            client = Client(port, session_cookie_for(user))
            clients.append(client)
            claim_ids = all_claims if user in editors else owned[user.pk]
            rng = random.Random(n)
            threads.append(
                threading.Thread(
                    target=person,
                    args=(client, claim_ids, ratings, stop_at, args.think, successes, lock, rng),
                )
            )
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        stop(proc)
        proc = None

        results = [r for c in clients for r in c.results]
        statuses = Counter(f"{r.kind} {r.status}" for r in results)
        errors = sum(1 for r in results if r.status == 0 or r.status >= 500)
        # Lost updates: versions and events must account for every successful edit.
        per_claim = Counter(claim_id for claim_id, _ in successes)
        duplicate_bases = len(successes) - len(set(successes))
        end_versions = dict(Claim.objects.values_list("pk", "version"))
        version_gaps = sum(
            abs((end_versions[pk] - start_versions[pk]) - per_claim.get(pk, 0)) for pk in all_claims
        )
        events = Event.objects.filter(action="verdict_set", claim_id__in=all_claims).count()
        lost = duplicate_bases + version_gaps + abs(events - len(successes))
        summary = {
            "users": args.users,
            "seconds": round(elapsed, 1),
            "requests": len(results),
            "requests_per_second": round(len(results) / elapsed, 1),
            "statuses": dict(sorted(statuses.items())),
            "errors": errors,
            "successful_edits": len(successes),
            "stale_refused_409": statuses.get("verdict 409", 0),
            "lost_updates": lost,
            "board": percentiles([r.seconds for r in results if r.kind == "board"]),
            "panel": percentiles([r.seconds for r in results if r.kind == "panel"]),
            "verdict": percentiles([r.seconds for r in results if r.kind == "verdict"]),
            "all": percentiles([r.seconds for r in results]),
        }
        print(json.dumps(summary, indent=2))
        ok = errors == 0 and lost == 0
        print("PASS" if ok else f"FAIL (server log: {log})")
        return 0 if ok else 1
    finally:
        if proc is not None:
            stop(proc)
        drop_scratch(scratch)


if __name__ == "__main__":
    sys.exit(main())
