"""Discussion on a claim between editor and reviewer, and reading notifications."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput
from claims.models import Claim, Comment, Notification
from claims.services.write import claim_id_of, lock_claim, record_event, touch

COMMENT_MAX_CHARS = 5000


@transaction.atomic
def comment_add(*, actor, claim: Claim | int, body: str) -> Comment:
    locked = lock_claim(claim_id_of(claim))
    workflow.require(actor, locked, "comment")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The comment is empty.")
    if len(body) > COMMENT_MAX_CHARS:
        raise InvalidInput("The comment is too long (5,000 characters at most).")
    comment = Comment.objects.create(claim=locked, author=actor, body=body)
    touch(locked)
    record_event(actor=actor, action="commented", claim=locked, message=body[:200])
    return comment


@transaction.atomic
def notifications_mark_read(*, actor, ids: Sequence[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())
