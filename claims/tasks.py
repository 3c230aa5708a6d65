"""Background work with Django's tasks framework (immediate backend by default;
django-tasks-db's DatabaseBackend and `manage.py db_worker` in production)."""

from __future__ import annotations

# ---------------------------------------------------------------- bulk import

# ---------------------------------------------------------------- report export
