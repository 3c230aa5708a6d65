"""Re-scoring a long article with the best check-worthiness scorer, in the background.

extract_claims gives a text of more than ENCODER_MAX_SENTENCES sentences the
fast scores at once (the encoder would hold the request for minutes).
article_extract then queues a "re-score" Job (claims.tasks.rescore_article):
the encoder scores every sentence, the article page shows its progress, and
the new scores are written in one transaction, unless the article was
extracted again meanwhile (then the job ends without writing).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from claims.extraction import checkworthy_cut
from claims.models import Article, Claim, Job
from claims.services.write import actor_or_none, record_event


def rescore_job_create(*, actor, article: Article) -> Job:
    """Queue the re-score of ``article``'s current extraction (call inside the
    extraction's transaction: the job starts once it commits)."""
    job = Job.objects.create(
        kind=Job.Kind.RESCORE,
        created_by=actor_or_none(actor),
        total=len(article.candidates),
        params={"article_id": article.pk, "extracted_at": article.extracted_at.isoformat()},
    )

    def start() -> None:
        from claims import jobs  # jobs import tasks, which import services

        jobs.enqueue(job)

    transaction.on_commit(start)
    return job


def rescore_current(job: Job, article: Article) -> bool:
    """Whether ``job`` re-scores the article's extraction as it stands now."""
    return (
        article.extracted_at is not None
        and job.params.get("extracted_at") == article.extracted_at.isoformat()
        and len(article.candidates) == job.total
    )


def rescore_apply(*, job: Job, scores: Sequence[float]) -> Article | None:
    """Write the new scores into the article's candidates and the claims kept
    from them; None (nothing written) if the article was extracted again or
    deleted. Call inside a transaction that holds the job's row."""
    article = Article.objects.select_for_update().filter(pk=job.params.get("article_id")).first()
    if article is None or not rescore_current(job, article) or len(scores) != job.total:
        return None
    cut = checkworthy_cut()
    before = sum(c["checkworthy"] for c in article.candidates)
    new_scores = {}
    for candidate, score in zip(article.candidates, scores, strict=True):
        candidate["score"] = round(float(score), 4)
        candidate["checkworthy"] = bool(score >= cut)
        new_scores[(candidate["start"], candidate["end"])] = candidate["score"]
    article.save(update_fields=["candidates", "updated_at"])
    kept = [
        claim
        for claim in Claim.objects.filter(article=article).only("pk", "start", "end", "score")
        if (claim.start, claim.end) in new_scores
    ]
    for claim in kept:
        claim.score = new_scores[(claim.start, claim.end)]
    Claim.objects.bulk_update(kept, ["score"])
    after = sum(c["checkworthy"] for c in article.candidates)
    record_event(
        actor=None,
        action="claims_rescored",
        article=article,
        message=(
            f"Re-scored {len(scores):,} sentences with the full model: "
            f"{after:,} look check-worthy (the fast scores had {before:,})."
        ),
        before={"checkworthy": before},
        after={"checkworthy": after, "job": job.pk},
    )
    return article
