"""Dismiss, restore and correcting a published verdict."""

import pytest

from claims import services
from claims.models import Claim, Correction, Event, Rating

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_dismiss_needs_reason(editor, claim):
    with pytest.raises(
        services.InvalidInput, match="Say why this is not checkable .*a reason is required."
    ):
        services.claim_dismiss(actor=editor, claim=claim, reason=" ")
    result = services.claim_dismiss(actor=editor, claim=claim, reason="A prediction.")
    assert (result.status, result.dismissed_reason) == (Status.DISMISSED, "A prediction.")
    assert Event.objects.get(action="dismissed").message == "Dismissed: A prediction."


@pytest.mark.parametrize(
    "fixture", ["claim", "assigned_claim", "researching_claim", "in_review_claim", "approved_claim"]
)
def test_dismiss_from_any_open_state(editor, request, fixture):
    claim = request.getfixturevalue(fixture)
    assert (
        services.claim_dismiss(actor=editor, claim=claim, reason="Opinion.").status
        == Status.DISMISSED
    )


def test_dismiss_refused_once_published(editor, published_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="Cannot dismiss a claim that is Published. From Published you can: correct.",
    ):
        services.claim_dismiss(actor=editor, claim=published_claim, reason="x")


def test_reviewer_cannot_dismiss(reviewer, researching_claim):
    with pytest.raises(services.NotAllowed, match="Only an editor can dismiss."):
        services.claim_dismiss(actor=reviewer, claim=researching_claim, reason="x")


def test_restore(editor, assigned_claim):
    services.claim_dismiss(actor=editor, claim=assigned_claim, reason="Opinion.")
    result = services.claim_restore(actor=editor, claim=assigned_claim)
    assert (result.status, result.assignee, result.dismissed_reason) == (
        Status.UNASSIGNED,
        None,
        "",
    )
    with pytest.raises(
        services.InvalidTransition, match="Cannot restore a claim that is Unassigned."
    ):
        services.claim_restore(actor=editor, claim=assigned_claim)


def test_restore_refused_when_span_is_live_again(editor, claim):
    services.claim_dismiss(actor=editor, claim=claim, reason="Opinion.")
    Claim.objects.create(article=claim.article, text=claim.text, start=claim.start, end=claim.end)
    with pytest.raises(services.InvalidInput, match="Another live claim already covers this text."):
        services.claim_restore(actor=editor, claim=claim)


def test_correct_needs_public_note(editor, published_claim):
    with pytest.raises(
        services.InvalidInput, match="A correction needs a public note explaining what changed."
    ):
        services.claim_correct(actor=editor, claim=published_claim, note="  ")


def test_correct(editor, published_claim, mostly_false):
    false = Rating.objects.get(name="False")
    result = services.claim_correct(
        actor=editor,
        claim=published_claim,
        note="The audit changed the figure.",
        rating=false.pk,
        conclusion="The city spent $1 million.",
    )
    assert (result.status, result.rating, result.conclusion) == (
        Status.CORRECTED,
        false,
        "The city spent $1 million.",
    )
    correction = Correction.objects.get(claim=result)
    assert (correction.previous_rating, correction.new_rating, correction.note) == (
        mostly_false,
        false,
        "The audit changed the figure.",
    )
    event = Event.objects.get(action="corrected")
    assert event.before["rating"] == "Mostly false" and event.after["rating"] == "False"
    # A corrected claim can be corrected again; the conclusion is kept when none is given.
    again = services.claim_correct(actor=editor, claim=result, note="Typo.", conclusion=None)
    assert again.conclusion == "The city spent $1 million." and Correction.objects.count() == 2


def test_correct_refused_before_publishing_and_for_reviewers(editor, reviewer, approved_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="Cannot correct a claim that is Approved. From Approved you can: send back, publish, dismiss.",
    ):
        services.claim_correct(actor=editor, claim=approved_claim, note="x")
    services.claim_publish(actor=editor, claim=approved_claim)
    with pytest.raises(services.NotAllowed, match="Only an editor can correct."):
        services.claim_correct(actor=reviewer, claim=approved_claim, note="x")


def test_correct_conclusion_still_one_sentence(editor, published_claim):
    with pytest.raises(services.InvalidInput, match="single sentence"):
        services.claim_correct(
            actor=editor, claim=published_claim, note="n", conclusion="One. Two."
        )


def test_correct_refuses_an_inactive_rating_as_set_verdict_does(editor, published_claim):
    retired = Rating.objects.create(name="Retired verdict", value=None, is_active=False)
    with pytest.raises(services.InvalidInput, match="Choose a verdict from the scale"):
        services.claim_correct(actor=editor, claim=published_claim, note="Fix.", rating=retired.pk)
    published_claim.refresh_from_db()
    assert (
        published_claim.status == "published" and published_claim.rating.name != "Retired verdict"
    )
