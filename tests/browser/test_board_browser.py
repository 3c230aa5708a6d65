"""The review board in Chromium: drag and drop, refused drags, no JavaScript, live
updates from other people, and moving a card from the keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Claim

# Data migrations (groups, ratings) must survive the live server's table flushes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_board(page, live_server) -> None:
    page.goto(f"{live_server.url}/board/")
    expect(page.get_by_role("heading", name="Review board")).to_be_visible()


def drag(page, card, column_status: str) -> None:
    """Drag with real mouse steps (SortableJS runs in its pointer fallback mode)."""
    handle = card.locator(".card-article")
    box = handle.bounding_box()
    target = page.locator(f"#cards-{column_status}").bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 30, box["y"] + 20, steps=5)
    page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 25, steps=15)
    page.mouse.up()


def test_drag_a_card_to_another_column(new_page, live_server, editor, assigned_claim):
    page = new_page(editor)
    open_board(page, live_server)
    card = page.locator(f"#card-{assigned_claim.pk}")
    expect(page.locator("#count-assigned")).to_have_text("1")
    drag(page, card, "unassigned")
    expect(page.locator(f"#cards-unassigned #card-{assigned_claim.pk}")).to_be_visible()
    expect(page.locator("#count-unassigned")).to_have_text("1")
    expect(page.locator("#count-assigned")).to_have_text("0")
    expect(page.locator("#live-region")).to_contain_text("Moved to Unassigned")
    assigned_claim.refresh_from_db()
    assert assigned_claim.status == Claim.Status.UNASSIGNED


def test_illegal_drag_snaps_back_and_says_why(new_page, live_server, editor, claim):
    page = new_page(editor)
    open_board(page, live_server)
    drag(page, page.locator(f"#card-{claim.pk}"), "published")
    card = page.locator(f"#cards-unassigned #card-{claim.pk}")
    expect(card).to_be_visible()
    expect(card.locator(".card-alert")).to_contain_text("cannot move from Unassigned to Published")
    expect(page.locator("#live-region")).to_contain_text("cannot move from Unassigned to Published")
    expect(page.locator(f"#cards-published #card-{claim.pk}")).to_have_count(0)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.UNASSIGNED


def test_drag_that_needs_a_reason_opens_the_card_form(new_page, live_server, editor, claim):
    page = new_page(editor)
    open_board(page, live_server)
    drag(page, page.locator(f"#card-{claim.pk}"), "dismissed")
    card = page.locator(f"#cards-unassigned #card-{claim.pk}")
    expect(card.locator(".card-alert")).to_contain_text("Give a reason")
    expect(card.get_by_label("Reason")).to_be_focused()
    card.get_by_label("Reason").fill("Opinion, not a checkable fact.")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f"#cards-dismissed #card-{claim.pk}")).to_be_visible()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DISMISSED


def test_move_without_javascript(new_page, live_server, editor, assigned_claim):
    """Cards carry no forms: without JavaScript the card leads to the claim's page,
    which holds the same status select, reason and Move button."""
    page = new_page(editor, javascript=False)
    page.goto(f"{live_server.url}/board/?q=city")
    card = page.locator(f"#card-{assigned_claim.pk}")
    expect(card.locator("summary")).to_be_hidden()  # its forms need JavaScript to load
    card.locator("a.card-text").click()
    page.wait_for_url(re.compile(rf"/claims/{assigned_claim.pk}/$"))
    tools = page.locator("#claim-move")
    tools.get_by_label("Status").select_option(label="Dismissed")
    tools.get_by_label("Reason").fill("A prediction, not checkable yet.")
    tools.get_by_role("button", name="Move").click()
    page.wait_for_url(re.compile(rf"/claims/{assigned_claim.pk}/$"))
    expect(page.locator(".message-success")).to_contain_text("Moved to Dismissed")
    page.goto(f"{live_server.url}/board/?q=city")
    expect(page.locator(f"#cards-dismissed #card-{assigned_claim.pk}")).to_be_visible()
    expect(page.locator("#count-dismissed")).to_have_text("1")


def test_refused_move_without_javascript_shows_the_message(new_page, live_server, editor, claim):
    page = new_page(editor, javascript=False)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    tools = page.locator("#claim-move")
    # The select offers only the moves this person may make from this status.
    options = tools.get_by_label("Status").locator("option").all_inner_texts()
    assert options == ["Unassigned", "Assigned", "Dismissed"]
    tools.get_by_label("Status").select_option(label="Dismissed")
    tools.get_by_role("button", name="Move").click()
    expect(page.locator("#claim-move .message-error")).to_contain_text("a reason is required")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.UNASSIGNED


def test_the_claim_page_holds_the_move_forms_only_without_javascript(
    new_page, live_server, editor, claim
):
    """With JavaScript the panel's Next steps and Assignee already do this; a second,
    unstyled Move/Assign block below the panel was a duplicate set of controls."""
    page = new_page(editor)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    expect(page.locator("#claim-panel")).to_be_visible()
    expect(page.locator("#claim-move")).to_have_count(0)
    expect(page.get_by_role("button", name="Move")).to_have_count(0)
    plain = new_page(editor, javascript=False)
    plain.goto(f"{live_server.url}/claims/{claim.pk}/")
    expect(plain.locator("#claim-move").get_by_role("button", name="Move")).to_be_visible()


def test_move_or_assign_loads_its_form_when_opened(new_page, live_server, editor, claim):
    page = new_page(editor)
    open_board(page, live_server)
    card = page.locator(f"#card-{claim.pk}")
    expect(card.locator("form")).to_have_count(0)  # the board sends no per-card forms
    card.locator("summary").click()
    expect(card.get_by_label("Status")).to_be_visible()
    assert card.get_by_label("Status").locator("option").all_inner_texts() == [
        "Unassigned",
        "Assigned",
        "Dismissed",
    ]
    expect(card.get_by_label("Assignee")).to_be_visible()
    expect(card.get_by_role("button", name="Assign")).to_be_visible()


def test_changes_by_others_appear_without_reload(new_page, live_server, editor, reviewer, claim):
    page = new_page(editor)
    open_board(page, live_server)
    page.evaluate("window.__sameDocument = true")
    expect(page.locator(f"#cards-unassigned #card-{claim.pk}")).to_be_visible()
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    expect(page.locator(f"#cards-assigned #card-{claim.pk}")).to_be_visible(timeout=10_000)
    expect(page.locator("#count-assigned")).to_have_text("1")
    expect(page.locator("#count-unassigned")).to_have_text("0")
    assert page.evaluate("window.__sameDocument") is True  # no reload happened


def test_live_update_waits_while_someone_types(
    new_page, live_server, editor, reviewer, claim, article
):
    other = Claim.objects.create(
        article=article,
        text="Unemployment stands at 3.9%.",
        start=article.body.index("Unemployment"),
        end=len(article.body),
    )
    page = new_page(editor)
    open_board(page, live_server)
    card = page.locator(f"#card-{claim.pk}")
    card.locator("summary").click()
    card.get_by_label("Reason").fill("half-typed")
    services.claim_assign(actor=editor, claim=other, assignee=reviewer)
    expect(page.locator("#count-assigned")).to_have_text(
        "1", timeout=10_000
    )  # the other column refreshed
    page.wait_for_timeout(500)
    expect(card.get_by_label("Reason")).to_have_value("half-typed")  # this one did not
    expect(page.locator(f"#cards-unassigned #card-{other.pk}")).to_have_count(1)


def test_keyboard_move(new_page, live_server, reviewer, assigned_claim):
    page = new_page(reviewer)
    open_board(page, live_server)
    card = page.locator(f"#card-{assigned_claim.pk}")
    card.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the card's Move form, which loads
    expect(card.get_by_label("Status")).to_be_visible()
    page.keyboard.press("Tab")
    expect(card.get_by_label("Status")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Assigned -> Researching
    expect(card.get_by_label("Status")).to_have_value("researching")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(card.get_by_role("button", name="Move")).to_be_focused()
    page.keyboard.press("Enter")
    moved = page.locator(f"#cards-researching #card-{assigned_claim.pk}")
    expect(moved).to_be_visible()
    try:
        expect(moved.locator("summary")).to_be_focused()
    except AssertionError as failure:  # say where focus went, for the next person
        where = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
        raise AssertionError(f"focus is on {str(where)[:300]!r}") from failure
    assert Claim.objects.get(pk=assigned_claim.pk).status == Claim.Status.RESEARCHING


def test_a_refresh_between_the_save_and_its_answer_leaves_one_card(
    new_page, live_server, reviewer, assigned_claim
):
    """The live refresh of the card's new column can arrive after the server
    saved the move but before the move's own answer reached the page: the
    card must still be on the board once, in its new column, with focus."""
    page = new_page(reviewer)
    open_board(page, live_server)
    held = []  # the move's request, already answered by the server, not yet by the page
    page.route(re.compile(r"/move/$"), lambda route: held.append((route, route.fetch())))
    card = page.locator(f"#card-{assigned_claim.pk}")
    card.locator("summary").click()
    card.get_by_label("Status").select_option("researching")
    card.get_by_role("button", name="Move").click()
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the move was not sent"
    page.evaluate(
        """() => document.body.dispatchEvent(new CustomEvent("board-changed",
             {bubbles: true, detail: {statuses: ["researching"]}}))"""
    )
    in_new_column = page.locator(f"#cards-researching #card-{assigned_claim.pk}")
    expect(in_new_column).to_have_count(1)  # the refresh brought the saved card
    route, response = held[0]
    route.fulfill(response=response)
    # Until the answer is swapped in, the old card is still in Assigned: two copies.
    expect(page.locator(f"[id='card-{assigned_claim.pk}']")).to_have_count(1)
    expect(in_new_column).to_have_count(1)
    expect(in_new_column.locator("summary")).to_be_focused()


def test_no_console_errors_and_panel_link_works(new_page, live_server, editor, claim):
    page = new_page(editor)
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: msg.type == "error" and "404" not in msg.text and errors.append(msg.text),
    )
    open_board(page, live_server)
    search = page.get_by_role("searchbox", name="Search")
    search.fill("city")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=city"))
    expect(page.locator(f"#card-{claim.pk}")).to_be_visible()
    assert errors == []
