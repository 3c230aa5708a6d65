"""`manage.py import_all FILE`: restore a backup made by export_all, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from claims.backup import BackupError, import_all


class Command(BaseCommand):
    help = (
        "Load a backup written by export_all into this (migrated, empty) database in one "
        "transaction. Refuses a database that already holds data unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A backup written by export_all (.json or .json.gz)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete everything already in the database (and all sessions) before loading.",
        )

    def handle(self, *args, file: str, replace: bool, **options):
        try:
            counts = import_all(file, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for label, n in counts.items():
            self.stdout.write(f"{label:24} {n:>8}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {sum(counts.values())} rows from {file}."))
