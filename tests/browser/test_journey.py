"""The whole journey in a real browser: from pasting the sample article to a
published verdict on the board, by an editor and a reviewer in two sessions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from claims.defaults import ensure_defaults
from claims.models import Claim, Rating

SAMPLE = (
    Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"
).read_text()

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(django_user_model):
    ensure_defaults(Group, Rating)
    editor = django_user_model.objects.create_user(
        "editor", password="factcheck", email="editor@example.com"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = django_user_model.objects.create_user(
        "reviewer1", password="factcheck", email="r1@example.com"
    )
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    return editor, reviewer


def test_editor_and_reviewer_take_a_claim_from_article_to_published(new_page, live_server, people):
    editor, reviewer = people
    base = live_server.url

    # The editor adds the sample article, extracts and keeps the check-worthy claims.
    ed = new_page(editor)
    ed.goto(f"{base}/articles/")
    ed.get_by_role("link", name="New article").click()
    ed.get_by_label("Title").fill("US urges Israel to permit safe passage")
    ed.get_by_label("Text", exact=True).fill(SAMPLE)
    ed.get_by_role("button", name="Save article").click()
    ed.get_by_role("button", name="Extract claims").click()
    expect(ed.get_by_role("button", name="Keep selected")).to_be_visible()
    ed.get_by_role("button", name="Keep selected").click()
    expect(ed.get_by_role("button", name="Merge selected")).to_be_visible()
    kept = Claim.objects.filter(article__title__startswith="US urges").order_by("position")
    assert kept.count() >= 3
    target = kept.first()

    # ...and assigns one to reviewer1 from its card on the board.
    ed.goto(f"{base}/board/")
    card = ed.locator(f"#card-{target.pk}")
    card.locator("summary").click()
    card.get_by_label("Assignee").select_option(label="reviewer1")
    card.get_by_role("button", name="Assign").click()
    expect(ed.locator(f"#cards-assigned #card-{target.pk}")).to_be_visible()

    # reviewer1 signs in, researches, adds two sources, proposes "Mostly false" and submits.
    rv = new_page(reviewer)
    rv.goto(f"{base}/my/")
    rv.get_by_role("link", name=target.text[:40]).first.click()
    rv.get_by_role("button", name="Start research").click()
    expect(rv.get_by_role("button", name="Submit for review")).to_be_visible()
    for url, title in [
        ("https://www.state.gov/briefings/rafah", "State Department briefing"),
        ("https://news.example/rafah-talks", "Talks report"),
    ]:
        form = rv.locator("form[action$='/sources/new/']")
        if not form.is_visible():
            rv.locator("summary", has_text="Add source").click()
        form.get_by_label(re.compile(r"^URL:?$")).fill(url)
        form.get_by_label("Title").fill(title)
        form.get_by_role("button", name="Add source").click()
        expect(rv.get_by_role("link", name=title)).to_be_visible()
    rv.get_by_label("Verdict").select_option(label="Mostly false")
    rv.get_by_label("Conclusion").fill(
        "Officials described a request, but the numbers given vary between sources."
    )
    rv.get_by_role("button", name="Save verdict").click()
    expect(rv.get_by_text("Proposed by reviewer1")).to_be_visible()
    rv.get_by_role("button", name="Submit for review").click()
    expect(rv.get_by_text("In review").first).to_be_visible()

    # The editor approves and publishes.
    ed.goto(f"{base}/claims/{target.pk}/")
    ed.get_by_role("button", name="Approve").click()
    expect(ed.get_by_role("button", name="Publish")).to_be_visible()
    ed.get_by_role("button", name="Publish").click()
    expect(ed.get_by_text("Published").first).to_be_visible()

    # The card sits under Published with its verdict.
    ed.goto(f"{base}/board/")
    published = ed.locator(f"#cards-published #card-{target.pk}")
    expect(published).to_be_visible()
    expect(published.locator(".verdict")).to_have_text("Mostly false")
    target.refresh_from_db()
    assert target.status == Claim.Status.PUBLISHED
    assert target.rating.name == "Mostly false"
    assert target.sources.count() == 2
