"""The board and the claim panel beside it name a person the same way."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_assign_in_the_panel_by_the_name_the_board_shows(
    new_page, live_server, editor, reviewer, claim
):
    reviewer.first_name, reviewer.last_name = "Ravi", "Reviewer"
    reviewer.save()
    page = new_page(editor, width=1400)
    page.goto(f"{live_server.url}/board/")
    page.locator(f"#card-{claim.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    panel.get_by_label("Assignee").select_option(label="Ravi Reviewer")
    panel.get_by_role("button", name="Assign").click()
    expect(panel.locator(".cp-live")).to_have_text("Assigned to Ravi Reviewer.")
    expect(panel.locator(".cp-meta")).to_contain_text("Assignee: Ravi Reviewer")
    expect(panel.locator(".cp-history")).not_to_contain_text("ravi_reviewer")
    expect(page.locator(f"#cards-assigned #card-{claim.pk} .card-assignee")).to_have_text(
        "Ravi Reviewer"
    )
