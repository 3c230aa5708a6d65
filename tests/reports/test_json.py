"""JSON: the whole report, versioned, read back and compared to the database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import selectors, services
from claims.models import Claim, Correction, Rating
from claims.reports import render
from claims.reports.data import SCHEMA, build_report

pytestmark = pytest.mark.django_db


def test_schema_is_versioned_and_documented(public_report):
    data = json.loads(render(public_report, "json"))
    assert data["schema"] == SCHEMA == "factcheck-report/1"
    doc = (Path(__file__).resolve().parents[2] / "docs" / "report-schema.md").read_text()
    assert SCHEMA in doc
    for key in data:
        assert f"`{key}`" in doc, f"{key} is not documented"
    for key in data["claims"][0]:
        assert f"`{key}`" in doc, f"claims[].{key} is not documented"


def test_every_claim_source_and_verdict_read_back(scenario, internal_report):
    data = json.loads(render(internal_report, "json"))
    by_id = {c["id"]: c for c in data["claims"]}
    claims = (
        Claim.objects.filter(article=scenario.article)
        .select_related("rating")
        .prefetch_related("sources")
    )
    assert set(by_id) == {c.pk for c in claims}
    for claim in claims:
        item = by_id[claim.pk]
        assert item["text"] == claim.text
        assert item["status"] == claim.status
        assert item["conclusion"] == claim.conclusion
        assert (item["verdict"] or {}).get("name") == (claim.rating.name if claim.rating else None)
        assert (item["verdict"] or {}).get("value") == (
            claim.rating.value if claim.rating else None
        )
        assert [
            (s["url"], s["title"], s["archived_url"], s["stance"]) for s in item["sources"]
        ] == [(s.url, s.title, s.archived_url, s.stance) for s in claim.sources.all()]
    assert data["articles"][0]["body"] == scenario.article.body
    assert data["summary"]["claims"] == claims.count()


def test_corrections_and_methodology(scenario, public_report):
    data = json.loads(render(public_report, "json"))
    correction = Correction.objects.get(claim=scenario.corrected)
    [logged] = data["corrections"]
    assert logged["claim_id"] == scenario.corrected.pk
    assert logged["previous_verdict"]["name"] == correction.previous_rating.name == "True"
    assert logged["new_verdict"]["name"] == "Misleading"
    assert logged["note"] == correction.note
    scale = {r["name"]: r for r in data["methodology"]["ratings"]}
    for rating in Rating.objects.filter(is_active=True):
        assert scale[rating.name]["description"] == rating.description
        assert scale[rating.name]["ordinal"] is rating.is_ordinal


def test_public_json_leaves_out_open_and_dismissed_claims_and_internal_fields(
    scenario, public_report
):
    data = json.loads(render(public_report, "json"))
    assert {c["id"] for c in data["claims"]} == {c.pk for c in scenario.public}
    assert data["internal"] is False
    assert "dismissed_reason" not in data["claims"][0] and "due_date" not in data["claims"][0]


def _queries(article, internal: bool) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build_report(
            claims=selectors.report_article_claims(article=article),
            internal=internal,
            article=article,
        )
    return len(ctx.captured_queries)


def test_query_count_is_constant_in_claim_count(scenario, editor, reviewer, to_review):
    before = _queries(scenario.article, True)
    # Three more claims with sources and a correction each: the count must not move.
    article = scenario.article
    body_claims = []
    for sentence in ["The city spent", "The mayor said", "Unemployment stands"]:
        start = article.body.index(sentence)
        body_claims.append(
            services.claim_add_from_selection(
                actor=editor, article=article, start=start, end=start + 10
            )
        )
    for claim in body_claims:
        to_review(
            editor, reviewer, claim, rating=Rating.objects.get(name="False"), conclusion="Wrong."
        )
    assert Claim.objects.filter(article=article).count() == 9
    assert _queries(article, True) == before
    assert before <= 5
