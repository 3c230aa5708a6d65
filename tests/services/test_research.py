"""Research: start research and the sources behind a verdict."""

import datetime as dt

import pytest

from claims import services
from claims.models import Claim, Event, Source

pytestmark = pytest.mark.django_db
Status = Claim.Status


def test_assigned_reviewer_starts_research(reviewer, assigned_claim):
    result = services.claim_start_research(
        actor=reviewer, claim=assigned_claim, expected_version=assigned_claim.version
    )
    assert result.status == Status.RESEARCHING
    assert (
        Event.objects.filter(
            claim=assigned_claim, action="research_started", actor=reviewer
        ).count()
        == 1
    )


def test_other_reviewer_and_outsider_are_refused(reviewer2, outsider, assigned_claim):
    for who in (reviewer2, outsider):
        with pytest.raises(services.NotAllowed, match="only work on claims assigned to you"):
            services.claim_start_research(actor=who, claim=assigned_claim)


def test_start_research_twice_names_allowed_steps(reviewer, researching_claim):
    with pytest.raises(services.InvalidTransition) as info:
        services.claim_start_research(actor=reviewer, claim=researching_claim)
    assert info.value.message == (
        "Cannot start research a claim that is Researching. "
        "From Researching you can: assign, unassign, submit for review, dismiss."
    )


def test_source_add_records_everything(reviewer, researching_claim):
    source = services.source_add(
        actor=reviewer,
        claim=researching_claim,
        url=" https://stats.example/t1 ",
        title="Table 1",
        publisher="Stats Office",
        excerpt="Spending: $3.1m",
        stance="refutes",
        archived_url="https://archive.example/t1",
        accessed_on=dt.date(2024, 3, 1),
    )
    assert (source.url, source.stance, source.added_by, source.accessed_on) == (
        "https://stats.example/t1",
        "refutes",
        reviewer,
        dt.date(2024, 3, 1),
    )
    event = Event.objects.get(action="source_added")
    assert event.after["url"] == "https://stats.example/t1"
    # Sources do not bump the version: an open verdict form stays valid.
    researching_claim.refresh_from_db()
    assert researching_claim.version == 3


def test_accessed_on_defaults_to_today(reviewer, researching_claim):
    source = services.source_add(actor=reviewer, claim=researching_claim, url="http://a.example/")
    assert source.accessed_on is not None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "file:///etc/passwd",
        "ftp://files.example/x",
        "vbscript:x",
        "https//missing-colon",
        "http:no-host",
        "java\nscript:alert(1)",
        "https://exa mple.com",
    ],
)
def test_source_url_must_be_http(reviewer, researching_claim, url):
    with pytest.raises(services.InvalidInput, match="The source URL must"):
        services.source_add(actor=reviewer, claim=researching_claim, url=url)
    assert not Source.objects.exists() and not Event.objects.filter(action="source_added").exists()


def test_archived_url_must_be_http_too(reviewer, researching_claim):
    with pytest.raises(
        services.InvalidInput, match="The archived URL must start with http:// or https://"
    ):
        services.source_add(
            actor=reviewer,
            claim=researching_claim,
            url="https://a.example",
            archived_url="javascript:x",
        )


def test_url_required_and_stance_checked(reviewer, researching_claim):
    with pytest.raises(services.InvalidInput, match="The source URL is required."):
        services.source_add(actor=reviewer, claim=researching_claim, url="  ")
    with pytest.raises(services.InvalidInput, match="supports, refutes or gives context"):
        services.source_add(
            actor=reviewer, claim=researching_claim, url="https://a.example", stance="maybe"
        )
    with pytest.raises(services.InvalidInput, match="too long"):
        services.source_add(
            actor=reviewer, claim=researching_claim, url="https://a.example/" + "x" * 2000
        )


def test_same_url_twice_is_refused(reviewer, researching_claim):
    services.source_add(actor=reviewer, claim=researching_claim, url="https://a.example/report")
    for dup in ("https://a.example/report", "HTTPS://A.EXAMPLE/report"):
        with pytest.raises(
            services.InvalidInput, match="This source is already listed for this claim."
        ):
            services.source_add(actor=reviewer, claim=researching_claim, url=dup)
    assert researching_claim.sources.count() == 1


def test_source_edit_and_remove(reviewer, researching_claim):
    first = services.source_add(actor=reviewer, claim=researching_claim, url="https://a.example/1")
    second = services.source_add(actor=reviewer, claim=researching_claim, url="https://a.example/2")
    edited = services.source_edit(
        actor=reviewer, source=first, url="https://a.example/1b", title="New", stance="supports"
    )
    assert (edited.url, edited.title, edited.stance) == ("https://a.example/1b", "New", "supports")
    event = Event.objects.get(action="source_edited")
    assert (
        event.before["url"] == "https://a.example/1"
        and event.after["url"] == "https://a.example/1b"
    )
    with pytest.raises(services.InvalidInput, match="already listed"):
        services.source_edit(actor=reviewer, source=second, url="https://a.example/1b")
    services.source_remove(actor=reviewer, source=second.pk)
    assert list(researching_claim.sources.values_list("url", flat=True)) == ["https://a.example/1b"]
    assert Event.objects.get(action="source_removed").before["url"] == "https://a.example/2"
    with pytest.raises(services.InvalidInput, match="That source no longer exists."):
        services.source_remove(actor=reviewer, source=second.pk)


def test_sources_only_by_assignee_or_editor(reviewer2, editor, researching_claim):
    with pytest.raises(services.NotAllowed, match="only work on claims assigned to you"):
        services.source_add(actor=reviewer2, claim=researching_claim, url="https://a.example")
    assert (
        services.source_add(actor=editor, claim=researching_claim, url="https://a.example").added_by
        == editor
    )


def test_reviewer_cannot_change_sources_once_submitted(reviewer, editor, in_review_claim):
    with pytest.raises(services.NotAllowed, match="sources are with the editor"):
        services.source_add(actor=reviewer, claim=in_review_claim, url="https://late.example")
    with pytest.raises(services.NotAllowed, match="sources are with the editor"):
        services.source_remove(actor=reviewer, source=in_review_claim.sources.first())
    services.source_add(actor=editor, claim=in_review_claim, url="https://late.example")


def test_sources_frozen_after_publishing(editor, published_claim):
    with pytest.raises(
        services.InvalidTransition,
        match="Sources of a claim that is Published can no longer be changed.",
    ):
        services.source_add(actor=editor, claim=published_claim, url="https://late.example")


def test_former_reviewer_loses_access(reviewer, researching_claim):
    reviewer.groups.clear()
    reviewer = type(reviewer).objects.get(pk=reviewer.pk)
    with pytest.raises(services.NotAllowed):
        services.source_add(actor=reviewer, claim=researching_claim, url="https://a.example")
