"""An account with no role (neither Editors nor Reviewers) may read the board, as
everyone signed in may (issue 4), but opens no claim panel or internal report and
changes nothing. SECURITY.md's role table is the rule checked here."""

from __future__ import annotations

import pytest

from claims.models import Claim, Event

pytestmark = pytest.mark.django_db

READABLE_BY_EVERYONE_SIGNED_IN = {
    "claims:home",
    "claims:board",
    "claims:board-column",
    "claims:board-stamp",
    "claims:my-claims",
}


def test_account_without_a_role_reads_the_board_but_no_claim_panel(client, world, outsider, url_of):
    client.force_login(outsider)
    assert client.get(url_of("claims:board")).status_code == 200
    assert client.get(url_of("claims:claim-detail")).status_code == 403
    internal = client.get(url_of("claims:article-report"), {"internal": "1"})
    assert internal.status_code == 403


def test_account_without_a_role_changes_nothing(client, world, outsider, every_url):
    client.force_login(outsider)
    before = (
        Claim.objects.values_list("status", "version", "text").order_by("pk").first(),
        Event.objects.count(),
    )
    for name, url in every_url:
        response = client.post(
            url,
            {
                "status": "approved",
                "version": "1",
                "body": "x",
                "reason": "x",
                "url": "https://a.example",
            },
        )
        assert response.status_code in (302, 400, 403, 404, 405), (name, response.status_code)
    after = (
        Claim.objects.values_list("status", "version", "text").order_by("pk").first(),
        Event.objects.count(),
    )
    assert after == before


def test_reviewer_cannot_open_someone_elses_claim(client, world, reviewer2, url_of):
    client.force_login(reviewer2)
    assert client.get(url_of("claims:claim-detail")).status_code == 403
    response = client.post(url_of("claims:comment-add"), {"body": "not mine"})
    assert response.status_code in (403, 404)
    assert not world.claim.comments.filter(body="not mine").exists()
