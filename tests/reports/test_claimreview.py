"""ClaimReview JSON-LD: one per published claim, with Google's required fields."""

from __future__ import annotations

import json

import pytest
from django.conf import settings

from claims.reports import render
from claims.reports.claimreview import claim_reviews, script_json
from claims.reports.data import configured_site_url

pytestmark = pytest.mark.django_db


def test_one_review_per_published_or_corrected_claim(scenario, internal_report, public_report):
    for report in (internal_report, public_report):
        reviews = json.loads(render(report, "claimreview"))
        assert sorted(r["claimReviewed"] for r in reviews) == sorted(
            [scenario.published.text, scenario.corrected.text]
        )


def test_required_fields(scenario, public_report):
    for review in claim_reviews(public_report):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["url"].startswith(
            configured_site_url() + f"/articles/{scenario.article.pk}/report/#claim-"
        )
        assert review["datePublished"] and len(review["datePublished"]) == 10
        assert review["author"] == {"@type": "Organization", **settings.FACTCHECK_ORGANIZATION}
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["alternateName"]
        assert rating["ratingExplanation"]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"] == {"@type": "Person", "name": "Jo Reporter"}
        assert item["datePublished"] == "2024-05-01"
        assert item["appearance"][0]["@type"] == "CreativeWork"
        assert item["appearance"][0]["url"] == "https://news.example/riverton"


def test_ordinal_rating_has_value_and_non_ordinal_has_none(scenario, public_report):
    reviews = {r["claimReviewed"]: r for r in claim_reviews(public_report)}
    false = reviews[scenario.published.text]["reviewRating"]
    assert (
        false["alternateName"],
        false["ratingValue"],
        false["bestRating"],
        false["worstRating"],
    ) == ("False", 1, 5, 1)
    misleading = reviews[scenario.corrected.text]["reviewRating"]
    assert misleading["alternateName"] == "Misleading"
    assert not {"ratingValue", "bestRating", "worstRating"} & set(misleading)
    assert reviews[scenario.corrected.text]["dateModified"]


def test_outlet_is_the_author_when_the_article_has_no_byline(scenario, public_report):
    article = public_report["articles"][0]
    article["author"] = ""
    review = claim_reviews(public_report)[0]
    assert review["itemReviewed"]["author"] == {"@type": "Organization", "name": "Riverton Times"}


def test_script_json_cannot_close_the_script_element(public_report):
    text = str(script_json(public_report))
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == claim_reviews(public_report)
