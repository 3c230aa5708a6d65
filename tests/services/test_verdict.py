"""Verdict, one-sentence conclusion and submitting for review."""

import pytest

from claims import services
from claims.models import Claim, Event, Rating

pytestmark = pytest.mark.django_db
Status = Claim.Status
CONCLUSION = "The city spent $3.1 million, not $4.2 million."


def _sources(actor, claim, n):
    for i in range(n):
        services.source_add(actor=actor, claim=claim, url=f"https://src.example/{i}")


def test_set_verdict_bumps_version_and_records(reviewer, researching_claim, mostly_false):
    result = services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=mostly_false.pk,
        conclusion="  It was  lower. ",
        expected_version=3,
    )
    assert (result.rating, result.conclusion, result.proposed_by, result.version) == (
        mostly_false,
        "It was lower.",
        reviewer,
        4,
    )
    event = Event.objects.get(action="verdict_set")
    assert event.before == {"rating": None, "conclusion": "", "version": 3}
    assert event.after == {"rating": "Mostly false", "conclusion": "It was lower.", "version": 4}


def test_conclusion_must_be_one_sentence(reviewer, researching_claim, mostly_false):
    with pytest.raises(services.InvalidInput, match="The conclusion must be a single sentence."):
        services.claim_set_verdict(
            actor=reviewer,
            claim=researching_claim,
            rating=mostly_false,
            conclusion="It was lower. Much lower.",
            expected_version=None,
        )
    with pytest.raises(services.InvalidInput, match="at most 600 characters"):
        services.claim_set_verdict(
            actor=reviewer,
            claim=researching_claim,
            rating=mostly_false,
            conclusion="x" * 601,
            expected_version=None,
        )
    # Abbreviations and decimals are one sentence.
    services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="The U.S. figure was 3.5% in 2023.",
        expected_version=None,
    )


def test_verdict_must_come_from_the_scale(reviewer, researching_claim):
    for bad in (999, "abc"):
        with pytest.raises(services.InvalidInput, match="Choose a verdict from the scale."):
            services.claim_set_verdict(
                actor=reviewer,
                claim=researching_claim,
                rating=bad,
                conclusion="",
                expected_version=None,
            )
    inactive = Rating.objects.create(name="Retired", is_active=False)
    with pytest.raises(services.InvalidInput):
        services.claim_set_verdict(
            actor=reviewer,
            claim=researching_claim,
            rating=inactive.pk,
            conclusion="",
            expected_version=None,
        )


def test_reviewer_cannot_change_verdict_once_submitted(reviewer, in_review_claim, mostly_false):
    with pytest.raises(services.NotAllowed, match="The verdict is with the editor now"):
        services.claim_set_verdict(
            actor=reviewer,
            claim=in_review_claim,
            rating=mostly_false,
            conclusion="",
            expected_version=None,
        )


def test_approved_and_published_verdicts_are_frozen(editor, approved_claim, mostly_false):
    with pytest.raises(services.InvalidTransition, match="send it back first"):
        services.claim_set_verdict(
            actor=editor,
            claim=approved_claim,
            rating=mostly_false,
            conclusion="",
            expected_version=None,
        )
    services.claim_publish(actor=editor, claim=approved_claim)
    with pytest.raises(
        services.InvalidTransition, match="use “Correct” to change a published verdict"
    ):
        services.claim_set_verdict(
            actor=editor,
            claim=approved_claim,
            rating=mostly_false,
            conclusion="",
            expected_version=None,
        )


def test_unassigned_reviewer_cannot_set_verdict(reviewer2, researching_claim, mostly_false):
    with pytest.raises(services.NotAllowed):
        services.claim_set_verdict(
            actor=reviewer2,
            claim=researching_claim,
            rating=mostly_false,
            conclusion="",
            expected_version=None,
        )


def test_submit_lists_everything_missing(reviewer, researching_claim):
    with pytest.raises(services.InvalidInput) as info:
        services.claim_submit(actor=reviewer, claim=researching_claim)
    assert info.value.message == (
        "Before submitting, add a verdict, a one-sentence conclusion and at least 2 sources (it has 0)."
    )


def test_submit_needs_min_sources_setting(reviewer, researching_claim, mostly_false, settings):
    settings.FACTCHECK_MIN_SOURCES = 3
    services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=mostly_false,
        conclusion=CONCLUSION,
        expected_version=None,
    )
    _sources(reviewer, researching_claim, 2)
    with pytest.raises(
        services.InvalidInput, match=r"Before submitting, add at least 3 sources \(it has 2\)."
    ):
        services.claim_submit(actor=reviewer, claim=researching_claim)
    services.source_add(actor=reviewer, claim=researching_claim, url="https://src.example/third")
    result = services.claim_submit(actor=reviewer, claim=researching_claim.pk)
    assert result.status == Status.IN_REVIEW
    assert Event.objects.filter(action="submitted", claim=researching_claim).count() == 1


def test_submit_default_is_two_sources(reviewer, in_review_claim):
    assert in_review_claim.status == Status.IN_REVIEW and in_review_claim.sources.count() == 2


def test_submit_only_from_researching(reviewer, assigned_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="From Assigned you can: assign, unassign, start research, dismiss.",
    ):
        services.claim_submit(actor=reviewer, claim=assigned_claim)


def test_submit_by_other_reviewer_refused(reviewer2, researching_claim):
    with pytest.raises(services.NotAllowed):
        services.claim_submit(actor=reviewer2, claim=researching_claim)
