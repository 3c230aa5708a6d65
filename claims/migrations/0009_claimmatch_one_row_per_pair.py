"""One ClaimMatch row per claim and target.

Runs that matched two close claims together stored each direction twice.
Duplicates are removed first (keeping the highest score), then the
constraints are added. Matches are recomputed by every run, so nothing
the editors made is lost."""

from django.db import migrations, models


def drop_duplicate_matches(apps, schema_editor):
    ClaimMatch = apps.get_model("claims", "ClaimMatch")
    seen = set()
    duplicates = []
    rows = ClaimMatch.objects.order_by("-score", "id").values_list(
        "id", "claim_id", "entry_id", "other_claim_id"
    )
    for pk, claim_id, entry_id, other_claim_id in rows.iterator():
        key = (claim_id, entry_id, other_claim_id)
        if key in seen:
            duplicates.append(pk)
        else:
            seen.add(key)
    for start in range(0, len(duplicates), 500):
        ClaimMatch.objects.filter(pk__in=duplicates[start : start + 500]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0008_job_kind_rescore"),
    ]

    operations = [
        migrations.RunPython(drop_duplicate_matches, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="claimmatch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("entry__isnull", False)),
                fields=("claim", "entry"),
                name="claimmatch_one_per_entry",
            ),
        ),
        migrations.AddConstraint(
            model_name="claimmatch",
            constraint=models.UniqueConstraint(
                condition=models.Q(("other_claim__isnull", False)),
                fields=("claim", "other_claim"),
                name="claimmatch_one_per_other_claim",
            ),
        ),
    ]
