"""Small hand-written fact-checks for the archive tests (never the research data)."""

from __future__ import annotations

import json

import pytest

WATER = "Drinking hot water every fifteen minutes kills the coronavirus."
BRIDGE = "The new bridge over the river cost 80 million euros."


def claim_review(
    url: str, claim: str, rating: str, publisher: str = "Checks Daily", headline: str = ""
) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "datePublished": "2024-03-01",
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "headline": headline or f"Fact check: {claim}",
        "inLanguage": "en",
    }


@pytest.fixture
def review_file() -> tuple[str, bytes]:
    reviews = [
        claim_review(
            "https://checks.example/water",
            WATER,
            "False",
            headline="Hot water does not kill the virus",
        ),
        claim_review(
            "https://checks.example/bridge", BRIDGE, "Mostly true", publisher="Bridge Watch"
        ),
        claim_review("javascript:alert(1)", "A bad one.", "False"),
    ]
    return "reviews.json", json.dumps(reviews).encode()
