"""The Articles list in Chromium: same-titled articles told apart, search and sort
kept in the URL, Close and Reopen; the board's article filter follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Article, Claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_same_titles_search_sort_close_and_reopen(new_page, live_server, editor):
    post = services.article_create(
        actor=editor,
        title="Budget vote",
        body="The council voted 7 to 2.",
        outlet="Daily Post",
        published_on=dt.date(2026, 3, 3),
    )
    star = services.article_create(
        actor=editor,
        title="Budget vote",
        body="Rents rose 4% last year.",
        outlet="Evening Star",
        published_on=dt.date(2026, 3, 4),
    )
    services.article_create(
        actor=editor, title="Apple harvest", body="Yields fell.", outlet="Tribune"
    )
    Claim.objects.create(article=star, text="Rents rose 4% last year.", start=0, end=24)
    page = new_page(editor)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/articles/")
    rows = page.locator(".article-row")
    expect(rows.filter(has_text="Daily Post").filter(has_text="3 Mar 2026")).to_have_count(1)
    expect(rows.filter(has_text="Evening Star").filter(has_text="4 Mar 2026")).to_have_count(1)

    page.get_by_role("searchbox", name="Search").fill("budget")
    page.get_by_label("Sort by").select_option("outlet")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"q=budget.*sort=outlet"))
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Daily Post")
    expect(page.get_by_label("Sort by")).to_have_value("outlet")

    # The board's article filter tells them apart too.
    page.goto(f"{live_server.url}/board/")
    options = page.locator("#filter-article option")
    expect(options.filter(has_text="Budget vote — Daily Post, 3 Mar 2026")).to_have_count(1)
    expect(options.filter(has_text="Budget vote — Evening Star, 4 Mar 2026")).to_have_count(1)

    # Close one: it leaves the list, the filter and the board; Reopen brings it back.
    page.goto(f"{live_server.url}{star.get_absolute_url()}")
    page.get_by_role("button", name="Close").click()
    expect(page.get_by_text("Closed: it has left the lists and the board.")).to_be_visible()
    assert Article.objects.get(pk=star.pk).closed_at is not None
    page.goto(f"{live_server.url}/articles/")
    expect(rows.filter(has_text="Evening Star")).to_have_count(0)
    page.goto(f"{live_server.url}/board/")
    expect(page.locator("#filter-article option").filter(has_text="Evening Star")).to_have_count(0)
    expect(page.get_by_text("Rents rose 4% last year.")).to_have_count(0)

    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("link", name="Closed articles").click()
    page.get_by_role("link", name="Budget vote").click()
    page.get_by_role("button", name="Reopen").click()
    expect(page.get_by_text("Reopened: it is back in the lists and the board.")).to_be_visible()
    page.goto(f"{live_server.url}/articles/")
    expect(rows.filter(has_text="Evening Star")).to_have_count(1)
    assert post.pk and errors == []
