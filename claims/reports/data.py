"""The report as plain data: one read of the database, shaped for every exporter.

The structure is versioned (SCHEMA) and documented in docs/report-schema.md; the
JSON export is this structure as-is, so a change to its shape bumps the version.
A report costs a fixed number of queries however many claims it holds: claims
with their people, rating and article in one query, then one query each for the
sources, the corrections and the rating scale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from claims.models import Article, Claim, Correction, Rating

SCHEMA = "factcheck-report/1"

# What readers may see. Everything else (open, dismissed) is internal.
PUBLIC_STATUSES = frozenset({Claim.Status.APPROVED, Claim.Status.PUBLISHED, Claim.Status.CORRECTED})
# What search engines get a ClaimReview for.
PUBLISHED_STATUSES = frozenset({Claim.Status.PUBLISHED, Claim.Status.CORRECTED})

Progress = Callable[[int, int], None]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _person(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def _rating(rating: Rating | None) -> dict | None:
    if rating is None:
        return None
    return {
        "name": rating.name,
        "value": rating.value,
        "ordinal": rating.is_ordinal,
        "css_class": rating.css_class,
    }


def site_url(path: str) -> str:
    return settings.FACTCHECK_SITE_URL.rstrip("/") + path


def article_report_url(article_id: int) -> str:
    return site_url(reverse("claims:article-report", args=[article_id]))


def _article(article: Article, *, with_body: bool) -> dict:
    data = {
        "id": article.pk,
        "title": article.title,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.url,
        "published_on": _iso(article.published_on),
        "report_url": article_report_url(article.pk),
    }
    if with_body:
        data["body"] = article.body
    return data


def _source(source) -> dict:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "accessed_on": _iso(source.accessed_on),
        "archived_url": source.archived_url,
        "excerpt": source.excerpt,
        "stance": source.stance,
    }


def _correction(correction: Correction) -> dict:
    return {
        "claim_id": correction.claim_id,
        "previous_verdict": _rating(correction.previous_rating),
        "new_verdict": _rating(correction.new_rating),
        "previous_conclusion": correction.previous_conclusion,
        "new_conclusion": correction.new_conclusion,
        "note": correction.note,
        "date": _iso(correction.created_at),
    }


def _claim(claim: Claim, *, internal: bool) -> dict:
    data = {
        "id": claim.pk,
        "anchor": f"claim-{claim.pk}",
        "url": f"{article_report_url(claim.article_id)}#claim-{claim.pk}",
        "article_id": claim.article_id,
        "article_title": claim.article.title,
        "position": claim.position,
        "text": claim.text,
        "start": claim.start,
        "end": claim.end,
        "status": claim.status,
        "status_label": Claim.Status(claim.status).label,
        "verdict": _rating(claim.rating),
        "conclusion": claim.conclusion,
        "reviewer": _person(claim.assignee or claim.proposed_by),
        "approved_by": _person(claim.approved_by),
        "created_at": _iso(claim.created_at),
        "updated_at": _iso(claim.updated_at),
        "published_at": _iso(claim.published_at),
        "sources": [_source(s) for s in claim.sources.all()],
        "corrections": [_correction(c) for c in claim.corrections.all()],
    }
    if internal:
        data["due_date"] = _iso(claim.due_date)
        data["dismissed_reason"] = claim.dismissed_reason
        data["kinds"] = list(claim.kinds or [])
        data["score"] = claim.score
    return data


def report_claims(claims: QuerySet[Claim], *, internal: bool) -> QuerySet[Claim]:
    """The claims a report holds, with everything it shows loaded up front."""
    if not internal:
        claims = claims.filter(status__in=PUBLIC_STATUSES)
    return (
        claims.select_related("article", "rating", "assignee", "proposed_by", "approved_by")
        .prefetch_related(
            "sources",
            Prefetch(
                "corrections",
                queryset=Correction.objects.select_related("previous_rating", "new_rating"),
            ),
        )
        .order_by("article_id", "position", "start", "id")
    )


def _summary(claims: list[dict], ratings: list[dict]) -> dict:
    by_verdict = {r["name"]: 0 for r in ratings}
    by_status: dict[str, int] = {}
    unrated = 0
    for claim in claims:
        by_status[claim["status"]] = by_status.get(claim["status"], 0) + 1
        if claim["verdict"] is None:
            unrated += 1
        else:
            by_verdict[claim["verdict"]["name"]] = by_verdict.get(claim["verdict"]["name"], 0) + 1
    css = {r["name"]: r["css_class"] for r in ratings}
    return {
        "claims": len(claims),
        "with_verdict": len(claims) - unrated,
        "without_verdict": unrated,
        "by_verdict": [
            {"name": name, "count": count, "css_class": css.get(name, "verdict-other")}
            for name, count in by_verdict.items()
        ],
        "by_status": by_status,
    }


def build_report(
    *,
    claims: QuerySet[Claim],
    internal: bool,
    article: Article | None = None,
    filters: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> dict:
    """The report for `claims` (an article's, or a filtered board's).

    Public reports keep only approved, published and corrected claims; `internal`
    keeps every claim and adds workflow fields (due date, dismissal reason...).
    `progress(done, total)` is called as claims are read, for background exports.
    """
    ratings = [
        {**_rating(r), "description": r.description}
        for r in Rating.objects.filter(is_active=True).order_by("position", "name")
    ]
    rows = list(report_claims(claims, internal=internal))
    total = len(rows)
    claim_data, articles, corrections = [], {}, []
    for index, claim in enumerate(rows, start=1):
        item = _claim(claim, internal=internal)
        claim_data.append(item)
        corrections.extend(item["corrections"])
        if claim.article_id not in articles:
            articles[claim.article_id] = _article(claim.article, with_body=False)
        if progress and (index % 250 == 0 or index == total):
            progress(index, total)
    if article is not None:
        articles = {article.pk: _article(article, with_body=True)}
    if progress and not total:
        progress(0, 0)
    corrections.sort(key=lambda c: (c["date"] or "", c["claim_id"]))
    title = f"Fact check: {article.title}" if article is not None else "Fact-check report"
    slug = f"factcheck-article-{article.pk}" if article is not None else "factcheck-board"
    return {
        "schema": SCHEMA,
        "title": title,
        "slug": slug + ("-internal" if internal else ""),
        "generated_at": _iso(timezone.now()),
        "internal": internal,
        "scope": {"kind": "article" if article is not None else "board", "filters": filters or {}},
        "organization": {
            "name": settings.FACTCHECK_ORGANIZATION["name"],
            "url": settings.FACTCHECK_ORGANIZATION["url"],
        },
        "articles": list(articles.values()),
        "summary": _summary(claim_data, ratings),
        "claims": claim_data,
        "corrections": corrections,
        "methodology": {"ratings": ratings},
    }
