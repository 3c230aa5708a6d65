"""The fact-check archive: the list and search at /archive/, "Import fact-checks"
for editors, and the actions on a "Checked before" match ("Same claim",
"Reuse verdict") from the article page or the claim panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from claims import jobs, services, workflow
from claims.forms import FactCheckImportForm
from claims.ids import parse_id
from claims.models import Claim
from claims.permissions import is_editor, is_reviewer
from claims.selectors.archive import (
    archive_entries,
    archive_facets,
    archive_filters,
    archive_meaning_results,
)
from claims.views import articles as article_views
from claims.views import claim_panel as panel_views
from claims.views.refusals import forbid_if_not_allowed, status_for

PAGE_SIZE = 25


@require_safe
def archive_list(request: HttpRequest) -> HttpResponse:
    if not (is_editor(request.user) or is_reviewer(request.user)):
        raise PermissionDenied("Only editors and reviewers can see the fact-check archive.")
    filters = archive_filters(request.GET)
    if filters.q and filters.mode == "meaning":
        # At most a hundred entries, best first, each with its score.
        page = Paginator(archive_meaning_results(filters), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        results = list(page.object_list)
    else:
        page = Paginator(archive_entries(filters), PAGE_SIZE).get_page(request.GET.get("page"))
        results = [(entry, None) for entry in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "archive",
        "filters": filters,
        "facets": archive_facets(),
        "page": page,
        "results": results,
        "query": query.urlencode(),
        "can_import": is_editor(request.user),
    }
    template = (
        "claims/archive_list.html#archive-results" if request.htmx else "claims/archive_list.html"
    )
    return render(request, template, context)


@require_http_methods(["GET", "HEAD", "POST"])
def archive_import(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can import fact-checks.")
    form = (
        FactCheckImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else FactCheckImportForm()
    )
    if form.is_bound and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        try:
            job = services.archive_import_job_create(actor=request.user, files=files)
        except services.ServiceError as exc:
            forbid_if_not_allowed(exc)
            form.add_error(None, exc.message)
        else:
            # The immediate backend finishes here; a database backend leaves it to db_worker.
            jobs.enqueue(job)
            url = reverse("claims:job-detail", args=[job.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    template = (
        "claims/archive_import.html#import-form" if request.htmx else "claims/archive_import.html"
    )
    return render(
        request, template, {"nav": "archive", "form": form}, status=422 if form.is_bound else 200
    )


# ---------------------------------------------------------------- acting on a match


def _target(request: HttpRequest) -> dict:
    entry, other = request.POST.get("entry", ""), request.POST.get("other_claim", "")
    message = "That earlier check no longer exists; reload the page."
    return {
        "entry": parse_id(entry, message=message) if entry else None,
        "other_claim": parse_id(other, message=message) if other else None,
    }


def _answer(
    request: HttpRequest, claim: Claim, *, ok: str = "", exc: services.ServiceError | None = None
) -> HttpResponse:
    """Back to where the action was taken: the article page or the claim panel."""
    if exc is not None:
        forbid_if_not_allowed(exc)
    if request.POST.get("back") == "article":
        if exc is not None:
            return article_views._refused(request, claim.article, exc)
        return article_views._done(request, claim.article, ok)
    fresh = panel_views._claim_for(request, claim.pk)
    if exc is not None:
        return panel_views._render(
            request, fresh, status=status_for(exc), errors={"matches": exc.message}
        )
    if request.htmx:
        return panel_views._render(request, fresh, status_message=ok)
    messages.success(request, ok)
    return redirect(fresh)


def _claim_for(request: HttpRequest, pk: int, action: str) -> Claim:
    """The claim, once this person's role allows the action (403 otherwise)."""
    claim = get_object_or_404(Claim.objects.select_related("article"), pk=pk)
    decision = workflow.role_allows(request.user, claim, action)
    if not decision:
        raise PermissionDenied(decision.reason)
    return claim


@require_POST
def claim_same(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk, "link_same")
    try:
        services.claim_link_same(actor=request.user, claim=claim, **_target(request))
    except services.ServiceError as exc:
        return _answer(request, claim, exc=exc)
    return _answer(request, claim, ok="Linked as the same claim; both histories show it.")


@require_POST
def claim_reuse(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for(request, pk, "reuse_verdict")
    try:
        services.claim_reuse_verdict(
            actor=request.user,
            claim=claim,
            expected_version=request.POST.get("version") or None,
            **_target(request),
        )
    except services.ServiceError as exc:
        return _answer(request, claim, exc=exc)
    return _answer(
        request, claim, ok="Verdict reused as a proposal; it still needs an editor's approval."
    )
