"""Who may do what. Small helpers that views and services share."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from claims.errors import NotAllowed
from claims.models import EDITORS_GROUP, REVIEWERS_GROUP


def _group_names(user) -> set[str]:
    # Cached on the user object: one query per request however often it is asked.
    cached = getattr(user, "_factcheck_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._factcheck_groups = cached
    return cached


def is_editor(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or EDITORS_GROUP in _group_names(user)


def is_reviewer(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return REVIEWERS_GROUP in _group_names(user)


def require_editor(user, what: str) -> None:
    """Refuse (NotAllowed) anyone but an editor; `what` completes "Only an editor can …"."""
    if not is_editor(user):
        raise NotAllowed(f"Only an editor can {what}.")
