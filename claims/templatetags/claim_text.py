"""`{{ text|shorten:140 }}`: like truncatechars, but cut at a word boundary."""

from django import template

from claims.text import shorten as shorten_text

register = template.Library()


@register.filter(is_safe=False)
def shorten(value, limit) -> str:
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        return value
    return shorten_text(value, limit)
