"""Telling people about changes: an entry in their "My claims" list, and an email
through the outbox (written in the caller's transaction, sent by a background task
after it commits, so a slow or absent mail server never holds a request)."""

from __future__ import annotations

from claims import outbox
from claims.models import Claim, Notification
from claims.outbox import email
from claims.reports.data import site_url
from claims.text import shorten


def notify(*, recipient, claim: Claim, message: str) -> None:
    if recipient is None or not recipient.is_active:
        return
    Notification.objects.create(recipient=recipient, claim=claim, message=shorten(message, 300))
    if recipient.email:
        link = site_url(claim.get_absolute_url())
        outbox.add(
            kind=email.KIND,
            payload=email.payload(
                subject=f"[Fact check] {shorten(message, 120)}",
                body=f"{message}\n\nClaim: {shorten(claim.text, 300)}\n{link}\n",
                to=recipient.email,
            ),
        )
