"""Report views: formats and downloads, filters, permissions, background exports."""

from __future__ import annotations

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from claims.models import Event, Job

pytestmark = pytest.mark.django_db


def report_url(scenario, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("claims:article-report", args=[scenario.article.pk]) + (
        f"?{query}" if query else ""
    )


def test_login_required(client, scenario):
    response = client.get(report_url(scenario))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_html_page_with_format_chooser_and_nonce(client, reviewer, scenario):
    client.force_login(reviewer)
    response = client.get(report_url(scenario))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    options = {o["value"] for o in soup.select("select[name=format] option")}
    assert options == {"html", "pdf", "md", "csv", "json", "claimreview"}
    assert (
        soup.find("input", attrs={"name": "internal"}) is None
    )  # reviewers cannot ask for internal
    script = soup.find("script", type="application/ld+json")
    nonce = script["nonce"]
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert soup.find("link", rel="stylesheet")["href"].endswith("css/report.css")


@pytest.mark.parametrize(
    "fmt,ctype,ext",
    [
        ("pdf", "application/pdf", "pdf"),
        ("md", "text/markdown", "md"),
        ("csv", "text/csv", "csv"),
        ("json", "application/json", "json"),
        ("claimreview", "application/ld+json", "jsonld"),
    ],
)
def test_downloads_have_a_filename(client, reviewer, scenario, fmt, ctype, ext):
    client.force_login(reviewer)
    response = client.get(report_url(scenario, format=fmt))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(ctype)
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="factcheck-article-{scenario.article.pk}.{ext}"'
    )


def test_internal_is_for_editors_only(client, editor, reviewer, outsider, scenario):
    for user in (reviewer, outsider):
        client.force_login(user)
        assert client.get(report_url(scenario, format="json", internal=1)).status_code == 403
    client.force_login(editor)
    response = client.get(report_url(scenario, format="json", internal=1))
    data = json.loads(response.content)
    assert {c["id"] for c in data["claims"]} == {c.pk for c in scenario.everything}
    assert response["Content-Disposition"].endswith('-internal.json"')


def test_public_report_for_any_signed_in_user(client, outsider, scenario):
    client.force_login(outsider)
    data = json.loads(client.get(report_url(scenario, format="json")).content)
    assert {c["id"] for c in data["claims"]} == {c.pk for c in scenario.public}


def test_bad_format_is_a_400_not_a_500(client, editor, scenario):
    client.force_login(editor)
    response = client.get(report_url(scenario, format="exe"))
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content


def test_unknown_article_is_404_and_post_is_405(client, editor, scenario):
    client.force_login(editor)
    assert client.get(reverse("claims:article-report", args=[999999])).status_code == 404
    assert client.post(report_url(scenario)).status_code == 405
    assert client.post(reverse("claims:board-export")).status_code == 405


def test_board_export_applies_the_board_filters(client, editor, scenario, mostly_false):
    client.force_login(editor)
    url = reverse("claims:board-export")

    def rows(response):
        return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))

    everything = rows(
        client.get(url, {"format": "csv", "internal": "1", "article": scenario.article.pk})
    )
    assert {int(r["claim_id"]) for r in everything} == {c.pk for c in scenario.everything}
    published = rows(client.get(url, {"format": "csv", "internal": "1", "status": "published"}))
    assert [int(r["claim_id"]) for r in published] == [scenario.published.pk]
    verdict = scenario.published.rating_id
    false_ones = rows(client.get(url, {"format": "csv", "internal": "1", "verdict": verdict}))
    assert {int(r["claim_id"]) for r in false_ones} == {
        scenario.published.pk,
        scenario.in_review.pk,
    }
    public = rows(client.get(url, {"format": "csv", "verdict": verdict}))
    assert [int(r["claim_id"]) for r in public] == [scenario.published.pk]
    searched = rows(client.get(url, {"format": "csv", "q": "mayor"}))
    assert [int(r["claim_id"]) for r in searched] == [scenario.corrected.pk]
    nobody = rows(client.get(url, {"format": "csv", "internal": "1", "assignee": "none"}))
    assert {int(r["claim_id"]) for r in nobody} == {scenario.unassigned.pk, scenario.dismissed.pk}
    # Junk filter values are ignored, as on the board.
    junk = rows(
        client.get(url, {"format": "csv", "article": "abc", "status": "nope", "verdict": "1e9"})
    )
    assert {int(r["claim_id"]) for r in junk} == {c.pk for c in scenario.public}


def test_board_export_html_keeps_the_filters_in_the_chooser(client, editor, scenario):
    client.force_login(editor)
    response = client.get(reverse("claims:board-export"), {"q": "mayor", "status": "corrected"})
    soup = BeautifulSoup(response.content, "html.parser")
    kept = {i["name"]: i["value"] for i in soup.select("form.report-format input[type=hidden]")}
    assert kept == {"q": "mayor", "status": "corrected"}
    assert soup.find(id=f"claim-{scenario.corrected.pk}") is not None


@pytest.fixture
def small_thresholds(settings):
    settings.FACTCHECK_EXPORT_BACKGROUND_CLAIMS = 1
    settings.FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS = 1


def test_large_export_runs_as_a_job_with_a_progress_page(
    client, reviewer, scenario, small_thresholds
):
    client.force_login(reviewer)
    response = client.get(report_url(scenario, format="csv"))
    job = Job.objects.get(kind=Job.Kind.EXPORT)
    assert response.status_code == 302 and response["Location"] == reverse(
        "claims:export-job", args=[job.pk]
    )
    assert Event.objects.filter(action="report_export_queued", article=scenario.article).exists()
    # The immediate backend has already run it.
    assert job.state == Job.State.DONE and job.done == job.total == 3 and job.created_by == reviewer
    page = client.get(response["Location"])
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("progress")["value"] == "100"
    download = soup.find("a", href=f"{response['Location']}?download=1")
    assert download is not None
    file = client.get(download["href"])
    assert (
        file["Content-Disposition"]
        == f'attachment; filename="factcheck-article-{scenario.article.pk}.csv"'
    )
    assert len(list(csv.DictReader(io.StringIO(file.content.decode("utf-8-sig"))))) == 2


def test_pdf_has_a_lower_threshold(client, editor, scenario, settings):
    settings.FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS = 1
    client.force_login(editor)
    assert client.get(report_url(scenario, format="json")).status_code == 200
    assert client.get(report_url(scenario, format="pdf")).status_code == 302


def test_job_page_polls_while_running(client, editor, scenario):
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        created_by=editor,
        total=11,
        done=5,
        state=Job.State.RUNNING,
        params={"format": "pdf"},
    )
    client.force_login(editor)
    url = reverse("claims:export-job", args=[job.pk])
    soup = BeautifulSoup(client.get(url, headers={"HX-Request": "true"}).content, "html.parser")
    progress = soup.find(id="export-progress")
    assert progress["hx-get"] == url and progress["hx-trigger"] == "every 1s"
    assert soup.find("html") is None  # the partial only
    assert "5 of 10" in progress.get_text()
    assert client.get(url + "?download=1").status_code == 302  # not ready yet


def test_job_is_for_its_creator_or_an_editor(client, editor, reviewer, reviewer2, scenario):
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        created_by=reviewer,
        total=1,
        done=1,
        state=Job.State.DONE,
        params={"format": "csv"},
        output=b"x",
        output_name="r.csv",
        output_content_type="text/csv",
    )
    url = reverse("claims:export-job", args=[job.pk])
    for user, status in ((reviewer, 200), (editor, 200), (reviewer2, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(reviewer2)
    assert client.get(url + "?download=1").status_code == 403
    imports = Job.objects.create(kind=Job.Kind.IMPORT, created_by=reviewer)
    client.force_login(editor)
    assert client.get(reverse("claims:export-job", args=[imports.pk])).status_code == 404


def test_internal_job_is_for_editors_only(client, editor, reviewer, scenario):
    job = Job.objects.create(
        kind=Job.Kind.EXPORT, created_by=reviewer, params={"format": "csv", "internal": True}
    )
    client.force_login(reviewer)
    assert client.get(reverse("claims:export-job", args=[job.pk])).status_code == 403
