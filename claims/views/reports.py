"""Report exports: an article's report, a filtered board's, and the background
job page for exports too large to build during the request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from claims import jobs, reports, selectors, services
from claims.forms import ReportOptionsForm
from claims.models import Article, Job
from claims.permissions import is_editor
from claims.reports import html as html_report
from claims.reports.data import build_report, request_site_url
from claims.selectors import BOARD_FILTER_KEYS, board_filters_from


def _options(request: HttpRequest) -> tuple[ReportOptionsForm, dict | None]:
    form = ReportOptionsForm(request.GET)
    if not form.is_valid():
        return form, None
    if form.cleaned_data["internal"] and not is_editor(request.user):
        raise PermissionDenied("Only editors can export the internal report.")
    return form, form.cleaned_data


def _bad_options(request: HttpRequest, form: ReportOptionsForm, back_url: str) -> HttpResponse:
    return render(
        request, "claims/report/options.html", {"form": form, "back_url": back_url}, status=400
    )


def _download(report: dict, name: str) -> HttpResponse:
    response = HttpResponse(
        reports.render(report, name), content_type=reports.FORMATS[name].content_type
    )
    response["Content-Disposition"] = content_disposition_header(
        True, reports.filename(report, name)
    )
    return response


def _export(
    request: HttpRequest,
    *,
    claims,
    options: dict,
    article: Article | None = None,
    filters: dict | None = None,
    back_url: str,
    keep_params: list[tuple[str, str]] = (),
) -> HttpResponse:
    name, internal = options["format"], options["internal"]
    count = selectors.report_claim_count(claims, internal=internal)
    if reports.needs_background(name, count):
        job = services.export_job_create(
            actor=request.user,
            format=name,
            internal=internal,
            article=article,
            filters=filters,
            claim_count=count,
            site_url=request_site_url(request),
        )
        jobs.enqueue(job)
        return redirect("claims:export-job", pk=job.pk)
    report = build_report(
        claims=claims,
        internal=internal,
        article=article,
        filters=filters,
        site=request_site_url(request),
    )
    if name != "html":
        return _download(report, name)
    extra = {
        "back_url": back_url,
        "keep_params": keep_params,
        "can_internal": is_editor(request.user),
    }
    return HttpResponse(html_report.render(report, request=request, extra=extra))


@require_safe
def article_report(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form, options = _options(request)
    if options is None:
        return _bad_options(request, form, article.get_absolute_url())
    return _export(
        request,
        claims=selectors.report_article_claims(article=article),
        options=options,
        article=article,
        back_url=article.get_absolute_url(),
    )


@require_safe
def board_export(request: HttpRequest) -> HttpResponse:
    board_url = reverse("claims:board")
    form, options = _options(request)
    if options is None:
        return _bad_options(request, form, board_url)
    filters = board_filters_from(request.GET, viewer=request.user)
    keep = [(key, request.GET[key]) for key in BOARD_FILTER_KEYS if request.GET.get(key)]
    return _export(
        request,
        claims=selectors.board_claims(filters=filters),
        options=options,
        filters=filters.chosen(),
        back_url=board_url,
        keep_params=keep,
    )


def _job_for(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk, kind=Job.Kind.EXPORT)
    if not selectors.report_job_can_view(user=request.user, job=job):
        raise PermissionDenied(
            "Only the person who asked for this export, or an editor, can see it."
        )
    return job


@require_safe
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if request.GET.get("download"):
        if job.state != Job.State.DONE or job.output is None:
            return redirect("claims:export-job", pk=job.pk)
        response = HttpResponse(bytes(job.output), content_type=job.output_content_type)
        response["Content-Disposition"] = content_disposition_header(True, job.output_name)
        return response
    context = {"job": job, "format": reports.FORMATS.get(job.params.get("format", ""))}
    if request.htmx:
        return render(request, "claims/report/export_job.html#progress", context)
    return render(request, "claims/report/export_job.html", context)
