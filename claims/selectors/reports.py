"""The claims a report covers, and who may see an export job."""

from __future__ import annotations

from claims import workflow
from claims.models import Claim
from claims.permissions import is_editor


def report_article_claims(*, article):
    return Claim.objects.filter(article=article, merged_into__isnull=True)


def report_claim_count(claims, *, internal: bool) -> int:
    return claims.count() if internal else claims.filter(status__in=workflow.PUBLIC).count()


def report_job_can_view(*, user, job) -> bool:
    """An export's page and file: its creator or an editor; internal ones editors only."""
    if job.params.get("internal") and not is_editor(user):
        return False
    return is_editor(user) or job.created_by_id == user.pk
