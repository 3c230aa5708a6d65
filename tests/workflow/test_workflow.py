"""claims.workflow: one `can` answers services, the claim panel and the board alike."""

from __future__ import annotations

import pytest

from claims import services, workflow
from claims.errors import InvalidTransition, NotAllowed
from claims.models import Claim
from claims.selectors import claim_panel_steps

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_status_sets_cover_the_statuses_by_meaning():
    assert workflow.OPEN | workflow.CLOSED == workflow.ALL
    assert not workflow.OPEN & workflow.CLOSED
    assert workflow.PUBLIC == {Status.PUBLISHED, Status.CORRECTED}
    assert workflow.RESEARCH_OPEN <= workflow.WORKLOAD <= workflow.OPEN
    for sources, target in workflow.TRANSITIONS.values():
        assert sources <= workflow.ALL and target in workflow.ALL


def test_can_is_truthy_when_allowed_and_carries_the_reason_when_not(
    editor, reviewer, reviewer2, assigned_claim
):
    assert workflow.can(editor, assigned_claim, "start_research")
    assert workflow.can(reviewer, assigned_claim, "start_research")
    other = workflow.can(reviewer2, assigned_claim, "start_research")
    assert not other and other.reason == workflow.Refusal.NOT_YOURS and other.error is NotAllowed
    editors_only = workflow.can(reviewer, assigned_claim, "publish")
    assert not editors_only and editors_only.reason == "Only an editor can publish."
    wrong_status = workflow.can(editor, assigned_claim, "publish")
    assert not wrong_status and wrong_status.error is InvalidTransition
    assert wrong_status.reason.startswith("Cannot publish a claim that is Assigned.")


def test_services_refuse_with_the_same_reason_can_gives(reviewer2, editor, assigned_claim):
    decision = workflow.can(reviewer2, assigned_claim, "start_research")
    with pytest.raises(NotAllowed) as refused:
        services.claim_start_research(actor=reviewer2, claim=assigned_claim)
    assert refused.value.message == decision.reason
    decision = workflow.can(editor, assigned_claim, "publish")
    with pytest.raises(InvalidTransition) as refused:
        services.claim_publish(actor=editor, claim=assigned_claim)
    assert refused.value.message == decision.reason


def test_nobody_approves_their_own_verdict(editor, in_review_claim):
    in_review_claim.proposed_by = editor
    decision = workflow.can(editor, in_review_claim, "approve")
    assert not decision and decision.reason == workflow.Refusal.OWN_APPROVAL
    assert "approve" not in claim_panel_steps(user=editor, claim=in_review_claim)


@pytest.mark.parametrize(
    "fixture,who,expected",
    [
        ("assigned_claim", "reviewer", {"comment", "start_research", "set_verdict", "sources"}),
        ("researching_claim", "reviewer", {"comment", "submit", "set_verdict", "sources"}),
        ("in_review_claim", "reviewer", {"comment"}),
        ("in_review_claim", "reviewer2", set()),
        (
            "in_review_claim",
            "editor",
            {
                "approve",
                "send_back",
                "dismiss",
                "set_verdict",
                "set_due_date",
                "sources",
                "comment",
            },
        ),
        ("published_claim", "editor", {"correct", "comment"}),
    ],
)
def test_panel_steps_are_what_can_allows(request, fixture, who, expected):
    claim = request.getfixturevalue(fixture)
    user = request.getfixturevalue(who)
    assert claim_panel_steps(user=user, claim=claim) == expected


def test_board_moves_offer_only_legal_steps(
    editor, reviewer, reviewer2, claim, assigned_claim, in_review_claim
):
    claim.refresh_from_db()
    assert workflow.moves(editor, Claim(status=Status.UNASSIGNED)) == [
        Status.ASSIGNED,
        Status.DISMISSED,
    ]
    assert workflow.moves(reviewer, assigned_claim) == [Status.RESEARCHING]
    assert workflow.moves(reviewer2, assigned_claim) == []
    assert set(workflow.moves(editor, in_review_claim)) == {
        Status.RESEARCHING,
        Status.APPROVED,
        Status.DISMISSED,
    }
    assert Status.CORRECTED not in workflow.moves(editor, Claim(status=Status.PUBLISHED))


def test_move_refusal_is_worded_in_column_labels(editor, claim):
    with pytest.raises(InvalidTransition) as refused:
        services.claim_move(
            actor=editor, claim=claim, to_status=Status.PUBLISHED, expected_version=None
        )
    assert refused.value.message == (
        "A claim cannot move from Unassigned to Published. From Unassigned it can move to: Assigned, Dismissed."
    )
    assert "_" not in refused.value.message


def test_workflow_can_article(editor, reviewer, article):
    assert workflow.can_article(editor, article, "close_article")
    assert not workflow.can_article(editor, article, "reopen_article")
    decision = workflow.can_article(reviewer, article, "close_article")
    assert not decision and decision.error is NotAllowed
