"""Creates the Editors and Reviewers groups and the default verdict scale."""

from django.db import migrations

from claims.defaults import DEFAULT_RATINGS, GROUPS


def create_roles_and_scale(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Rating = apps.get_model("claims", "Rating")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    for name, value, position, description in DEFAULT_RATINGS:
        Rating.objects.get_or_create(
            name=name, defaults={"value": value, "position": position, "description": description}
        )


def remove_roles_and_scale(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()
    apps.get_model("claims", "Rating").objects.filter(
        name__in=[r[0] for r in DEFAULT_RATINGS], claims__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("claims", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles_and_scale, remove_roles_and_scale)]
