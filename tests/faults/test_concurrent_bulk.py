"""Concurrent bulk assign and auto-assign on PostgreSQL, with real threads through the
real view (POST /board/bulk/), each thread with its own database connection.

Before the fix, two editors assigning the same ten claims in opposite orders
deadlocked, and a request that waited for a row lock read the claim's joined
assignee as NULL: 8 to 18 of 20 such requests answered 500. Now every answer is a
redirect (saved) or a 409 (a clash that could not be settled), the claims end in
a consistent state, and there is exactly one Event (and one Notification) per
real change.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from claims import services
from claims.models import Claim, Event, Notification

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite serialises writers, so there are no row locks to race",
    ),
]
REQUESTS = 20
CLAIMS = 12


def _run_together(work, n=REQUESTS) -> list:
    """Start `n` threads at one barrier; each result is a value or the exception raised."""
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
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request hung"
    return results


@pytest.fixture
def claims(editor) -> list[Claim]:
    """Twelve unassigned claims, one per sentence of one article."""
    sentences = [f"Spending on item {n} rose by {n + 3}% in 2023." for n in range(CLAIMS)]
    article = services.article_create(actor=editor, title="Bulk assign", body=" ".join(sentences))
    made = []
    for sentence in sentences:
        start = article.body.index(sentence)
        made.append(
            Claim.objects.create(
                article=article, text=sentence, start=start, end=start + len(sentence)
            )
        )
    return made


def _client_for(user) -> Client:
    client = Client(raise_request_exception=False)  # a crash is a 500 to count, not an exception
    client.force_login(user)
    return client


def _selection(claims: list[Claim], i: int) -> list[int]:
    """Overlapping windows of ten, every other one reversed: every pair shares claims,
    and half of the requests list them in the opposite order."""
    window = [c.pk for c in claims[i % 3 : i % 3 + 10]]
    return window[::-1] if i % 2 else window


def _bulk(client: Client, ids: list[int], **data):
    return client.post(
        reverse("claims:claims-bulk"), {"ids": ids, "next": reverse("claims:board"), **data}
    )


def _assert_history_consistent(claim_ids) -> int:
    """Each claim's assign events form one unbroken chain: versions rise by one per
    event, each event starts where the previous ended, each changes something, and
    the last one is what the claim holds. Returns the number of events."""
    total = 0
    for claim in Claim.objects.filter(pk__in=claim_ids).select_related("assignee"):
        events = list(Event.objects.filter(claim=claim).order_by("claim_version"))
        assert [e.claim_version for e in events] == list(range(2, 2 + len(events))), claim.pk
        previous = {"assignee": None, "status": Claim.Status.UNASSIGNED}
        for event in events:
            assert event.action == "claim_assigned"
            assert event.before.get("assignee", previous["assignee"]) == previous["assignee"]
            now = {key: event.after.get(key, previous[key]) for key in previous}
            assert now != previous, f"claim {claim.pk}: an event without a change"
            previous = now
        assert claim.version == 1 + len(events)
        assert claim.status == Claim.Status.ASSIGNED
        assert claim.assignee.get_username() == previous["assignee"]
        total += len(events)
    return total


def test_twenty_bulk_assigns_in_opposite_orders(editor, editor2, reviewer, reviewer2, claims):
    clients = [_client_for(editor if i % 2 else editor2) for i in range(REQUESTS)]
    reviewers = [reviewer, reviewer2]

    def assign(i):
        return _bulk(
            clients[i], _selection(claims, i), action="assign", reviewer=reviewers[i // 2 % 2].pk
        ).status_code

    codes = Counter(_run_together(assign))
    assert set(codes) <= {302, 409}, codes  # saved, or refused as busy: never a 500
    assert codes[302] >= 1
    ids = [c.pk for c in claims]
    events = _assert_history_consistent(ids)
    assert Notification.objects.filter(claim_id__in=ids).count() == events
    assert Event.objects.filter(claim_id__in=ids).exclude(action="claim_assigned").count() == 0


def test_twenty_auto_assigns_give_each_claim_once_and_balance_the_load(
    editor, editor2, reviewer, reviewer2, claims
):
    clients = [_client_for(editor if i % 2 else editor2) for i in range(REQUESTS)]

    def auto_assign(i):
        return _bulk(clients[i], _selection(claims, i), action="auto-assign").status_code

    codes = Counter(_run_together(auto_assign))
    assert set(codes) <= {302, 409}, codes
    ids = [c.pk for c in claims]
    # Only unassigned claims are auto-assigned, so each gets exactly one event.
    assert _assert_history_consistent(ids) == CLAIMS
    assert Notification.objects.filter(claim_id__in=ids).count() == CLAIMS
    # Every selection overlaps every other, so they ran one after another and each
    # read the loads the previous one left: the spread is even.
    loads = Counter(Claim.objects.filter(pk__in=ids).values_list("assignee_id", flat=True))
    assert sorted(loads.values()) == [CLAIMS // 2, CLAIMS // 2], loads


def test_assigns_and_auto_assigns_mixed(editor, editor2, reviewer, reviewer2, claims):
    clients = [_client_for(editor if i % 2 else editor2) for i in range(REQUESTS)]
    reviewers = [reviewer, reviewer2]

    def mixed(i):
        if i % 4 == 3:
            return _bulk(clients[i], _selection(claims, i), action="auto-assign").status_code
        return _bulk(
            clients[i], _selection(claims, i), action="assign", reviewer=reviewers[i % 2].pk
        ).status_code

    codes = Counter(_run_together(mixed))
    assert set(codes) <= {302, 409}, codes
    ids = [c.pk for c in claims]
    events = _assert_history_consistent(ids)
    assert Notification.objects.filter(claim_id__in=ids).count() == events


def test_services_under_threads_never_let_a_database_error_out(editor, reviewer, reviewer2, claims):
    """Straight through the services: every call either returns or refuses with Busy,
    and the auto-assigns together assign each claim at most once."""
    reviewers = [reviewer, reviewer2]
    ids = [c.pk for c in claims]

    def call(i):
        selection = _selection(claims, i)
        if i % 2:
            return len(services.claims_auto_assign(actor=editor, claim_ids=selection))
        return services.claims_assign(
            actor=editor, claim_ids=selection, assignee=reviewers[i // 2 % 2]
        )

    results = _run_together(call)
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, services.Busy) for e in errors), errors
    auto_assigned = sum(r for r in results if isinstance(r, int))
    assert auto_assigned <= CLAIMS
    from_unassigned = Event.objects.filter(
        claim_id__in=ids, before__status=Claim.Status.UNASSIGNED
    ).count()
    assert from_unassigned == CLAIMS  # each claim left "unassigned" exactly once
    _assert_history_consistent(ids)


def _deadlocks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _wait_until_blocked(pid: int) -> None:
    with connection.cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
            row = cursor.fetchone()
            if row and row[0] == "Lock":
                return
            threading.Event().wait(0.05)
    pytest.fail(f"backend {pid} never waited for a lock")


def test_a_dropped_connection_while_waiting_for_a_lock_is_a_refusal(editor, reviewer, claims):
    """A database fault that is no clash (the server ends the session while the
    service waits for a row lock) still leaves the service as a ServiceError,
    writes nothing, and the next call on the same thread succeeds."""
    ids = [c.pk for c in claims]
    holding, waiting_pid, outcome = threading.Event(), [], {}
    release = threading.Event()

    def hold_lock():
        from django.db import transaction

        try:
            with transaction.atomic():
                list(Claim.objects.select_for_update().filter(pk=ids[0]))
                holding.set()
                release.wait(20)
        finally:
            connections.close_all()

    def assign():
        try:
            connection.ensure_connection()
            waiting_pid.append(connection.connection.info.backend_pid)
            try:
                services.claims_assign(actor=editor, claim_ids=ids, assignee=reviewer)
            except Exception as exc:  # noqa: BLE001 - the kind is asserted below
                outcome["first"] = exc
            outcome["second"] = services.claims_assign(
                actor=editor, claim_ids=ids[1:], assignee=reviewer
            )
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert holding.wait(10)
    worker = threading.Thread(target=assign)
    worker.start()
    while not waiting_pid and worker.is_alive():
        threading.Event().wait(0.01)
    _wait_until_blocked(waiting_pid[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", waiting_pid)
    worker.join(20)
    release.set()
    holder.join(20)
    assert isinstance(outcome["first"], services.ServiceError), outcome
    assert len(outcome["second"]) == len(ids) - 1
    # The refused call wrote nothing.
    assert Claim.objects.get(pk=ids[0]).status == Claim.Status.UNASSIGNED


def test_a_real_deadlock_is_retried_and_the_assign_goes_through(editor, reviewer, claims):
    """Another transaction locks the last claim, waits until the service holds the
    first ones, then asks for the first: PostgreSQL breaks the deadlock by failing
    the service's transaction, which retries once the other one commits."""
    ids = [c.pk for c in claims]
    deadlocks_before = _deadlocks()
    pids, outcome = {}, {}
    locked_last = threading.Event()

    def other():
        from django.db import transaction

        try:
            with transaction.atomic():
                list(Claim.objects.select_for_update().filter(pk=ids[-1]))
                locked_last.set()
                while "service" not in pids:
                    threading.Event().wait(0.01)
                _wait_until_blocked(pids["service"])
                Claim.objects.filter(pk=ids[0]).update(due_date="2030-01-01")
            outcome["other"] = "committed"
        except Exception as exc:  # noqa: BLE001 - asserted below
            outcome["other"] = exc
        finally:
            connections.close_all()

    def service():
        try:
            connection.ensure_connection()
            pids["service"] = connection.connection.info.backend_pid
            outcome["service"] = services.claims_assign(
                actor=editor, claim_ids=ids, assignee=reviewer
            )
        except Exception as exc:  # noqa: BLE001 - asserted below
            outcome["service"] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=other)
    first.start()
    assert locked_last.wait(10)
    second = threading.Thread(target=service)
    second.start()
    first.join(30)
    second.join(30)
    assert outcome["other"] == "committed", outcome
    assert len(outcome["service"]) == len(ids), outcome
    assert _deadlocks() == deadlocks_before + 1  # there really was one, and it was settled
    assert _assert_history_consistent(ids) == len(ids)
