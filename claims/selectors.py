"""Reads: the queries screens and exports need, shaped for constant query counts."""

from __future__ import annotations

# ---------------------------------------------------------------- board (review board, My claims)

# The board's reads. Query count is constant in the number of claims: one grouped
# count per status, one windowed query for every column's first page, one for the
# shown cards' source counts. The article body is deferred: cards only show titles.

import hashlib as _board_hashlib  # noqa: E402
from dataclasses import dataclass as _board_dataclass, field as _board_field  # noqa: E402

from django.db import models as _board_models  # noqa: E402
from django.db.models.functions import RowNumber as _BoardRowNumber  # noqa: E402
from django.utils import timezone as _board_tz  # noqa: E402


@_board_dataclass(frozen=True)
class BoardFilters:
    """What the board shows: every field empty means every claim."""

    q: str = ""
    article: int | None = None
    assignee: int | str | None = None  # a user id, or "none" for unassigned claims
    verdict: int | str | None = None  # a rating id, or "none" for no verdict yet
    status: str = ""
    overdue: bool = False


@_board_dataclass
class BoardColumn:
    status: str
    label: str
    count: int = 0
    stamp: str = ""
    cards: list = _board_field(default_factory=list)
    page: int = 1  # pages of cards shown so far ("Load more" asks for page + 1)
    shown: int | None = None  # cards shown so far, when more than `cards`

    @property
    def has_more(self) -> bool:
        return self.count > (len(self.cards) if self.shown is None else self.shown)

    @property
    def next_page(self) -> int:
        return self.page + 1


def _board_open_statuses() -> list[str]:
    from claims.models import Claim

    return [str(s) for s in Claim.OPEN_STATUSES]


def board_claims(*, filters: BoardFilters):
    """The filtered claims, unordered and without related rows."""
    from claims.models import Claim

    qs = Claim.objects.all()
    if filters.q:
        qs = qs.filter(_board_models.Q(text__icontains=filters.q) | _board_models.Q(article__title__icontains=filters.q))
    if filters.article:
        qs = qs.filter(article_id=filters.article)
    if filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.verdict == "none":
        qs = qs.filter(rating__isnull=True)
    elif filters.verdict:
        qs = qs.filter(rating_id=filters.verdict)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(due_date__lt=_board_tz.localdate(), status__in=_board_open_statuses())
    return qs


# Soonest due first, undated last; id keeps pages stable.
BOARD_CARD_ORDER = [_board_models.F("due_date").asc(nulls_last=True), _board_models.F("id").asc()]


def _board_cards(qs):
    return qs.select_related("article", "assignee", "rating").defer(
        "article__body", "article__candidates", "article__url", "article__author", "article__outlet"
    )


def _with_source_counts(claims: list) -> list:
    """Set `n_sources` on each claim with one query for the shown cards only."""
    from claims.models import Source

    if not claims:
        return claims
    counts = dict(
        Source.objects.filter(claim_id__in=[c.pk for c in claims])
        .values("claim_id")
        .annotate(n=_board_models.Count("id"))
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
        .annotate(n=_board_models.Count("id"), last=_board_models.Max("updated_at"))
    )
    return {row["status"]: (row["n"], _column_stamp(row["n"], row["last"])) for row in rows}


def board_column_counts(*, filters: BoardFilters) -> dict[str, int]:
    """status -> number of filtered claims; the status index answers it alone."""
    rows = board_claims(filters=filters).order_by().values("status").annotate(n=_board_models.Count("id"))
    return {row["status"]: row["n"] for row in rows}


def board_columns(*, filters: BoardFilters, page_size: int) -> list[BoardColumn]:
    """Every column (or the filtered one) with its count and first page of cards."""
    from claims.models import Claim

    statuses = [s for s in Claim.Status if not filters.status or s == filters.status]
    # Column stamps are left empty: the page's first changed poll fills them in
    # (board_column_stats reads every row, too slow for opening the board).
    counts = board_column_counts(filters=filters)
    columns = {s.value: BoardColumn(status=s.value, label=s.label, count=counts.get(s.value, 0)) for s in statuses}
    if any(column.count for column in columns.values()):
        # Rank narrow rows (id, status, due date: the status/due index covers them),
        # then load only the winning cards with their joins. Ranking whole joined
        # rows cost about a second at 50,000 claims.
        first_ids = (
            board_claims(filters=filters)
            .order_by()
            .annotate(board_row=_board_models.Window(_BoardRowNumber(), partition_by=_board_models.F("status"), order_by=BOARD_CARD_ORDER))
            .filter(board_row__lte=page_size)
            .values_list("id", flat=True)
        )
        for claim in board_cards_by_ids(ids=first_ids):
            if claim.status in columns:
                columns[claim.status].cards.append(claim)
    return list(columns.values())


def board_cards_by_ids(*, ids) -> list:
    """Cards for the given claims, e.g. after a move or an assignment."""
    from claims.models import Claim

    return _with_source_counts(list(_board_cards(Claim.objects.filter(pk__in=list(ids))).order_by(*BOARD_CARD_ORDER)))


def board_column_cards(*, filters: BoardFilters, status: str, offset: int, limit: int) -> list:
    """One column's cards from `offset`: "Load more" and the live refresh."""
    qs = _board_cards(board_claims(filters=filters).filter(status=status)).order_by(*BOARD_CARD_ORDER)
    return _with_source_counts(list(qs[offset : offset + limit]))


def board_stamp() -> str:
    """A cheap version of the whole board: newest change and number of claims
    (one aggregate over indexed columns). Any write bumps Claim.updated_at."""
    from claims.models import Claim

    row = Claim.objects.order_by().aggregate(n=_board_models.Count("id"), last=_board_models.Max("updated_at"))
    raw = _column_stamp(row["n"], row["last"])
    return _board_hashlib.blake2s(raw.encode(), digest_size=8).hexdigest()


def board_assignable_users() -> list:
    """People a claim can be assigned to: active reviewers, by username."""
    from django.contrib.auth import get_user_model

    from claims.models import REVIEWERS_GROUP

    return list(
        get_user_model().objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .order_by("username")
        .only("id", "username", "first_name", "last_name")
    )


def board_article_choices(*, limit: int = 100, include: int | None = None) -> list[tuple[int, str]]:
    """The newest articles for the filter menu (titles only), plus the one filtered
    on. A menu of every article cost more to render than the board at 500 articles."""
    from claims.models import Article

    choices = list(Article.objects.order_by("-created_at", "-id").values_list("id", "title")[:limit])
    if include and include not in {pk for pk, _ in choices}:
        choices += list(Article.objects.filter(pk=include).values_list("id", "title"))
    return choices


def board_ratings() -> list:
    from claims.models import Rating

    return list(Rating.objects.all())


def unread_notifications(*, user, limit: int = 50) -> list:
    return list(
        user.notifications.filter(read_at__isnull=True)
        .select_related("claim")
        .only("id", "message", "created_at", "claim__id", "claim__text")[:limit]
    )


# ---------------------------------------------------------------- claim panel

from dataclasses import dataclass as _dataclass  # noqa: E402


@_dataclass(frozen=True)
class ArticleWindow:
    """The claim inside its paragraph(s): text before, the claim itself, text after."""

    before: str
    marked: str
    after: str
    cut_before: bool
    cut_after: bool


def claim_article_window(*, body: str, start: int, end: int, margin: int = 700) -> ArticleWindow:
    """The paragraph(s) around [start, end), at most `margin` characters either side."""
    start, end = max(0, min(start, len(body))), max(0, min(end, len(body)))
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end < 0 else para_end
    lo, hi = max(para_start, start - margin), min(para_end, end + margin)
    return ArticleWindow(
        before=body[lo:start],
        marked=body[start:end],
        after=body[end:hi],
        cut_before=lo > 0,
        cut_after=hi < len(body),
    )


def claim_for_panel(*, pk: int):
    """The claim with everything the panel shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from claims.models import Claim, Comment, Event, Source

    return (
        Claim.objects.select_related("article", "assignee", "rating", "proposed_by", "approved_by")
        .prefetch_related(
            Prefetch("sources", queryset=Source.objects.select_related("added_by")),
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
            Prefetch("events", queryset=Event.objects.select_related("actor").order_by("-created_at", "-id")),
        )
        .filter(pk=pk)
        .first()
    )


def claim_can_view(*, user, claim) -> bool:
    """Editors see every claim; a reviewer sees the claims assigned to them."""
    from claims.permissions import is_editor, is_reviewer

    return is_editor(user) or (is_reviewer(user) and claim.assignee_id == user.pk)


def claim_panel_steps(*, user, claim) -> set[str]:
    """The steps this user may take on this claim now: which buttons and forms to show."""
    from claims.models import Claim
    from claims.permissions import is_editor, is_reviewer
    from claims.services import TRANSITIONS, allowed_actions

    Status = Claim.Status
    status = claim.status
    steps: set[str] = set()
    if is_editor(user):
        steps.update(allowed_actions(status))
        if claim.proposed_by_id == user.pk:
            steps.discard("approve")  # nobody approves a verdict they proposed
        steps.discard("assign")
        if status in TRANSITIONS["assign"][0]:
            steps.add("assign")
        if claim.is_open:
            steps.add("set_due_date")
        if status in {Status.UNASSIGNED, Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW}:
            steps.add("set_verdict")
        if status not in {Status.PUBLISHED, Status.CORRECTED, Status.DISMISSED}:
            steps.add("sources")
        steps.add("comment")
    elif is_reviewer(user) and claim.assignee_id == user.pk:
        steps.add("comment")
        if status == Status.ASSIGNED:
            steps.add("start_research")
        if status == Status.RESEARCHING:
            steps.add("submit")
        if status in {Status.ASSIGNED, Status.RESEARCHING}:
            steps.update({"set_verdict", "sources"})
    return steps


@_dataclass(frozen=True)
class HistoryRow:
    event: object
    changes: list[tuple[str, object, object]]


HISTORY_FIELD_LABELS = {
    "text": "Wording", "status": "Status", "assignee": "Assignee", "due_date": "Due date",
    "rating": "Verdict", "conclusion": "Conclusion", "url": "URL", "title": "Title",
    "publisher": "Publisher", "stance": "Stance",
}


CLAIM_FIELDS = frozenset({"text", "status", "assignee", "due_date", "rating", "conclusion"})


def claim_history(events) -> list[HistoryRow]:
    """Events as timeline rows: what changed, before -> after (the version counter left out)."""
    from claims.models import Claim

    labels = dict(Claim.Status.choices)
    rows = []
    for event in events:
        changes = []
        for key, after in (event.after or {}).items():
            if key == "version" or key not in HISTORY_FIELD_LABELS:
                continue
            if not event.before and key not in CLAIM_FIELDS:
                continue  # a new source: its message already names it
            before = (event.before or {}).get(key)
            if key == "status":
                before, after = labels.get(before, before), labels.get(after, after)
            changes.append((HISTORY_FIELD_LABELS[key], before, after))
        rows.append(HistoryRow(event=event, changes=changes))
    return rows


def claim_changes_since(*, claim, version: int):
    """The events that produced versions after `version`: what a stale editor missed."""
    from claims.models import Event

    return list(Event.objects.filter(claim=claim, claim_version__gt=version).select_related("actor").order_by("id"))


def assignable_reviewers():
    from django.contrib.auth import get_user_model

    from claims.models import REVIEWERS_GROUP

    return get_user_model().objects.filter(groups__name=REVIEWERS_GROUP, is_active=True).order_by("username")


# ---------------------------------------------------------------- articles and triage

SCORE_BINS = 5
SCORE_BIN_LABELS = ["under 0.2", "0.2–0.4", "0.4–0.6", "0.6–0.8", "0.8 and over"]


def score_bin(score: float) -> int:
    return max(0, min(SCORE_BINS - 1, int(float(score) * SCORE_BINS)))


@_dataclass(frozen=True)
class BarPart:
    """One coloured stretch of a progress bar (SVG <rect> x/width in percent)."""

    key: str
    label: str
    count: int
    x: float
    width: float


def _bar(parts: list[tuple[str, str, int]]) -> list[BarPart]:
    total = sum(count for _, _, count in parts)
    out, x = [], 0.0
    for key, label, count in parts:
        if not count:
            continue
        width = round(100 * count / total, 3)
        out.append(BarPart(key=key, label=label, count=count, x=round(x, 3), width=width))
        x += width
    return out


def status_bar(counts: dict[str, int]) -> list[BarPart]:
    from claims.models import Claim

    return _bar([(value, label, counts.get(value, 0)) for value, label in Claim.Status.choices])


def articles_with_progress():
    """Articles with their claim counts by status: one query however many articles."""
    from django.db.models import Count, Q

    from claims.models import Article, Claim

    counts = {f"n_{value}": Count("claims", filter=Q(claims__status=value)) for value in Claim.Status.values}
    return Article.objects.select_related("added_by").annotate(**counts).order_by("-created_at", "-id")


def article_row_bar(article) -> list[BarPart]:
    from claims.models import Claim

    return status_bar({value: getattr(article, f"n_{value}", 0) for value in Claim.Status.values})


def article_claims(article):
    from claims.models import Claim

    return list(Claim.objects.filter(article=article).select_related("assignee", "rating").order_by("start", "end", "id"))


def article_progress(claims) -> dict:
    """Claims by status and by verdict (live claims only) as bars."""
    from collections import Counter

    from claims.models import Claim

    by_status = Counter(c.status for c in claims)
    live = [c for c in claims if c.status != Claim.Status.DISMISSED]
    verdicts: Counter = Counter()
    names: dict[str, tuple[str, int]] = {}
    for c in live:
        key = c.rating.css_class if c.rating_id else "verdict-none"
        label = c.rating.name if c.rating_id else "No verdict yet"
        verdicts[(key, label)] += 1
        names[label] = (key, (c.rating.value or 0) if c.rating_id else -1)
    ordered = sorted(verdicts.items(), key=lambda kv: -names[kv[0][1]][1])
    return {
        "total": len(claims),
        "live": len(live),
        "status": status_bar(by_status),
        "verdict": _bar([(key, label, n) for (key, label), n in ordered]),
    }


@_dataclass(frozen=True)
class Segment:
    """A run of the article body with one look: DOM text offsets map to body offsets
    because every character sits in exactly one <span data-start data-end>."""

    start: int
    end: int
    text: str
    score_bin: int | None
    claim_ids: tuple[int, ...]


def article_segments(article, claims) -> list[Segment]:
    """The body cut at every sentence and live-claim boundary."""
    body = article.body
    sentences = [(c["start"], c["end"], c["score"]) for c in article.candidates or []]
    live = [c for c in claims if c.status != "dismissed"]
    cuts = {0, len(body)}
    for start, end, _ in sentences:
        cuts.update((start, end))
    for claim in live:
        cuts.update((claim.start, claim.end))
    cuts = sorted(c for c in cuts if 0 <= c <= len(body))
    segments, s_index = [], 0
    sentences.sort()
    for lo, hi in zip(cuts, cuts[1:]):
        if lo == hi:
            continue
        while s_index < len(sentences) and sentences[s_index][1] <= lo:
            s_index += 1
        bin_ = None
        if s_index < len(sentences) and sentences[s_index][0] <= lo and hi <= sentences[s_index][1]:
            bin_ = score_bin(sentences[s_index][2])
        ids = tuple(c.pk for c in live if c.start <= lo and hi <= c.end)
        segments.append(Segment(start=lo, end=hi, text=body[lo:hi], score_bin=bin_, claim_ids=ids))
    return segments


@_dataclass(frozen=True)
class TriageRow:
    start: int
    end: int
    text: str
    score: float
    score_bin: int
    checkworthy: bool
    kinds: list
    kept: bool

    @property
    def span(self) -> str:
        return f"{self.start}-{self.end}"


def kind_labels(kinds) -> list[tuple[str, str]]:
    """(value, label) pairs for claim kinds; unknown kinds keep their raw name."""
    from claims.models import Claim

    labels = dict(Claim.Kind.choices)
    return [(k, labels.get(k, str(k).replace("_", " "))) for k in kinds or []]


def triage_rows(article, claims) -> list[TriageRow]:
    live = {(c.start, c.end) for c in claims if c.status != "dismissed"}
    return [
        TriageRow(
            start=c["start"],
            end=c["end"],
            text=article.body[c["start"]:c["end"]],
            score=c["score"],
            score_bin=score_bin(c["score"]),
            checkworthy=c["checkworthy"],
            kinds=kind_labels(c.get("kinds", [])),
            kept=(c["start"], c["end"]) in live,
        )
        for c in article.candidates or []
    ]


def find_unclaimed_text(*, article, text: str, claims) -> tuple[int, int] | None:
    """The first occurrence of `text` in the body that is not already a live claim."""
    needle = text.strip()
    if not needle:
        return None
    live = {(c.start, c.end) for c in claims if c.status != "dismissed"}
    index = article.body.find(needle)
    while index >= 0:
        span = (index, index + len(needle))
        if span not in live:
            return span
        index = article.body.find(needle, index + 1)
    return None


@_dataclass(frozen=True)
class SplitPoint:
    at: int  # characters into the claim's original sentence span
    label: str


def claim_split_points(claim) -> list[SplitPoint]:
    """Every word start after the first word of the claim's sentence, labelled
    with the words either side so the choice reads well in a <select>."""
    import re

    sentence = claim.article.body[claim.start:claim.end]
    points = []
    for match in re.finditer(r"(?<=\s)\S", sentence):
        at = match.start()
        before = " ".join(sentence[:at].split()[-3:])
        after = " ".join(sentence[at:].split()[:3])
        points.append(SplitPoint(at=at, label=f"…{before} | {after}…"))
    return points


def job_can_view(*, user, job) -> bool:
    from claims.permissions import is_editor

    return is_editor(user) or job.created_by_id == user.pk

# ---------------------------------------------------------------- reports

# The claims a report covers. Board exports read the board's own filter params
# leniently (a bad value is ignored, as on the board) into the board's BoardFilters.


def report_article_claims(*, article):
    from claims.models import Claim

    return Claim.objects.filter(article=article)


def report_claim_count(claims, *, internal: bool) -> int:
    from claims.reports.data import PUBLIC_STATUSES

    return claims.count() if internal else claims.filter(status__in=PUBLIC_STATUSES).count()


def report_job_can_view(*, user, job) -> bool:
    """An export's page and file: its creator or an editor; internal ones editors only."""
    from claims.permissions import is_editor

    if job.params.get("internal") and not is_editor(user):
        return False
    return is_editor(user) or job.created_by_id == user.pk
