"""Decisions on a claim's verdict: submit, approve, send back, publish, correct;
dismissing and restoring; and the board's moves, which stand for these steps."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput, InvalidTransition
from claims.models import Claim, Comment, Correction, Rating
from claims.services.archive import archive_entry_for_claim
from claims.services.articles import live_claims
from claims.services.assignment import claim_assign, claim_unassign
from claims.services.matching import archive_changed
from claims.services.notifications import notify
from claims.services.research import active_rating, claim_start_research, validate_conclusion
from claims.services.write import begin, check_version, claim_id_of
from claims.text import shorten

Status = Claim.Status


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def submit_blockers(claim: Claim, *, source_count: int | None = None) -> list[str]:
    """What still stands between this claim and "Submit for review", in words."""
    missing = []
    if claim.rating_id is None:
        missing.append("a verdict")
    if not claim.conclusion.strip():
        missing.append("a one-sentence conclusion")
    needed = settings.FACTCHECK_MIN_SOURCES
    have = claim.sources.count() if source_count is None else source_count
    if have < needed:
        missing.append(f"at least {needed} sources (it has {have})")
    return missing


@transaction.atomic
def claim_submit(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="submit",
        event="submitted",
        expected_version=expected_version,
    )
    claim = write.claim
    if claim.conclusion.strip():
        validate_conclusion(claim.conclusion)
    missing = submit_blockers(claim)
    if missing:
        raise InvalidInput("Before submitting, add " + _join(missing) + ".")
    claim.status = workflow.target_status("submit")
    if claim.proposed_by_id is None:
        claim.proposed_by = actor
    return write.save(message="Submitted for review.", fields=["status", "proposed_by"])


@transaction.atomic
def claim_approve(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="approve",
        event="approved",
        expected_version=expected_version,
    )
    claim = write.claim
    claim.status = workflow.target_status("approve")
    claim.approved_by = actor
    write.save(message="Approved the verdict.", fields=["status", "approved_by"])
    notify(
        recipient=claim.assignee,
        claim=claim,
        message=f"Your verdict was approved: {shorten(claim.text, 140)}",
    )
    return claim


@transaction.atomic
def claim_send_back(
    *, actor, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="send_back",
        event="sent_back",
        expected_version=expected_version,
    )
    claim = write.claim
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why you are sending it back: a reason is required.")
    claim.status = workflow.target_status("send_back")
    claim.approved_by = None
    write.save(message=f"Sent back: {reason}", fields=["status", "approved_by"])
    Comment.objects.create(claim=claim, author=actor, body=f"Sent back: {reason}")
    notify(
        recipient=claim.assignee,
        claim=claim,
        message=f"A claim was sent back to you: {reason[:200]}",
    )
    return claim


@transaction.atomic
def claim_publish(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="publish",
        event="published",
        expected_version=expected_version,
    )
    claim = write.claim
    claim.status = workflow.target_status("publish")
    claim.published_at = timezone.now()
    write.save(message="Published.", fields=["status", "published_at"])
    archive_entry_for_claim(claim)
    archive_changed()
    notify(
        recipient=claim.assignee,
        claim=claim,
        message=f"A claim you checked was published: {shorten(claim.text, 140)}",
    )
    return claim


@transaction.atomic
def claim_correct(
    *,
    actor,
    claim: Claim | int,
    note: str,
    rating: Rating | int | None = None,
    conclusion: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="correct",
        event="corrected",
        expected_version=expected_version,
    )
    claim = write.claim
    note = (note or "").strip()
    if not note:
        raise InvalidInput("A correction needs a public note explaining what changed.")
    previous_rating, previous_conclusion = claim.rating, claim.conclusion
    new_rating = active_rating(rating)
    if new_rating is not None:
        claim.rating = new_rating
    if conclusion is not None:
        claim.conclusion = validate_conclusion(conclusion) or claim.conclusion
    claim.status = workflow.target_status("correct")
    Correction.objects.create(
        claim=claim,
        previous_rating=previous_rating,
        new_rating=claim.rating,
        previous_conclusion=previous_conclusion,
        new_conclusion=claim.conclusion,
        note=note,
        corrected_by=actor,
    )
    write.save(message=f"Correction: {note}", fields=["status", "rating", "conclusion"])
    archive_entry_for_claim(claim)
    archive_changed()
    return claim


@transaction.atomic
def claim_dismiss(
    *, actor, claim: Claim | int, reason: str, expected_version: int | None = None
) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="dismiss",
        event="dismissed",
        expected_version=expected_version,
    )
    claim = write.claim
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            "Say why this is not checkable (for example: opinion, prediction): a reason is required."
        )
    claim.status = workflow.target_status("dismiss")
    claim.dismissed_reason = reason
    return write.save(message=f"Dismissed: {reason}", fields=["status", "dismissed_reason"])


@transaction.atomic
def claim_restore(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="restore",
        event="restored",
        expected_version=expected_version,
    )
    claim = write.claim
    if claim.merged_into_id is not None:
        raise InvalidInput(
            f"This claim was merged into claim #{claim.merged_into_id}; split that claim to get it back."
        )
    if live_claims(claim.article).filter(start=claim.start, end=claim.end).exists():
        raise InvalidInput("Another live claim already covers this text.")
    claim.status = workflow.target_status("restore")
    claim.assignee = None
    claim.dismissed_reason = ""
    return write.save(
        message="Restored from dismissed.", fields=["status", "assignee", "dismissed_reason"]
    )


# The service behind each board move (see workflow.move_action).
_MOVE_SERVICES = {
    "assign": claim_assign,
    "unassign": claim_unassign,
    "restore": claim_restore,
    "send_back": claim_send_back,
    "start_research": claim_start_research,
    "submit": claim_submit,
    "approve": claim_approve,
    "publish": claim_publish,
    "dismiss": claim_dismiss,
}
_MOVE_EXTRA = {"assign": "assignee", "send_back": "reason", "dismiss": "reason"}


def claim_move(
    *,
    actor,
    claim: Claim | int,
    to_status: str,
    expected_version: int | None,
    reason: str = "",
    assignee=None,
) -> Claim:
    """Move a card to another column: the board's status select and drag-and-drop."""
    pk = claim_id_of(claim)
    current = Claim.objects.filter(pk=pk).first()
    if current is None:
        raise InvalidInput("That claim no longer exists.")
    workflow.role_allows(actor, current, "view").raise_if_denied()
    if to_status == current.status:
        return current
    if to_status not in Status.values:
        raise InvalidInput("Choose a status from the list.")
    if to_status in workflow.BOARD_UNMOVABLE_TO:
        raise InvalidInput(
            "Open the claim to correct a published verdict: a public note is required."
        )
    check_version(current, expected_version)
    action = workflow.move_action(current.status, to_status, with_assignee=bool(assignee))
    decision = workflow.can(actor, current, action) if action else None
    if decision is None or decision.error is InvalidTransition:
        # Worded in the board's own terms: columns, not internal step names.
        raise InvalidTransition(
            workflow.Refusal.wrong_move(current.status, to_status, workflow.moves(actor, current))
        )
    decision.raise_if_denied()
    kwargs = {"actor": actor, "claim": pk, "expected_version": expected_version}
    if action in _MOVE_EXTRA:
        kwargs[_MOVE_EXTRA[action]] = assignee if action == "assign" else reason
    return _MOVE_SERVICES[action](**kwargs)
