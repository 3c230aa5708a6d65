"""Links in exports point where the site really is: the request's own address when
exported from a page, the configured FACTCHECK_SITE_URL from the command line and
background jobs; `check --deploy` warns (factcheck.W004) when that is unset."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims import jobs, services
from claims.checks import check_site_url
from claims.models import Job

pytestmark = pytest.mark.django_db

HOST = "desk.newsroom.test"


@pytest.fixture
def served_at_host(settings):
    settings.ALLOWED_HOSTS = [HOST]
    settings.FACTCHECK_SITE_URL = ""
    settings.SECURE_SSL_REDIRECT = False


def export(client, scenario, fmt: str) -> bytes:
    url = reverse("claims:article-report", args=[scenario.article.pk])
    response = client.get(url, {"format": fmt}, HTTP_HOST=HOST, secure=True)
    assert response.status_code == 200
    return response.content


def test_exports_from_a_page_link_to_the_host_that_was_asked(
    client, editor, scenario, served_at_host
):
    client.force_login(editor)
    report = f"https://{HOST}/articles/{scenario.article.pk}/report/"
    rows = list(csv.DictReader(io.StringIO(export(client, scenario, "csv").decode("utf-8-sig"))))
    assert rows and all(row["report_url"].startswith(report + "#claim-") for row in rows)
    data = json.loads(export(client, scenario, "json"))
    assert data["claims"] and all(c["url"].startswith(report + "#claim-") for c in data["claims"])
    assert all(a["report_url"] == report for a in data["articles"])
    reviews = json.loads(export(client, scenario, "claimreview"))
    assert reviews and all(r["url"].startswith(report + "#claim-") for r in reviews)


def test_command_line_exports_use_the_configured_site_url(scenario, settings, tmp_path):
    settings.FACTCHECK_SITE_URL = "https://factcheck.newsroom.test/"
    out = tmp_path / "report.json"
    call_command("export_report", str(scenario.article.pk), "--format", "json", "-o", str(out))
    data = json.loads(out.read_text())
    report = f"https://factcheck.newsroom.test/articles/{scenario.article.pk}/report/"
    assert data["claims"] and all(c["url"].startswith(report + "#claim-") for c in data["claims"])


def test_background_export_links_to_the_host_that_asked(editor, scenario, settings):
    settings.FACTCHECK_SITE_URL = "https://configured.example"
    job = services.export_job_create(
        actor=editor,
        format="claimreview",
        internal=False,
        article=scenario.article,
        site_url=f"https://{HOST}",
    )
    jobs.enqueue(job)
    job = Job.objects.get(pk=job.pk)
    reviews = json.loads(bytes(job.output))
    assert reviews and all(r["url"].startswith(f"https://{HOST}/articles/") for r in reviews)


@pytest.mark.parametrize("value", ["", "factcheck.example", "ftp://factcheck.example"])
def test_deploy_check_warns_when_the_site_url_is_unset_or_not_http(settings, value):
    settings.FACTCHECK_SITE_URL = value
    (warning,) = check_site_url()
    assert warning.id == "factcheck.W004"
    assert "FACTCHECK_SITE_URL" in warning.msg


def test_deploy_check_is_quiet_with_a_site_url(settings):
    settings.FACTCHECK_SITE_URL = "https://factcheck.example"
    assert check_site_url() == []


def test_check_deploy_reports_w004(settings, capsys):
    settings.FACTCHECK_SITE_URL = ""
    # Only this check's tag: the test settings' mail backend is (rightly) a deploy error.
    call_command("check", deploy=True, tags=["factcheck"])
    assert "factcheck.W004" in capsys.readouterr().err
