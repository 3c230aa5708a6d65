"""The app's refusals. Services raise them; `claims.views.refusals.status_for`
turns each kind into one HTTP status for every screen.

Each carries `message`, written for the person who asked, and shown as-is.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A refusal with a message for the user. Nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    """This person may not do this (HTTP 403)."""


class InvalidTransition(ServiceError):
    """The workflow does not allow this step from the claim's status (HTTP 422)."""


class InvalidInput(ServiceError):
    """The input is wrong (HTTP 422)."""


class StaleVersion(ServiceError):
    """The claim changed since the person loaded it; nothing was overwritten (HTTP 409)."""

    def __init__(self, *, claim, seen_version: int, changes: list):
        from claims.names import (
            display_name,  # names reads the user table; errors stays import-free
        )

        who = (
            ", ".join(sorted({display_name(e.actor) for e in changes if e.actor})) or "someone else"
        )
        super().__init__(
            f"This claim was changed by {who} after you opened it "
            f"(you saw version {seen_version}, it is now version {claim.version}). "
            "Nothing was saved; review their changes and try again."
        )
        self.claim = claim
        self.seen_version = seen_version
        self.changes = changes


class Busy(ServiceError):
    """The database could not settle a clash with another change in time (HTTP 409)."""
