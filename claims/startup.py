"""Checks the web server runs once, when it loads the app (factcheck.wsgi/asgi).

Management commands do not run them: `collectstatic` itself must start without
a manifest, and `migrate` runs before it in a deployment.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ImproperlyConfigured


def missing_static_manifest() -> str | None:
    """Why the static files are not ready to serve, or None when they are."""
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return None
    manifest = staticfiles_storage.manifest_name
    if staticfiles_storage.manifest_storage.exists(manifest):
        return None
    return (
        f"The static files manifest {settings.STATIC_ROOT / manifest} is missing, so every "
        "page would fail with a server error. Run `python manage.py collectstatic --no-input` "
        "(with the same DJANGO_STATIC_ROOT) before starting the server."
    )


def check_ready_to_serve() -> None:
    problem = missing_static_manifest()
    if problem:
        raise ImproperlyConfigured(problem)
