"""`{% error_static %}`: a static URL that never fails, for the error pages.

Without `collectstatic` the manifest storage raises on every `{% static %}`, so a
500 page that used it would itself fail. The error pages fall back to the plain,
unhashed URL instead: unstyled at worst, but they render and say what happened.
"""

from urllib.parse import quote, urljoin

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()


@register.simple_tag
def error_static(path: str) -> str:
    try:
        return static(path)
    except ValueError:  # "Missing staticfiles manifest entry" (or no manifest at all)
        return urljoin(settings.STATIC_URL, quote(path))
