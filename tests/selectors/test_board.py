"""The board's reads: filter parsing, grouped counts and stamps, paging, the live stamp."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from claims import selectors, services
from claims.models import Claim
from claims.selectors import board_filters_from

pytestmark = pytest.mark.django_db


def test_filters_parse_without_failing_on_bad_values():
    f = board_filters_from(
        QueryDict("q=%20crime%20&article=12&assignee=none&verdict=3&status=in_review&overdue=on")
    )
    assert f == selectors.BoardFilters(
        q="crime", article=12, assignee="none", verdict=3, status="in_review", overdue=True
    )
    bad = board_filters_from(QueryDict("article=x&assignee=-2&verdict=none&status=nope&overdue=no"))
    assert bad == selectors.BoardFilters(verdict="none")


def test_columns_hold_counts_and_first_page(article, reviewer):
    Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                text=f"c{i}",
                start=i,
                end=i + 1,
                status="assigned" if i % 2 else "unassigned",
                assignee=reviewer if i % 2 else None,
            )
            for i in range(7)
        ]
    )
    columns = {
        c.status: c for c in selectors.board_columns(filters=selectors.BoardFilters(), page_size=2)
    }
    assert list(columns) == Claim.Status.values
    assert (
        columns["unassigned"].count,
        len(columns["unassigned"].cards),
        columns["unassigned"].has_more,
    ) == (4, 2, True)
    assert (columns["assigned"].count, len(columns["assigned"].cards)) == (3, 2)
    assert columns["dismissed"].count == 0 and not columns["dismissed"].has_more
    assert all(hasattr(card, "n_sources") for card in columns["assigned"].cards)


def test_column_stamp_changes_when_a_claim_leaves_or_changes(editor, reviewer, claim):
    before = selectors.board_column_stats(filters=selectors.BoardFilters())
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    after = selectors.board_column_stats(filters=selectors.BoardFilters())
    assert "unassigned" not in after and after["assigned"][0] == 1
    assert before["unassigned"][0] == 1


def test_board_stamp_changes_on_any_write(editor, reviewer, claim):
    first = selectors.board_stamp()
    assert selectors.board_stamp() == first
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    assert selectors.board_stamp() != first


def test_cards_do_not_load_article_bodies(claim):
    card = selectors.board_cards_by_ids(ids=[claim.pk])[0]
    assert "body" in card.article.get_deferred_fields()
