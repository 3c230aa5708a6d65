"""Triage pre-selection in a real browser: strict / normal / broad re-tick the
sentences at or above each cut, the rest are de-emphasised, and one click
clears every tick."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from claims.extraction import preselect_levels
from claims.models import Article

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"
).read_text(encoding="utf-8")


def ticked(page, article) -> list[bool]:
    return [page.locator(f"#span-{c['start']}").is_checked() for c in article.candidates]


def test_preselect_levels_and_clear(new_page, live_server, editor, page_problems):
    page = new_page(editor)
    problems = page_problems(page)  # the deliberate 422 below is not a problem
    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Rafah talks")
    page.get_by_label("Text", exact=True).fill(SEED_TEXT)
    page.get_by_role("button", name="Save article").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    article = Article.objects.get(title="Rafah talks")
    scores = [c["score"] for c in article.candidates]
    levels = preselect_levels()

    # Normal is the default: the server's pre-selection, the rest recede.
    expect(page.get_by_role("radio", name="Normal")).to_be_checked()
    assert ticked(page, article) == [c["checkworthy"] for c in article.candidates]
    below = page.locator(".triage-row.below-cut")
    expect(below).to_have_count(sum(not c["checkworthy"] for c in article.candidates))

    for name in ("Strict", "Broad", "Normal"):
        page.get_by_role("radio", name=name).check()
        cut = levels[name.lower()]
        assert ticked(page, article) == [s >= round(cut, 2) for s in scores], name
        expect(below).to_have_count(sum(s < round(cut, 2) for s in scores))

    page.get_by_role("button", name="Clear all ticks").click()
    assert not any(ticked(page, article))
    page.get_by_role("button", name="Keep selected").click()
    # Nothing ticked: refused with a reason (422), and nothing kept.
    expect(page.get_by_text("Select at least one sentence to keep.")).to_be_visible()
    expect(page.get_by_role("heading", name="Claims (0)")).to_be_visible()
    assert problems == []
