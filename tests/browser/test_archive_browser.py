"""The issue's journey: import a small ClaimReview file, paste an article that
repeats one of its claims, and see "Checked before" with the imported verdict on
triage and on the claim panel."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from claims.models import ArchiveEntry

REPEATED = "Drinking hot water every fifteen minutes kills the coronavirus, a viral post claims."
OTHER = "The city council met on Monday evening to discuss parking."


def test_import_then_checked_before_on_triage_and_panel(new_page, live_server, editor, tmp_path):
    reviews = [
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checks.example/hot-water",
            "claimReviewed": "Drinking hot water every fifteen minutes kills the coronavirus.",
            "datePublished": "2024-03-01",
            "author": {"@type": "Organization", "name": "Checks Daily"},
            "reviewRating": {"@type": "Rating", "alternateName": "Pants on fire"},
            "headline": "Hot water does not kill the coronavirus",
        },
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": "https://checks.example/bridge",
            "claimReviewed": "The new bridge cost 80 million euros.",
            "author": {"@type": "Organization", "name": "Bridge Watch"},
            "reviewRating": {"@type": "Rating", "alternateName": "Mostly true"},
        },
    ]
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(reviews))
    errors: list[str] = []
    page = new_page(editor)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/archive/")
    expect(page.get_by_role("heading", name="Fact-check archive")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Archive")
    ).to_be_visible()
    page.get_by_role("link", name="Import fact-checks").click()
    page.get_by_label("Files").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#job-status")).to_contain_text("2 added, 0 updated")
    assert ArchiveEntry.objects.count() == 2

    page.goto(f"{live_server.url}/articles/new/")
    page.get_by_label("Title").fill("Viral posts")
    page.get_by_label("Text", exact=True).fill(f"{REPEATED} {OTHER}")
    page.get_by_role("button", name="Save article").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    page.get_by_role("button", name="Extract claims").click()
    page.get_by_label(REPEATED).check()
    page.get_by_role("button", name="Keep selected").click()

    box = page.get_by_role("region", name=re.compile("Checked before"))
    expect(box).to_be_visible()
    expect(box.get_by_text("Pants on fire")).to_be_visible()
    expect(box.get_by_text("Checks Daily")).to_be_visible()
    expect(box.get_by_role("link", name="Read the fact-check")).to_have_attribute(
        "href", "https://checks.example/hot-water"
    )
    expect(page.get_by_text("Bridge Watch")).to_have_count(0)

    page.get_by_role("link", name="Open").first.click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    panel = page.get_by_role("region", name=re.compile("Checked before"))
    expect(panel.get_by_text("Pants on fire")).to_be_visible()
    panel.get_by_role("button", name="Same claim").click()
    expect(page.get_by_text("Linked as the same claim").first).to_be_visible()
    expect(page.locator(".cp-history")).to_contain_text("Same claim as Checks Daily")
    assert errors == []
