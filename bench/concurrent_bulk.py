"""Concurrent bulk assign and auto-assign against gunicorn and PostgreSQL.

    .venv/bin/python bench/concurrent_bulk.py [--requests 20] [--rounds 5]

The issue's repro: a throw-away PostgreSQL database, gunicorn with 3 gthread
workers x 4 threads on 127.0.0.1 (DEBUG off), two editors, two reviewers and ten
unassigned claims. Each round fires `--requests` POSTs to /board/bulk/ at once,
all with the same ten ids, every other list reversed:

- assign rounds: the two editors assign to different reviewers;
- auto-assign rounds: the editors auto-assign the same selection.

Between rounds the claims are put back to unassigned. Counts the answers by
status and checks, per round, that each claim's new events form one chain of
real changes (versions rise by one per event, each starts where the previous
ended) ending in what the claim holds, and that auto-assign gave each claim
exactly once. Exits non-zero on any 5xx or inconsistency.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import (
    Client,
    drop_scratch,
    open_scratch,
    session_cookie_for,
    start_gunicorn,
    stop,
    warm_up,
)

CLAIMS = 10


def seed():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import services
    from claims.models import EDITORS_GROUP, REVIEWERS_GROUP

    User = get_user_model()

    def person(name, group):
        user = User.objects.create_user(name, password="x" * 20, email=f"{name}@example.com")
        user.groups.add(Group.objects.get(name=group))
        return user

    editors = [person(f"bulk_editor{n}", EDITORS_GROUP) for n in range(2)]
    reviewers = [person(f"bulk_reviewer{n}", REVIEWERS_GROUP) for n in range(2)]
    body = " ".join(f"Claim {n} says spending rose {n + 2}% in 2023." for n in range(CLAIMS))
    article = services.article_create(actor=editors[0], title="Bulk assign bench", body=body)
    spans = [(m.start(), m.end()) for m in re.finditer(r"Claim \d+ says[^.]*\.", body)]
    claims = services.claims_keep(actor=editors[0], article=article, spans=spans)
    return editors, reviewers, [c.pk for c in claims]


def reset(ids: list[int]) -> int:
    """Put the claims back to unassigned, outside the services (the bench's own
    bookkeeping, not a change to audit). Returns the last event id before the round."""
    from claims.models import Claim, Event

    Claim.objects.filter(pk__in=ids).update(status="unassigned", assignee=None)
    return Event.objects.order_by("-id").values_list("id", flat=True).first() or 0


def check_round(
    ids: list[int], since_event: int, versions: dict[int, int], auto: bool
) -> list[str]:
    """What is wrong with the round's outcome (empty when consistent)."""
    from claims.models import Claim, Event

    problems = []
    for claim in Claim.objects.filter(pk__in=ids).select_related("assignee"):
        events = list(Event.objects.filter(claim=claim, id__gt=since_event).order_by("id"))
        state = {"assignee": None, "status": "unassigned"}
        expected_version = versions[claim.pk]
        for event in events:
            expected_version += 1
            if event.claim_version != expected_version:
                problems.append(
                    f"claim {claim.pk}: event at version {event.claim_version}, expected {expected_version}"
                )
            if event.before.get("assignee", state["assignee"]) != state["assignee"]:
                problems.append(
                    f"claim {claim.pk}: event starts from {event.before} but the claim was {state}"
                )
            after = {key: event.after.get(key, state[key]) for key in state}
            if after == state:
                problems.append(f"claim {claim.pk}: an event without a change")
            state = after
        if claim.version != expected_version:
            problems.append(
                f"claim {claim.pk}: version {claim.version}, events account for {expected_version}"
            )
        holds = claim.assignee.get_username() if claim.assignee_id else None
        if events and holds != state["assignee"]:
            problems.append(f"claim {claim.pk}: holds {holds}, events end at {state['assignee']}")
        if auto and len(events) != 1:
            problems.append(f"claim {claim.pk}: auto-assigned {len(events)} times")
        if not events:
            problems.append(f"claim {claim.pk}: no request assigned it")
    return problems


def fire(clients: list[Client], ids: list[int], reviewers, auto: bool) -> Counter:
    barrier = threading.Barrier(len(clients))
    statuses: Counter = Counter()
    lock = threading.Lock()

    def one(i: int):
        selection = ids[::-1] if i % 2 else ids
        data = {"ids": selection, "next": "/board/"}
        if auto:
            data["action"] = "auto-assign"
        else:
            data.update(action="assign", reviewer=reviewers[i % 2].pk)
        barrier.wait()
        result = clients[i].post("bulk", "/board/bulk/", data)
        with lock:
            statuses[result.status] += 1

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="simultaneous POSTs per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of each kind")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--pg",
        default="postgres://postgres@127.0.0.1:5432",
        help="PostgreSQL server URL (no database)",
    )
    args = parser.parse_args()

    scratch = open_scratch(args.pg, "factcheck_bulk")
    name, tmp, env = scratch.name, scratch.tmp, scratch.env
    proc = None
    try:
        editors, reviewers, ids = seed()
        log = tmp / "gunicorn.log"
        proc, port = start_gunicorn(env, workers=args.workers, threads=args.threads, log=log)
        warm_up(port, workers=args.workers)
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads; PostgreSQL database {name}; "
            f"{args.requests} simultaneous POST /board/bulk/ per round over the same {len(ids)} ids"
        )
        cookies = [session_cookie_for(user) for user in editors]
        from claims.models import Claim

        rounds = []
        for auto in (False, True):
            for n in range(args.rounds):
                since = reset(ids)
                versions = dict(Claim.objects.filter(pk__in=ids).values_list("pk", "version"))
                clients = [Client(port, cookies[i % 2]) for i in range(args.requests)]
                started = time.perf_counter()
                statuses = fire(clients, ids, reviewers, auto)
                rounds.append(
                    {
                        "kind": "auto-assign" if auto else "assign",
                        "round": n + 1,
                        "seconds": round(time.perf_counter() - started, 2),
                        "statuses": dict(sorted(statuses.items())),
                        "problems": check_round(ids, since, versions, auto),
                    }
                )
                print(json.dumps(rounds[-1]))
        stop(proc)
        proc = None
        server_log = log.read_text(errors="replace")
        summary = {}
        for kind in ("assign", "auto-assign"):
            mine = [r for r in rounds if r["kind"] == kind]
            statuses = Counter()
            for r in mine:
                statuses.update({int(k): v for k, v in r["statuses"].items()})
            summary[kind] = {
                "rounds": len(mine),
                "requests": sum(statuses.values()),
                "statuses": dict(sorted(statuses.items())),
                "5xx": sum(v for k, v in statuses.items() if k >= 500 or k == 0),
                "5xx_per_round": [
                    sum(v for k, v in r["statuses"].items() if int(k) >= 500) for r in mine
                ],
                "inconsistent_rounds": sum(1 for r in mine if r["problems"]),
            }
        summary["tracebacks_in_server_log"] = server_log.count("Traceback")
        print(json.dumps(summary, indent=2))
        ok = all(
            summary[k]["5xx"] == 0 and summary[k]["inconsistent_rounds"] == 0
            for k in ("assign", "auto-assign")
        )
        print("PASS" if ok else f"FAIL (server log: {log})")
        return 0 if ok else 1
    finally:
        if proc is not None:
            stop(proc)
        drop_scratch(scratch)


if __name__ == "__main__":
    sys.exit(main())
