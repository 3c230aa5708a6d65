"""Database constraints hold even when code forgets to check."""

import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, Claim, Rating, Source

pytestmark = pytest.mark.django_db


def _claim(article, **fields):
    defaults = {"text": "x", "start": 0, "end": 5}
    defaults.update(fields)
    return Claim.objects.create(article=article, **defaults)


@pytest.mark.parametrize(
    "fields",
    [
        {"start": 5, "end": 5},
        {"start": 6, "end": 2},
        {"score": 1.5},
        {"score": -0.1},
        {"status": "bogus"},
        {"version": 0},
    ],
)
def test_claim_rejects_invalid_rows(article, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        _claim(article, **fields)


def test_one_live_claim_per_span_but_dismissed_may_repeat(article):
    _claim(article, start=0, end=5, status="dismissed")
    _claim(article, start=0, end=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        _claim(article, start=0, end=5)


def test_rating_names_unique_and_values_in_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(name="True", value=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(name="Very true", value=6)
    Rating.objects.create(name="Satire", value=None)


def test_source_urls_http_only_and_unique_per_claim(claim):
    Source.objects.create(claim=claim, url="https://a.example/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(claim=claim, url="https://a.example/1")
    for bad in ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Source.objects.create(claim=claim, url=bad)


def test_article_url_http_only(editor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="t", body="b", url="javascript:alert(1)")


def test_default_rating_scale_loaded_by_migration():
    scale = list(Rating.objects.order_by("position").values_list("name", "value"))
    assert scale == [
        ("True", 5),
        ("Mostly true", 4),
        ("Half true", 3),
        ("Mostly false", 2),
        ("False", 1),
        ("Misleading", None),
        ("Missing context", None),
        ("Unverifiable", None),
    ]


def test_roles_created_by_migration():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {"Editors", "Reviewers"}
