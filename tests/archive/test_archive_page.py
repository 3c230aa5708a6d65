"""/archive/: keyword and meaning search, filters, pages, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import ArchiveEntry

pytestmark = pytest.mark.django_db


def add(n: int, start: int = 0, **fields) -> None:
    ArchiveEntry.objects.bulk_create(
        ArchiveEntry(
            claim_text=fields.get("claim_text", f"Claim {i} about road repairs."),
            rating=fields.get("rating", "False"),
            publisher=fields.get("publisher", "Checks Daily"),
            url=f"https://checks.example/{i}",
            published_on=fields.get("published_on", dt.date(2024, 1, 1)),
            language=fields.get("language", "en"),
        )
        for i in range(start, start + n)
    )


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_page_queries_do_not_grow_with_the_archive(client, editor):
    client.force_login(editor)
    add(3)
    few = queries(client, "/archive/?q=road")
    add(60, start=3)
    assert queries(client, "/archive/?q=road") == few
    assert queries(client, "/archive/?q=road&page=2") == few


def test_keyword_search_and_filters(client, editor):
    client.force_login(editor)
    add(
        1,
        claim_text="Vaccines contain microchips.",
        publisher="Health Check",
        language="fr",
        rating="False",
    )
    add(
        1,
        start=1,
        claim_text="The bridge cost 80 million.",
        publisher="Bridge Watch",
        rating="True",
        published_on=dt.date(2020, 5, 1),
    )
    page = client.get("/archive/", {"q": "microchips"}).content.decode()
    assert "Vaccines contain microchips." in page and "The bridge cost" not in page
    page = client.get("/archive/", {"publisher": "Bridge Watch"}).content.decode()
    assert "The bridge cost" in page and "Vaccines contain" not in page
    page = client.get("/archive/", {"language": "fr", "rating": "false"}).content.decode()
    assert "Vaccines contain" in page and "The bridge cost" not in page
    page = client.get("/archive/", {"from": "2021-01-01", "to": "not a date"}).content.decode()
    assert "Vaccines contain" in page and "The bridge cost" not in page
    assert "Fact-check archive" in page


def test_meaning_search_uses_the_engine(client, editor):
    client.force_login(editor)
    add(1, claim_text="Drinking hot water every fifteen minutes kills the coronavirus.")
    add(1, start=1, claim_text="The new bridge over the river cost 80 million euros.")
    services.archive_encode_missing()
    page = client.get(
        "/archive/", {"q": "Will sipping warm water kill the virus?", "mode": "meaning"}
    ).content.decode()
    assert "Drinking hot water" in page and "bridge over the river" not in page
    assert "score" in page
