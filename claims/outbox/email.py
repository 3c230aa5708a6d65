"""Outbox handler for email: sent through Django's MAILERS["default"], whose SMTP
options carry a timeout (settings.py), so a stalled server ends the attempt."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMessage, mailers

KIND = "email"
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (smtplib.SMTPException,)


def payload(*, subject: str, body: str, to: str) -> dict:
    return {"subject": subject, "body": body, "to": to}


def send(payload: dict) -> None:
    message = EmailMessage(subject=payload["subject"], body=payload["body"], to=[payload["to"]])
    if mailers.default.send_messages([message]) != 1:
        raise smtplib.SMTPException("the mail server accepted no message")
