from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_defaults(sender, using: str = "default", **kwargs) -> None:
    from django.contrib.auth.models import Group
    from django.db import connections

    from claims.defaults import ensure_defaults
    from claims.models import Rating

    tables = connections[using].introspection.table_names()
    if Rating._meta.db_table in tables and Group._meta.db_table in tables:
        ensure_defaults(Group, Rating)


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"
    verbose_name = "Fact checks"

    def ready(self) -> None:
        from claims import checks  # noqa: F401 - registers the deployment checks

        # A flush (transactional tests) empties the data migration's rows; put them back.
        post_migrate.connect(_restore_defaults, sender=self)
