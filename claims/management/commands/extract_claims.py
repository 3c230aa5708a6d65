"""python manage.py extract_claims PATH [--json]: the sentences of an article,
ranked for check-worthiness, with their exact character offsets."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims import importing


class Command(BaseCommand):
    help = (
        "Split an article into sentences and score each for check-worthiness. "
        "PATH is a .txt, .md, .html or .docx file, or - to read standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="article file, or - for standard input")
        parser.add_argument("--json", action="store_true", help="print a JSON list of candidates")

    def handle(self, *args, path: str, json: bool = False, **options):
        from claims.extraction import ExtractionError, extract_claims

        text = read_article(path)
        if not text.strip():
            raise CommandError("The text is empty: there is nothing to extract claims from.")
        try:
            candidates = extract_claims(text, max_chars=settings.FACTCHECK_MAX_ARTICLE_CHARS)
        except ExtractionError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_json_dumps([c.to_dict() for c in candidates]))
            return
        for c in candidates:
            mark = "check-worthy" if c.checkworthy else "-"
            kinds = ", ".join(c.kinds) or "-"
            self.stdout.write(
                f"{c.position + 1:>3}. [{c.start}:{c.end}] score {c.score:.3f}  {mark}  kinds: {kinds}"
            )
            self.stdout.write(f"     {c.text}")
        worthy = sum(c.checkworthy for c in candidates)
        self.stdout.write(
            self.style.SUCCESS(f"{len(candidates)} sentences, {worthy} check-worthy.")
        )


def _json_dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def read_article(path: str) -> str:
    """Standard input, or a file converted like an upload (plain text for any
    other extension)."""
    if path == "-":
        data = (
            sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        )
        name = "standard input"
    else:
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        data, name = file.read_bytes(), file.name
    try:
        if Path(name).suffix.lower() in importing.ARTICLE_EXTENSIONS:
            return importing.read_upload(name, data).text
        return importing.normalize_text(importing.decode_text(data, name)) if data else ""
    except importing.ImportFailed as exc:
        if not data:
            return ""
        raise CommandError(exc.message) from exc
