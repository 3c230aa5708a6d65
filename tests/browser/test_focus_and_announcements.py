"""Focus follows htmx, and the board says in words what moved (issue 13).

When a panel or form swaps in, focus moves to its heading or to its first error, so a
keyboard or screen-reader user carries on from there; when someone else moves a card,
the board's aria-live region says which claim moved where.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims import services

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUSED = """() => {
    const el = document.activeElement;
    return {tag: el.tagName.toLowerCase(), text: el.innerText || "", id: el.id,
            invalid: el.getAttribute("aria-invalid"), role: el.getAttribute("role") || ""};
}"""


def test_side_panel_opened_from_the_keyboard_takes_focus_to_its_heading(
    new_page, live_server, editor, claim
):
    page = new_page(editor, width=1400)
    page.goto(f"{live_server.url}/board/")
    page.locator(f"#card-{claim.pk} a.card-text").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel .claim-panel")).to_be_visible()
    expect(page.locator("#claim-panel h2.cp-title")).to_be_focused()
    assert page.evaluate(FOCUSED)["text"] == f"Claim #{claim.pk}"
    assert page.url.endswith("/board/")


def test_a_form_error_takes_focus(new_page, live_server, reviewer, researching_claim):
    page = new_page(reviewer)
    page.goto(f"{live_server.url}{researching_claim.get_absolute_url()}")
    form = page.locator("form[action$='/sources/new/']")
    form.locator("input[name=url]").fill("ftp://files.example/table.csv")
    form.get_by_role("button", name="Add source").press("Enter")
    error = page.locator(".cp-sources [role=alert], .cp-sources [aria-invalid=true]").first
    expect(error).to_be_visible()
    expect(error).to_be_focused()
    focused = page.evaluate(FOCUSED)
    assert focused["invalid"] == "true" or "http" in focused["text"].lower()


def test_after_a_step_focus_lands_on_the_section_worked_in(
    new_page, live_server, reviewer, assigned_claim
):
    page = new_page(reviewer)
    page.goto(f"{live_server.url}{assigned_claim.get_absolute_url()}")
    page.get_by_role("button", name="Start research").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit for review")).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps")).to_be_focused()

    form = page.locator("form[action$='/sources/new/']")
    form.locator("input[name=url]").fill("https://stats.example/budget")
    form.locator("input[name=title]").fill("Budget table")
    form.get_by_role("button", name="Add source").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Budget table")).to_be_visible()
    expect(page.get_by_role("heading", name="Sources (1)")).to_be_focused()


def test_extraction_moves_focus_to_the_sentences(new_page, live_server, editor, article):
    page = new_page(editor)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.get_by_role("button", name="Extract claims").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    expect(page.get_by_role("heading", name="Sentences")).to_be_focused()


def test_cards_moved_by_someone_else_are_announced_in_words(
    new_page, live_server, editor, reviewer, claim
):
    page = new_page(editor)
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(f"#cards-unassigned #card-{claim.pk}")).to_be_visible()
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    expect(page.locator(f"#cards-assigned #card-{claim.pk}")).to_be_visible(timeout=10_000)
    live = page.locator("#live-region")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_contain_text(f"Claim {claim.pk} moved to Assigned")


def test_a_live_refresh_does_not_take_focus(new_page, live_server, editor, reviewer, claim):
    page = new_page(editor)
    page.goto(f"{live_server.url}/board/")
    search = page.get_by_role("searchbox", name="Search")
    search.focus()
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    expect(page.locator(f"#cards-assigned #card-{claim.pk}")).to_be_visible(timeout=10_000)
    page.wait_for_timeout(500)
    expect(search).to_be_focused()


def test_closing_the_side_panel_returns_focus_to_the_card(new_page, live_server, editor, claim):
    page = new_page(editor, width=1400)
    page.goto(f"{live_server.url}/board/")
    link = page.locator(f"#card-{claim.pk} a.card-text")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel h2.cp-title")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Close panel")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#claim-panel")).to_be_empty()
    expect(link).to_be_focused()


def test_a_form_fetched_into_the_page_takes_focus(new_page, live_server, editor, claim):
    page = new_page(editor)
    page.goto(f"{live_server.url}{claim.article.get_absolute_url()}")
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name="Edit").focus()
    page.keyboard.press("Enter")
    field = page.locator(f"#claim-inline-{claim.pk} textarea")
    expect(field).to_be_visible()
    expect(field).to_be_focused()


def test_the_announcement_names_who_moved_the_card(new_page, live_server, editor, reviewer, claim):
    page = new_page(reviewer)
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(f"#cards-unassigned #card-{claim.pk}")).to_be_visible()
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    expect(page.locator(f"#cards-assigned #card-{claim.pk}")).to_be_visible(timeout=10_000)
    expect(page.locator("#live-region")).to_contain_text(
        f"Claim {claim.pk} moved to Assigned by {editor.username}", timeout=3_000
    )
