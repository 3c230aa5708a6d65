"""Editing decisions: approve, send back, publish (with notifications)."""

import pytest

from claims import services
from claims.models import Claim, Comment, Event, Notification, OutboxMessage

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_approve(editor, reviewer, in_review_claim, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.claim_approve(
            actor=editor, claim=in_review_claim, expected_version=in_review_claim.version
        )
    assert (result.status, result.approved_by) == (Status.APPROVED, editor)
    assert Event.objects.filter(action="approved", claim=result).count() == 1
    note = Notification.objects.get(
        recipient=reviewer, message__startswith="Your verdict was approved"
    )
    assert note.claim == result
    # Earlier notifications from the fixtures go out in the same delivery run.
    approved = [m for m in mailoutbox if "approved" in m.subject]
    assert [m.to for m in approved] == [[reviewer.email]]


def test_reviewer_cannot_approve(reviewer, in_review_claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can approve."):
        services.claim_approve(actor=reviewer, claim=in_review_claim)


def test_nobody_approves_their_own_verdict(editor, editor2, researching_claim, mostly_false):
    services.source_add(actor=editor, claim=researching_claim, url="https://a.example/1")
    services.source_add(actor=editor, claim=researching_claim, url="https://a.example/2")
    services.claim_set_verdict(
        actor=editor,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="It was lower.",
        expected_version=None,
    )
    services.claim_submit(actor=editor, claim=researching_claim)
    with pytest.raises(
        services.NotAllowed, match="You proposed this verdict, so someone else must approve it."
    ):
        services.claim_approve(actor=editor, claim=researching_claim)
    researching_claim.refresh_from_db()
    assert researching_claim.status == Status.IN_REVIEW
    assert services.claim_approve(actor=editor2, claim=researching_claim).approved_by == editor2


def test_editor_changing_verdict_in_review_becomes_its_proposer(
    editor, editor2, in_review_claim, mostly_false
):
    services.claim_set_verdict(
        actor=editor,
        claim=in_review_claim,
        rating=mostly_false,
        conclusion="Lower.",
        expected_version=None,
    )
    with pytest.raises(services.NotAllowed, match="You proposed this verdict"):
        services.claim_approve(actor=editor, claim=in_review_claim)
    services.claim_approve(actor=editor2, claim=in_review_claim)


def test_approve_wrong_status(editor, researching_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="Cannot approve a claim that is Researching. From Researching you can:",
    ):
        services.claim_approve(actor=editor, claim=researching_claim)


def test_send_back_needs_reason(editor, in_review_claim):
    for reason in ("", "   "):
        with pytest.raises(
            services.InvalidInput, match="Say why you are sending it back: a reason is required."
        ):
            services.claim_send_back(actor=editor, claim=in_review_claim, reason=reason)
    in_review_claim.refresh_from_db()
    assert in_review_claim.status == Status.IN_REVIEW


def test_send_back(
    editor, reviewer, approved_claim, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.claim_send_back(
            actor=editor, claim=approved_claim, reason="Find the 2023 audit."
        )
    assert (result.status, result.approved_by) == (Status.RESEARCHING, None)
    assert Event.objects.get(action="sent_back").message == "Sent back: Find the 2023 audit."
    assert Comment.objects.get(claim=result).body == "Sent back: Find the 2023 audit."
    assert Notification.objects.filter(
        recipient=reviewer, message__contains="Find the 2023 audit"
    ).exists()
    assert mailoutbox[-1].to == [reviewer.email] and "sent back" in mailoutbox[-1].subject


def test_reviewer_cannot_send_back(reviewer, in_review_claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can send back."):
        services.claim_send_back(actor=reviewer, claim=in_review_claim, reason="x")


def test_publish(editor, reviewer, approved_claim, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.claim_publish(actor=editor, claim=approved_claim)
    assert result.status == Status.PUBLISHED and result.published_at is not None
    assert Notification.objects.filter(
        recipient=reviewer, message__startswith="A claim you checked was published"
    ).exists()
    assert "published" in mailoutbox[-1].subject


def test_publish_needs_approval(editor, in_review_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="Cannot publish a claim that is In review. From In review you can: approve, send back, dismiss.",
    ):
        services.claim_publish(actor=editor, claim=in_review_claim)


def test_reviewer_cannot_publish(reviewer, approved_claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can publish."):
        services.claim_publish(actor=reviewer, claim=approved_claim)


def test_no_email_without_address_but_still_my_claims(
    editor, reviewer, claim, mailoutbox, django_capture_on_commit_callbacks
):
    reviewer.email = ""
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    assert mailoutbox == [] and Notification.objects.filter(recipient=reviewer).count() == 1


def test_failed_email_does_not_undo_the_change(
    editor, reviewer, claim, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},  # nothing listens there
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    claim.refresh_from_db()
    assert claim.status == Status.ASSIGNED
    message = OutboxMessage.objects.get(payload__to=reviewer.email)
    assert (message.state, message.attempts) == (OutboxMessage.State.PENDING, 1)
    assert "Connection refused" in message.last_error or "ConnectionRefused" in message.last_error
    warnings = [r for r in caplog.records if "not delivered" in r.getMessage()]
    assert len(warnings) == 1 and not warnings[0].exc_info  # one line, no traceback


def test_notifications_mark_read(editor, reviewer, claim):
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    assert services.notifications_mark_read(actor=reviewer) == 1
    assert services.notifications_mark_read(actor=reviewer) == 0
