"""Migration 0009: duplicate matches stored before it are cleaned up, then refused."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from claims import services
from claims.models import ClaimMatch

# Like every transactional test here: serialized_rollback puts back the data
# migrations' rows the flush removes, with their ids, for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("claims", "0008_job_kind_rescore")]
AFTER = [("claims", "0009_claimmatch_one_row_per_pair")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def test_duplicates_are_dropped_keeping_the_best_score(editor, claim):
    other_article = services.article_create(
        actor=editor, title="Tuesday", body="The city spent $4.2 million on roads in 2023."
    )
    [other] = services.claims_keep(
        actor=editor, article=other_article, spans=[(0, len(other_article.body))]
    )
    migrate(BEFORE)
    try:
        for score in (0.8, 0.9, 0.85):
            ClaimMatch.objects.create(claim=claim, other_claim=other, score=score)
        ClaimMatch.objects.create(claim=other, other_claim=claim, score=0.9)
    finally:
        migrate(AFTER)
    rows = sorted(ClaimMatch.objects.values_list("claim_id", "other_claim_id", "score"))
    assert rows == sorted([(claim.pk, other.pk, 0.9), (other.pk, claim.pk, 0.9)])
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimMatch.objects.create(claim=claim, other_claim=other, score=0.5)
