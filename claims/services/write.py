"""The write helper every claim change goes through: lock the row, check the
workflow and the version the person saw, save, and write the audit Event in
the same transaction."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.db import DatabaseError, OperationalError, transaction
from django.utils import timezone

from claims import workflow
from claims.errors import Busy, InvalidInput, StaleVersion
from claims.ids import parse_id
from claims.models import Article, Claim, Event


def claim_snapshot(claim: Claim) -> dict:
    """The fields the history shows, as they are now."""
    return {
        "text": claim.text,
        "status": claim.status,
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "due_date": claim.due_date.isoformat() if claim.due_date else None,
        "rating": claim.rating.name if claim.rating_id else None,
        "conclusion": claim.conclusion,
        "version": claim.version,
    }


def changed_fields(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that changed (version always kept) so the history stays readable."""
    keys = [k for k in after if before.get(k) != after.get(k) or k == "version"]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record_event(
    *,
    actor,
    action: str,
    claim: Claim | None = None,
    article: Article | None = None,
    message: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> Event:
    return Event.objects.create(
        actor=actor_or_none(actor),
        action=action,
        claim=claim,
        article=article or (claim.article if claim is not None else None),
        claim_version=claim.version if claim is not None else None,
        message=message,
        before=before or {},
        after=after or {},
    )


def lock_claims(claim_ids: Iterable[int]) -> dict[int, Claim]:
    """Row-lock claims in primary-key order (two requests locking the same rows in
    opposite orders would deadlock), then read their related rows: PostgreSQL can
    hand back a joined row as it was before a concurrent update, so the joins are
    read only once the locks are held. SQLite's IMMEDIATE transactions already
    serialise writers."""
    ids = sorted(set(claim_ids))
    locked = list(
        Claim.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    claims = Claim.objects.select_related("article", "assignee", "rating").filter(pk__in=locked)
    return {claim.pk: claim for claim in claims}


def lock_claim(claim_id: int) -> Claim:
    claim = lock_claims([claim_id]).get(claim_id)
    if claim is None:
        raise InvalidInput("That claim no longer exists.")
    return claim


def claim_id_of(claim: Claim | int | str) -> int:
    if isinstance(claim, Claim):
        return claim.pk
    return parse_id(claim, message="That claim no longer exists.")


def check_version(claim: Claim, expected_version: int | str | None) -> None:
    """Refuse a change made from an older version of the claim, naming what changed."""
    if expected_version is None or expected_version == "":
        return
    seen = parse_id(
        expected_version,
        message="The form is missing the claim's version; reload the claim and try again.",
    )
    if seen == claim.version:
        return
    raise StaleVersion(
        claim=claim, seen_version=seen, changes=changes_since(claim=claim, version=seen)
    )


def changes_since(*, claim: Claim, version: int) -> list[Event]:
    """The events that produced versions after `version`: what a stale editor missed."""
    return list(
        Event.objects.filter(claim=claim, claim_version__gt=version)
        .select_related("actor")
        .order_by("id")
    )


@dataclass
class ClaimWrite:
    """One locked, version-checked change of one claim, saved with its Event."""

    claim: Claim
    actor: object
    event: str
    before: dict = field(default_factory=dict)

    def save(self, *, message: str = "", fields: Iterable[str] = ()) -> Claim:
        self.claim.version += 1
        self.claim.save(update_fields=[*fields, "version", "updated_at"])
        before, after = changed_fields(self.before, claim_snapshot(self.claim))
        record_event(
            actor=self.actor,
            action=self.event,
            claim=self.claim,
            message=message,
            before=before,
            after=after,
        )
        return self.claim


def begin(
    *, claim: Claim | int, actor, permission: str, event: str, expected_version=None
) -> ClaimWrite:
    """Lock the claim and check, in this order: the person's role, the version they
    saw, then whether the claim's status allows the step."""
    locked = lock_claim(claim_id_of(claim))
    workflow.role_allows(actor, locked, permission).raise_if_denied()
    check_version(locked, expected_version)
    workflow.status_allows(actor, locked, permission).raise_if_denied()
    return ClaimWrite(claim=locked, actor=actor, event=event, before=claim_snapshot(locked))


def touch(claim: Claim) -> None:
    """Sources and comments show on cards: mark the claim as changed without a new
    version, so open verdict forms on the same claim stay valid."""
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


# Deadlocks and serialization failures are settled by trying again. Any other
# database error (a dropped connection, a constraint broken by a concurrent delete)
# is logged with its traceback and refused: the transaction rolled back, so nothing
# was written, and the person gets a message instead of a server error.
RETRY_ATTEMPTS = 4
CLASH_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected

logger = logging.getLogger(__name__)


def _is_clash(exc: DatabaseError) -> bool:
    cause = getattr(exc, "__cause__", None)
    sqlstate = getattr(cause, "sqlstate", None) or getattr(
        getattr(cause, "diag", None), "sqlstate", None
    )
    if sqlstate in CLASH_SQLSTATES:
        return True
    return isinstance(exc, OperationalError) and "locked" in str(exc).lower()  # SQLite busy


def retry_on_clash(func: Callable) -> Callable:
    """Run `func` in its own transaction, again when the database reports a clash
    with a concurrent change, then refuse with Busy. No database error escapes."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(RETRY_ATTEMPTS):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except DatabaseError as exc:
                if not _is_clash(exc):
                    logger.exception(
                        "%s failed on a database error; refused, nothing saved", func.__name__
                    )
                    raise Busy(FAULT_MESSAGE) from exc
                # Inside a caller's transaction the locks it holds stay held: retrying
                # here could not settle the clash, so the caller decides.
                if transaction.get_connection().in_atomic_block:
                    raise Busy(BUSY_MESSAGE) from exc
                time.sleep(0.05 * (attempt + 1))
        raise Busy(BUSY_MESSAGE)

    return wrapper


BUSY_MESSAGE = (
    "Someone else was changing the same claims at that moment. Nothing was saved; try again."
)
FAULT_MESSAGE = "The database could not save this change just now. Nothing was saved; try again."
