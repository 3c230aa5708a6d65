"""The claim panel opened beside the board: steps taken there move the card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True)


def test_step_in_side_panel_moves_the_card_on_the_board(
    new_page, live_server, reviewer, assigned_claim
):
    page = new_page(reviewer, width=1400)
    page.goto(f"{live_server.url}/board/")
    page.locator(f"#card-{assigned_claim.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("button", name="Start research")).to_be_visible()
    assert page.url.endswith("/board/")  # opened beside the board, not as its own page
    panel.get_by_role("button", name="Start research").click()
    expect(panel.get_by_role("button", name="Submit for review")).to_be_visible()
    expect(page.locator(f"#cards-researching #card-{assigned_claim.pk}")).to_be_visible(
        timeout=10_000
    )
    assert Claim.objects.get(pk=assigned_claim.pk).status == Claim.Status.RESEARCHING


def test_stale_edit_in_side_panel_shows_the_conflict(new_page, live_server, editor, editor2, claim):
    from claims import services

    page = new_page(editor, width=1400)
    page.goto(f"{live_server.url}/board/")
    page.locator(f"#card-{claim.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_role("button", name="Save verdict")).to_be_visible()
    services.claim_edit_text(
        actor=editor2, claim=claim, text="Edited elsewhere.", expected_version=claim.version
    )
    panel.get_by_label("Conclusion").fill("My conclusion.")
    panel.get_by_role("button", name="Save verdict").click()
    expect(panel.get_by_text("Someone else changed this claim")).to_be_visible()
    assert Claim.objects.get(pk=claim.pk).conclusion == ""
