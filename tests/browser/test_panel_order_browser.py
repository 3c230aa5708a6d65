"""The claim panel reads in the order the work is done: a send-back reason on top,
then sources, verdict and conclusion, then Submit with what it still needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def top(locator) -> float:
    return locator.bounding_box()["y"]


def test_reviewer_sees_the_reason_first_and_the_work_before_submit(
    new_page, live_server, editor, reviewer, in_review_claim
):
    services.claim_send_back(
        actor=editor, claim=in_review_claim, reason="Source 2 is a blog; find the table."
    )
    services.source_remove(actor=reviewer, source=in_review_claim.sources.first().pk)
    page = new_page(reviewer)
    page.goto(f"{live_server.url}/claims/{in_review_claim.pk}/")
    banner = page.get_by_role("note")
    expect(banner).to_contain_text("Source 2 is a blog; find the table.")
    sources = page.get_by_role("heading", name="Sources")
    verdict = page.get_by_role("heading", name="Verdict", exact=True)
    submit = page.get_by_role("button", name="Submit for review")
    assert top(banner) < top(sources) < top(verdict) < top(submit)
    expect(page.locator(".cp-checklist")).to_contain_text("1 of 2 sources")
    expect(page.locator(".cp-checklist")).to_contain_text(
        "To submit, add at least 2 sources (it has 1)."
    )
    expect(submit).to_have_accessible_description(
        "Missing: 1 of 2 sources Done: verdict chosen Done: conclusion written "
        "To submit, add at least 2 sources (it has 1)."
    )
