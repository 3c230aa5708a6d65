"""The board's reads. Query count is constant in the number of claims: one grouped
count per status, one windowed query for every column's first page, one for the
shown cards' source counts. The article body is deferred: cards only show titles."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from claims import workflow
from claims.ids import id_or_none
from claims.models import Article, Claim, Event, Rating, Source
from claims.selectors.articles import article_label
from claims.selectors.people import active_reviewers

# The board's query-string filters, in the order links carry them.
BOARD_FILTER_KEYS = ("q", "article", "assignee", "verdict", "status", "overdue")
SEARCH_MAX_CHARS = 200


@dataclass(frozen=True)
class BoardFilters:
    """What the board shows: every field empty means every claim."""

    q: str = ""
    article: int | None = None
    assignee: int | str | None = None  # a user id, or "none" for unassigned claims
    verdict: int | str | None = None  # a rating id, or "none" for no verdict yet
    status: str = ""
    overdue: bool = False
    # Whose unpublished verdicts a verdict filter may match (workflow.can_see_verdict):
    # set from the person looking, never from the query string.
    verdict_viewer: int | None = None
    every_verdict: bool = False

    def chosen(self) -> dict:
        """The filters the person chose (for a report's scope and export jobs)."""
        return {
            key: value
            for key in BOARD_FILTER_KEYS
            if (value := getattr(self, key)) not in (None, "", False)
        }


def verdict_scope(viewer) -> dict:
    """BoardFilters fields saying whose verdicts `viewer` may filter on."""
    signed_in = getattr(viewer, "is_authenticated", False)
    return {
        "verdict_viewer": viewer.pk if signed_in else None,
        "every_verdict": workflow.sees_every_verdict(viewer),
    }


def board_filters_from(params, *, viewer=None) -> BoardFilters:
    """BoardFilters from a query string, without touching the database (the live
    stamp and column views parse it on every poll). Bad values are ignored.
    Without `viewer`, verdict filters match published verdicts only."""

    def id_or_none_word(value):
        return "none" if (value or "").strip() == "none" else id_or_none(value)

    status = params.get("status", "")
    return BoardFilters(
        q=(params.get("q") or "")
        .replace("\x00", "")
        .strip()[:SEARCH_MAX_CHARS],  # NUL breaks PostgreSQL
        article=id_or_none(params.get("article")),
        assignee=id_or_none_word(params.get("assignee")),
        verdict=id_or_none_word(params.get("verdict")),
        status=status if status in Claim.Status.values else "",
        overdue=(params.get("overdue") or "").lower() in {"1", "on", "true", "yes"},
        **(verdict_scope(viewer) if viewer is not None else {}),
    )


@dataclass
class BoardColumn:
    status: str
    label: str
    count: int = 0
    stamp: str = ""
    cards: list = field(default_factory=list)
    page: int = 1  # pages of cards shown so far ("Load more" asks for page + 1)
    shown: int | None = None  # cards shown so far, when more than `cards`

    @property
    def has_more(self) -> bool:
        return self.count > (len(self.cards) if self.shown is None else self.shown)

    @property
    def next_page(self) -> int:
        return self.page + 1


def board_claims(*, filters: BoardFilters):
    """The filtered claims, unordered and without related rows; merged-away
    claims are not cards (the claim they went into is)."""
    qs = Claim.objects.filter(merged_into__isnull=True, article__closed_at__isnull=True)
    if filters.q:
        qs = qs.filter(Q(text__icontains=filters.q) | Q(article__title__icontains=filters.q))
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.verdict:
        qs = qs.filter(_verdict_filter(filters))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(due_date__lt=timezone.localdate(), status__in=workflow.OPEN)
    return qs


def _verdict_filter(filters: BoardFilters) -> Q:
    """Match verdicts as the viewer sees them: a verdict they may not see counts as
    none, so a filter never reveals an unpublished verdict."""
    visible = workflow.verdict_visible_q(
        viewer_id=filters.verdict_viewer, every=filters.every_verdict
    )
    if filters.verdict == "none":
        return (
            Q(rating__isnull=True) if filters.every_verdict else Q(rating__isnull=True) | ~visible
        )
    return Q(rating_id=filters.verdict) & visible


# Soonest due first, undated last; id keeps pages stable.
BOARD_CARD_ORDER = [F("due_date").asc(nulls_last=True), F("id").asc()]


def _last_actor(field: str) -> Subquery:
    """Who made the claim's latest change (for "Claim 12 moved to In review by Rosa")."""
    latest = (
        Event.objects.filter(claim=OuterRef("pk")).order_by("-id").values(f"actor__{field}")[:1]
    )
    return Subquery(latest)


def _board_cards(qs, *, with_last_actor: bool = False):
    qs = qs.select_related("article", "assignee", "rating").defer(
        "article__body", "article__candidates", "article__url", "article__author", "article__outlet"
    )
    if not with_last_actor:
        return qs
    # Only the live refresh needs it (to announce who moved a card); the full board
    # leaves it out to stay light.
    return qs.annotate(
        last_actor_username=_last_actor("username"),
        last_actor_first_name=_last_actor("first_name"),
        last_actor_last_name=_last_actor("last_name"),
    )


def _with_source_counts(claims: list) -> list:
    """Set `n_sources` on each claim with one query for the shown cards only."""
    if not claims:
        return claims
    counts = dict(
        Source.objects.filter(claim_id__in=[c.pk for c in claims])
        .values("claim_id")
        .annotate(n=Count("id"))
        .values_list("claim_id", "n")
    )
    for claim in claims:
        claim.n_sources = counts.get(claim.pk, 0)
    return claims


def _column_stamp(count: int, last) -> str:
    return f"{count}-{last.timestamp() if last else 0}"


def board_column_stats(*, filters: BoardFilters) -> dict[str, tuple[int, str]]:
    """status -> (count, stamp) for the filtered claims, in one grouped query.
    The stamp changes whenever a claim enters, leaves or changes in the column."""
    rows = (
        board_claims(filters=filters)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    return {row["status"]: (row["n"], _column_stamp(row["n"], row["last"])) for row in rows}


def board_column_counts(*, filters: BoardFilters) -> dict[str, int]:
    """status -> number of filtered claims; the status index answers it alone."""
    rows = board_claims(filters=filters).order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def board_columns(*, filters: BoardFilters, page_size: int) -> list[BoardColumn]:
    """Every column (or the filtered one) with its count and first page of cards."""
    statuses = [s for s in Claim.Status if not filters.status or s == filters.status]
    # Column stamps are left empty: the page's first changed poll fills them in
    # (board_column_stats reads every row, too slow for opening the board).
    counts = board_column_counts(filters=filters)
    columns = {
        s.value: BoardColumn(status=s.value, label=s.label, count=counts.get(s.value, 0))
        for s in statuses
    }
    if any(column.count for column in columns.values()):
        # Rank narrow rows (id, status, due date: the status/due index covers them),
        # then load only the winning cards with their joins. Ranking whole joined
        # rows cost about a second at 50,000 claims.
        first_ids = (
            board_claims(filters=filters)
            .order_by()
            .annotate(
                board_row=Window(RowNumber(), partition_by=F("status"), order_by=BOARD_CARD_ORDER)
            )
            .filter(board_row__lte=page_size)
            .values_list("id", flat=True)
        )
        for claim in board_cards_by_ids(ids=first_ids):
            if claim.status in columns:
                columns[claim.status].cards.append(claim)
    return list(columns.values())


def board_cards_by_ids(*, ids) -> list:
    """Cards for the given claims, e.g. after a move or an assignment."""
    return _with_source_counts(
        list(_board_cards(Claim.objects.filter(pk__in=list(ids))).order_by(*BOARD_CARD_ORDER))
    )


def board_column_cards(
    *, filters: BoardFilters, status: str, offset: int, limit: int, with_last_actor: bool = False
) -> list:
    """One column's cards from `offset`: "Load more" and the live refresh."""
    qs = _board_cards(
        board_claims(filters=filters).filter(status=status), with_last_actor=with_last_actor
    ).order_by(*BOARD_CARD_ORDER)
    return _with_source_counts(list(qs[offset : offset + limit]))


def board_stamp() -> str:
    """A cheap version of the whole board: newest change and number of claims
    (one aggregate over indexed columns). Any write bumps Claim.updated_at."""
    row = Claim.objects.order_by().aggregate(n=Count("id"), last=Max("updated_at"))
    raw = _column_stamp(row["n"], row["last"])
    return hashlib.blake2s(raw.encode(), digest_size=8).hexdigest()


def board_assignable_users() -> list:
    """People a claim can be assigned to: active reviewers, by username."""
    return list(active_reviewers().only("id", "username", "first_name", "last_name"))


def board_article_choices(*, limit: int = 100, include: int | None = None) -> list[tuple[int, str]]:
    """The newest open articles for the filter menu, plus the one filtered on. Each
    label carries the outlet and date, so articles with the same title differ. A
    menu of every article cost more to render than the board at 500 articles."""
    fields = ("id", "title", "outlet", "published_on", "created_at")
    rows = list(
        Article.objects.filter(closed_at__isnull=True)
        .order_by("-created_at", "-id")
        .values(*fields)[:limit]
    )
    if include and include not in {row["id"] for row in rows}:
        rows += list(Article.objects.filter(pk=include, closed_at__isnull=True).values(*fields))
    return [(row.pop("id"), article_label(**row)) for row in rows]


def board_ratings() -> list:
    return list(Rating.objects.all())


def unread_notifications(*, user, limit: int = 50) -> list:
    return list(
        user.notifications.filter(read_at__isnull=True)
        .select_related("claim")
        .only("id", "message", "created_at", "claim__id", "claim__text")[:limit]
    )


# ---------------------------------------------------------------- list view

# ?sort= keys of the board's list view -> the ordering they stand for ("-key": reversed).
_STATUS_ORDER = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(Claim.Status.values)])
BOARD_LIST_SORTS = {
    "status": [_STATUS_ORDER],
    "assignee": [F("assignee__first_name"), F("assignee__last_name"), F("assignee__username")],
    "verdict": [F("rating__position"), F("rating__name")],
    "due": [F("due_date")],
    "article": [F("article__title"), F("position")],
}
BOARD_LIST_DEFAULT_SORT = "due"


def board_list_sort(value: str | None) -> str:
    """A valid ?sort= value ("due", "-article", ...), else the default."""
    value = (value or "").strip()
    return value if value.removeprefix("-") in BOARD_LIST_SORTS else BOARD_LIST_DEFAULT_SORT


def board_list_rows(*, filters: BoardFilters, sort: str, offset: int, limit: int) -> list:
    """One page of the filtered claims as table rows, sorted by `sort` (see
    board_list_sort); empty values (no assignee, no due date) sort last either way.
    Three queries whatever the number of claims."""
    key = board_list_sort(sort)
    descending = key.startswith("-")
    order = [
        expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        for expression in BOARD_LIST_SORTS[key.removeprefix("-")]
    ]
    qs = _board_cards(board_claims(filters=filters)).order_by(*order, "id")
    return _with_source_counts(list(qs[offset : offset + limit]))
