"""CSV: one row per claim, read back with the csv module and compared to the database."""

from __future__ import annotations

import csv
import io

import pytest

from claims.models import Claim
from claims.reports import csv as csv_report
from claims.reports import render

pytestmark = pytest.mark.django_db


def read(report: dict) -> list[dict]:
    data = render(report, "csv")
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_claim_source_and_verdict_is_in_the_internal_csv(scenario, internal_report):
    rows = {int(r["claim_id"]): r for r in read(internal_report)}
    claims = (
        Claim.objects.filter(article=scenario.article)
        .select_related("rating", "assignee")
        .prefetch_related("sources")
    )
    assert set(rows) == {c.pk for c in claims}
    for claim in claims:
        row = rows[claim.pk]
        assert row["text"] == csv_report.safe_cell(claim.text)
        assert row["status"] == claim.status
        assert row["verdict"] == (claim.rating.name if claim.rating else "")
        assert row["verdict_value"] == (
            str(claim.rating.value) if claim.rating and claim.rating.value else ""
        )
        assert row["conclusion"] == csv_report.safe_cell(claim.conclusion)
        assert row["reviewer"] == (claim.assignee.get_username() if claim.assignee else "")
        assert [u for u in row["source_urls"].split("\n") if u] == [
            s.url for s in claim.sources.all()
        ]
        assert int(row["source_count"]) == claim.sources.count()
        for source in claim.sources.all():
            assert source.title in row["sources"]
            if source.archived_url:
                assert source.archived_url in row["sources"]
        assert row["created_at"][:10] == claim.created_at.date().isoformat()


def test_public_csv_holds_only_published_and_corrected_claims(scenario, public_report):
    ids = {int(r["claim_id"]) for r in read(public_report)}
    assert ids == {c.pk for c in scenario.public}


def test_correction_note_is_in_the_row(scenario, public_report):
    row = next(r for r in read(public_report) if int(r["claim_id"]) == scenario.corrected.pk)
    assert "New police data" in row["corrections"]
    assert row["verdict"] == "Misleading" and row["verdict_value"] == ""


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)"])
def test_formula_like_cells_are_neutralised(value):
    assert csv_report.safe_cell(value) == "'" + value
    assert csv_report.safe_cell("Plain text") == "Plain text"
