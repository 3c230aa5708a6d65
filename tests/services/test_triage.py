"""Triage decisions stick: a dismissed sentence is never revived by a later keep
or a re-extraction; only an explicit restore brings it back."""

from __future__ import annotations

import pytest

from claims import selectors, services
from claims.models import Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def extracted(article, editor):
    return services.article_extract(actor=editor, article=article)


def spans_of(article):
    return [(c["start"], c["end"]) for c in article.candidates]


def test_keep_skips_a_dismissed_sentence(extracted, editor):
    spans = spans_of(extracted)
    first, *_ = services.claims_keep(actor=editor, article=extracted, spans=spans[:2])
    services.claim_dismiss(actor=editor, claim=first, reason="Opinion")

    created = services.claims_keep(actor=editor, article=extracted, spans=spans)

    first.refresh_from_db()
    assert first.status == Claim.Status.DISMISSED
    assert (first.start, first.end) not in {(c.start, c.end) for c in created}
    assert (
        not Claim.objects.filter(article=extracted, start=first.start, end=first.end)
        .exclude(pk=first.pk)
        .exists()
    )


def test_only_restore_brings_a_dismissal_back(extracted, editor):
    span = spans_of(extracted)[0]
    (claim,) = services.claims_keep(actor=editor, article=extracted, spans=[span])
    services.claim_dismiss(actor=editor, claim=claim, reason="Opinion")
    services.article_extract(actor=editor, article=extracted)
    assert services.claims_keep(actor=editor, article=extracted, spans=[span]) == []
    services.claim_restore(actor=editor, claim=claim)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.UNASSIGNED


def test_rows_are_preselected_only_before_the_first_decision(extracted, editor):
    worthy = [c for c in extracted.candidates if c["checkworthy"]]
    assert len(worthy) >= 2
    rows = selectors.triage_rows(extracted, selectors.article_claims(extracted))
    assert [r.preselected for r in rows] == [c["checkworthy"] for c in extracted.candidates]

    keep = worthy[0]
    services.claims_keep(actor=editor, article=extracted, spans=[(keep["start"], keep["end"])])
    extracted = services.article_extract(actor=editor, article=extracted)
    rows = selectors.triage_rows(extracted, selectors.article_claims(extracted))
    assert not any(r.preselected for r in rows)
    assert [r.kept for r in rows].count(True) == 1


def test_dismissed_row_is_marked_and_not_ticked(extracted, editor):
    span = spans_of(extracted)[0]
    (claim,) = services.claims_keep(actor=editor, article=extracted, spans=[span])
    services.claim_dismiss(actor=editor, claim=claim, reason="Opinion")
    row = selectors.triage_rows(extracted, selectors.article_claims(extracted))[0]
    assert row.dismissed == claim and not row.kept and not row.preselected
