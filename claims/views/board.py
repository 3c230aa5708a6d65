"""The review board: columns by status, "Load more", the live stamp, moving and
assigning cards; and a reviewer's "My claims" page.

Every view works without JavaScript (forms post and redirect back to the board with
its filters); with htmx the same views answer with partials of claims/board.html.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from claims import selectors, services, workflow
from claims.forms import BoardFilterForm
from claims.ids import id_or_none
from claims.models import Claim
from claims.names import display_name
from claims.permissions import is_editor
from claims.selectors import BOARD_FILTER_KEYS, board_filters_from
from claims.text import shorten
from claims.views.fast_html import options_html, pk_url_maker
from claims.views.refusals import forbid_if_not_allowed, status_for

TEMPLATE = "claims/board.html"
# Live refresh re-renders what the person already loaded, up to this many cards.
MAX_REFRESH_CARDS = 500
MAX_PAGE = 10_000
CARD_TEXT_CHARS = 140


def _page_size() -> int:
    return max(1, settings.FACTCHECK_BOARD_PAGE_SIZE)


def _filter_query(params: QueryDict) -> str:
    """The filter part of a query string, in a stable order (for links and `next`)."""
    return urlencode([(key, params[key]) for key in BOARD_FILTER_KEYS if params.get(key)])


def _board_url(params: QueryDict) -> str:
    query = _filter_query(params)
    return reverse("claims:board") + (f"?{query}" if query else "")


def _safe_next(request: HttpRequest, target: str | None = None) -> str:
    """Where to go after a POST: the `next` the form carried, if it is ours."""
    target = request.POST.get("next", "") if target is None else target
    # Only a local path: redirect() would treat a bare word as a view name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("claims:board")


def _params_of(url: str) -> QueryDict:
    return QueryDict(urlsplit(url).query)


def _base_context(request: HttpRequest, params: QueryDict) -> dict:
    return {
        "nav": "board",
        "statuses": Claim.Status.choices,
        "reviewers": selectors.board_assignable_users() if is_editor(request.user) else [],
        "board_url": _board_url(params),
        "bulk_url": reverse("claims:claims-bulk"),
        "query": _filter_query(params),
    }


def _decorate(request: HttpRequest, cards: list, *, menus: bool = False) -> list:
    """Work out each card's links and permission once, in Python: a board shows
    hundreds of cards. Cards carry no forms (their "Move or assign" loads on
    opening, see claim_tools); `menus` adds the forms' <option>s for cards whose
    forms are rendered now. Menus depend only on the status (and, for editors, the
    assignee), so each distinct one is rendered once."""
    user = request.user
    editor = is_editor(user)
    detail_url, move_url = pk_url_maker("claims:claim-detail"), pk_url_maker("claims:claim-move")
    labels = dict(Claim.Status.choices)
    people = (
        [(p.pk, display_name(p)) for p in selectors.board_assignable_users()]
        if editor and menus
        else []
    )
    status_menus: dict = {}
    reviewer_menus: dict = {}
    names: dict = {}
    today = timezone.localdate()
    for card in cards:
        card.key = str(card.pk)  # ids render as plain text, skipping number localization
        card.detail_url = detail_url(card.pk)
        card.move_url = move_url(card.pk)
        card.show_verdict = workflow.can_see_verdict(user, card)
        card.short_text = shorten(card.text, CARD_TEXT_CHARS)
        if card.assignee_id is not None and card.assignee_id not in names:
            names[card.assignee_id] = display_name(card.assignee)
        card.assignee_name = names.get(card.assignee_id, "")
        full = f"{getattr(card, 'last_actor_first_name', '') or ''} {getattr(card, 'last_actor_last_name', '') or ''}"
        card.last_actor_name = full.strip() or getattr(card, "last_actor_username", None) or ""
        card.overdue = bool(
            card.due_date and card.status in workflow.OPEN and card.due_date < today
        )
        if card.due_date:
            card.due_iso, card.due_label = (
                card.due_date.isoformat(),
                f"{card.due_date.day} {card.due_date:%b}",
            )
        # The claim panel opens for the same people who may move the card.
        card.can_move = card.can_open = bool(workflow.can(user, card, "view"))
        if not (card.can_move and menus):
            continue
        menu_key = (card.status, card.proposed_by_id == user.pk, card.assignee_id == user.pk)
        if menu_key not in status_menus:
            choices = [(s, labels[s]) for s in [card.status, *workflow.moves(user, card)]]
            status_menus[menu_key] = options_html(choices, selected=card.status)
        card.status_menu = status_menus[menu_key]
        if editor:
            if card.assignee_id not in reviewer_menus:
                reviewer_menus[card.assignee_id] = options_html(
                    people, selected=card.assignee_id, placeholder="Choose a reviewer"
                )
            card.reviewer_menu = reviewer_menus[card.assignee_id]
    return cards


def _positive_int(value, default: int, *, most: int) -> int:
    """A page or card count from the query string: ASCII digits, else the default."""
    number = id_or_none(value)
    if number is None:
        return default
    return min(max(number, 1), most)


# ---------------------------------------------------------------- pages


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return redirect("claims:board")


LIST_PAGE_SIZE = 100
# The list view's columns: (?sort= key, heading).
LIST_COLUMNS = (
    ("status", "Status"),
    ("assignee", "Assignee"),
    ("verdict", "Verdict"),
    ("due", "Due"),
    ("article", "Article"),
)


def _list_url(params: QueryDict, *, sort: str, page: int = 1) -> str:
    """The list view with the board's filters, sorted by `sort`, at `page`."""
    query = _filter_query(params)
    extra = urlencode([("view", "list"), ("sort", sort)] + ([("page", page)] if page > 1 else []))
    return reverse("claims:board") + "?" + (f"{query}&" if query else "") + extra


def _list_context(request: HttpRequest, params: QueryDict, filters, total: int) -> dict:
    """The board as one table: sortable headings (links that keep the filters) and a page of rows."""
    sort = selectors.board_list_sort(params.get("sort"))
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    pages = max(1, -(-total // LIST_PAGE_SIZE))
    page = min(_positive_int(params.get("page"), 1, most=MAX_PAGE), pages)
    rows = _decorate(
        request,
        selectors.board_list_rows(
            filters=filters, sort=sort, offset=(page - 1) * LIST_PAGE_SIZE, limit=LIST_PAGE_SIZE
        ),
    )
    headings = [
        {
            "key": name,
            "label": label,
            # A second click on the sorted column reverses it.
            "url": _list_url(params, sort=f"-{name}" if name == key and not descending else name),
            "aria_sort": ("descending" if descending else "ascending") if name == key else None,
        }
        for name, label in LIST_COLUMNS
    ]
    return {
        "list_view": True,
        "rows": rows,
        "headings": headings,
        "sort": sort,
        "page": page,
        "pages": pages,
        "previous_url": _list_url(params, sort=sort, page=page - 1) if page > 1 else "",
        "next_url": _list_url(params, sort=sort, page=page + 1) if page < pages else "",
        "columns_url": _board_url(params),
    }


def _board_page(
    request: HttpRequest, params: QueryDict, *, error: str = "", status: int = 200
) -> HttpResponse:
    filters = board_filters_from(params, viewer=request.user)
    if params.get("view") == "list":
        counts = selectors.board_column_counts(filters=filters)
        total = sum(
            counts.get(s, 0)
            for s in Claim.Status.values
            if not filters.status or s == filters.status
        )
        columns, view = [], _list_context(request, params, filters, total)
    else:
        columns = selectors.board_columns(filters=filters, page_size=_page_size())
        _decorate(request, [card for column in columns for card in column.cards])
        total = sum(column.count for column in columns)
        view = {"list_url": _list_url(params, sort=selectors.board_list_sort(None))}
    context = {
        **_base_context(request, params),
        **view,
        "form": BoardFilterForm(
            params or None,
            articles=selectors.board_article_choices(include=filters.article),
            reviewers=selectors.board_assignable_users(),
            ratings=selectors.board_ratings(),
        ),
        "columns": columns,
        "etag": selectors.board_stamp(),
        "total": total,
        "filtered": any(params.get(key) for key in BOARD_FILTER_KEYS),
        "board_error": error,
    }
    if request.htmx and request.htmx.target == "board-body":
        return render(request, f"{TEMPLATE}#board-swap", context, status=status)
    return render(request, TEMPLATE, context, status=status)


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    return _board_page(request, request.GET)


@require_safe
def board_column(request: HttpRequest, status: str) -> HttpResponse:
    """One column. htmx: the next page of cards ("Load more") or, with refresh=1, the
    column's cards re-rendered for the live update. Without JavaScript: a page with
    this column and every card up to the requested page."""
    if status not in Claim.Status.values:
        raise Http404("No such column.")
    filters = board_filters_from(request.GET, viewer=request.user)
    size = _page_size()
    page = _positive_int(request.GET.get("page"), 1, most=MAX_PAGE)
    count = selectors.board_column_counts(filters=filters).get(status, 0)
    column = selectors.BoardColumn(status=status, label=Claim.Status(status).label, count=count)
    context = {**_base_context(request, request.GET), "column": column}
    if request.htmx and request.GET.get("refresh"):
        limit = _positive_int(request.GET.get("limit"), size, most=MAX_REFRESH_CARDS)
        column.cards = selectors.board_column_cards(
            filters=filters, status=status, offset=0, limit=max(limit, size), with_last_actor=True
        )
        _decorate(request, column.cards)
        column.page = -(-len(column.cards) // size) or 1
        return render(request, f"{TEMPLATE}#column-refresh", context)
    if request.htmx:
        column.cards = selectors.board_column_cards(
            filters=filters, status=status, offset=(page - 1) * size, limit=size
        )
        _decorate(request, column.cards)
        column.page, column.shown = page, (page - 1) * size + len(column.cards)
        return render(request, f"{TEMPLATE}#more-cards", context)
    column.cards = selectors.board_column_cards(
        filters=filters, status=status, offset=0, limit=page * size
    )
    _decorate(request, column.cards)
    column.page = page
    return render(
        request,
        TEMPLATE,
        {**context, "columns": [column], "single_column": column, "total": column.count},
    )


def _stamp_etag(request: HttpRequest) -> str:
    return selectors.board_stamp()


@require_safe
@never_cache
@condition(etag_func=_stamp_etag)
def board_stamp(request: HttpRequest) -> HttpResponse:
    """The live poll. 304 when nothing changed anywhere (one aggregate query); else
    each column's stamp for the page's filters, so the page refreshes only those."""
    stats = selectors.board_column_stats(
        filters=board_filters_from(request.GET, viewer=request.user)
    )
    empty = (0, "0-0")
    return JsonResponse(
        {
            "columns": {status: stats.get(status, empty)[1] for status in Claim.Status.values},
            "counts": {status: stats.get(status, empty)[0] for status in Claim.Status.values},
        }
    )


@require_safe
def my_claims(request: HttpRequest) -> HttpResponse:
    """The claims assigned to me, grouped by status, and my unread notifications
    (marked read now that they have been shown)."""
    filters = selectors.BoardFilters(assignee=request.user.pk)
    groups = [c for c in selectors.board_columns(filters=filters, page_size=50) if c.count]
    for card in (card for group in groups for card in group.cards):
        card.show_verdict = workflow.can_see_verdict(request.user, card)
    notifications = selectors.unread_notifications(user=request.user)
    if notifications:
        services.notifications_mark_read(actor=request.user, ids=[n.pk for n in notifications])
    return render(
        request,
        "claims/my_claims.html",
        {
            "nav": "my",
            "groups": groups,
            "notifications": notifications,
            "all_url": reverse("claims:board") + "?" + urlencode({"assignee": request.user.pk}),
        },
    )


@require_safe
def claim_tools(request: HttpRequest, pk: int) -> HttpResponse:
    """A card's Move (and, for editors, Assign) forms, loaded into its "Move or assign"
    disclosure when it is opened: the board itself sends no forms. `next` is the
    board URL (with its filters) the forms return to. Without htmx: the claim's
    page, which holds the same forms."""
    cards = selectors.board_cards_by_ids(ids=[pk])
    if not cards:
        raise Http404("No such claim.")
    card = _decorate(request, cards, menus=True)[0]
    if not card.can_move:
        raise PermissionDenied(workflow.can(request.user, card, "view").reason)
    if not request.htmx:
        return redirect(card.detail_url + "#claim-move")
    next_url = _safe_next(request, request.GET.get("next", ""))
    context = {
        **_base_context(request, _params_of(next_url)),
        "claim": card,
        "next_url": next_url,
        "on_board": True,
    }
    return render(request, "claims/_card_tools.html", context)


def claim_move_tools(request: HttpRequest, claim: Claim) -> dict | None:
    """Context for the claim page's copy of the card's forms (the no-JavaScript way to
    move or assign from the board), or None when this person may not move it."""
    cards = _decorate(request, selectors.board_cards_by_ids(ids=[claim.pk]), menus=True)
    if not cards or not cards[0].can_move:
        return None
    return {
        "claim": cards[0],
        "next_url": cards[0].detail_url,
        "bulk_url": reverse("claims:claims-bulk"),
        "on_board": False,
    }


# ---------------------------------------------------------------- changes


def _cards_response(
    request: HttpRequest,
    *,
    ids,
    next_url: str,
    live_message: str,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """htmx answer to a card change: the card(s) as they are now, every column's
    count out of band, and the message for the aria-live region."""
    params = _params_of(next_url)
    filters = board_filters_from(params, viewer=request.user)
    counts = selectors.board_column_counts(filters=filters)
    shown = [s for s in Claim.Status.values if not filters.status or s == filters.status]
    # After a refusal the card comes back with its forms open, so they are rendered now.
    cards = _decorate(request, selectors.board_cards_by_ids(ids=ids), menus=bool(error))
    context = {
        **_base_context(request, params),
        "cards": cards,
        "counts": [(s, counts.get(s, 0)) for s in shown],
        "total": sum(counts.get(s, 0) for s in shown),
        "filtered": any(params.get(key) for key in BOARD_FILTER_KEYS),
        "live_message": live_message,
        "card_error": error,
        "open_tools": bool(error),
    }
    return render(request, f"{TEMPLATE}#cards-response", context, status=status)


def _refused(
    request: HttpRequest, exc: services.ServiceError, *, ids, next_url: str
) -> HttpResponse:
    """A service said no. htmx: the card restored as it is now with the reason inline.
    Without JavaScript: the board again with the message. Either with status_for's code."""
    code = status_for(exc)
    if request.htmx:
        existing = list(Claim.objects.filter(pk__in=ids).values_list("pk", flat=True))
        return _cards_response(
            request,
            ids=existing,
            next_url=next_url,
            live_message=exc.message,
            error=exc.message,
            status=code,
        )
    forbid_if_not_allowed(exc)
    if urlsplit(next_url).path != reverse("claims:board") and len(ids) == 1:
        # The form on the claim's page: show the refusal there.
        from claims.views.claim_panel import claim_page_with_move_error

        return claim_page_with_move_error(request, ids[0], message=exc.message, status=code)
    return _board_page(request, _params_of(next_url), error=exc.message, status=code)


@require_POST
def claim_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The card's status select and Move button; drag-and-drop posts here too."""
    claim = get_object_or_404(Claim.objects.only("id", "status"), pk=pk)
    next_url = _safe_next(request)
    to_status = request.POST.get("status", "")
    try:
        moved = services.claim_move(
            actor=request.user,
            claim=claim.pk,
            to_status=to_status,
            expected_version=request.POST.get("version") or None,
            reason=request.POST.get("reason", ""),
            assignee=request.POST.get("assignee") or None,
        )
    except services.ServiceError as exc:
        if (
            to_status == Claim.Status.ASSIGNED
            and claim.status == Claim.Status.UNASSIGNED
            and exc.message == "Choose a reviewer."
        ):
            exc = services.InvalidInput(
                "Choose a reviewer in the card's Assignee list and press Assign."
            )
        return _refused(request, exc, ids=[claim.pk], next_url=next_url)
    label = Claim.Status(moved.status).label
    message = (
        f"Already {label}."
        if moved.status == claim.status
        else f"Moved to {label}: {shorten(moved.text, 80)}"
    )
    if request.htmx:
        return _cards_response(request, ids=[moved.pk], next_url=next_url, live_message=message)
    messages.success(request, message)
    return redirect(next_url)


@require_POST
def claims_bulk(request: HttpRequest) -> HttpResponse:
    """Editors: assign the selected cards to a reviewer, or auto-assign them by load."""
    if not is_editor(request.user):
        raise PermissionDenied("Only an editor can assign claims.")
    next_url = _safe_next(request)
    raw_ids = request.POST.getlist("ids")
    ids = [i for i in map(id_or_none, raw_ids) if i is not None]
    action = request.POST.get("action", "")
    try:
        if not ids or len(ids) != len(raw_ids):
            raise services.InvalidInput("Select at least one claim first.")
        if action == "assign":
            done = services.claims_assign(
                actor=request.user, claim_ids=ids, assignee=request.POST.get("reviewer")
            )
            who = display_name(done[0].assignee) if done else ""
            message = (
                f"Assigned {len(done)} claim{'s' if len(done) != 1 else ''} to {who}."
                if done
                else "Nothing to assign."
            )
        elif action == "auto-assign":
            done = services.claims_auto_assign(actor=request.user, claim_ids=ids)
            message = (
                f"Auto-assigned {len(done)} claim{'s' if len(done) != 1 else ''} by reviewers' open load."
                if done
                else "None of the selected claims was unassigned, so nothing was auto-assigned."
            )
        else:
            raise services.InvalidInput("Choose Assign or Auto-assign.")
    except services.ServiceError as exc:
        return _refused(request, exc, ids=ids, next_url=next_url)
    if request.htmx and len(ids) == 1:
        return _cards_response(request, ids=ids, next_url=next_url, live_message=message)
    messages.success(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(next_url)
    return redirect(next_url)
