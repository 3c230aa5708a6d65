"""ClaimReview JSON-LD (schema.org, as Google's fact-check documentation asks):
one object per published or corrected claim with a verdict.

Ordinal ratings carry ratingValue with bestRating 5 / worstRating 1; the others
(Misleading, Missing context...) go by name only, in alternateName.
"""

from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from claims import workflow

BEST_RATING = 5
WORST_RATING = 1


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _item_author(article: dict) -> dict | None:
    if article.get("author"):
        return {"@type": "Person", "name": article["author"]}
    if article.get("outlet"):
        return {"@type": "Organization", "name": article["outlet"]}
    return None


def _item_reviewed(article: dict) -> dict:
    item: dict = {"@type": "Claim"}
    author = _item_author(article)
    if author:
        item["author"] = author
    if article.get("published_on"):
        item["datePublished"] = article["published_on"]
    appearance = {"@type": "CreativeWork", "headline": article["title"]}
    if article.get("url"):
        appearance["url"] = article["url"]
    if article.get("published_on"):
        appearance["datePublished"] = article["published_on"]
    if author:
        appearance["author"] = author
    item["appearance"] = [appearance]
    return item


def _review_rating(verdict: dict, conclusion: str) -> dict:
    rating: dict = {"@type": "Rating", "alternateName": verdict["name"]}
    if verdict["ordinal"]:
        rating["ratingValue"] = verdict["value"]
        rating["bestRating"] = BEST_RATING
        rating["worstRating"] = WORST_RATING
    if conclusion:
        rating["ratingExplanation"] = conclusion
    return rating


def claim_reviews(report: dict) -> list[dict]:
    articles = {a["id"]: a for a in report["articles"]}
    organization = {"@type": "Organization", **report["organization"]}
    reviews = []
    for claim in report["claims"]:
        if claim["status"] not in workflow.PUBLIC or claim["verdict"] is None:
            continue
        review = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": claim["url"],
            "claimReviewed": claim["text"],
            "datePublished": _date(claim["published_at"]) or _date(claim["updated_at"]),
            "author": organization,
            "reviewRating": _review_rating(claim["verdict"], claim["conclusion"]),
            "itemReviewed": _item_reviewed(articles[claim["article_id"]]),
        }
        if claim["corrections"]:
            review["dateModified"] = _date(claim["corrections"][-1]["date"])
        reviews.append(review)
    return reviews


def render(report: dict) -> bytes:
    return json.dumps(claim_reviews(report), ensure_ascii=False, indent=2).encode("utf-8")


# Inside <script>, "</script>" or "<!--" in a claim would end the element early.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def script_json(report: dict) -> SafeString:
    """The ClaimReviews as JSON that is safe to place inside a <script> element."""
    text = json.dumps(claim_reviews(report), ensure_ascii=False)
    # U+2028/2029 are escaped too: older parsers treat them as line ends.
    text = text.translate(_SCRIPT_ESCAPES).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)  # noqa: S308 (every character that could close the element is escaped above)
