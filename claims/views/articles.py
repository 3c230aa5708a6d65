"""Articles: list, new article, bulk import, the article page with extraction
triage, and the claim edits made there (keep, add, edit, split, merge, dismiss).

Every write answers htmx with the article's `#workspace` partial and a plain
POST with a redirect back to the article (PRG); refusals re-render the page
with the message inline and nothing lost.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from claims import jobs, selectors, services, workflow
from claims.forms import (
    ArticleForm,
    ArticleImportForm,
    ClaimAddForm,
    ClaimDismissForm,
    ClaimEditForm,
    ClaimSplitForm,
)
from claims.ids import id_or_none, parse_ids, parse_span
from claims.models import Article, Claim, Job
from claims.names import display_name
from claims.permissions import is_editor, is_reviewer
from claims.selectors.archive import checked_before
from claims.text import shorten
from claims.views.fast_html import progress_bar_html
from claims.views.matches import attach_match_actions
from claims.views.refusals import forbid_if_not_allowed, status_for

# ---------------------------------------------------------------- access helpers


def _require_viewer(request: HttpRequest) -> None:
    if not (is_editor(request.user) or is_reviewer(request.user)):
        raise PermissionDenied("Only editors and reviewers can see articles.")


def _require_editor(request: HttpRequest) -> None:
    if not is_editor(request.user):
        raise PermissionDenied("Only editors can change articles and their claims.")


def _claim_for_edit(request: HttpRequest, pk: int) -> Claim:
    _require_editor(request)
    return get_object_or_404(Claim.objects.select_related("article"), pk=pk)


# ---------------------------------------------------------------- rendering the article page


def _article_context(request: HttpRequest, article: Article, **extra) -> dict:
    claims = selectors.article_claims(article)
    boxes = checked_before(claims)
    for claim in claims:
        claim.original = article.body[claim.start : claim.end]
        claim.kind_labels = selectors.kind_labels(claim.kinds)
        attach_match_actions(request.user, claim, boxes[claim.pk])
        claim.show_verdict = workflow.can_see_verdict(request.user, claim)
    context = {
        "nav": "articles",
        "article": article,
        "claims": [c for c in claims if c.status != Claim.Status.DISMISSED],
        "dismissed": [
            c
            for c in claims
            if c.status == Claim.Status.DISMISSED and not selectors.is_merged_away(c)
        ],
        "merged": [c for c in claims if selectors.is_merged_away(c)],
        "segments": selectors.article_segments(article, claims),
        "triage": selectors.triage_rows(article, claims),
        "progress": selectors.article_progress(claims, viewer=request.user),
        "score_legend": list(enumerate(selectors.SCORE_BIN_LABELS)),
        "can_edit": is_editor(request.user),
        # Only editors see triage, so only they need the re-score query.
        "rescore": _rescore_context(selectors.article_rescore_job(article), polled=False)
        if is_editor(request.user)
        else None,
        "add_form": ClaimAddForm(),
        "in_htmx": bool(request.htmx),
    }
    context.update(extra)
    if context["can_edit"]:
        context.update(_assign_context(request, claims, kept_ids=context.get("kept_ids")))
    return context


def _assign_context(request: HttpRequest, claims, *, kept_ids=None) -> dict:
    """The "assign them here" form: the claims just kept (from the keep answer, or
    ?kept= after its redirect), else every unassigned claim of the article."""
    if kept_ids is None:
        kept_ids = [
            i
            for i in (id_or_none(v) for v in request.GET.get("kept", "").split(","))
            if i is not None
        ]
    unassigned = [c for c in claims if c.status == Claim.Status.UNASSIGNED]
    just_kept = [c for c in unassigned if c.pk in set(kept_ids)]
    return {
        "assign_targets": just_kept or unassigned,
        "assign_just_kept": bool(just_kept),
        "reviewers": [(u.pk, display_name(u)) for u in selectors.board_assignable_users()]
        if unassigned
        else [],
    }


def _render_article(
    request: HttpRequest, article: Article, *, status: int = 200, **extra
) -> HttpResponse:
    context = _article_context(request, article, **extra)
    if request.htmx:
        response = render(request, "claims/article_detail.html#workspace", context, status=status)
        # Inline forms (edit, split) post from inside the workspace: answer with all of it.
        return reswap(retarget(response, "#workspace"), "outerHTML")
    return render(request, "claims/article_detail.html", context, status=status)


def _done(request: HttpRequest, article: Article, message: str) -> HttpResponse:
    """After a successful write: the refreshed workspace (htmx) or PRG."""
    if request.htmx:
        return _render_article(request, article, notice=message)
    messages.success(request, message)
    return redirect(article)


def _refused(
    request: HttpRequest, article: Article, exc: services.ServiceError, **extra
) -> HttpResponse:
    forbid_if_not_allowed(exc)
    return _render_article(request, article, status=status_for(exc), error=exc.message, **extra)


# ---------------------------------------------------------------- list, create, import


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    """Open articles (or closed ones with ?closed=1), searched and sorted; every
    choice stays in the URL, pager links included."""
    _require_viewer(request)
    q = request.GET.get("q", "").strip()[:200]
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.ARTICLE_SORTS else selectors.DEFAULT_ARTICLE_SORT
    closed = request.GET.get("closed") == "1"
    articles = selectors.articles_for_list(q=q, sort=sort, closed=closed)
    page = Paginator(articles, 50).get_page(request.GET.get("page"))
    rows = [
        (a, progress_bar_html(selectors.article_row_bar(a), label="Claims by status"))
        for a in selectors.with_status_counts(page.object_list)
    ]
    kept = {
        key: value
        for key, value in (("q", q), ("sort", sort), ("closed", "1" if closed else ""))
        if value
    }
    if kept.get("sort") == selectors.DEFAULT_ARTICLE_SORT:
        del kept["sort"]
    context = {
        "nav": "articles",
        "page": page,
        "rows": rows,
        "can_edit": is_editor(request.user),
        "q": q,
        "sort": sort,
        "sorts": [(value, label) for value, (label, _) in selectors.ARTICLE_SORTS.items()],
        "closed": closed,
        "query": urlencode(kept),
    }
    return render(request, "claims/article_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ArticleForm(request.POST, request.FILES) if request.method == "POST" else ArticleForm()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            article = services.article_create(
                actor=request.user,
                title=data["title"],
                body=data["body"],
                outlet=data["outlet"],
                author=data["author"],
                url=data["url"],
                published_on=data["published_on"],
            )
        except services.ServiceError as exc:
            forbid_if_not_allowed(exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Added “{article.title}”. Next: extract its claims.")
            if request.htmx:
                return HttpResponseClientRedirect(article.get_absolute_url())
            return redirect(article)
    template = (
        "claims/article_form.html#article-form" if request.htmx else "claims/article_form.html"
    )
    status = 422 if form.is_bound else 200
    return render(request, template, {"nav": "articles", "form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def article_import(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = (
        ArticleImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else ArticleImportForm()
    )
    if form.is_bound and form.is_valid():
        files = [(f.name, f.read()) for f in form.cleaned_data["files"]]
        job = services.import_job_create(
            actor=request.user, files=files, extract=form.cleaned_data["extract"]
        )
        # The immediate backend finishes here; a database backend leaves it to db_worker.
        jobs.enqueue(job)
        if request.htmx:
            return HttpResponseClientRedirect(_job_url(job))
        return redirect("claims:job-detail", pk=job.pk)
    template = (
        "claims/article_import.html#import-form" if request.htmx else "claims/article_import.html"
    )
    status = 422 if form.is_bound else 200
    return render(request, template, {"nav": "articles", "form": form}, status=status)


def _job_url(job: Job) -> str:
    return reverse("claims:job-detail", args=[job.pk])


@require_safe
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    if not selectors.job_can_view(user=request.user, job=job):
        raise Http404("No such job.")
    running = job.state in {Job.State.QUEUED, Job.State.RUNNING}
    ok = [r for r in job.results if r.get("ok")]
    context = {
        "nav": "archive" if job.kind == Job.Kind.ARCHIVE_IMPORT else "articles",
        "job": job,
        "running": running,
        "ok_count": len(ok),
        "failed_count": len(job.results) - len(ok),
    }
    template = "claims/job_detail.html#job-status" if request.htmx else "claims/job_detail.html"
    return render(request, template, context)


# ---------------------------------------------------------------- the article page and triage


@require_safe
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_viewer(request)
    article = get_object_or_404(Article, pk=pk)
    return _render_article(request, article)


def _rescore_context(job: Job | None, *, polled: bool) -> dict | None:
    """What the article page says about a background re-score. A finished one is
    news only to a page that watched it run (``polled``); a fresh page already
    shows the new scores."""
    if job is None:
        return None
    running = job.state in {Job.State.QUEUED, Job.State.RUNNING}
    if job.state == Job.State.DONE and not (polled and not job.error):
        return None
    return {"job": job, "running": running}


@require_safe
def article_rescore_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The re-score progress line, polled by the article page while it runs."""
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    rescore = _rescore_context(selectors.article_rescore_job(article), polled=True)
    context = {"article": article, "rescore": rescore, "can_edit": True}
    return render(request, "claims/article_detail.html#rescore-status", context)


@require_POST
def article_extract(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    try:
        article = services.article_extract(actor=request.user, article=article)
    except services.ServiceError as exc:
        return _refused(request, article, exc)
    checkworthy = sum(c["checkworthy"] for c in article.candidates)
    return _done(
        request,
        article,
        f"Found {len(article.candidates)} sentences; {checkworthy} look check-worthy and are pre-selected.",
    )


def _parse_spans(values: list[str]) -> list[tuple[int, int]]:
    message = "One of the selected sentences is not valid; reload the page and try again."
    return [parse_span(value, message=message) for value in values]


@require_POST
def claims_keep(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    try:
        spans = _parse_spans(request.POST.getlist("span"))
        if not spans:
            raise services.InvalidInput("Select at least one sentence to keep.")
        created = services.claims_keep(actor=request.user, article=article, spans=spans)
    except services.ServiceError as exc:
        return _refused(request, article, exc)
    dismissed = selectors.dismissed_by_span(selectors.article_claims(article))
    refused = len({span for span in spans if span in dismissed})
    skipped = len(set(spans)) - len(created) - refused
    message = f"Kept {len(created)} claim{'s' if len(created) != 1 else ''}."
    if skipped:
        message += f" {skipped} already kept."
    if refused:
        message += f" {refused} dismissed, left out: use “Restore” to bring one back."
    kept_ids = [c.pk for c in created]
    if request.htmx:
        return _render_article(request, article, notice=message, kept_ids=kept_ids)
    messages.success(request, message)
    if not kept_ids:
        return redirect(article)
    return redirect(
        f"{article.get_absolute_url()}?{urlencode({'kept': ','.join(map(str, kept_ids))})}#assign-heading"
    )


@require_POST
def article_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign the kept claims from the article page: to the chosen reviewer, or
    spread by open load ("Auto-assign")."""
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    ids = request.POST.getlist("claim")
    try:
        claim_ids = parse_ids(ids, message="Some of these claims no longer exist; reload the page.")
        if not claim_ids:
            raise services.InvalidInput("There are no claims to assign.")
        if Claim.objects.filter(pk__in=claim_ids).exclude(article=article).exists():
            raise services.InvalidInput("Only claims of this article can be assigned here.")
        if request.POST.get("mode") == "auto":
            done = services.claims_auto_assign(actor=request.user, claim_ids=claim_ids)
            people = Counter(display_name(c.assignee) for c in done)
            message = f"Auto-assigned {len(done)} claim{'s' if len(done) != 1 else ''}" + (
                ": " + ", ".join(f"{name} ({n})" for name, n in sorted(people.items())) + "."
                if done
                else "."
            )
        else:
            done = services.claims_assign(
                actor=request.user, claim_ids=claim_ids, assignee=request.POST.get("reviewer")
            )
            message = f"Assigned {len(done)} claim{'s' if len(done) != 1 else ''} to {display_name(done[0].assignee)}."
    except services.ServiceError as exc:
        return _refused(
            request, article, exc, kept_ids=[i for i in map(id_or_none, ids) if i is not None]
        )
    return _done(request, article, message)


@require_POST
def claim_restore(request: HttpRequest, pk: int) -> HttpResponse:
    """Bring a dismissed claim back from the article page: the only way back."""
    claim = _claim_for_edit(request, pk)
    try:
        services.claim_restore(
            actor=request.user,
            claim=claim,
            expected_version=id_or_none(request.POST.get("version")),
        )
    except services.ServiceError as exc:
        return _refused(request, claim.article, exc)
    return _done(request, claim.article, f"Restored: “{shorten(claim.text, 80)}”.")


@require_POST
def article_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _article_open_or_close(
        request, pk, services.article_close, "Closed: it has left the lists and the board."
    )


@require_POST
def article_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _article_open_or_close(
        request, pk, services.article_reopen, "Reopened: it is back in the lists and the board."
    )


def _article_open_or_close(request: HttpRequest, pk: int, change, message: str) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    try:
        article = change(actor=request.user, article=article)
    except services.ServiceError as exc:
        return _refused(request, article, exc)
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(article.get_absolute_url())
    return redirect(article)


@require_POST
def claim_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    form = ClaimAddForm(request.POST)
    if not form.is_valid():
        return _render_article(
            request,
            article,
            status=422,
            add_form=form,
            error="The claim was not added: see the form below.",
        )
    data = form.cleaned_data
    if data["start"] is not None and data["end"] is not None:
        span = (data["start"], data["end"])
    else:
        span = selectors.find_unclaimed_text(
            article=article, text=data["text"], claims=selectors.article_claims(article)
        )
        if span is None:
            form.add_error(
                "text",
                "That text is not in the article, or every place it appears is already a claim.",
            )
            return _render_article(
                request,
                article,
                status=422,
                add_form=form,
                error="The claim was not added: see the form below.",
            )
    try:
        claim = services.claim_add_from_selection(
            actor=request.user, article=article, start=span[0], end=span[1]
        )
    except services.ServiceError as exc:
        return _refused(request, article, exc, add_form=form)
    return _done(request, article, f"Added a claim: “{shorten(claim.text, 80)}”.")


@require_POST
def claims_merge(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    ids = request.POST.getlist("claim")
    try:
        merged = services.claims_merge(actor=request.user, claim_ids=ids, article=article)
    except services.ServiceError as exc:
        return _refused(request, article, exc)
    return _done(
        request, article, f"Merged {len(ids)} claims into one: “{shorten(merged.text, 80)}”."
    )


@require_POST
def claim_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_edit(request, pk)
    form = ClaimDismissForm(request.POST)
    if not form.is_valid():
        return _render_article(
            request,
            claim.article,
            status=422,
            error="Say why this is not checkable: a reason is required.",
        )
    try:
        services.claim_dismiss(
            actor=request.user,
            claim=claim,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except services.ServiceError as exc:
        return _refused(request, claim.article, exc)
    return _done(request, claim.article, f"Dismissed: “{shorten(claim.text, 80)}”.")


# ---------------------------------------------------------------- per-claim forms: edit wording, split


def _claim_form_page(
    request: HttpRequest, claim: Claim, form, *, template: str, status: int = 200, error: str = ""
) -> HttpResponse:
    context = {
        "nav": "articles",
        "claim": claim,
        "article": claim.article,
        "sentence": claim.article.body[claim.start : claim.end],
        "pieces": selectors.claim_split_pieces(claim)
        if template.endswith("claim_split.html")
        else [],
        "form": form,
        "error": error,
    }
    name = template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", "-")
    if request.htmx:
        return render(request, f"{template}#{name}", context, status=status)
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_edit(request, pk)
    template = "claims/claim_edit.html"
    if request.method in ("GET", "HEAD"):
        form = ClaimEditForm(initial={"text": claim.text, "version": claim.version})
        return _claim_form_page(request, claim, form, template=template)
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return _claim_form_page(request, claim, form, template=template, status=422)
    try:
        services.claim_edit_text(
            actor=request.user,
            claim=claim,
            text=form.cleaned_data["text"],
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleVersion as exc:
        fresh = ClaimEditForm(
            initial={"text": form.cleaned_data["text"], "version": exc.claim.version}
        )
        return _claim_form_page(
            request,
            exc.claim,
            fresh,
            template=template,
            status=status_for(exc),
            error=exc.message
            + f" Its wording is now: “{exc.claim.text}”. Save again to replace it with yours.",
        )
    except services.ServiceError as exc:
        forbid_if_not_allowed(exc)
        return _claim_form_page(
            request, claim, form, template=template, status=status_for(exc), error=exc.message
        )
    return _done(
        request,
        claim.article,
        "Saved the claim's wording; it still points at the original sentence.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def claim_split(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_for_edit(request, pk)
    template = "claims/claim_split.html"
    if request.method in ("GET", "HEAD"):
        form = ClaimSplitForm(claim=claim, initial={"version": claim.version})
        return _claim_form_page(request, claim, form, template=template)
    form = ClaimSplitForm(request.POST, claim=claim)
    if not form.is_valid():
        return _claim_form_page(request, claim, form, template=template, status=422)
    try:
        first, second = services.claim_split(
            actor=request.user,
            claim=claim,
            at=form.cleaned_data["at"],
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleVersion as exc:
        fresh = ClaimSplitForm(claim=exc.claim, initial={"version": exc.claim.version})
        return _claim_form_page(
            request, exc.claim, fresh, template=template, status=status_for(exc), error=exc.message
        )
    except services.ServiceError as exc:
        forbid_if_not_allowed(exc)
        return _claim_form_page(
            request, claim, form, template=template, status=status_for(exc), error=exc.message
        )
    return _done(
        request,
        claim.article,
        f"Split into “{shorten(first.text, 60)}” and “{shorten(second.text, 60)}”.",
    )
