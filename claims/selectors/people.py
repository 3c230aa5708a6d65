"""People: who can be assigned claims."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from claims.models import REVIEWERS_GROUP


def active_reviewers():
    """Active members of the Reviewers group, by username: the assignment pool."""
    return (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .order_by("username")
        .distinct()
    )
