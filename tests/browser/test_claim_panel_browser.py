"""The claim panel in Chromium: an edit conflict between two sessions, and its screenshot."""

import os
from pathlib import Path

import pytest

from claims import services
from claims.models import Claim, Rating

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# The README's picture is refreshed only on request (UPDATE_SCREENSHOTS=1), so a test
# run never changes tracked files; otherwise the shot goes to a temporary folder.
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "claim-panel.png"


def test_edit_conflict_between_two_sessions(
    new_page, live_server, editor, editor2, researching_claim
):
    url = f"{live_server.url}{researching_claim.get_absolute_url()}"
    first, second = new_page(editor), new_page(editor2)
    first.goto(url)
    second.goto(url)  # both saw the same version

    first.locator("#verdict-rating").select_option(label="Mostly false")
    first.locator("#verdict-conclusion").fill("The city spent $3.1 million, not $4.2 million.")
    first.get_by_role("button", name="Save verdict").click()
    first.get_by_text("Verdict saved.").wait_for()

    second.locator("#verdict-rating").select_option(label="True")
    second.locator("#verdict-conclusion").fill("The figure is right.")
    second.get_by_role("button", name="Save verdict").click()
    alert = second.locator(".cp-conflict")
    alert.wait_for()
    assert "Someone else changed this claim" in alert.inner_text()
    assert f"changed by {editor.username}" in alert.inner_text()
    assert "Mostly false" in alert.inner_text()
    # Their input is still in the form; nothing was overwritten.
    assert second.locator("#verdict-conclusion").input_value() == "The figure is right."
    claim = Claim.objects.get(pk=researching_claim.pk)
    assert (claim.rating.name, claim.conclusion) == (
        "Mostly false",
        "The city spent $3.1 million, not $4.2 million.",
    )


def test_screenshot_of_a_worked_claim(
    new_page, live_server, editor, reviewer, researching_claim, tmp_path
):
    SCREENSHOT = (
        DOCS_SCREENSHOT
        if os.environ.get("UPDATE_SCREENSHOTS") == "1"
        else tmp_path / "claim-panel.png"
    )
    services.claim_set_due_date(
        actor=editor, claim=researching_claim, due_date=__import__("datetime").date(2031, 3, 14)
    )
    services.source_add(
        actor=reviewer,
        claim=researching_claim,
        url="https://stats.example/budget-2023",
        title="City budget outturn 2023",
        publisher="City Finance Office",
        excerpt="Road repairs: $3.1 million (2022: $2.8 million).",
        stance="refutes",
    )
    services.source_add(
        actor=reviewer,
        claim=researching_claim,
        url="https://news.example/council-minutes",
        title="Council minutes, 12 March",
        publisher="City Council",
        excerpt="The $4.2 million figure includes planned 2024 spending.",
        stance="context",
    )
    services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=Rating.objects.get(name="Mostly false"),
        conclusion="The city spent $3.1 million on road repairs in 2023, not $4.2 million.",
        expected_version=None,
    )
    services.comment_add(
        actor=reviewer,
        claim=researching_claim,
        body="The $4.2m figure mixes 2023 and 2024 budgets.",
    )
    services.comment_add(
        actor=editor, claim=researching_claim, body="Good catch. Submit when ready."
    )
    page = new_page(reviewer, width=1280, height=900)
    page.goto(f"{live_server.url}{researching_claim.get_absolute_url()}")
    page.get_by_role("button", name="Submit for review").wait_for()
    links = page.locator(".cp-source-title a")
    assert links.count() == 2 and links.first.get_attribute("rel") == "noopener noreferrer"
    assert links.first.get_attribute("target") == "_blank"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_past_due_date_is_refused_until_confirmed_as_overdue(
    new_page, live_server, editor, assigned_claim
):
    import datetime as dt

    from django.utils import timezone

    past = timezone.localdate() - dt.timedelta(days=2)
    page = new_page(editor)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}{assigned_claim.get_absolute_url()}")
    page.get_by_label("Due date").fill(past.isoformat())
    page.get_by_role("button", name="Set due date").click()
    page.get_by_text("is in the past").wait_for()
    assert Claim.objects.get(pk=assigned_claim.pk).due_date is None
    assert page.get_by_label("Due date").input_value() == past.isoformat()

    page.get_by_label("It is already overdue").check()
    page.get_by_role("button", name="Set due date").click()
    page.get_by_text("(overdue)").wait_for()
    assert Claim.objects.get(pk=assigned_claim.pk).due_date == past
    assert [e for e in errors if "422" not in e] == []
