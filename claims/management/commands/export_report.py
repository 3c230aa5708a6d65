"""Export an article's fact-check report from the command line.

    python manage.py export_report ARTICLE_ID --format pdf -o report.pdf [--internal]

Without -o, text formats go to standard output; PDF too when it is redirected.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import reports, selectors
from claims.models import Article
from claims.reports.data import build_report


class Command(BaseCommand):
    help = "Export the fact-check report of one article (public claims unless --internal)."

    def add_arguments(self, parser):
        parser.add_argument("article_id", type=int)
        parser.add_argument("--format", choices=list(reports.FORMATS), default="html")
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")
        parser.add_argument(
            "--internal",
            action="store_true",
            help="Include every claim, not only approved and published ones.",
        )

    def handle(
        self, *args, article_id: int, format: str, output: str | None, internal: bool, **options
    ):
        article = Article.objects.filter(pk=article_id).first()
        if article is None:
            raise CommandError(f"There is no article with id {article_id}.")
        report = build_report(
            claims=selectors.report_article_claims(article=article),
            internal=internal,
            article=article,
        )
        data = reports.render(report, format)
        if output:
            Path(output).write_bytes(data)
            self.stderr.write(
                f"Wrote {len(report['claims'])} claims to {output} ({len(data):,} bytes)."
            )
            return
        if format == "pdf":
            if sys.stdout.isatty():
                raise CommandError("PDF is binary: give -o FILE or redirect the output to a file.")
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        self.stdout.write(data.decode("utf-8"), ending="")
