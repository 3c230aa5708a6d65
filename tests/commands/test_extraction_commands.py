"""extract_claims and import_articles on the command line."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import Article, Job

SEED = Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_extract_claims_prints_the_17_sentences_of_the_sample():
    output = run("extract_claims", str(SEED))
    numbered = [
        line
        for line in output.splitlines()
        if re.match(r"\s*\d+\. \[\d+:\d+\] score \d\.\d{3} ", line)
    ]
    assert len(numbered) == 17
    assert "17 sentences" in output
    assert "[" in numbered[0] and "kinds:" in numbered[0]


def test_extract_claims_json_parses_with_exact_offsets():
    body = SEED.read_text(encoding="utf-8")
    data = json.loads(run("extract_claims", str(SEED), "--json"))
    assert len(data) == 17
    for item in data:
        assert body[item["start"] : item["end"]] == item["text"]
        assert (
            0 <= item["score"] <= 1
            and isinstance(item["checkworthy"], bool)
            and isinstance(item["kinds"], list)
        )
    assert not body[data[1]["start"] :].startswith("Washington")  # the dateline is left out


def test_extract_claims_reads_stdin(monkeypatch):
    text = "The city spent $4.2 million in 2023. Crime fell by half."
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    data = json.loads(run("extract_claims", "-", "--json"))
    assert [d["text"] for d in data] == [
        "The city spent $4.2 million in 2023.",
        "Crime fell by half.",
    ]


def test_extract_claims_refuses_empty_missing_and_too_long(monkeypatch, tmp_path, settings):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n "), encoding="utf-8"))
    with pytest.raises(CommandError, match="The text is empty"):
        run("extract_claims", "-")
    with pytest.raises(CommandError, match="no such file"):
        run("extract_claims", str(tmp_path / "missing.txt"))
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 100
    long = tmp_path / "long.txt"
    long.write_text("Word. " * 50)
    with pytest.raises(CommandError, match="(?i)too long|limit"):
        run("extract_claims", str(long))


def test_extract_claims_exit_code_is_non_zero(tmp_path):
    import subprocess

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    proc = subprocess.run(
        [sys.executable, str(manage), "extract_claims", str(empty)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0 and "The text is empty" in proc.stderr


@pytest.mark.django_db
def test_import_articles_files_and_csv_with_progress_and_summary(editor, tmp_path):
    (tmp_path / "a.txt").write_text(
        "Alpha headline\nThe city spent $4.2 million.", encoding="utf-8"
    )
    (tmp_path / "b.html").write_text(
        "<title>Bravo</title><p>Crime fell by half.</p>", encoding="utf-8"
    )
    (tmp_path / "c.csv").write_text(
        "title,text,url\nCharlie,Unemployment is 3.9%.,https://c.example\n", encoding="utf-8"
    )
    bad = tmp_path / "d.pdf"
    bad.write_bytes(b"%PDF")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Imported 3 of 5; 2 failed"):
        call_command(
            "import_articles",
            *(str(tmp_path / n) for n in ["a.txt", "b.html", "c.csv", "d.pdf", "nope.txt"]),
            "--as",
            editor.username,
            stdout=out,
        )
    text = out.getvalue()
    assert "[##############################] 5/5" in text
    assert "ok      a.txt" in text and "ok      c.csv row 2" in text
    assert "FAILED  d.pdf:" in text and "nope.txt: no such file" in text
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Alpha headline",
        "Bravo",
        "Charlie",
    ]
    assert Job.objects.get().state == Job.State.DONE


@pytest.mark.django_db
def test_import_articles_all_good_and_actor_checks(editor, reviewer, tmp_path):
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    output = run(
        "import_articles", str(tmp_path / "a.txt"), "--as", editor.username, "--no-extract"
    )
    assert "Imported 1 of 1; 0 failed." in output
    assert Article.objects.get().candidates == []
    with pytest.raises(CommandError, match="not an editor"):
        run("import_articles", str(tmp_path / "a.txt"), "--as", reviewer.username)
    with pytest.raises(CommandError, match="No active user"):
        run("import_articles", str(tmp_path / "a.txt"), "--as", "ghost")
    with pytest.raises(CommandError, match="Pass --as USERNAME"):
        run("import_articles", str(tmp_path / "a.txt"))
