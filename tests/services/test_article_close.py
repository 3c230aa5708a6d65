"""Closing an article: out of the lists, filters and board; history and exports stay."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import selectors, services
from claims.models import Event
from claims.reports.data import build_report
from claims.selectors.board import BoardFilters

pytestmark = pytest.mark.django_db


def test_close_and_reopen_are_audited(editor, article):
    closed = services.article_close(actor=editor, article=article)
    assert closed.closed_at is not None
    reopened = services.article_reopen(actor=editor, article=article)
    assert reopened.closed_at is None
    events = list(
        Event.objects.filter(
            article=article, action__in=["article_closed", "article_reopened"]
        ).order_by("id")
    )
    assert [(e.action, e.actor) for e in events] == [
        ("article_closed", editor),
        ("article_reopened", editor),
    ]
    assert events[0].after["closed_at"] and events[1].after == {"closed_at": None}


def test_only_editors_close_and_only_in_turn(editor, reviewer, article):
    with pytest.raises(services.NotAllowed, match="Only an editor can close articles"):
        services.article_close(actor=reviewer, article=article)
    with pytest.raises(services.InvalidTransition, match="not closed"):
        services.article_reopen(actor=editor, article=article)
    services.article_close(actor=editor, article=article)
    with pytest.raises(services.InvalidTransition, match="already closed"):
        services.article_close(actor=editor, article=article)
    assert Event.objects.filter(article=article, action="article_closed").count() == 1


def test_closed_article_leaves_lists_filters_and_board_but_keeps_exports(editor, claim):
    article = claim.article
    assert selectors.board_claims(filters=BoardFilters()).filter(pk=claim.pk).exists()
    services.article_close(actor=editor, article=article)

    assert not selectors.articles_for_list().filter(pk=article.pk).exists()
    assert selectors.articles_for_list(closed=True).filter(pk=article.pk).exists()
    assert article.pk not in dict(selectors.board_article_choices(include=article.pk))
    assert not selectors.board_claims(filters=BoardFilters()).filter(pk=claim.pk).exists()
    report = build_report(
        claims=selectors.report_article_claims(article=article), internal=True, article=article
    )
    assert [c["id"] for c in report["claims"]] == [claim.pk]
    assert Event.objects.filter(article=article, action="article_created").exists()


def test_same_titles_are_told_apart_by_outlet_and_date(editor):
    one = services.article_create(
        actor=editor,
        title="Budget vote",
        body="Text one.",
        outlet="Daily Post",
        published_on=dt.date(2026, 3, 3),
    )
    two = services.article_create(
        actor=editor, title="Budget vote", body="Text two.", outlet="Evening Star"
    )
    labels = dict(selectors.board_article_choices())
    assert labels[one.pk] == "Budget vote — Daily Post, 3 Mar 2026"
    assert (
        labels[two.pk].startswith("Budget vote — Evening Star, ")
        and labels[one.pk] != labels[two.pk]
    )


def test_list_search_and_sort(editor):
    for title, outlet in [
        ("Zoo funding", "Gazette"),
        ("Apple harvest", "Tribune"),
        ("Mid budget", "Herald"),
    ]:
        services.article_create(actor=editor, title=title, body=f"{title} text.", outlet=outlet)
    titles = lambda **kw: [a.title for a in selectors.articles_for_list(**kw)]  # noqa: E731
    assert titles(sort="title") == ["Apple harvest", "Mid budget", "Zoo funding"]
    assert titles(sort="oldest") == ["Zoo funding", "Apple harvest", "Mid budget"]
    assert titles(sort="outlet") == ["Zoo funding", "Mid budget", "Apple harvest"]
    assert titles(q="tribune") == ["Apple harvest"]
    assert titles(q="BUDGET") == ["Mid budget"]
    assert titles(sort="no-such-sort")[0] == "Mid budget"
