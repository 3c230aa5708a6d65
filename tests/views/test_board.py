"""The review board: columns, cards, filters, load more, moves, bulk assignment, live stamp."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims import services
from claims.models import Article, Claim, Rating

pytestmark = pytest.mark.django_db

BOARD = reverse("claims:board")
HTMX = {"HTTP_HX_REQUEST": "true"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def bulk_claims(article: Article, n: int, *, offset: int = 1000, **fields) -> list[Claim]:
    """Many claims fast: distinct spans, no services (the board only reads them)."""
    return Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                text=f"Synthetic claim number {offset + i}",
                start=offset + i,
                end=offset + i + 1,
                **fields,
            )
            for i in range(n)
        ]
    )


def column_cards(page: BeautifulSoup, status: str) -> list[str]:
    return [li["id"] for li in page.select(f"#cards-{status} > li.board-card")]


def count_of(page: BeautifulSoup, status: str) -> int:
    return int(page.select_one(f"#count-{status}").get_text())


# ---------------------------------------------------------------- rendering


def test_board_shows_every_column_with_counts(
    client, editor, claim, assigned_claim, published_claim
):
    client.force_login(editor)
    response = client.get(BOARD)
    assert response.status_code == 200
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Review board"
    titles = [h.select_one(".column-name").get_text() for h in page.select(".column-title")]
    assert titles == [
        "Unassigned",
        "Assigned",
        "Researching",
        "In review",
        "Approved",
        "Published",
        "Corrected",
        "Dismissed",
    ]
    assert count_of(page, "published") == 1
    assert count_of(page, "unassigned") == 0
    assert column_cards(page, "published") == [f"card-{published_claim.pk}"]


def test_card_shows_claim_article_assignee_verdict_due_and_sources(
    client, editor, reviewer, in_review_claim
):
    Claim.objects.filter(pk=in_review_claim.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=2)
    )
    client.force_login(editor)
    card = soup(client.get(BOARD)).select_one(f"#card-{in_review_claim.pk}")
    assert "The city spent $4.2 million" in card.select_one("a.card-text").get_text()
    assert card.select_one("a.card-text")["href"] == reverse(
        "claims:claim-detail", args=[in_review_claim.pk]
    )
    # Lean cards: no forms; "Move or assign" loads them from the card's tools URL.
    assert card.select_one("form") is None
    # board.js finds the forms next to the move URL (claims/<pk>/tools/).
    tools_url = card["data-move-url"].removesuffix("move/") + "tools/"
    assert tools_url == reverse("claims:claim-tools", args=[in_review_claim.pk])
    assert card.select_one(".card-article").get_text() == "City budget story"
    assert reviewer.get_username() in card.select_one(".card-assignee").get_text()
    badge = card.select_one(".verdict")
    assert badge.get_text() == "Mostly false" and "verdict-2" in badge["class"]
    assert "is-overdue" in card["class"]
    assert "Overdue" in card.select_one(".card-due").get_text()
    assert card.select_one(".card-sources").get_text() == "2 sources"


def test_long_claim_text_is_truncated_to_about_140_characters(client, editor, article):
    long_text = "Officials said " + "very " * 60 + "much."
    Claim.objects.create(article=article, text=long_text, start=0, end=5)
    client.force_login(editor)
    shown = soup(client.get(BOARD)).select_one("#cards-unassigned a.card-text").get_text()
    assert len(shown) <= 140 and shown.endswith("…")


def tools(client, claim, next_url: str = BOARD):
    return client.get(reverse("claims:claim-tools", args=[claim.pk]), {"next": next_url}, **HTMX)


def test_card_has_labelled_move_and_assign_controls_for_editors(client, editor, claim):
    client.force_login(editor)
    card = soup(client.get(BOARD)).select_one(f"#card-{claim.pk}")
    assert card.select_one("summary").get_text() == "Move or assign"
    assert card.select_one("summary")["aria-describedby"] == f"text-{claim.pk}"
    box = card.select_one("input.card-select")  # the bulk selection checkbox is labelled
    assert box["aria-labelledby"] == f"select-label text-{claim.pk}"
    response = tools(client, claim)
    assert response.status_code == 200 and b"<html" not in response.content
    fragment = soup(response)
    move = fragment.select_one("form.card-move")
    assert (
        move["action"] == reverse("claims:claim-move", args=[claim.pk]) and move["method"] == "post"
    )
    assert move["hx-target"] == f"#card-{claim.pk}"
    assert move.select_one("input[name=version]")["value"] == str(claim.version)
    assert fragment.select_one(f"label[for=status-{claim.pk}]").get_text() == "Status"
    assert [o.get_text() for o in fragment.select(f"#status-{claim.pk} option")] == [
        "Unassigned",
        "Assigned",
        "Dismissed",
    ]
    assert fragment.select_one(f"label[for=reason-{claim.pk}]").get_text() == "Reason"
    assert move.find("button").get_text() == "Move"
    assign = fragment.select_one("form.card-assign")
    assert assign["action"] == reverse("claims:claims-bulk")
    assert fragment.select_one(f"label[for=assignee-{claim.pk}]").get_text() == "Assignee"


def test_reviewer_gets_controls_only_on_own_cards(
    client, reviewer, reviewer2, assigned_claim, article
):
    other = Claim.objects.create(
        article=article, text="Unemployment stands at 3.9%.", start=200, end=228
    )
    client.force_login(reviewer)
    page = soup(client.get(BOARD))
    assert page.select_one(f"#card-{assigned_claim.pk} details.card-tools")
    assert page.select_one(f"#card-{other.pk} details.card-tools") is None
    assert not page.select_one(f"#card-{other.pk}").has_attr("data-move-url")
    assert page.select_one("#bulk-form") is None
    own = soup(tools(client, assigned_claim))
    assert own.select_one("form.card-move") and own.select_one("form.card-assign") is None
    assert tools(client, other).status_code == 403


def test_outsider_can_read_the_board(client, outsider, claim):
    client.force_login(outsider)
    page = soup(client.get(BOARD))
    assert column_cards(page, "unassigned") == [f"card-{claim.pk}"]
    assert page.select_one("details.card-tools") is None
    assert tools(client, claim).status_code == 403


def test_tools_without_htmx_lead_to_the_claim_page_which_holds_the_same_forms(
    client, editor, claim
):
    client.force_login(editor)
    response = client.get(reverse("claims:claim-tools", args=[claim.pk]))
    assert (
        response.status_code == 302
        and response.url == reverse("claims:claim-detail", args=[claim.pk]) + "#claim-move"
    )
    page = soup(client.get(response.url))
    section = page.select_one("#claim-move")
    move = section.select_one("form.card-move")
    assert move["action"] == reverse("claims:claim-move", args=[claim.pk]) and not move.has_attr(
        "hx-post"
    )
    assert move.select_one("input[name=next]")["value"] == reverse(
        "claims:claim-detail", args=[claim.pk]
    )
    assert [o.get_text() for o in section.select(f"#status-{claim.pk} option")] == [
        "Unassigned",
        "Assigned",
        "Dismissed",
    ]
    assert section.select_one("form.card-assign select[name=reviewer]")
    # Without JavaScript the card's link leads there.
    card = soup(client.get(BOARD)).select_one(f"#card-{claim.pk} a.card-text")
    assert card["href"] == reverse("claims:claim-detail", args=[claim.pk])


def test_move_from_the_claim_page_returns_there_and_refusals_show_there(client, editor, claim):
    client.force_login(editor)
    page_url = reverse("claims:claim-detail", args=[claim.pk])
    move_url = reverse("claims:claim-move", args=[claim.pk])
    refused = client.post(
        move_url, {"status": "dismissed", "version": claim.version, "next": page_url}
    )
    assert refused.status_code == 422
    assert (
        "a reason is required" in soup(refused).select_one("#claim-move .message-error").get_text()
    )
    moved = client.post(
        move_url,
        {"status": "dismissed", "reason": "Opinion.", "version": claim.version, "next": page_url},
    )
    assert moved.status_code == 302 and moved.url == page_url
    assert Claim.objects.get(pk=claim.pk).status == "dismissed"


def test_missing_claim_tools_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("claims:claim-tools", args=[99999]), **HTMX).status_code == 404


# ---------------------------------------------------------------- filters


@pytest.fixture
def spread(article, editor, reviewer, reviewer2, mostly_false):
    """Claims across articles, people, verdicts and due dates."""
    other_article = services.article_create(
        actor=editor, title="Harbour story", body="Ships came in. " * 20
    )
    today = timezone.localdate()
    return {
        "mine": Claim.objects.create(
            article=article,
            text="Crime fell by half.",
            start=0,
            end=10,
            status="researching",
            assignee=reviewer,
            due_date=today - dt.timedelta(days=1),
        ),
        "theirs": Claim.objects.create(
            article=article,
            text="Unemployment is 3.9%.",
            start=10,
            end=20,
            status="assigned",
            assignee=reviewer2,
            due_date=today + dt.timedelta(days=3),
        ),
        "rated": Claim.objects.create(
            article=other_article,
            text="Ships doubled since 2010.",
            start=0,
            end=14,
            status="in_review",
            assignee=reviewer,
            rating=mostly_false,
        ),
        "free": Claim.objects.create(
            article=other_article, text="The harbour is the oldest in Europe.", start=15, end=30
        ),
        "other_article": other_article,
    }


def shown_ids(client, **params) -> set[int]:
    page = soup(client.get(BOARD, params))
    return {int(li["id"].removeprefix("card-")) for li in page.select("li.board-card")}


def test_filters_by_article_assignee_verdict_status_overdue_and_search(
    client, editor, reviewer, mostly_false, spread
):
    client.force_login(editor)
    s = spread
    assert shown_ids(client, article=s["other_article"].pk) == {s["rated"].pk, s["free"].pk}
    assert shown_ids(client, assignee=reviewer.pk) == {s["mine"].pk, s["rated"].pk}
    assert shown_ids(client, assignee="none") == {s["free"].pk}
    assert shown_ids(client, verdict=mostly_false.pk) == {s["rated"].pk}
    assert shown_ids(client, verdict="none") == {s["mine"].pk, s["theirs"].pk, s["free"].pk}
    assert shown_ids(client, status="assigned") == {s["theirs"].pk}
    assert shown_ids(client, overdue="on") == {s["mine"].pk}
    assert shown_ids(client, q="harbour") == {
        s["rated"].pk,
        s["free"].pk,
    }  # article title matches too
    assert shown_ids(client, q="unemployment") == {s["theirs"].pk}


def test_status_filter_shows_only_that_column(client, editor, spread):
    client.force_login(editor)
    page = soup(client.get(BOARD, {"status": "assigned"}))
    assert [c["data-status"] for c in page.select(".board-column")] == ["assigned"]


def test_filter_form_keeps_values_in_the_url_and_counts_follow(client, editor, reviewer, spread):
    client.force_login(editor)
    page = soup(client.get(BOARD, {"assignee": reviewer.pk, "q": "crime"}))
    form = page.select_one("form.board-filters")
    assert form["method"] == "get" and form["hx-push-url"] == "true" and form["hx-get"] == BOARD
    assert page.select_one("#filter-q")["value"] == "crime"
    assert page.select_one(f"#filter-assignee option[value='{reviewer.pk}']").has_attr("selected")
    assert page.select_one("label[for=filter-q]").get_text() == "Search"
    assert count_of(page, "researching") == 1 and count_of(page, "in_review") == 0
    # The filters travel with every card form, so a move comes back to the same view.
    board_url = f"{BOARD}?q=crime&assignee={reviewer.pk}"
    assert page.select_one("#board-body")["data-board-url"] == board_url
    fragment = soup(tools(client, spread["mine"], board_url))
    assert fragment.select_one("form.card-move input[name=next]")["value"] == board_url


@pytest.mark.parametrize(
    "params",
    [
        {"article": "abc"},
        {"assignee": "-1"},
        {"verdict": "x" * 50},
        {"status": "nope"},
        {"overdue": "maybe"},
        {"article": "9" * 40},
    ],
)
def test_bad_filter_values_are_ignored_not_500(client, editor, spread, params):
    client.force_login(editor)
    response = client.get(BOARD, params)
    assert response.status_code == 200
    assert len(soup(response).select("li.board-card")) == 4


def test_htmx_filter_request_returns_only_the_board_body(client, editor, spread):
    client.force_login(editor)
    response = client.get(BOARD, {"status": "assigned"}, HTTP_HX_TARGET="board-body", **HTMX)
    assert response.status_code == 200
    assert b"<html" not in response.content
    page = soup(response)
    assert page.select_one("#board-body")["data-query"] == "status=assigned"


def test_htmx_filter_change_updates_the_header_count_out_of_band(client, editor, spread):
    client.force_login(editor)
    assert soup(client.get(BOARD)).select_one("#board-total").get_text(strip=True) == "4 claims"
    response = client.get(BOARD, {"q": "unemployment"}, HTTP_HX_TARGET="board-body", **HTMX)
    total = soup(response).select_one("#board-total")
    assert total["hx-swap-oob"] == "true"
    assert total.get_text(strip=True) == "1 claim matches the filters"


# ---------------------------------------------------------------- paging


def test_columns_page_and_load_more(client, editor, article, settings):
    settings.FACTCHECK_BOARD_PAGE_SIZE = 2
    claims = bulk_claims(article, 5)
    client.force_login(editor)
    page = soup(client.get(BOARD))
    assert count_of(page, "unassigned") == 5
    assert column_cards(page, "unassigned") == [f"card-{c.pk}" for c in claims[:2]]
    more = page.select_one("#more-unassigned a.load-more")
    url = reverse("claims:board-column", args=["unassigned"]) + "?page=2"
    assert (
        more["href"] == url and more["hx-get"] == url and more["hx-target"] == "#cards-unassigned"
    )

    fragment = soup(client.get(url, **HTMX))
    assert [li["id"] for li in fragment.select("li.board-card")] == [
        f"card-{c.pk}" for c in claims[2:4]
    ]
    oob = fragment.select_one("#more-unassigned")
    assert oob["hx-swap-oob"] == "true" and "page=3" in oob.a["href"]

    last = soup(client.get(reverse("claims:board-column", args=["unassigned"]) + "?page=3", **HTMX))
    assert [li["id"] for li in last.select("li.board-card")] == [f"card-{claims[4].pk}"]
    assert last.select_one("#more-unassigned a") is None


def test_load_more_without_javascript_shows_the_column_up_to_that_page(
    client, editor, article, settings
):
    settings.FACTCHECK_BOARD_PAGE_SIZE = 2
    bulk_claims(article, 5)
    client.force_login(editor)
    response = client.get(reverse("claims:board-column", args=["unassigned"]), {"page": 2})
    page = soup(response)
    assert response.status_code == 200 and "Review board: Unassigned" in page.h1.get_text()
    assert len(column_cards(page, "unassigned")) == 4


def test_column_refresh_returns_what_was_shown(client, editor, article, settings):
    settings.FACTCHECK_BOARD_PAGE_SIZE = 2
    bulk_claims(article, 5)
    client.force_login(editor)
    url = reverse("claims:board-column", args=["unassigned"])
    page = soup(client.get(url, {"refresh": 1, "limit": 3}, **HTMX))
    assert len(page.select("li.board-card")) == 3
    assert page.select_one("#count-unassigned")["hx-swap-oob"] == "true"


def test_unknown_column_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("claims:board-column", args=["nonsense"])).status_code == 404


# ---------------------------------------------------------------- query counts


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(BOARD).status_code == 200
    return len(ctx.captured_queries)


def test_board_query_count_is_the_same_at_10_and_1000_claims(
    client, editor, reviewer, article, mostly_false, django_assert_max_num_queries
):
    half = {
        "status": "researching",
        "assignee": reviewer,
        "rating": mostly_false,
        "due_date": timezone.localdate(),
    }
    bulk_claims(article, 5, offset=0)
    bulk_claims(article, 5, offset=100, **half)
    client.force_login(editor)
    client.get(BOARD)  # warm the session
    at_ten = _board_queries(client)
    for n, status in enumerate(Claim.Status.values):
        bulk_claims(
            article,
            124,
            offset=10_000 + n * 1000,
            status=status,
            assignee=reviewer if status != "unassigned" else None,
            rating=mostly_false,
        )
    assert Claim.objects.count() == 1002
    with django_assert_max_num_queries(at_ten):
        response = client.get(BOARD)
    assert len(soup(response).select("li.board-card")) == 8 * 25


def test_board_query_count_is_the_same_at_500_and_5000_claims(
    client, editor, reviewer, article, mostly_false, django_assert_num_queries
):
    """The board's weight target (issue 12): as many queries at 5,000 claims as at 500."""

    def spread(n: int, offset: int) -> None:
        per_status = -(-n // len(Claim.Status.values))
        for k, status in enumerate(Claim.Status.values):
            people = (
                {} if status == "unassigned" else {"assignee": reviewer, "rating": mostly_false}
            )
            due = {"due_date": timezone.localdate() + dt.timedelta(days=k - 3)}
            bulk_claims(
                article, per_status, offset=offset + k * 10_000, status=status, **people, **due
            )

    spread(500, 100_000)
    client.force_login(editor)
    client.get(BOARD)  # warm the session
    at_500 = _board_queries(client)
    spread(4_500, 200_000)
    assert Claim.objects.count() >= 5_000
    with django_assert_num_queries(at_500):
        response = client.get(BOARD)
    assert len(soup(response).select("li.board-card")) == 8 * 25


def test_load_more_query_count_does_not_grow(
    client, editor, article, django_assert_max_num_queries
):
    bulk_claims(article, 30)
    client.force_login(editor)
    url = reverse("claims:board-column", args=["unassigned"]) + "?page=2"
    client.get(url, **HTMX)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, **HTMX)
    bulk_claims(article, 600, offset=50_000)
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        client.get(url, **HTMX)


# ---------------------------------------------------------------- moving cards


def test_move_without_javascript_redirects_back_with_filters_and_message(
    client, editor, reviewer, assigned_claim
):
    client.force_login(editor)
    next_url = f"{BOARD}?assignee={reviewer.pk}"
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]),
        {
            "status": "dismissed",
            "reason": "Opinion, not a fact.",
            "version": assigned_claim.version,
            "next": next_url,
        },
    )
    assert response.status_code == 302 and response.url == next_url
    assigned_claim.refresh_from_db()
    assert assigned_claim.status == "dismissed"
    page = client.get(response.url)
    assert "Moved to Dismissed" in page.content.decode()


def test_move_with_htmx_returns_the_card_counts_and_live_message(client, editor, assigned_claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]),
        {"status": "unassigned", "version": assigned_claim.version, "next": BOARD},
        **HTMX,
    )
    assert response.status_code == 200
    page = soup(response)
    card = page.select_one(f"li#card-{assigned_claim.pk}")
    assert card["data-status"] == "unassigned" and card["data-version"] == str(
        assigned_claim.version + 1
    )
    assert page.select_one("#count-unassigned")["hx-swap-oob"] == "true"
    assert (
        page.select_one("#count-unassigned").get_text() == "1"
        and page.select_one("#count-assigned").get_text() == "0"
    )
    assert "Moved to Unassigned" in page.select_one("#live-region").get_text()


def test_move_out_of_a_filtered_column_updates_the_header_count(client, editor, assigned_claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]),
        {
            "status": "unassigned",
            "version": assigned_claim.version,
            "next": f"{BOARD}?status=assigned",
        },
        **HTMX,
    )
    total = soup(response).select_one("#board-total")
    assert total["hx-swap-oob"] == "true"
    assert total.get_text(strip=True) == "0 claims match the filters"


def test_reviewer_moves_own_claim_to_researching(client, reviewer, assigned_claim):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]),
        {"status": "researching", "version": assigned_claim.version},
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=assigned_claim.pk).status == "researching"


def test_illegal_move_is_refused_with_the_reason(client, editor, claim):
    client.force_login(editor)
    url = reverse("claims:claim-move", args=[claim.pk])
    response = client.post(url, {"status": "published", "version": claim.version})
    text = response.content.decode()
    assert response.status_code == 422
    assert (
        "A claim cannot move from Unassigned to Published. From Unassigned it can move to: Assigned, Dismissed."
        in text
    )
    assert Claim.objects.get(pk=claim.pk).status == "unassigned"

    response = client.post(url, {"status": "published", "version": claim.version}, **HTMX)
    assert response.status_code == 422
    card = soup(response).select_one(f"#card-{claim.pk}")
    assert card["data-status"] == "unassigned"  # the card comes back as it is
    assert "cannot move from Unassigned to Published" in card.select_one(".card-alert").get_text()


def test_send_back_needs_a_reason(client, editor, in_review_claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-move", args=[in_review_claim.pk]),
        {"status": "researching", "version": in_review_claim.version},
        **HTMX,
    )
    assert response.status_code == 422
    assert "a reason is required" in response.content.decode()
    assert Claim.objects.get(pk=in_review_claim.pk).status == "in_review"


def test_moving_unassigned_to_assigned_asks_for_a_reviewer(client, editor, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-move", args=[claim.pk]),
        {"status": "assigned", "version": claim.version},
        **HTMX,
    )
    assert (
        response.status_code == 422
        and "Assignee" in soup(response).select_one(".card-alert").get_text()
    )


def test_stale_version_is_409_for_htmx_and_a_message_otherwise(
    client, editor, editor2, assigned_claim
):
    seen = assigned_claim.version
    services.claim_set_due_date(actor=editor2, claim=assigned_claim, due_date=timezone.localdate())
    client.force_login(editor)
    url = reverse("claims:claim-move", args=[assigned_claim.pk])
    response = client.post(url, {"status": "unassigned", "version": seen}, **HTMX)
    assert response.status_code == 409
    assert "changed by eddie_editor" in response.content.decode()
    response = client.post(url, {"status": "unassigned", "version": seen}, follow=True)
    assert "changed by eddie_editor" in response.content.decode()
    assert Claim.objects.get(pk=assigned_claim.pk).status == "assigned"


def test_reviewer_cannot_move_someone_elses_claim(client, reviewer2, assigned_claim):
    client.force_login(reviewer2)
    url = reverse("claims:claim-move", args=[assigned_claim.pk])
    response = client.post(url, {"status": "researching", "version": assigned_claim.version})
    assert response.status_code == 403
    response = client.post(
        url, {"status": "researching", "version": assigned_claim.version}, **HTMX
    )
    assert response.status_code == 403
    assert "only work on claims assigned to you" in response.content.decode()
    assert Claim.objects.get(pk=assigned_claim.pk).status == "assigned"


def test_reviewer_cannot_take_an_editors_step_on_own_claim(client, reviewer, in_review_claim):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:claim-move", args=[in_review_claim.pk]),
        {"status": "approved", "version": in_review_claim.version},
    )
    assert response.status_code == 403


def test_unsafe_next_is_ignored(client, editor, assigned_claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claim-move", args=[assigned_claim.pk]),
        {
            "status": "unassigned",
            "version": assigned_claim.version,
            "next": "https://evil.example/board/",
        },
    )
    assert response.status_code == 302 and response.url == BOARD


def test_move_of_missing_claim_is_404(client, editor):
    client.force_login(editor)
    assert (
        client.post(
            reverse("claims:claim-move", args=[999_999]), {"status": "assigned"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("name,args", [("claims:claim-move", [1]), ("claims:claims-bulk", [])])
def test_get_on_post_only_views_is_405(client, editor, name, args):
    client.force_login(editor)
    assert client.get(reverse(name, args=args)).status_code == 405


@pytest.mark.parametrize("name", ["claims:board-stamp", "claims:my-claims", "claims:board"])
def test_post_on_get_only_views_is_405(client, editor, name):
    client.force_login(editor)
    assert client.post(reverse(name)).status_code == 405


# ---------------------------------------------------------------- assigning


def test_editor_assigns_one_card_from_the_card(client, editor, reviewer, claim):
    client.force_login(editor)
    response = client.post(
        reverse("claims:claims-bulk"),
        {"action": "assign", "ids": [claim.pk], "reviewer": reviewer.pk, "next": BOARD},
        **HTMX,
    )
    assert response.status_code == 200
    card = soup(response).select_one(f"#card-{claim.pk}")
    assert (
        card["data-status"] == "assigned"
        and reviewer.get_username() in card.select_one(".card-assignee").get_text()
    )


def test_bulk_assign_and_auto_assign_without_javascript(
    client, editor, reviewer, reviewer2, article
):
    claims = bulk_claims(article, 4)
    client.force_login(editor)
    url = reverse("claims:claims-bulk")
    response = client.post(
        url,
        {"action": "assign", "ids": [claims[0].pk, claims[1].pk], "reviewer": reviewer2.pk},
        follow=True,
    )
    assert "Assigned 2 claims to rosa_reviewer." in response.content.decode()
    response = client.post(
        url, {"action": "auto-assign", "ids": [c.pk for c in claims]}, follow=True
    )
    assert "Auto-assigned 2 claims" in response.content.decode()
    assignees = dict(
        Claim.objects.filter(pk__in=[c.pk for c in claims]).values_list("pk", "assignee__username")
    )
    assert assignees[claims[2].pk] == "ravi_reviewer" and assignees[claims[3].pk] == "ravi_reviewer"


def test_bulk_refusals_are_messages(client, editor, reviewer, published_claim):
    client.force_login(editor)
    url = reverse("claims:claims-bulk")
    assert (
        "Select at least one claim first."
        in client.post(
            url, {"action": "assign", "reviewer": reviewer.pk}, follow=True
        ).content.decode()
    )
    assert (
        "Choose a reviewer."
        in client.post(
            url, {"action": "assign", "ids": [published_claim.pk]}, follow=True
        ).content.decode()
    )
    text = client.post(
        url, {"action": "assign", "ids": [published_claim.pk], "reviewer": reviewer.pk}, follow=True
    ).content.decode()
    assert f"Claim #{published_claim.pk}: Cannot assign a claim that is Published" in text
    assert (
        "Choose Assign or Auto-assign."
        in client.post(
            url, {"action": "x", "ids": [published_claim.pk]}, follow=True
        ).content.decode()
    )
    assert (
        client.post(
            url, {"action": "assign", "ids": ["1; drop"], "reviewer": reviewer.pk}
        ).status_code
        == 422
    )


def test_only_editors_use_bulk_actions(client, reviewer, claim):
    client.force_login(reviewer)
    response = client.post(
        reverse("claims:claims-bulk"),
        {"action": "assign", "ids": [claim.pk], "reviewer": reviewer.pk},
    )
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).assignee is None


# ---------------------------------------------------------------- live stamp


def test_stamp_has_an_etag_and_answers_304_until_something_changes(client, editor, reviewer, claim):
    client.force_login(editor)
    url = reverse("claims:board-stamp")
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag and "no-cache" in first["Cache-Control"]
    assert first.json()["counts"]["unassigned"] == 1
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["counts"] == {**dict.fromkeys(Claim.Status.values, 0), "assigned": 1}
    assert changed.json()["columns"]["unassigned"] != first.json()["columns"]["unassigned"]


def test_board_carries_the_stamp_it_was_rendered_at(client, editor, claim):
    client.force_login(editor)
    page = soup(client.get(BOARD))
    etag = page.select_one("#board-body")["data-etag"]
    url = reverse("claims:board-stamp")
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"{etag}"').status_code == 304


def test_stamp_is_one_query_when_unchanged(client, editor, claim, django_assert_num_queries):
    client.force_login(editor)
    url = reverse("claims:board-stamp")
    etag = client.get(url)["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    stamp_queries = [q for q in ctx.captured_queries if "claims_claim" in q["sql"]]
    assert len(stamp_queries) == 1


def test_source_added_changes_the_stamp(client, editor, researching_claim, reviewer):
    client.force_login(editor)
    url = reverse("claims:board-stamp")
    etag = client.get(url)["ETag"]
    services.source_add(actor=reviewer, claim=researching_claim, url="https://stats.example/new")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_ratings_exist_for_fixtures():
    assert Rating.objects.filter(name="Mostly false").exists()


@pytest.mark.django_db
def test_card_links_to_the_panel_only_for_people_who_may_open_it(
    client, assigned_claim, reviewer, reviewer2, editor
):
    from django.urls import reverse as _reverse

    detail = _reverse("claims:claim-detail", args=[assigned_claim.pk])
    for user, expected in [(editor, True), (reviewer, True), (reviewer2, False)]:
        client.force_login(user)
        html = client.get(_reverse("claims:board")).content.decode()
        assert (f'href="{detail}"' in html) is expected, user


@pytest.mark.django_db
def test_board_links_to_an_export_of_the_filtered_claims(client, editor, claim):
    client.force_login(editor)
    html = client.get(
        reverse("claims:board"), {"status": "unassigned", "q": "road"}
    ).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    link = next((a for a in soup.find_all("a") if a.get_text().startswith("Export report")), None)
    assert link is not None
    href = link["href"]
    assert href.startswith(reverse("claims:board-export"))
    assert "status=unassigned" in href and "q=road" in href
    assert client.get(href).status_code == 200
