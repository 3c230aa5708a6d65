"""The board's list view in Chromium: reached from the board, sorted by a click on a
heading, and a filter change keeps the list and its sort in the URL."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_triage_by_due_date_in_the_list_view(new_page, live_server, editor, article):
    today = timezone.localdate()
    soon = Claim.objects.create(
        article=article, text="Soon claim", start=0, end=4, due_date=today + dt.timedelta(days=1)
    )
    late = Claim.objects.create(
        article=article, text="Late claim", start=5, end=9, due_date=today + dt.timedelta(days=5)
    )
    page = new_page(editor)
    page.goto(f"{live_server.url}/board/")
    page.get_by_role("link", name=re.compile("^List")).click()
    page.wait_for_url(re.compile(r"view=list&sort=due"))
    rows = page.locator("table.board-list tbody tr")
    expect(rows.first).to_contain_text("Soon claim")
    page.get_by_role("link", name=re.compile("^Due")).click()  # again: latest first
    page.wait_for_url(re.compile(r"sort=-due"))
    expect(rows.first).to_contain_text("Late claim")
    search = page.get_by_role("searchbox", name="Search")
    search.fill("soon")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=soon.*view=list.*sort=-due|view=list.*sort=-due.*q=soon"))
    expect(page.locator(f"#row-{soon.pk}")).to_be_visible()
    expect(page.locator(f"#row-{late.pk}")).to_have_count(0)
    expect(page.locator("#board-total")).to_have_text("1 claim matches the filters")
