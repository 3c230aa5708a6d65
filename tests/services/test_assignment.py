"""Assignment: one claim, a selection, auto-assign by open load, unassign, due dates."""

import datetime as dt

import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim, Event, Notification
from tests.conftest import _claim_at

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_assign_sets_status_assignee_version_and_event(editor, reviewer, claim):
    result = services.claim_assign(actor=editor, claim=claim, assignee=reviewer, expected_version=1)
    assert (result.status, result.assignee, result.version) == (Status.ASSIGNED, reviewer, 2)
    event = Event.objects.get(claim=claim, action="claim_assigned")
    assert event.actor == editor and event.claim_version == 2
    assert event.before["assignee"] is None and event.after["assignee"] == reviewer.username


def test_assign_notifies_by_email_and_my_claims(
    editor, reviewer, claim, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    assert Notification.objects.filter(recipient=reviewer, claim=claim).count() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [reviewer.email]
    assert "assigned" in mailoutbox[0].subject and f"/claims/{claim.pk}/" in mailoutbox[0].body


def test_reviewer_cannot_assign(reviewer, claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can assign"):
        services.claim_assign(actor=reviewer, claim=claim, assignee=reviewer)


def test_assign_refuses_non_reviewer_and_bad_ids(editor, outsider, claim):
    with pytest.raises(services.InvalidInput, match="is not a reviewer"):
        services.claim_assign(actor=editor, claim=claim, assignee=outsider)
    with pytest.raises(services.InvalidInput, match="Choose a reviewer"):
        services.claim_assign(actor=editor, claim=claim, assignee="not-a-number")
    with pytest.raises(services.InvalidInput, match="Choose a reviewer"):
        services.claim_assign(actor=editor, claim=claim, assignee=None)
    assert not Event.objects.filter(claim=claim).exists()


def test_assign_from_in_review_is_refused_naming_allowed_steps(editor, reviewer2, in_review_claim):
    with pytest.raises(services.InvalidTransition) as info:
        services.claim_assign(actor=editor, claim=in_review_claim, assignee=reviewer2)
    assert info.value.message == (
        "Cannot assign a claim that is In review. From In review you can: approve, send back, dismiss."
    )


def test_reassigning_same_reviewer_is_a_no_op(editor, reviewer, assigned_claim):
    before = Event.objects.count()
    again = services.claim_assign(actor=editor, claim=assigned_claim, assignee=reviewer)
    assert again.version == assigned_claim.version and Event.objects.count() == before


def test_unassign(editor, reviewer, researching_claim):
    result = services.claim_unassign(actor=editor, claim=researching_claim)
    assert (result.status, result.assignee) == (Status.UNASSIGNED, None)
    with pytest.raises(
        services.InvalidTransition, match="Cannot unassign a claim that is Unassigned"
    ):
        services.claim_unassign(actor=editor, claim=researching_claim)


def test_reviewer_cannot_unassign(reviewer, assigned_claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can unassign"):
        services.claim_unassign(actor=reviewer, claim=assigned_claim)


def test_claims_assign_selection_is_all_or_nothing(editor, reviewer, article, in_review_claim):
    other = _claim_at(article, "Unemployment stands at 3.9%, the lowest in a decade.")
    with pytest.raises(
        services.InvalidTransition, match=f"Claim #{in_review_claim.pk}: .*Nothing was assigned"
    ):
        services.claims_assign(
            actor=editor, claim_ids=[other.pk, in_review_claim.pk], assignee=reviewer
        )
    other.refresh_from_db()
    assert other.status == Status.UNASSIGNED
    done = services.claims_assign(actor=editor, claim_ids=[other.pk, other.pk], assignee=reviewer)
    assert [c.pk for c in done] == [other.pk]


def test_auto_assign_spreads_by_open_load(editor, reviewer, reviewer2, article, assigned_claim):
    texts = [
        "The mayor said crime fell by half since the new policing law took effect.",
        "Residents hope the park will reopen soon.",
        "Unemployment stands at 3.9%, the lowest in a decade.",
    ]
    claims = [_claim_at(article, t) for t in texts]
    # reviewer already has one open claim; reviewer2 has none.
    done = services.claims_auto_assign(
        actor=editor, claim_ids=[c.pk for c in claims] + [assigned_claim.pk]
    )
    assert [c.assignee for c in done] == [reviewer2, reviewer, reviewer2]
    assert services.reviewer_loads() == {reviewer.pk: 2, reviewer2.pk: 2}
    assigned_claim.refresh_from_db()
    assert assigned_claim.assignee == reviewer  # claims someone already has stay with them


def test_auto_assign_needs_reviewers_and_an_editor(editor, reviewer, claim):
    with pytest.raises(services.InvalidInput, match="no active reviewers"):
        services.claims_auto_assign(actor=editor, claim_ids=[claim.pk], reviewers=[])
    with pytest.raises(services.NotAllowed, match="Only an editor can assign claims"):
        services.claims_auto_assign(actor=reviewer, claim_ids=[claim.pk])
    assert services.claims_auto_assign(actor=editor, claim_ids=[999999]) == []


def test_due_date_set_and_cleared(editor, assigned_claim):
    day = dt.date(2031, 5, 4)
    result = services.claim_set_due_date(actor=editor, claim=assigned_claim, due_date=day)
    assert result.due_date == day
    event = Event.objects.filter(claim=assigned_claim, action="due_date_set").last()
    assert (
        event.message == "Due date set to 04 May 2031." and event.after["due_date"] == "2031-05-04"
    )
    assert (
        services.claim_set_due_date(actor=editor, claim=assigned_claim, due_date=None).due_date
        is None
    )


def test_due_date_only_by_editors_and_on_open_claims(
    reviewer, editor, assigned_claim, published_claim
):
    with pytest.raises(services.NotAllowed, match="Only an editor can set due date"):
        services.claim_set_due_date(
            actor=reviewer, claim=assigned_claim, due_date=dt.date(2030, 1, 1)
        )
    with pytest.raises(services.InvalidTransition, match="only open claims"):
        services.claim_set_due_date(
            actor=editor, claim=published_claim, due_date=dt.date(2030, 1, 1)
        )


def test_overdue(editor, assigned_claim):
    services.claim_set_due_date(
        actor=editor, claim=assigned_claim, due_date=dt.date(2000, 1, 1), allow_overdue=True
    )
    assigned_claim.refresh_from_db()
    assert assigned_claim.is_overdue


def test_a_past_due_date_is_refused_unless_confirmed_overdue(editor, assigned_claim):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(services.InvalidInput, match="is in the past"):
        services.claim_set_due_date(actor=editor, claim=assigned_claim, due_date=yesterday)
    assigned_claim.refresh_from_db()
    assert assigned_claim.due_date is None
    assert not Event.objects.filter(claim=assigned_claim, action="due_date_set").exists()

    services.claim_set_due_date(
        actor=editor, claim=assigned_claim, due_date=yesterday, allow_overdue=True
    )
    event = Event.objects.filter(claim=assigned_claim, action="due_date_set").last()
    assert event.message.endswith("already overdue.")
    # Re-saving the date it already has is no new past date.
    services.claim_set_due_date(actor=editor, claim=assigned_claim, due_date=yesterday)
    today = services.claim_set_due_date(
        actor=editor, claim=assigned_claim, due_date=timezone.localdate()
    )
    assert today.due_date == timezone.localdate()
