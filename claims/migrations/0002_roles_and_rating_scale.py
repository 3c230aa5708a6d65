"""Creates the Editors and Reviewers groups and the default verdict scale."""

from django.db import migrations

DEFAULT_RATINGS = [
    # (name, value, position, description)
    ("True", 5, 1, "The claim is accurate and nothing significant is missing."),
    ("Mostly true", 4, 2, "Accurate but needs clarification or additional information."),
    ("Half true", 3, 3, "Partially accurate but leaves out important details or takes things out of context."),
    ("Mostly false", 2, 4, "Contains an element of truth but ignores facts that would give a different impression."),
    ("False", 1, 5, "The claim is not accurate."),
    ("Misleading", None, 6, "Literally accurate but creates a false impression."),
    ("Missing context", None, 7, "Leaves out context needed to understand it."),
    ("Unverifiable", None, 8, "The available evidence can neither confirm nor refute it."),
]

GROUPS = ["Editors", "Reviewers"]


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
