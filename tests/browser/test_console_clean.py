"""No console errors through the editor's journey, with the strict CSP in force.

Chromium reports a blocked inline style ("Applying inline style violates ... style-src")
as a console error. htmx's settle step and SortableJS's drag both write `style`
attributes, so the journey below drives each of them: adding a claim from a text
selection, changing a board filter, a drag that needs a reason then Move, and saves
in the claim panel beside the board.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from claims.models import Claim

from .test_board_browser import drag
from .test_triage_browser import add_sample_article, select_text

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def record_console(page) -> list[str]:
    """Every console error or warning and every uncaught exception, as text."""
    seen: list[str] = []
    page.on(
        "console",
        lambda msg: (
            seen.append(f"{msg.type}: {msg.text}") if msg.type in {"error", "warning"} else None
        ),
    )
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    return seen


def take(seen: list[str]) -> list[str]:
    """The messages logged since the last step, emptying the list."""
    taken = list(seen)
    seen.clear()
    return taken


def test_editor_journey_logs_no_console_errors(new_page, live_server, editor, reviewer):
    page = new_page(editor, width=1400)
    seen = record_console(page)
    base = live_server.url

    # Article page: extract, keep, then add a claim from a text selection.
    article = add_sample_article(page, base)
    page.get_by_role("button", name="Extract claims").click()
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_role("button", name="Merge selected")).to_be_visible()
    article.refresh_from_db()
    sentence = next(c for c in article.candidates if not c["checkworthy"])
    phrase = article.body[sentence["start"] : sentence["end"]]
    select_text(page, phrase)
    expect(page.get_by_label("Text to add as a claim")).to_have_value(phrase)
    page.get_by_role("button", name="Add claim from selection").click()
    expect(page.get_by_text("Added a claim")).to_be_visible()
    page.wait_for_timeout(300)  # let htmx settle
    steps = {"add claim from selection": take(seen)}

    page.goto(f"{base}/board/")
    # Drag a card to Dismissed: it snaps back and asks for a reason; then Move.
    claim = Claim.objects.filter(article=article, status="unassigned").order_by("position").first()
    card = page.locator(f"#card-{claim.pk}")
    drag(page, card, "dismissed")
    expect(card.get_by_label("Reason")).to_be_focused()
    card.get_by_label("Reason").fill("Background, not a checkable claim.")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f"#cards-dismissed #card-{claim.pk}")).to_be_visible()
    # And a plain drag that saves straight away.
    other = Claim.objects.filter(article=article, status="unassigned").order_by("position").first()
    drag(page, page.locator(f"#card-{other.pk}"), "dismissed")
    page.wait_for_timeout(300)
    steps["move after a drag"] = take(seen)

    # Board: a filter change swaps the board body in place.
    page.get_by_label("Article").select_option(str(article.pk))
    page.wait_for_url(re.compile(r"article="))
    expect(page.locator(".board-total")).to_be_visible()
    page.wait_for_timeout(300)
    steps["filter change"] = take(seen)

    # The claim panel beside the board: save a verdict, add a source.
    target = Claim.objects.filter(article=article, status="unassigned").order_by("position").first()
    page.locator(f"#card-{target.pk} a.card-text").click()
    panel = page.locator("#claim-panel")
    panel.get_by_label("Verdict").select_option(label="Mostly false")
    panel.get_by_label("Conclusion").fill("The figures given vary between the sources.")
    panel.get_by_role("button", name="Save verdict").click()
    expect(panel.get_by_text("Verdict saved.")).to_be_visible()
    form = panel.locator("form[action$='/sources/new/']")
    form.get_by_label(re.compile(r"^URL:?$")).fill("https://www.state.gov/briefings/rafah")
    form.get_by_label("Title").fill("State Department briefing")
    form.get_by_role("button", name="Add source").click()
    expect(panel.get_by_text("Source added.")).to_be_visible()
    page.wait_for_timeout(300)
    steps["panel saves"] = take(seen)

    assert steps == {name: [] for name in steps}
