"""My claims: a person's assigned claims grouped by status, and their unread notifications."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from claims.models import Claim, Notification

pytestmark = pytest.mark.django_db

URL = reverse("claims:my-claims")


def test_lists_my_claims_grouped_by_status(client, reviewer, reviewer2, researching_claim, article):
    other = Claim.objects.create(
        article=article,
        text="Unemployment stands at 3.9%.",
        start=200,
        end=228,
        status="assigned",
        assignee=reviewer2,
    )
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "My claims"
    groups = {h["id"]: h.get_text(" ", strip=True) for h in page.select(".my-group h2")}
    assert groups == {"my-researching": "Researching 1"}
    links = [a["href"] for a in page.select(".my-item a")]
    assert links == [reverse("claims:claim-detail", args=[researching_claim.pk])]
    assert reverse("claims:claim-detail", args=[other.pk]) not in response.content.decode()


def test_unread_notifications_are_shown_once_then_marked_read(client, reviewer, assigned_claim):
    note = Notification.objects.get(recipient=reviewer)
    client.force_login(reviewer)
    first = client.get(URL).content.decode()
    assert "You were assigned a claim" in first
    note.refresh_from_db()
    assert note.read_at is not None
    second = client.get(URL).content.decode()
    assert "You were assigned a claim" not in second and "No new notifications." in second


def test_someone_elses_notifications_stay_unread(client, reviewer2, assigned_claim, reviewer):
    client.force_login(reviewer2)
    assert "You were assigned a claim" not in client.get(URL).content.decode()
    assert Notification.objects.get(recipient=reviewer).read_at is None


def test_empty_state(client, reviewer):
    client.force_login(reviewer)
    assert "No claims are assigned to you yet." in client.get(URL).content.decode()


def test_post_is_405(client, reviewer):
    client.force_login(reviewer)
    assert client.post(URL).status_code == 405
