"""`{{ user|person }}`: a person's display name (see claims.names)."""

from django import template

from claims.names import display_name

register = template.Library()


@register.filter
def person(user, default: str = "") -> str:
    """The person's display name; `default` when there is nobody."""
    return display_name(user) if user else default
