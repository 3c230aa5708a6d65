"""`manage.py export_all FILE`: the whole database as one versioned JSON file (FILE.gz: gzipped)."""

from django.core.management.base import BaseCommand, CommandError

from claims.backup import BackupError, export_all


class Command(BaseCommand):
    help = "Write every article, claim, source, verdict, comment, event, user and role to FILE (JSON; .gz compresses)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backup.json.gz")

    def handle(self, *args, file: str, **options):
        try:
            counts = export_all(file)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for label, n in counts.items():
            self.stdout.write(f"{label:24} {n:>8}")
        self.stdout.write(self.style.SUCCESS(f"Wrote {sum(counts.values())} rows to {file}."))
