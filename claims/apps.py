from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_migrate, post_save


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
        # Display names depend on which full names are shared: ask again per request
        # and after any change to a person.
        from django.contrib.auth import get_user_model

        from claims.names import forget_shared_names

        request_started.connect(forget_shared_names, dispatch_uid="claims.names.request")
        user_model = get_user_model()
        post_save.connect(forget_shared_names, sender=user_model, dispatch_uid="claims.names.saved")
        post_delete.connect(
            forget_shared_names, sender=user_model, dispatch_uid="claims.names.deleted"
        )
