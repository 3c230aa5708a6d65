"""How people are named on screens, in messages, history and reports: by their full
name, else their username; and when two people share a full name, each is shown
with their username after it ("Ravi Reviewer (ravi2)") so they can be told apart.

Knowing which names are shared takes one query. It is remembered for the rest of
the request (cleared when a request starts and whenever a user is saved or
deleted) and, outside requests, for at most SHARED_NAMES_TTL seconds.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection
from contextvars import ContextVar

SHARED_NAMES_TTL = 30.0

_shared: ContextVar[tuple[float, frozenset[str]] | None] = ContextVar(
    "shared_full_names", default=None
)


def full_name(first: str | None, last: str | None) -> str:
    """The full name as Django's User.get_full_name() builds it."""
    return f"{first or ''} {last or ''}".strip()


def shared_full_names() -> frozenset[str]:
    """Full names that more than one account holds."""
    cached = _shared.get()
    if cached is not None and time.monotonic() - cached[0] < SHARED_NAMES_TTL:
        return cached[1]
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    rows = (
        get_user_model()
        .objects.exclude(first_name="", last_name="")
        .order_by()
        .values_list("first_name", "last_name")
        .annotate(n=Count("id"))
    )
    held: Counter[str] = Counter()
    for first, last, n in rows:
        held[full_name(first, last)] += n
    names = frozenset(name for name, n in held.items() if name and n > 1)
    _shared.set((time.monotonic(), names))
    return names


def forget_shared_names(**kwargs) -> None:
    """Signal receiver: the next name asks the database again."""
    _shared.set(None)


def name_of(
    *,
    first: str | None,
    last: str | None,
    username: str | None,
    shared: Collection[str] | None = None,
) -> str:
    """A person from plain fields (report rows); see display_name."""
    if username is None:
        return ""
    name = full_name(first, last)
    if not name:
        return username
    if name in (shared_full_names() if shared is None else shared):
        return f"{name} ({username})"
    return name


def display_name(user) -> str:
    """A person as people read them: full name, with the username when shared."""
    if user is None:
        return ""
    return name_of(first=user.first_name, last=user.last_name, username=user.get_username())
