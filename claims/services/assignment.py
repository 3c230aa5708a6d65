"""Assignment: giving claims to reviewers (one, a selection, or spread by load),
taking them back, and due dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput, InvalidTransition
from claims.ids import parse_id, parse_ids
from claims.models import REVIEWERS_GROUP, Claim
from claims.names import display_name
from claims.permissions import is_editor, require_editor
from claims.selectors.people import active_reviewers
from claims.services.notifications import notify
from claims.services.write import begin, claim_id_of, lock_claims, retry_on_clash
from claims.text import shorten
from claims.validation import validate_due_date

User = get_user_model()
Status = Claim.Status


def _reviewer(user_or_id) -> object:
    if user_or_id is None or user_or_id == "":
        raise InvalidInput("Choose a reviewer.")
    if isinstance(user_or_id, User):
        user = user_or_id
    else:
        user = User.objects.filter(
            pk=parse_id(user_or_id, message="Choose a reviewer from the list.")
        ).first()
    if user is None or not user.is_active:
        raise InvalidInput("That reviewer does not exist or is inactive.")
    if not (user.groups.filter(name=REVIEWERS_GROUP).exists() or is_editor(user)):
        raise InvalidInput(f"{display_name(user)} is not a reviewer.")
    return user


@transaction.atomic
def claim_assign(
    *, actor, claim: Claim | int, assignee, expected_version: int | None = None
) -> Claim:
    reviewer = _reviewer(assignee)
    write = begin(
        claim=claim,
        actor=actor,
        permission="assign",
        event="claim_assigned",
        expected_version=expected_version,
    )
    if write.claim.assignee_id == reviewer.pk and write.claim.status != Status.UNASSIGNED:
        return write.claim  # already theirs: nothing to write
    write.claim.status = workflow.target_status("assign")
    write.claim.assignee = reviewer
    write.save(message=f"Assigned to {display_name(reviewer)}.", fields=["status", "assignee"])
    notify(
        recipient=reviewer,
        claim=write.claim,
        message=f"You were assigned a claim: {shorten(write.claim.text, 140)}",
    )
    return write.claim


@transaction.atomic
def claim_unassign(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="unassign",
        event="claim_unassigned",
        expected_version=expected_version,
    )
    write.claim.status = workflow.target_status("unassign")
    write.claim.assignee = None
    return write.save(message="Unassigned.", fields=["status", "assignee"])


@retry_on_clash
def claims_assign(*, actor, claim_ids: Sequence[int | str], assignee) -> list[Claim]:
    """Assign every selected claim to one reviewer, all or nothing."""
    require_editor(actor, "assign claims")
    reviewer = _reviewer(assignee)
    ids = _distinct(claim_ids)
    lock_claims(ids)
    assigned = []
    for pk in ids:
        try:
            assigned.append(claim_assign(actor=actor, claim=pk, assignee=reviewer))
        except (InvalidTransition, InvalidInput) as exc:
            # The whole selection rolls back, naming the claim at fault.
            raise type(exc)(f"Claim #{pk}: {exc.message} Nothing was assigned.") from exc
    return assigned


def reviewer_loads(reviewers: Iterable | None = None) -> dict[int, int]:
    """Open claims (assigned, researching, in review) per reviewer id."""
    ids = [r.pk for r in (active_reviewers() if reviewers is None else reviewers)]
    loads = dict.fromkeys(ids, 0)
    rows = (
        Claim.objects.filter(assignee_id__in=ids, status__in=workflow.WORKLOAD)
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        loads[row["assignee_id"]] = row["n"]
    return loads


@retry_on_clash
def claims_auto_assign(
    *, actor, claim_ids: Sequence[int | str], reviewers: Iterable | None = None
) -> list[Claim]:
    """Spread the unassigned claims of the selection over reviewers, each to whoever has
    the fewest open claims. Claims someone already has are left with them."""
    require_editor(actor, "assign claims")
    pool = list(reviewers) if reviewers is not None else list(active_reviewers())
    if not pool:
        raise InvalidInput("There are no active reviewers to assign to.")
    ids = _distinct(claim_ids)
    locked = lock_claims(ids)
    loads = reviewer_loads(pool)
    by_id = {r.pk: r for r in pool}
    assigned = []
    for pk in ids:
        if pk not in locked or locked[pk].status != Status.UNASSIGNED:
            continue
        reviewer_id = min(loads, key=lambda rid: (loads[rid], by_id[rid].get_username()))
        assigned.append(claim_assign(actor=actor, claim=pk, assignee=by_id[reviewer_id]))
        loads[reviewer_id] += 1
    return assigned


def _distinct(ids: Iterable) -> list[int]:
    return list(dict.fromkeys(parse_ids(ids, message="Select claims from the board.")))


@transaction.atomic
def claim_set_due_date(
    *,
    actor,
    claim: Claim | int,
    due_date: dt.date | None,
    expected_version: int | None = None,
    allow_overdue: bool = False,
) -> Claim:
    """Set or clear the due date. A date in the past is refused unless
    `allow_overdue` says the person confirmed it as already overdue."""
    write = begin(
        claim=claim_id_of(claim),
        actor=actor,
        permission="set_due_date",
        event="due_date_set",
        expected_version=expected_version,
    )
    validate_due_date(due_date, current=write.claim.due_date, allow_overdue=allow_overdue)
    overdue = due_date is not None and due_date < timezone.localdate()
    write.claim.due_date = due_date
    return write.save(
        message=(
            (f"Due date set to {due_date:%d %b %Y}" + (", already overdue." if overdue else "."))
            if due_date
            else "Due date cleared."
        ),
        fields=["due_date"],
    )
