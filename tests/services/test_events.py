"""The audit log: one Event per change in the same transaction, append-only everywhere."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Article, Claim, Event

pytestmark = pytest.mark.django_db


def test_every_step_writes_one_event(editor, published_claim):
    actions = list(Event.objects.filter(claim=published_claim).values_list("action", flat=True))
    assert actions == [
        "claim_assigned",
        "research_started",
        "source_added",
        "source_added",
        "verdict_set",
        "submitted",
        "approved",
        "published",
    ]
    versions = list(
        Event.objects.filter(claim=published_claim)
        .exclude(action="source_added")
        .values_list("claim_version", flat=True)
    )
    assert versions == [2, 3, 4, 5, 6, 7]


def test_refused_step_writes_nothing(editor, in_review_claim):
    before = Event.objects.count()
    with pytest.raises(services.InvalidInput):
        services.claim_send_back(actor=editor, claim=in_review_claim, reason="")
    with pytest.raises(services.InvalidTransition):
        services.claim_publish(actor=editor, claim=in_review_claim)
    assert Event.objects.count() == before


def test_stale_version_refused_listing_changes(
    editor, editor2, reviewer, researching_claim, mostly_false
):
    seen = researching_claim.version
    services.claim_set_verdict(
        actor=editor2,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="Lower.",
        expected_version=seen,
    )
    with pytest.raises(services.StaleVersion) as info:
        services.claim_set_verdict(
            actor=editor,
            claim=researching_claim,
            rating=None,
            conclusion="Mine.",
            expected_version=seen,
        )
    exc = info.value
    assert exc.message == (
        f"This claim was changed by {editor2.username} after you opened it "
        f"(you saw version {seen}, it is now version {seen + 1}). Nothing was saved; review their changes and try again."
    )
    assert [(e.actor, e.action) for e in exc.changes] == [(editor2, "verdict_set")]
    researching_claim.refresh_from_db()
    assert researching_claim.conclusion == "Lower."
    assert Event.objects.filter(action="verdict_set").count() == 1


def test_bad_version_is_a_message_not_a_crash(editor, claim):
    with pytest.raises(services.InvalidInput, match="missing the claim's version"):
        services.claim_dismiss(actor=editor, claim=claim, reason="x", expected_version="abc")


def test_event_cannot_be_changed_or_deleted(editor, assigned_claim):
    event = Event.objects.filter(claim=assigned_claim).first()
    event.message = "rewritten"
    with pytest.raises(PermissionError, match="cannot be changed"):
        event.save()
    with pytest.raises(PermissionError, match="cannot be deleted"):
        event.delete()
    with pytest.raises(PermissionError):
        Event.objects.filter(pk=event.pk).update(message="x")
    with pytest.raises(PermissionError):
        Event.objects.all().delete()
    assert Event.objects.get(pk=event.pk).message != "rewritten"


def test_deleting_an_article_keeps_its_events(editor, assigned_claim):
    count = Event.objects.count()
    Article.objects.all().delete()
    assert Event.objects.count() == count and not Claim.objects.exists()


@pytest.fixture
def admin_client_super(client, django_user_model):
    admin = django_user_model.objects.create_superuser("ada_admin", "ada@example.com", "factcheck")
    client.force_login(admin)
    return client


def test_admin_gives_no_change_or_delete_for_events(admin_client_super, assigned_claim):
    event = Event.objects.filter(claim=assigned_claim).first()
    change = reverse("admin:claims_event_change", args=[event.pk])
    delete = reverse("admin:claims_event_delete", args=[event.pk])
    page = admin_client_super.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content  # read-only view
    assert admin_client_super.post(change, {"message": "x", "action": "x"}).status_code == 403
    assert admin_client_super.get(delete).status_code == 403
    assert admin_client_super.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client_super.get(reverse("admin:claims_event_add")).status_code == 403
    changelist = admin_client_super.get(reverse("admin:claims_event_changelist"))
    assert b"delete_selected" not in changelist.content
    assert Event.objects.get(pk=event.pk).action == event.action
