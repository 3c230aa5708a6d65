"""Conflict-safe edits under real concurrency: PostgreSQL, real threads, row locks.

Run with DATABASE_URL=postgres://... (each thread has its own connection)."""

import threading

import pytest
from django.db import connection, connections

from claims import services
from claims.models import Event

pytestmark = [
    # serialized_rollback restores the roles and rating scale the data migration made.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers",
    ),
]
THREADS = 50


def _run_together(work, n=THREADS):
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def runner(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_fifty_edits_of_one_seen_version_have_exactly_one_winner(
    editor, researching_claim, mostly_false
):
    seen = researching_claim.version
    events_before = Event.objects.filter(claim=researching_claim).count()

    def edit(i):
        return services.claim_set_verdict(
            actor=editor,
            claim=researching_claim.pk,
            rating=mostly_false.pk,
            conclusion=f"Edit number {i}.",
            expected_version=seen,
        )

    results = _run_together(edit)
    winners = [r for r in results if not isinstance(r, Exception)]
    stale = [r for r in results if isinstance(r, services.StaleVersion)]
    assert len(winners) == 1 and len(stale) == THREADS - 1, results
    researching_claim.refresh_from_db()
    assert researching_claim.version == seen + 1
    assert researching_claim.conclusion == winners[0].conclusion  # the winner's write, not lost
    new_events = Event.objects.filter(claim=researching_claim).order_by("id")[events_before:]
    assert [(e.action, e.claim_version, e.after["conclusion"]) for e in new_events] == [
        ("verdict_set", seen + 1, winners[0].conclusion)
    ]


def test_retrying_with_fresh_versions_loses_nothing(editor, researching_claim):
    events_before = Event.objects.filter(claim=researching_claim).count()
    start_version = researching_claim.version

    def edit_with_retries(i):
        from claims.models import Claim

        for _ in range(200):
            seen = Claim.objects.values_list("version", flat=True).get(pk=researching_claim.pk)
            try:
                services.claim_edit_text(
                    actor=editor,
                    claim=researching_claim.pk,
                    text=f"Wording {i} at {seen}",
                    expected_version=seen,
                )
                return seen + 1
            except services.StaleVersion:
                continue
        raise AssertionError("never won")

    results = _run_together(edit_with_retries)
    successes = [r for r in results if isinstance(r, int)]
    assert len(successes) == THREADS, results
    assert sorted(successes) == list(
        range(start_version + 1, start_version + THREADS + 1)
    )  # one winner per version
    researching_claim.refresh_from_db()
    assert researching_claim.version == start_version + len(successes)
    events = Event.objects.filter(claim=researching_claim).count() - events_before
    assert events == len(successes)
