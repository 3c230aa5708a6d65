"""Markdown: every section, user text escaped so it renders as text."""

from __future__ import annotations

import markdown as md_lib
import pytest
from bs4 import BeautifulSoup

from claims.reports import markdown, render

pytestmark = pytest.mark.django_db


def test_markdown_sections_and_claims(scenario, public_report):
    text = render(public_report, "md").decode()
    assert text.startswith("# Fact check: Riverton budget story")
    for heading in ("## Summary", "## Claims", "## Corrections", "## Methodology"):
        assert heading in text
    assert "- **Verdict:** Misleading" in text
    assert "(<https://archive.example/" in text
    assert scenario.in_review.conclusion.replace(".", "\\.") not in text


def test_payload_renders_as_text_not_html(scenario, public_report):
    rendered = md_lib.markdown(render(public_report, "md").decode())
    soup = BeautifulSoup(rendered, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert "<script>alert(1)</script>" in soup.get_text()
    assert all(a["href"].startswith("https://") for a in soup.find_all("a"))


def test_links_only_for_http_urls():
    assert markdown.link("x", "javascript:alert(1)") == "x"
    assert markdown.link("a]b", "https://e.example/a b)") == "[a\\]b](<https://e.example/a%20b%29>)"
