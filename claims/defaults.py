"""The roles and the default verdict scale every installation starts with.

Used by the data migration and by a post_migrate hook that puts them back when a
database is flushed (as transactional tests do), so the app never runs without them.
"""

from __future__ import annotations

GROUPS = ["Editors", "Reviewers"]

# (name, value, position, description); value None: not on the ordinal scale.
DEFAULT_RATINGS = [
    ("True", 5, 1, "The claim is accurate and nothing significant is missing."),
    ("Mostly true", 4, 2, "Accurate but needs clarification or additional information."),
    (
        "Half true",
        3,
        3,
        "Partially accurate but leaves out important details or takes things out of context.",
    ),
    (
        "Mostly false",
        2,
        4,
        "Contains an element of truth but ignores facts that would give a different impression.",
    ),
    ("False", 1, 5, "The claim is not accurate."),
    ("Misleading", None, 6, "Literally accurate but creates a false impression."),
    ("Missing context", None, 7, "Leaves out context needed to understand it."),
    ("Unverifiable", None, 8, "The available evidence can neither confirm nor refute it."),
]


def ensure_defaults(group_model, rating_model) -> None:
    """Create missing role groups; load the default scale only into an empty scale."""
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)
    if not rating_model.objects.exists():
        for name, value, position, description in DEFAULT_RATINGS:
            rating_model.objects.create(
                name=name, value=value, position=position, description=description
            )
