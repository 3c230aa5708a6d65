"""The claim panel: one claim with its article context, workflow steps, verdict,
sources, comments and history. Full page at /claims/<pk>/, a partial for htmx."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from claims import services, workflow
from claims.forms import AssignForm, CommentForm, DueDateForm, SourceForm, StepForm, VerdictForm
from claims.models import Claim, Source
from claims.names import display_name
from claims.selectors import (
    claim_article_window,
    claim_can_view,
    claim_for_panel,
    claim_history,
    claim_panel_steps,
    claim_send_back,
    claim_submit_checklist,
)
from claims.selectors.archive import checked_before
from claims.views.board import claim_move_tools
from claims.views.matches import attach_match_actions
from claims.views.refusals import forbid_if_not_allowed, status_for

TEMPLATE = "claims/claim_detail.html"


@dataclass(frozen=True)
class Step:
    """A workflow step the panel offers as a button or small form."""

    permission: str  # the workflow action it asks for
    service: object
    fields: tuple[str, ...]  # the form fields the service takes
    success: str
    area: str = "step"  # where its errors show (its own form, or the step buttons)


# URL slug -> step.
STEPS = {
    "start-research": Step(
        "start_research", services.claim_start_research, (), "Research started."
    ),
    "submit": Step("submit", services.claim_submit, (), "Submitted for review."),
    "approve": Step("approve", services.claim_approve, (), "Verdict approved."),
    "send-back": Step(
        "send_back",
        services.claim_send_back,
        ("reason",),
        "Sent back to the reviewer.",
        "send_back",
    ),
    "publish": Step("publish", services.claim_publish, (), "Published."),
    "correct": Step(
        "correct",
        services.claim_correct,
        ("note", "rating", "conclusion"),
        "Correction published.",
        "correct",
    ),
    "dismiss": Step(
        "dismiss", services.claim_dismiss, ("reason",), "Dismissed as not checkable.", "dismiss"
    ),
    "restore": Step("restore", services.claim_restore, (), "Restored."),
    "unassign": Step("unassign", services.claim_unassign, (), "Unassigned."),
}


# ---------------------------------------------------------------- access and rendering


def _claim_for(request: HttpRequest, pk: int) -> Claim:
    """The claim, if this user may see it: 404 when missing, 403 when not theirs."""
    claim = claim_for_panel(pk=pk)
    if claim is None:
        raise Http404("No such claim.")
    if not claim_can_view(user=request.user, claim=claim):
        raise PermissionDenied("Only editors and the assigned reviewer can open this claim.")
    return claim


def _allow(request: HttpRequest, claim: Claim, action: str) -> None:
    """Refuse steps of another role before reading the form, so a wrong role never
    gets a form back (403 with no data); status rules stay with the services."""
    decision = workflow.role_allows(request.user, claim, action)
    if not decision:
        raise PermissionDenied(decision.reason)


def _default_forms(claim: Claim) -> dict:
    version = {"version": claim.version}
    return {
        "verdict": VerdictForm(
            initial={**version, "rating": claim.rating_id, "conclusion": claim.conclusion},
            auto_id="verdict-%s",
        ),
        "source": SourceForm(auto_id="source-%s"),
        "comment": CommentForm(auto_id="comment-%s"),
        "assign": AssignForm(
            initial={**version, "assignee": claim.assignee_id}, auto_id="assign-%s"
        ),
        "due": DueDateForm(initial={**version, "due_date": claim.due_date}, auto_id="due-%s"),
        "send_back": StepForm(initial=version, auto_id="send-back-%s"),
        "dismiss": StepForm(initial=version, auto_id="dismiss-%s"),
        "correct": StepForm(
            initial={**version, "rating": claim.rating_id, "conclusion": claim.conclusion},
            auto_id="correct-%s",
        ),
        "step": StepForm(initial=version, auto_id="step-%s"),
        "source_edit": None,
    }


def _context(
    request: HttpRequest,
    claim: Claim,
    *,
    forms: dict | None = None,
    errors: dict | None = None,
    conflict: services.StaleVersion | None = None,
    status_message: str = "",
    editing_source: Source | None = None,
) -> dict:
    all_forms = _default_forms(claim)
    all_forms.update(forms or {})
    if editing_source is not None and all_forms["source_edit"] is None:
        all_forms["source_edit"] = SourceForm(
            initial={f: getattr(editing_source, f) for f in SourceForm.base_fields},
            auto_id="source-edit-%s",
        )
    attach_match_actions(request.user, claim, checked_before([claim])[claim.pk])
    steps = claim_panel_steps(user=request.user, claim=claim)
    checklist = None
    if "submit" in steps:
        blockers = services.submit_blockers(claim, source_count=len(claim.sources.all()))
        checklist = claim_submit_checklist(
            claim, min_sources=settings.FACTCHECK_MIN_SOURCES, blockers=blockers
        )
    return {
        "claim": claim,
        "window": claim_article_window(body=claim.article.body, start=claim.start, end=claim.end),
        "steps": steps,
        "checklist": checklist,
        "send_back": claim_send_back(claim),
        "history": claim_history(claim.events.all()),
        "forms": all_forms,
        "errors": errors or {},
        "conflict": conflict,
        "conflict_rows": claim_history(conflict.changes) if conflict else [],
        "status_message": status_message,
        "editing_source": editing_source,
        "kind_labels": [Claim.Kind(k).label for k in claim.kinds if k in Claim.Kind.values],
        "nav": "board",
    }


def _render(
    request: HttpRequest, claim: Claim, *, status: int = 200, move_error: str = "", **kwargs
) -> HttpResponse:
    if request.htmx:
        return render(
            request, f"{TEMPLATE}#panel", _context(request, claim, **kwargs), status=status
        )
    # The full page also holds the board card's Move/Assign forms (the way to move a
    # card without JavaScript: the card's link leads here).
    context = {
        **_context(request, claim, **kwargs),
        "move_tools": claim_move_tools(request, claim),
        "move_error": move_error,
    }
    return render(request, TEMPLATE, context, status=status)


def claim_page_with_move_error(
    request: HttpRequest, pk: int, *, message: str, status: int
) -> HttpResponse:
    """The claim's page after its Move/Assign form was refused (no JavaScript)."""
    return _render(request, _claim_for(request, pk), status=status, move_error=message)


def _done(request: HttpRequest, pk: int, message: str, *, was: str) -> HttpResponse:
    """After a successful change: the fresh panel for htmx, PRG otherwise. The panel
    may sit beside the board: `board-changed` names the columns the card left and
    entered, so that board refreshes them now instead of at its next poll."""
    if request.htmx:
        claim = claim_for_panel(pk=pk)
        response = _render(request, claim, status_message=message)
        return trigger_client_event(
            response, "board-changed", {"statuses": sorted({was, claim.status})}
        )
    messages.success(request, message)
    return redirect("claims:claim-detail", pk=pk)


def _refused(
    request: HttpRequest,
    pk: int,
    exc: services.ServiceError,
    *,
    area: str,
    form=None,
    editing_source: Source | None = None,
) -> HttpResponse:
    """A refusal, with status_for's code: the 403 page for permission, else the panel
    with the message inline (and for a stale edit, what changed)."""
    forbid_if_not_allowed(exc)
    claim = claim_for_panel(pk=pk)
    if claim is None:
        raise Http404("No such claim.")
    if isinstance(exc, services.StaleVersion):
        forms = {}
        if form is not None:
            # Their input stays in the form, now carrying the current version.
            data = request.POST.copy()
            data["version"] = str(claim.version)
            forms[area] = type(form)(data, auto_id=form.auto_id)
        return _render(
            request,
            claim,
            status=status_for(exc),
            forms=forms,
            errors={area: exc.message},
            conflict=exc,
            editing_source=editing_source,
        )
    forms = {area: form} if form is not None else {}
    return _render(
        request,
        claim,
        status=status_for(exc),
        forms=forms,
        errors={area: exc.message},
        editing_source=editing_source,
    )


def _invalid(
    request: HttpRequest, claim: Claim, *, area: str, form, editing_source: Source | None = None
) -> HttpResponse:
    return _render(
        request,
        claim,
        status=422,
        forms={area: form},
        errors={area: "Please correct the errors below."},
        editing_source=editing_source,
    )


# ---------------------------------------------------------------- views


@require_safe
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _claim_for(request, pk))


def _submit(
    request: HttpRequest,
    pk: int,
    *,
    action: str,
    area: str,
    form_class,
    change,
    auto_id: str | None = None,
) -> HttpResponse:
    """What every panel form shares: the permission check before reading the form,
    validation, the service call (`change` returns the success message) and the answer."""
    claim = _claim_for(request, pk)
    _allow(request, claim, action)
    form = form_class(request.POST, auto_id=auto_id or f"{area}-%s")
    if not form.is_valid():
        return _invalid(request, claim, area=area, form=form)
    try:
        message = change(claim, form.cleaned_data)
    except services.ServiceError as exc:
        return _refused(request, pk, exc, area=area, form=form)
    return _done(request, pk, message, was=claim.status)


@require_POST
def claim_assign(request: HttpRequest, pk: int) -> HttpResponse:
    def change(claim: Claim, data: dict) -> str:
        services.claim_assign(
            actor=request.user,
            claim=claim.pk,
            assignee=data["assignee"],
            expected_version=data["version"],
        )
        return f"Assigned to {display_name(data['assignee'])}."

    return _submit(
        request, pk, action="assign", area="assign", form_class=AssignForm, change=change
    )


@require_POST
def claim_due(request: HttpRequest, pk: int) -> HttpResponse:
    def change(claim: Claim, data: dict) -> str:
        due = data["due_date"]
        services.claim_set_due_date(
            actor=request.user,
            claim=claim.pk,
            due_date=due,
            expected_version=data["version"],
            allow_overdue=data["confirm_overdue"],
        )
        return f"Due date set to {due:%d %b %Y}." if due else "Due date cleared."

    # The form knows the current date: re-saving it is not a new past date.
    current = Claim.objects.filter(pk=pk).values_list("due_date", flat=True).first()
    form_class = partial(DueDateForm, current=current)
    return _submit(
        request, pk, action="set_due_date", area="due", form_class=form_class, change=change
    )


@require_POST
def claim_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    step = STEPS.get(action)
    if step is None:
        raise Http404("No such step.")

    def change(claim: Claim, data: dict) -> str:
        kwargs = {name: data[name] for name in step.fields}
        if step.permission == "correct" and not data["conclusion"]:
            kwargs["conclusion"] = None  # keep the published conclusion
        step.service(actor=request.user, claim=claim.pk, expected_version=data["version"], **kwargs)
        return step.success

    return _submit(
        request,
        pk,
        action=step.permission,
        area=step.area,
        form_class=StepForm,
        change=change,
        auto_id=f"{action}-%s",
    )


@require_POST
def claim_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    def change(claim: Claim, data: dict) -> str:
        services.claim_set_verdict(
            actor=request.user,
            claim=claim.pk,
            rating=data["rating"],
            conclusion=data["conclusion"],
            expected_version=data["version"],
        )
        return "Verdict saved."

    return _submit(
        request, pk, action="set_verdict", area="verdict", form_class=VerdictForm, change=change
    )


@require_POST
def source_add(request: HttpRequest, pk: int) -> HttpResponse:
    def change(claim: Claim, data: dict) -> str:
        services.source_add(actor=request.user, claim=claim.pk, **data)
        return "Source added."

    return _submit(
        request, pk, action="add_source", area="source", form_class=SourceForm, change=change
    )


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    def change(claim: Claim, data: dict) -> str:
        services.comment_add(actor=request.user, claim=claim.pk, body=data["body"])
        return "Comment added."

    return _submit(
        request, pk, action="comment", area="comment", form_class=CommentForm, change=change
    )


def _source_for(request: HttpRequest, pk: int) -> tuple[Source, Claim]:
    claim_id = Source.objects.filter(pk=pk).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise Http404("No such source.")
    claim = _claim_for(request, claim_id)
    return next(s for s in claim.sources.all() if s.pk == pk), claim


@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source, claim = _source_for(request, pk)
    if "sources" not in claim_panel_steps(user=request.user, claim=claim):
        raise PermissionDenied("You cannot change this claim's sources now.")
    if request.method in ("GET", "HEAD"):
        return _render(request, claim, editing_source=source)
    form = SourceForm(request.POST, auto_id="source-edit-%s")
    if not form.is_valid():
        return _invalid(request, claim, area="source_edit", form=form, editing_source=source)
    try:
        services.source_edit(actor=request.user, source=source.pk, **form.cleaned_data)
    except services.ServiceError as exc:
        return _refused(
            request, claim.pk, exc, area="source_edit", form=form, editing_source=source
        )
    return _done(request, claim.pk, "Source updated.", was=claim.status)


@require_POST
def source_delete(request: HttpRequest, pk: int) -> HttpResponse:
    source, claim = _source_for(request, pk)
    _allow(request, claim, "remove_source")
    try:
        services.source_remove(actor=request.user, source=source.pk)
    except services.ServiceError as exc:
        return _refused(request, claim.pk, exc, area="sources")
    return _done(request, claim.pk, "Source removed.", was=claim.status)
