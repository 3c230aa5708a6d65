"""One name per person everywhere: the full name, with the username when two
people share a full name (board, panel select, messages, history, reports)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from claims import selectors, services
from claims.names import display_name
from claims.reports.data import build_report

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def rename(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def ravi(reviewer):
    return rename(reviewer, "Ravi", "Reviewer")


def test_full_name_else_username_and_the_username_only_for_namesakes(ravi, reviewer2, editor):
    assert display_name(ravi) == "Ravi Reviewer"
    assert display_name(editor) == "erin_editor"  # no full name: the username
    assert display_name(None) == ""
    rename(reviewer2, "Ravi", "Reviewer")
    assert display_name(ravi) == "Ravi Reviewer (ravi_reviewer)"
    assert display_name(reviewer2) == "Ravi Reviewer (rosa_reviewer)"


def test_board_card_bulk_select_and_filter_use_the_display_name(
    client, editor, ravi, assigned_claim
):
    client.force_login(editor)
    page = soup(client.get(reverse("claims:board")))
    assert (
        page.select_one(f"#card-{assigned_claim.pk} .card-assignee").get_text(strip=True)
        == "Ravi Reviewer"
    )
    assert "Ravi Reviewer" in [o.get_text() for o in page.select("#bulk-reviewer option")]
    assert "Ravi Reviewer" in [o.get_text() for o in page.select("#filter-assignee option")]


def test_panel_names_the_assignee_and_offers_display_names(client, editor, ravi, claim):
    client.force_login(editor)
    page = soup(client.get(reverse("claims:claim-detail", args=[claim.pk])))
    labels = [o.get_text() for o in page.select("#assign-assignee option")]
    assert "Ravi Reviewer" in labels and "ravi_reviewer" not in labels


def test_assign_message_and_history_use_the_display_name(client, editor, ravi, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-assign", args=[claim.pk]),
        {"version": claim.version, "assignee": ravi.pk},
        **HX,
    )
    page = soup(response)
    assert page.select_one(".cp-live").get_text(strip=True) == "Assigned to Ravi Reviewer."
    assert "Assignee: Ravi Reviewer" in page.select_one(".cp-meta").get_text(" ", strip=True)
    history = page.select_one(".cp-history").get_text(" ", strip=True)
    assert "Assignee: — → Ravi Reviewer" in history
    assert "Assigned to Ravi Reviewer." in history
    assert "ravi_reviewer" not in history


def test_namesakes_are_told_apart_on_the_board_and_in_the_panel(
    client, editor, ravi, reviewer2, assigned_claim
):
    rename(reviewer2, "Ravi", "Reviewer")
    client.force_login(editor)
    board = soup(client.get(reverse("claims:board")))
    card = board.select_one(f"#card-{assigned_claim.pk} .card-assignee").get_text(strip=True)
    assert card == "Ravi Reviewer (ravi_reviewer)"
    options = [o.get_text() for o in board.select("#bulk-reviewer option")]
    assert {"Ravi Reviewer (ravi_reviewer)", "Ravi Reviewer (rosa_reviewer)"} <= set(options)
    panel = soup(client.get(reverse("claims:claim-detail", args=[assigned_claim.pk])))
    labels = [o.get_text() for o in panel.select("#assign-assignee option")]
    assert {"Ravi Reviewer (ravi_reviewer)", "Ravi Reviewer (rosa_reviewer)"} <= set(labels)


def test_reports_name_people_as_the_app_does(editor, ravi, reviewer2, in_review_claim):
    report = build_report(
        claims=selectors.report_article_claims(article=in_review_claim.article), internal=True
    )
    (row,) = [c for c in report["claims"] if c["id"] == in_review_claim.pk]
    assert row["reviewer"] == "Ravi Reviewer"
    rename(reviewer2, "Ravi", "Reviewer")
    report = build_report(
        claims=selectors.report_article_claims(article=in_review_claim.article), internal=True
    )
    (row,) = [c for c in report["claims"] if c["id"] == in_review_claim.pk]
    assert row["reviewer"] == "Ravi Reviewer (ravi_reviewer)"


def test_stale_edit_message_names_who_changed_it(editor, editor2, claim):
    rename(editor2, "Eddie", "Editor")
    services.claim_edit_text(
        actor=editor2, claim=claim, text="Edited elsewhere.", expected_version=claim.version
    )
    with pytest.raises(services.StaleVersion, match="changed by Eddie Editor"):
        services.claim_edit_text(
            actor=editor, claim=claim, text="Mine.", expected_version=claim.version
        )
