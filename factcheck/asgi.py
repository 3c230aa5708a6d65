"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
application = get_asgi_application()

from claims.startup import check_ready_to_serve  # noqa: E402 - needs the apps loaded

# Refuse to start rather than answer every page with a 500 (e.g. no collectstatic).
check_ready_to_serve()
