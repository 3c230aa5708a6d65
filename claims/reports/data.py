"""The report as plain data: one read of the database, shaped for every exporter.

The structure is versioned (SCHEMA) and documented in docs/report-schema.md; the
JSON export is this structure as-is, so a change to its shape bumps the version.
A report costs a fixed number of queries however many claims it holds: the
rating scale, the claims with their people, rating and article in one query,
then one query each for their sources and corrections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Article, Claim, Correction, Rating, Source
from claims.names import name_of
from claims.selectors.archive import same_claim_links

SCHEMA = "factcheck-report/1"


Progress = Callable[[int, int], None]


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _person(first: str | None, last: str | None, username: str | None) -> str | None:
    if username is None:
        return None
    return name_of(first=first, last=last, username=username)


def _rating(name: str | None, value: int | None) -> dict | None:
    if name is None:
        return None
    return {
        "name": name,
        "value": value,
        "ordinal": value is not None,
        "css_class": "verdict-other" if value is None else f"verdict-{value}",
    }


# Where `runserver` answers: links from the command line on a developer's machine
# when FACTCHECK_SITE_URL is unset (`check --deploy` warns about that in production).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def configured_site_url() -> str:
    """The site's address for links built outside a request (commands, background jobs)."""
    return (settings.FACTCHECK_SITE_URL or DEVELOPMENT_SITE_URL).rstrip("/")


def request_site_url(request) -> str:
    """The site's address as this request reached it (scheme and host)."""
    return request.build_absolute_uri("/").rstrip("/")


def site_url(path: str, *, site: str | None = None) -> str:
    return (site or configured_site_url()).rstrip("/") + path


def article_report_url(article_id: int, *, site: str | None = None) -> str:
    return site_url(reverse("claims:article-report", args=[article_id]), site=site)


def _article(row: dict, *, body: str | None = None, site: str | None = None) -> dict:
    data = {
        "id": row["id"],
        "title": row["title"],
        "outlet": row["outlet"],
        "author": row["author"],
        "url": row["url"],
        "published_on": _iso(row["published_on"]),
        "report_url": article_report_url(row["id"], site=site),
    }
    if body is not None:
        data["body"] = body
    return data


_PEOPLE = ("assignee", "proposed_by", "approved_by")
# Plain rows rather than model instances: a 500-claim report reads in milliseconds.
CLAIM_FIELDS = (
    "id",
    "article_id",
    "article__title",
    "article__outlet",
    "article__author",
    "article__url",
    "article__published_on",
    "position",
    "text",
    "start",
    "end",
    "status",
    "rating__name",
    "rating__value",
    "conclusion",
    "created_at",
    "updated_at",
    "published_at",
    "due_date",
    "dismissed_reason",
    "kinds",
    "score",
    *(f"{who}__{f}" for who in _PEOPLE for f in ("username", "first_name", "last_name")),
)
SOURCE_FIELDS = (
    "claim_id",
    "url",
    "title",
    "publisher",
    "accessed_on",
    "archived_url",
    "excerpt",
    "stance",
)
CORRECTION_FIELDS = (
    "claim_id",
    "previous_rating__name",
    "previous_rating__value",
    "new_rating__name",
    "new_rating__value",
    "previous_conclusion",
    "new_conclusion",
    "note",
    "created_at",
)


def _source(row: dict) -> dict:
    return {
        "url": row["url"],
        "title": row["title"],
        "publisher": row["publisher"],
        "accessed_on": _iso(row["accessed_on"]),
        "archived_url": row["archived_url"],
        "excerpt": row["excerpt"],
        "stance": row["stance"],
    }


def _correction(row: dict) -> dict:
    return {
        "claim_id": row["claim_id"],
        "previous_verdict": _rating(row["previous_rating__name"], row["previous_rating__value"]),
        "new_verdict": _rating(row["new_rating__name"], row["new_rating__value"]),
        "previous_conclusion": row["previous_conclusion"],
        "new_conclusion": row["new_conclusion"],
        "note": row["note"],
        "date": _iso(row["created_at"]),
    }


def _who(row: dict, who: str) -> str | None:
    return _person(row[f"{who}__first_name"], row[f"{who}__last_name"], row[f"{who}__username"])


# Approved work is not public yet: the internal report says so in words.
_STATUS_LABELS = {
    **dict(Claim.Status.choices),
    Claim.Status.APPROVED: "Approved, not yet published",
}


def _claim(row: dict, *, report_url: str, sources: list, corrections: list, internal: bool) -> dict:
    anchor = f"claim-{row['id']}"
    data = {
        "id": row["id"],
        "anchor": anchor,
        "url": f"{report_url}#{anchor}",
        "article_id": row["article_id"],
        "article_title": row["article__title"],
        "position": row["position"],
        "text": row["text"],
        "start": row["start"],
        "end": row["end"],
        "status": row["status"],
        "status_label": _STATUS_LABELS.get(row["status"], row["status"]),
        "verdict": _rating(row["rating__name"], row["rating__value"]),
        "conclusion": row["conclusion"],
        "reviewer": _who(row, "assignee") or _who(row, "proposed_by"),
        "approved_by": _who(row, "approved_by"),
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "published_at": _iso(row["published_at"]),
        "sources": sources,
        "corrections": corrections,
    }
    if internal:
        data["due_date"] = _iso(row["due_date"])
        data["dismissed_reason"] = row["dismissed_reason"]
        data["kinds"] = list(row["kinds"] or [])
        data["score"] = row["score"]
    return data


def report_claims(claims: QuerySet[Claim], *, internal: bool) -> QuerySet[Claim]:
    """The claims a report holds, in reading order. Merged-away claims are in the
    claim they went into, so no report counts them as checked or dismissed."""
    claims = claims.filter(merged_into__isnull=True)
    if not internal:
        claims = claims.filter(status__in=workflow.PUBLIC)
    return claims.order_by("article_id", "position", "start", "id")


def _grouped(rows, make) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row["claim_id"], []).append(make(row))
    return grouped


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
    site: str | None = None,
) -> dict:
    """The report for `claims` (an article's, or a filtered board's).

    Public reports keep only approved, published and corrected claims; `internal`
    keeps every claim and adds workflow fields (due date, dismissal reason...).
    `progress(done, total)` is called as claims are read, for background exports.
    `site` is the address links start with: the request's (request_site_url) when
    there is one, else the configured FACTCHECK_SITE_URL.
    """
    ratings = [
        {**_rating(r.name, r.value), "description": r.description}
        for r in Rating.objects.filter(is_active=True).order_by("position", "name")
    ]
    selected = report_claims(claims, internal=internal)
    ids = selected.order_by().values("pk")
    rows = list(selected.values(*CLAIM_FIELDS))
    sources = _grouped(
        Source.objects.filter(claim_id__in=ids).order_by("created_at", "id").values(*SOURCE_FIELDS),
        _source,
    )
    corrections_by_claim = _grouped(
        Correction.objects.filter(claim_id__in=ids)
        .order_by("created_at", "id")
        .values(*CORRECTION_FIELDS),
        _correction,
    )
    # "Same claim" links an editor made (claims.services.matching.claim_link_same).
    same_claim = same_claim_links([row["id"] for row in rows]) if internal else {}
    total = len(rows)
    claim_data, articles, urls, corrections = [], {}, {}, []
    for index, row in enumerate(rows, start=1):
        article_id = row["article_id"]
        if article_id not in articles:
            articles[article_id] = _article(
                {
                    k.removeprefix("article__"): v
                    for k, v in row.items()
                    if k.startswith("article__")
                }
                | {"id": article_id},
                site=site,
            )
            urls[article_id] = articles[article_id]["report_url"]
        item = _claim(
            row,
            report_url=urls[article_id],
            sources=sources.get(row["id"], []),
            corrections=corrections_by_claim.get(row["id"], []),
            internal=internal,
        )
        if internal:
            item["same_claim"] = same_claim.get(row["id"], [])
        claim_data.append(item)
        corrections.extend(item["corrections"])
        if progress and (index % 250 == 0 or index == total):
            progress(index, total)
    if article is not None:
        articles = {
            article.pk: _article(
                {
                    f: getattr(article, f)
                    for f in ("id", "title", "outlet", "author", "url", "published_on")
                },
                body=article.body,
                site=site,
            )
        }
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
