"""A merge is a link from each merged-away claim to the claim it went into, not a
dismissal: counts, progress bars and reports leave merged-away claims out."""

from __future__ import annotations

import pytest

from claims import selectors, services
from claims.models import Claim
from claims.reports.data import build_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(article, editor):
    article = services.article_extract(actor=editor, article=article)
    spans = [(c["start"], c["end"]) for c in article.candidates]
    assert len(spans) >= 4
    return services.claims_keep(actor=editor, article=article, spans=spans)


def test_merge_links_the_merged_away_claims(kept, editor):
    first, second = kept[0], kept[1]
    merged = services.claims_merge(actor=editor, claim_ids=[first.pk, second.pk])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.merged_into == merged and second.merged_into == merged
    assert first.dismissed_reason == "" and first.status == Claim.Status.DISMISSED
    assert first.events.filter(
        action="claim_merged_away", message=f"Merged into claim #{merged.pk}."
    ).exists()


def test_counts_leave_merged_away_claims_out(kept, editor):
    article = kept[0].article
    services.claims_merge(actor=editor, claim_ids=[kept[0].pk, kept[1].pk])
    services.claim_dismiss(actor=editor, claim=kept[2], reason="Opinion")
    live = len(kept) - 2 + 1 - 1

    progress = selectors.article_progress(selectors.article_claims(article), viewer=editor)
    assert progress["live"] == live
    assert {p.key: p.count for p in progress["status"]} == {"unassigned": live, "dismissed": 1}
    assert progress["total"] == live + 1

    row = selectors.with_status_counts(selectors.articles_for_list().filter(pk=article.pk))[0]
    assert (row.n_unassigned, row.n_dismissed) == (live, 1)

    report = build_report(
        claims=Claim.objects.filter(article=article), internal=True, article=article
    )
    assert report["summary"]["claims"] == live + 1
    assert report["summary"]["by_status"] == {"unassigned": live, "dismissed": 1}


def test_a_merged_away_claim_is_not_restored(kept, editor):
    services.claims_merge(actor=editor, claim_ids=[kept[0].pk, kept[1].pk])
    with pytest.raises(services.InvalidInput, match="merged into claim #"):
        services.claim_restore(actor=editor, claim=kept[0])
