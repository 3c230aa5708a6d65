"""The board's list view: one table, sortable by status, assignee, verdict, due
date and article, with the board's filters kept in every link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim

pytestmark = pytest.mark.django_db

BOARD = reverse("claims:board")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def row_ids(page: BeautifulSoup) -> list[int]:
    return [
        int(tr["id"].removeprefix("row-")) for tr in page.select("table.board-list tbody tr[id]")
    ]


@pytest.fixture
def rows(article, editor, reviewer, reviewer2, mostly_false):
    today = timezone.localdate()
    other = Article.objects.create(title="Another story", body="x" * 100, added_by=editor)

    spans = iter(range(0, 100, 5))

    def make(text, **fields):
        start = next(spans)
        return Claim.objects.create(
            article=fields.pop("article", article), text=text, start=start, end=start + 5, **fields
        )

    return {
        "late": make(
            "Late claim",
            status="researching",
            assignee=reviewer,
            due_date=today - dt.timedelta(days=2),
        ),
        "soon": make(
            "Soon claim",
            status="assigned",
            assignee=reviewer2,
            due_date=today + dt.timedelta(days=1),
        ),
        "later": make(
            "Later claim",
            status="in_review",
            assignee=reviewer,
            rating=mostly_false,
            due_date=today + dt.timedelta(days=9),
            article=other,
        ),
        "undated": make("Undated claim"),
    }


def test_list_view_sorted_by_due_date_soonest_first_undated_last(client, editor, rows):
    client.force_login(editor)
    page = soup(client.get(BOARD, {"view": "list", "sort": "due"}))
    assert row_ids(page) == [rows[k].pk for k in ("late", "soon", "later", "undated")]
    due = page.find("th", attrs={"aria-sort": True})
    assert due.get_text(strip=True).startswith("Due") and due["aria-sort"] == "ascending"
    assert "Overdue" in page.select_one(f"#row-{rows['late'].pk}").get_text()
    # Sorting again by the same column reverses it; undated claims stay last.
    reverse_url = due.a["href"]
    assert parse_qs(urlsplit(reverse_url).query)["sort"] == ["-due"]
    page = soup(client.get(reverse_url))
    assert row_ids(page) == [rows[k].pk for k in ("later", "soon", "late", "undated")]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("status", ["undated", "soon", "late", "later"]),  # workflow order, not alphabetical
        (
            "article",
            ["later", "late", "soon", "undated"],
        ),  # "Another story" before "City budget story"
        ("verdict", ["later", "late", "soon", "undated"]),  # rated first, no verdict last
    ],
)
def test_list_view_sorts_by_each_column(client, editor, rows, sort, order):
    client.force_login(editor)
    ids = row_ids(soup(client.get(BOARD, {"view": "list", "sort": sort})))
    if sort in {"article", "verdict"}:
        assert ids[0] == rows[order[0]].pk  # ties keep id order
    else:
        assert ids == [rows[k].pk for k in order]


def test_list_view_keeps_the_filters_in_every_link_and_the_filter_form(
    client, editor, reviewer, rows
):
    client.force_login(editor)
    page = soup(client.get(BOARD, {"view": "list", "sort": "article", "assignee": reviewer.pk}))
    assert set(row_ids(page)) == {rows["late"].pk, rows["later"].pk}
    for th in page.select("table.board-list th a"):
        query = parse_qs(urlsplit(th["href"]).query)
        assert query["assignee"] == [str(reviewer.pk)] and query["view"] == ["list"]
    form = page.select_one("form.board-filters")
    assert form.select_one("input[name=view]")["value"] == "list"
    assert form.select_one("input[name=sort]")["value"] == "article"
    assert page.select_one("#board-total").get_text(strip=True) == "2 claims match the filters"
    columns = page.select_one(".board-views a")
    assert columns.get_text() == "Columns" and columns["href"] == f"{BOARD}?assignee={reviewer.pk}"


def test_board_links_to_the_list_view_sorted_by_due_date(client, editor, rows):
    client.force_login(editor)
    link = soup(client.get(BOARD, {"q": "claim"})).select_one(".board-views a")
    assert link["href"] == f"{BOARD}?q=claim&view=list&sort=due"


def test_htmx_filter_change_in_the_list_view_swaps_the_table(client, editor, rows):
    client.force_login(editor)
    response = client.get(
        BOARD,
        {"view": "list", "sort": "due", "q": "soon"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="board-body",
    )
    page = soup(response)
    assert b"<html" not in response.content
    assert row_ids(page) == [rows["soon"].pk]
    assert page.select_one("#board-total")["hx-swap-oob"] == "true"


@pytest.mark.parametrize("sort", ["nope", "-", "", "due;drop"])
def test_unknown_sort_falls_back_to_due_date(client, editor, rows, sort):
    client.force_login(editor)
    response = client.get(BOARD, {"view": "list", "sort": sort})
    assert response.status_code == 200
    assert row_ids(soup(response))[0] == rows["late"].pk


def test_list_view_pages_and_keeps_a_constant_query_count(
    client, editor, article, django_assert_num_queries
):
    Claim.objects.bulk_create(
        [Claim(article=article, text=f"Claim {i}", start=1000 + i, end=1001 + i) for i in range(10)]
    )
    client.force_login(editor)
    client.get(BOARD, {"view": "list"})
    with CaptureQueriesContext(connection) as ctx:
        client.get(BOARD, {"view": "list"})
    Claim.objects.bulk_create(
        [Claim(article=article, text=f"More {i}", start=2000 + i, end=2001 + i) for i in range(600)]
    )
    with django_assert_num_queries(len(ctx.captured_queries)):
        page = soup(client.get(BOARD, {"view": "list", "page": "3"}))
    assert len(row_ids(page)) == 100
    assert (
        page.select_one(".board-pages")
        .get_text(" ", strip=True)
        .startswith("Previous page Page 3 of 7")
    )
