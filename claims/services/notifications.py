"""Telling people about changes: an entry in their "My claims" list, and an email
sent once the change has committed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from claims.models import Claim, Notification
from claims.text import shorten

logger = logging.getLogger(__name__)


def notify(*, recipient, claim: Claim, message: str) -> None:
    if recipient is None or not recipient.is_active:
        return
    Notification.objects.create(recipient=recipient, claim=claim, message=shorten(message, 300))
    if recipient.email:
        link = settings.FACTCHECK_SITE_URL.rstrip("/") + claim.get_absolute_url()
        transaction.on_commit(
            lambda: send_email(
                subject=f"[Fact check] {shorten(message, 120)}",
                body=f"{message}\n\nClaim: {shorten(claim.text, 300)}\n{link}\n",
                to=recipient.email,
            )
        )


def send_email(*, subject: str, body: str, to: str) -> None:
    # A mail server hiccup must not undo or hide the change already committed.
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
    except Exception:
        logger.exception("Could not send the notification email to %s", to)
