"""PDF: made by WeasyPrint from the HTML, read back with pypdf; no remote fetches."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from claims.reports import render
from claims.reports.pdf import LocalOnlyFetcher, render_html

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def public_pdf(public_report) -> bytes:
    return render(public_report, "pdf")


def test_pdf_holds_the_claims_and_verdicts(scenario, public_pdf):
    assert public_pdf.startswith(b"%PDF-")
    text = flat(pdf_text(public_pdf))
    for claim in scenario.public:
        assert flat(claim.text) in text
        assert flat(claim.rating.name) in text
    # The article text shows every sentence, but open claims' verdict work is left out.
    assert flat(scenario.in_review.conclusion) not in text


def test_xss_payload_is_printed_as_text(public_pdf):
    text = flat(pdf_text(public_pdf))
    assert flat("<script>alert(1)</script>") in text
    assert flat('"><img src=x onerror=alert(1)>') in text
    assert flat("javascript:alert(1)") in text


def test_pages_are_numbered(public_pdf):
    reader = pypdf.PdfReader(io.BytesIO(public_pdf))
    pages = len(reader.pages)
    assert f"Page 1 of {pages}" in reader.pages[0].extract_text()


def test_remote_urls_are_never_fetched():
    fetcher = LocalOnlyFetcher()
    for url in [
        "http://127.0.0.1:9/x.css",
        "https://example.com/a.png",
        "file:///etc/passwd",
        "ftp://x/y",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"


def test_render_ignores_remote_images_and_stylesheets(tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    html = (
        '<html><head><link rel="stylesheet" href="http://127.0.0.1:9/evil.css">'
        f'<link rel="stylesheet" href="file://{secret}"></head>'
        '<body><p>Hello</p><img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    assert "Hello" in pdf_text(render_html(html))


def test_pdf_keeps_the_articles_paragraph_breaks(editor):
    from claims import services
    from claims.models import Claim
    from claims.reports.data import build_report

    body = (
        "Riverton council met on Monday.\nThe mayor spoke first.\n\n"
        "Unemployment stands at 3.9%, the lowest in a decade.\nResidents cheered."
    )
    article = services.article_create(actor=editor, title="Council", body=body)
    start = body.index("Unemployment")
    end = body.index("decade.") + len("decade.")
    Claim.objects.create(article=article, text=body[start:end], start=start, end=end)
    report = build_report(
        claims=Claim.objects.filter(article=article), internal=True, article=article
    )
    lines = [line.strip() for line in pdf_text(render(report, "pdf")).splitlines()]
    section = lines[lines.index("The article, with the claims checked") + 1 :][:4]
    assert section == [
        "Riverton council met on Monday.",
        "The mayor spoke first.",
        "Unemployment stands at 3.9%, the lowest in a decade.",
        "Residents cheered.",
    ]
