from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import demo


class Command(BaseCommand):
    help = (
        "Load DEMO-ONLY data: users editor and reviewer1..reviewer3 (password 'factcheck'), "
        "the sample article and optional synthetic articles. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=0, help="Synthetic articles to create.")
        parser.add_argument(
            "--claims-per-article", type=int, default=12, help="Claims in each synthetic article."
        )
        parser.add_argument(
            "--force", action="store_true", help="Allow demo users even when DEBUG is off."
        )

    def handle(self, *args, articles: int, claims_per_article: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo users with the well-known password while DEBUG is off. "
                "Demo data is for development only; pass --force if you really mean it."
            )
        if articles < 0 or claims_per_article < 1:
            raise CommandError("--articles must be 0 or more and --claims-per-article 1 or more.")
        people = demo.ensure_users()
        sample = demo.ensure_sample_article(people["editor"])
        result = demo.seed_synthetic(
            editor=people["editor"],
            reviewers=[people["reviewer1"], people["reviewer2"], people["reviewer3"]],
            articles=articles,
            claims_per_article=claims_per_article,
        )
        self.stdout.write(self.style.SUCCESS(f"Sample article: #{sample.pk} “{sample.title}”."))
        if articles:
            self.stdout.write(
                f"Synthetic: {result.articles} new articles, {result.claims} new claims."
            )
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY logins (password 'factcheck'): editor, reviewer1, reviewer2, reviewer3"
            )
        )
