"""manage.py export_report ARTICLE_ID --format ... [-o FILE] [--internal]."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("export_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_to_stdout_public_and_internal(scenario):
    public = json.loads(run(str(scenario.article.pk), "--format", "json"))
    assert {c["id"] for c in public["claims"]} == {c.pk for c in scenario.public}
    internal = json.loads(run(str(scenario.article.pk), "--format", "json", "--internal"))
    assert {c["id"] for c in internal["claims"]} == {c.pk for c in scenario.everything}


@pytest.mark.parametrize(
    "fmt,check",
    [
        ("html", lambda b: b.startswith(b"<!doctype html>")),
        ("md", lambda b: b.startswith(b"# Fact check")),
        ("csv", lambda b: len(list(csv.reader(io.StringIO(b.decode("utf-8-sig"))))) == 3),
        ("claimreview", lambda b: len(json.loads(b)) == 2),
        ("pdf", lambda b: b.startswith(b"%PDF-")),
    ],
)
def test_every_format_to_a_file(scenario, tmp_path, fmt, check):
    target = tmp_path / f"report.{fmt}"
    run(str(scenario.article.pk), "--format", fmt, "-o", str(target))
    assert check(target.read_bytes())


def test_unknown_article_and_format_are_refused(scenario):
    with pytest.raises(CommandError, match="no article with id 999999"):
        run("999999", "--format", "json")
    with pytest.raises(CommandError):
        run(str(scenario.article.pk), "--format", "docx")
