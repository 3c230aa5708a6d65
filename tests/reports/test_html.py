"""HTML report: hostile text stays text, every section is there, public vs internal."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from claims.reports import html as html_report
from claims.reports.claimreview import claim_reviews

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def soup_of(report: dict, **kwargs) -> BeautifulSoup:
    return BeautifulSoup(html_report.render(report, **kwargs), "html.parser")


def test_xss_payloads_show_as_text(scenario, public_report):
    page = html_report.render(public_report)
    soup = BeautifulSoup(page, "html.parser")
    # The only script is the JSON-LD one, and no element carries an event handler.
    assert [s.get("type") for s in soup.find_all("script")] == ["application/ld+json"]
    assert soup.find("img") is None
    assert not [tag for tag in soup.find_all(True) if any(a.startswith("on") for a in tag.attrs)]
    assert all(
        a["href"].startswith(("http://", "https://", "#", "/"))
        for a in soup.find_all("a", href=True)
    )
    claim = soup.find(id=f"claim-{scenario.published.pk}")
    assert SCRIPT in claim.h3.get_text() and IMG in claim.h3.get_text()
    assert SCRIPT in claim.find(class_="claim-conclusion").get_text()
    assert SCRIPT in claim.find(class_="claim-sources").get_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_json_ld_script_holds_the_claim_reviews_and_cannot_be_broken_out_of(public_report):
    page = html_report.render(public_report)
    soup = BeautifulSoup(page, "html.parser")
    [script] = soup.find_all("script")
    assert json.loads(script.string) == claim_reviews(public_report)
    body = page.split('type="application/ld+json"', 1)[1].split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in body


def test_sections_summary_chart_text_methodology_corrections(scenario, public_report):
    soup = soup_of(public_report)
    assert soup.find("svg", class_="verdict-chart") is not None
    assert (
        len(soup.select("svg.verdict-chart rect")) == 2
    )  # False, Misleading (approved is not public)
    assert "2 claims checked" in " ".join(soup.find(class_="report-summary").get_text().split())
    marks = soup.select(".article-body a.claim-mark")
    assert {m["href"] for m in marks} == {f"#claim-{c.pk}" for c in scenario.public}
    assert soup.find(class_="article-body").get_text().startswith("Riverton – The city spent")
    methodology = soup.find(class_="report-methodology").get_text()
    assert "Literally accurate but creates a false impression." in methodology
    log = soup.find("table", class_="corrections-log")
    assert (
        "New police data" in log.get_text()
        and "True" in log.get_text()
        and "Misleading" in log.get_text()
    )
    assert SCRIPT in log.get_text()


def test_sources_link_with_noopener_and_archived_copies(scenario, public_report):
    soup = soup_of(public_report)
    links = soup.select(".claim-sources a")
    assert links and all(a["rel"] == ["noopener", "noreferrer"] for a in links)
    assert any(a["href"] == f"https://archive.example/{scenario.published.pk}/a" for a in links)


def test_public_report_leaves_out_open_claims_internal_has_them(
    scenario, public_report, internal_report
):
    public_ids = {a["id"] for a in soup_of(public_report).select("article.report-claim")}
    assert public_ids == {f"claim-{c.pk}" for c in scenario.public}
    internal_ids = {a["id"] for a in soup_of(internal_report).select("article.report-claim")}
    assert internal_ids == {f"claim-{c.pk}" for c in scenario.everything}


def test_the_inlined_stylesheets_cannot_close_their_style_element():
    # Why mark_safe is safe there: our own files, and neither holds "</" (which could
    # end <style> early); a stylesheet that ever does must fail here, not in a report.
    for mode in ("file", "pdf"):
        css = html_report.stylesheet_for(mode)
        assert css and "</" not in css and "<!--" not in css


def test_file_and_pdf_modes_inline_the_stylesheet(public_report):
    for mode in ("file", "pdf"):
        soup = soup_of(public_report, mode=mode)
        assert soup.find("link", rel="stylesheet") is None
        assert "@page" in soup.find("style").string
        # Inlined verbatim (mark_safe): autoescaping would turn the CSS's quotes into &quot;.
        assert soup.find("style").string == html_report.stylesheet_for(mode)
        assert soup.find("form") is None


def test_segments_clip_overlaps_and_skip_spans_outside_the_text():
    article = {"id": 1, "body": "abcdefghij"}
    claims = [
        {"article_id": 1, "start": 2, "end": 6, "anchor": "c1", "verdict": None},
        {"article_id": 1, "start": 4, "end": 8, "anchor": "c2", "verdict": None},
        {"article_id": 1, "start": 5, "end": 50, "anchor": "c3", "verdict": None},
    ]
    segments = html_report.article_segments(article, claims)
    assert "".join(s["text"] for s in segments) == "abcdefghij"
    assert [(s["text"], s.get("anchor")) for s in segments] == [
        ("ab", None),
        ("cdef", "c1"),
        ("gh", "c2"),
        ("ij", None),
    ]


def test_approved_claims_are_internal_only_and_marked_as_not_yet_published(
    scenario, public_report, internal_report
):
    public = soup_of(public_report)
    assert public.find(id=f"claim-{scenario.approved.pk}") is None
    internal = soup_of(internal_report)
    entry = internal.find(id=f"claim-{scenario.approved.pk}")
    assert entry is not None and "Approved, not yet published" in entry.get_text()
