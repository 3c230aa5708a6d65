"""The board keeps itself true for the person working on it: the header count
follows a filter change, and a step taken in the side panel moves the card at once.

The live poll is switched off in the panel tests (document.hidden), so only the
acting user's own answer can move the card: no waiting for the next poll."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_board(page, live_server, query: str = "") -> None:
    page.goto(f"{live_server.url}/board/{query}")
    expect(page.get_by_role("heading", name="Review board")).to_be_visible()


def stop_polling(page) -> None:
    page.evaluate("Object.defineProperty(document, 'hidden', {value: true, configurable: true})")


def test_header_count_follows_a_search(new_page, live_server, editor, claim, article):
    Claim.objects.create(article=article, text="Unemployment stands at 3.9%.", start=0, end=10)
    page = new_page(editor)
    open_board(page, live_server)
    page.evaluate("window.__sameDocument = true")
    expect(page.locator("#board-total")).to_have_text("2 claims")
    search = page.get_by_role("searchbox", name="Search")
    search.fill("unemployment")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=unemployment"))
    expect(page.locator("li.board-card")).to_have_count(1)
    expect(page.locator("#board-total")).to_have_text("1 claim matches the filters")
    assert page.evaluate("window.__sameDocument") is True  # updated in place, no reload


def test_approve_in_side_panel_moves_the_card_at_once(
    new_page, live_server, editor, in_review_claim
):
    page = new_page(editor, width=1400)
    open_board(page, live_server)
    stop_polling(page)
    page.locator(f"#card-{in_review_claim.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    panel.get_by_role("button", name="Approve").click()
    expect(panel.get_by_text("Verdict approved.")).to_be_visible()
    expect(page.locator(f"#cards-approved #card-{in_review_claim.pk}")).to_be_visible(timeout=3_000)
    expect(page.locator("#count-in_review")).to_have_text("0")
    expect(page.locator("#count-approved")).to_have_text("1")


def test_send_back_in_side_panel_moves_the_card_at_once(
    new_page, live_server, editor, approved_claim
):
    page = new_page(editor, width=1400)
    open_board(page, live_server)
    stop_polling(page)
    page.locator(f"#card-{approved_claim.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    panel.locator("summary", has_text="Send back").click()
    form = panel.locator("form[action$='/step/send-back/']")
    form.get_by_label("Reason").fill("The second source does not support the figure.")
    form.get_by_role("button", name="Send back").click()
    expect(panel.get_by_text("Sent back to the reviewer.")).to_be_visible()
    expect(page.locator(f"#cards-researching #card-{approved_claim.pk}")).to_be_visible(
        timeout=3_000
    )
    expect(page.locator("#count-approved")).to_have_text("0")
