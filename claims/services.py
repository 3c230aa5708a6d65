"""Every state change: one function each, keyword-only arguments, one transaction,
one audit Event per change. Views, forms, admin and commands call these.

Errors are `ServiceError` subclasses carrying a message meant for the person who
asked; views show it as-is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from claims.models import (
    REVIEWERS_GROUP,
    Article,
    Claim,
    Comment,
    Correction,
    Event,
    Notification,
    Rating,
    Source,
)
from claims.permissions import is_editor, is_reviewer

User = get_user_model()
logger = logging.getLogger(__name__)
Status = Claim.Status


# --------------------------------------------------------------------------- errors


class ServiceError(Exception):
    """A refusal with a message for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    """The actor may not do this (HTTP 403)."""


class InvalidTransition(ServiceError):
    """The status machine does not allow this step from the claim's status."""


class InvalidInput(ServiceError):
    """The input is wrong; nothing was written."""


class StaleVersion(ServiceError):
    """The claim changed since the user loaded it; nothing was overwritten."""

    def __init__(self, *, claim: Claim, seen_version: int, changes: list[Event]):
        who = ", ".join(sorted({str(e.actor) for e in changes if e.actor})) or "someone else"
        super().__init__(
            f"This claim was changed by {who} after you opened it "
            f"(you saw version {seen_version}, it is now version {claim.version}). "
            "Nothing was saved; review their changes and try again."
        )
        self.claim = claim
        self.seen_version = seen_version
        self.changes = changes


# --------------------------------------------------------------------------- status machine

# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "assign": (frozenset({Status.UNASSIGNED, Status.ASSIGNED, Status.RESEARCHING}), Status.ASSIGNED),
    "unassign": (frozenset({Status.ASSIGNED, Status.RESEARCHING}), Status.UNASSIGNED),
    "start_research": (frozenset({Status.ASSIGNED}), Status.RESEARCHING),
    "submit": (frozenset({Status.RESEARCHING}), Status.IN_REVIEW),
    "approve": (frozenset({Status.IN_REVIEW}), Status.APPROVED),
    "send_back": (frozenset({Status.IN_REVIEW, Status.APPROVED}), Status.RESEARCHING),
    "publish": (frozenset({Status.APPROVED}), Status.PUBLISHED),
    "correct": (frozenset({Status.PUBLISHED, Status.CORRECTED}), Status.CORRECTED),
    "dismiss": (frozenset(Claim.OPEN_STATUSES), Status.DISMISSED),
    "restore": (frozenset({Status.DISMISSED}), Status.UNASSIGNED),
}

ACTION_LABELS = {
    "assign": "assign",
    "unassign": "unassign",
    "start_research": "start research",
    "submit": "submit for review",
    "approve": "approve",
    "send_back": "send back",
    "publish": "publish",
    "correct": "correct",
    "dismiss": "dismiss",
    "restore": "restore",
}

# Steps a reviewer may take on a claim assigned to them; everything else is an editor's.
REVIEWER_ACTIONS = frozenset(
    {"start_research", "submit", "set_verdict", "add_source", "edit_source", "remove_source", "comment"}
)


def allowed_actions(status: str) -> list[str]:
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def check_transition(claim: Claim, action: str) -> str:
    """Return the status `action` leads to, or refuse naming the steps allowed."""
    sources, target = TRANSITIONS[action]
    if claim.status in sources:
        return target or claim.status
    label = Status(claim.status).label
    allowed = ", ".join(ACTION_LABELS[a] for a in allowed_actions(claim.status)) or "nothing"
    raise InvalidTransition(
        f"Cannot {ACTION_LABELS[action]} a claim that is {label}. "
        f"From {label} you can: {allowed}."
    )


def check_permission(*, actor, claim: Claim, action: str) -> None:
    if is_editor(actor):
        return
    if action not in REVIEWER_ACTIONS:
        raise NotAllowed(f"Only an editor can {ACTION_LABELS.get(action, action.replace('_', ' '))}.")
    if not is_reviewer(actor) or claim.assignee_id != actor.pk:
        raise NotAllowed("You can only work on claims assigned to you.")


def require_editor(actor, what: str) -> None:
    if not is_editor(actor):
        raise NotAllowed(f"Only an editor can {what}.")


# --------------------------------------------------------------------------- audit helpers


def claim_snapshot(claim: Claim) -> dict:
    return {
        "text": claim.text,
        "status": claim.status,
        "assignee": claim.assignee.get_username() if claim.assignee_id else None,
        "due_date": claim.due_date.isoformat() if claim.due_date else None,
        "rating": claim.rating.name if claim.rating_id else None,
        "conclusion": claim.conclusion,
        "version": claim.version,
    }


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that changed (version always kept) so the history stays readable."""
    keys = [k for k in after if before.get(k) != after.get(k) or k == "version"]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record_event(
    *,
    actor,
    action: str,
    claim: Claim | None = None,
    article: Article | None = None,
    message: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> Event:
    return Event.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        claim=claim,
        article=article or (claim.article if claim is not None else None),
        claim_version=claim.version if claim is not None else None,
        message=message,
        before=before or {},
        after=after or {},
    )


def _lock_claim(claim_id: int) -> Claim:
    """Row-lock the claim for the rest of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    try:
        return (
            Claim.objects.select_for_update(of=("self",))
            .select_related("article", "assignee", "rating")
            .get(pk=claim_id)
        )
    except Claim.DoesNotExist:
        raise InvalidInput("That claim no longer exists.") from None


def _as_int(value, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(message) from None


def _check_version(claim: Claim, expected_version: int | None) -> None:
    if expected_version is None or expected_version == "":
        return
    expected_version = _as_int(expected_version, "The form is missing the claim's version; reload the claim and try again.")
    if expected_version == claim.version:
        return
    changes = list(
        Event.objects.filter(claim=claim, claim_version__gt=int(expected_version))
        .select_related("actor")
        .order_by("id")
    )
    raise StaleVersion(claim=claim, seen_version=int(expected_version), changes=changes)


@dataclass
class _ClaimWrite:
    """One locked, version-checked change of one claim, saved with its Event."""

    claim: Claim
    actor: object
    action: str
    before: dict = field(default_factory=dict)

    def save(self, *, message: str = "", fields: Iterable[str] = ()) -> Claim:
        self.claim.version += 1
        self.claim.save(update_fields=[*fields, "version", "updated_at"])
        before, after = _changed(self.before, claim_snapshot(self.claim))
        record_event(
            actor=self.actor,
            action=self.action,
            claim=self.claim,
            message=message,
            before=before,
            after=after,
        )
        return self.claim


def _begin(*, claim_id: int, actor, action: str, expected_version: int | None) -> _ClaimWrite:
    claim = _lock_claim(claim_id)
    check_permission(actor=actor, claim=claim, action=action)
    _check_version(claim, expected_version)
    return _ClaimWrite(claim=claim, actor=actor, action=action, before=claim_snapshot(claim))


def _claim_id(claim: Claim | int) -> int:
    return claim if isinstance(claim, int) else claim.pk


# --------------------------------------------------------------------------- notifications


def notify(*, recipient, claim: Claim, message: str) -> None:
    """An entry in the person's "My claims" list and an email after commit."""
    if recipient is None or not recipient.is_active:
        return
    Notification.objects.create(recipient=recipient, claim=claim, message=message[:300])
    if recipient.email:
        link = settings.FACTCHECK_SITE_URL.rstrip("/") + claim.get_absolute_url()
        transaction.on_commit(
            lambda: _send_email(
                subject=f"[Fact check] {message[:120]}",
                body=f"{message}\n\nClaim: {claim.text[:300]}\n{link}\n",
                to=recipient.email,
            )
        )


def _send_email(*, subject: str, body: str, to: str) -> None:
    # A mail server hiccup must not undo or hide the change already committed.
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])
    except Exception:  # noqa: BLE001
        logger.exception("Could not send the notification email to %s", to)


# --------------------------------------------------------------------------- articles & triage


def _validate_http_url(url: str, *, label: str = "URL") -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 2000:
        raise InvalidInput(f"{label} is too long (2,000 characters at most).")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InvalidInput(f"{label} must not contain spaces or control characters.")
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        raise InvalidInput(f"{label} must start with http:// or https:// (got “{url[:80]}”).")
    return url


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    body: str,
    outlet: str = "",
    author: str = "",
    url: str = "",
    published_on: dt.date | None = None,
) -> Article:
    require_editor(actor, "add articles")
    if not body or not body.strip():
        raise InvalidInput("The article has no text. Paste the article or upload a file with text in it.")
    limit = settings.FACTCHECK_MAX_ARTICLE_CHARS
    if len(body) > limit:
        raise InvalidInput(
            f"The article is too long: {len(body):,} characters; the limit is {limit:,}."
        )
    title = (title or "").strip() or _title_from_body(body)
    article = Article.objects.create(
        title=title[:300],
        body=body,
        outlet=outlet.strip()[:200],
        author=author.strip()[:200],
        url=_validate_http_url(url, label="The article URL"),
        published_on=published_on,
        added_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(
        actor=actor,
        action="article_created",
        article=article,
        message=f"Added article “{article.title}”.",
        after={"title": article.title, "characters": len(body)},
    )
    return article


def _title_from_body(body: str) -> str:
    first_line = next((line.strip() for line in body.splitlines() if line.strip()), "Untitled")
    return first_line[:120]


@transaction.atomic
def article_extract(*, actor, article: Article) -> Article:
    """Run the extraction engine and store its candidates; kept claims are untouched."""
    from claims.extraction import ExtractionError, extract_claims

    require_editor(actor, "extract claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    try:
        candidates = extract_claims(article.body, max_chars=settings.FACTCHECK_MAX_ARTICLE_CHARS)
    except ExtractionError as exc:
        raise InvalidInput(str(exc)) from exc
    if not candidates:
        raise InvalidInput("No sentences were found in this article's text.")
    article.candidates = [
        {
            "start": c.start,
            "end": c.end,
            "score": round(float(c.score), 4),
            "checkworthy": bool(c.checkworthy),
            "kinds": list(c.kinds),
        }
        for c in candidates
    ]
    article.extracted_at = timezone.now()
    article.save(update_fields=["candidates", "extracted_at", "updated_at"])
    record_event(
        actor=actor,
        action="claims_extracted",
        article=article,
        message=(
            f"Extracted {len(candidates)} sentences, "
            f"{sum(c.checkworthy for c in candidates)} check-worthy."
        ),
        after={"sentences": len(candidates)},
    )
    return article


def _candidate_for(article: Article, start: int, end: int) -> dict | None:
    for candidate in article.candidates:
        if candidate["start"] == start and candidate["end"] == end:
            return candidate
    return None


def _trimmed_span(body: str, start: int, end: int) -> tuple[int, int]:
    if not (0 <= start < end <= len(body)):
        raise InvalidInput("That selection is outside the article's text.")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start >= end:
        raise InvalidInput("The selection holds no text.")
    return start, end


def _live_claims(article: Article):
    return Claim.objects.filter(article=article).exclude(status=Status.DISMISSED)


def _next_positions(article: Article) -> None:
    """Keep `position` equal to reading order among the article's claims."""
    claims = list(Claim.objects.filter(article=article).order_by("start", "end", "id"))
    changed = []
    for index, claim in enumerate(claims):
        if claim.position != index:
            claim.position = index
            changed.append(claim)
    if changed:
        Claim.objects.bulk_update(changed, ["position"])


def _create_claim(*, actor, article: Article, start: int, end: int, action: str, message: str) -> Claim:
    candidate = _candidate_for(article, start, end) or {}
    claim = Claim.objects.create(
        article=article,
        text=article.body[start:end],
        start=start,
        end=end,
        score=float(candidate.get("score", 0.0)),
        kinds=list(candidate.get("kinds", [])),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_event(actor=actor, action=action, claim=claim, message=message, after=claim_snapshot(claim))
    return claim


@transaction.atomic
def claims_keep(*, actor, article: Article, spans: Sequence[tuple[int, int]]) -> list[Claim]:
    """Keep the chosen sentences as claims. Spans already kept are skipped, so
    repeating it (or re-running extraction) never duplicates a claim."""
    require_editor(actor, "keep claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    live = set(_live_claims(article).values_list("start", "end"))
    created = []
    for start, end in sorted(set(spans)):
        start, end = _trimmed_span(article.body, int(start), int(end))
        if (start, end) in live:
            continue
        created.append(
            _create_claim(actor=actor, article=article, start=start, end=end, action="claim_kept", message="Kept as a claim.")
        )
        live.add((start, end))
    _next_positions(article)
    return created


@transaction.atomic
def claim_add_from_selection(*, actor, article: Article, start: int, end: int) -> Claim:
    require_editor(actor, "add claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    start, end = _trimmed_span(article.body, int(start), int(end))
    if _live_claims(article).filter(start=start, end=end).exists():
        raise InvalidInput("That text is already a claim.")
    claim = _create_claim(
        actor=actor, article=article, start=start, end=end, action="claim_added", message="Added from selected text."
    )
    _next_positions(article)
    return claim


TRIAGE_STATUSES = frozenset({Status.UNASSIGNED, Status.ASSIGNED})


@transaction.atomic
def claim_edit_text(*, actor, claim: Claim | int, text: str, expected_version: int | None) -> Claim:
    require_editor(actor, "edit a claim's wording")
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="edit_text", expected_version=expected_version)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("The claim's wording cannot be empty.")
    if len(text) > 5000:
        raise InvalidInput("The claim's wording is too long (5,000 characters at most).")
    write.claim.text = text
    write.action = "claim_edited"
    return write.save(message="Edited the wording.", fields=["text"])


@transaction.atomic
def claims_merge(*, actor, claim_ids: Sequence[int]) -> Claim:
    """Merge neighbouring claims of one article into one claim covering them all."""
    require_editor(actor, "merge claims")
    ids = sorted({int(i) for i in claim_ids})
    if len(ids) < 2:
        raise InvalidInput("Select at least two neighbouring claims to merge.")
    claims = list(
        Claim.objects.select_for_update(of=("self",)).select_related("article").filter(pk__in=ids).order_by("start")
    )
    if len(claims) != len(ids):
        raise InvalidInput("Some of the selected claims no longer exist.")
    article = claims[0].article
    if any(c.article_id != article.pk for c in claims):
        raise InvalidInput("Only claims from the same article can be merged.")
    if any(c.status not in TRIAGE_STATUSES for c in claims):
        raise InvalidInput("Only claims that are not yet being researched can be merged.")
    start, end = claims[0].start, max(c.end for c in claims)
    between = _live_claims(article).filter(start__lt=end, end__gt=start).exclude(pk__in=ids)
    if between.exists():
        raise InvalidInput("Only neighbouring claims can be merged: another claim lies between them.")
    merged_text = " ".join(c.text.strip() for c in claims)
    for claim in claims:
        before = claim_snapshot(claim)
        claim.status = Status.DISMISSED
        claim.dismissed_reason = "Merged into another claim."
        claim.version += 1
        claim.save(update_fields=["status", "dismissed_reason", "version", "updated_at"])
        b, a = _changed(before, claim_snapshot(claim))
        record_event(actor=actor, action="claim_merged_away", claim=claim, message="Merged into a new claim.", before=b, after=a)
    merged = Claim.objects.create(
        article=article,
        text=merged_text if any(c.text != article.body[c.start:c.end] for c in claims) else article.body[start:end],
        start=start,
        end=end,
        score=max(c.score for c in claims),
        kinds=sorted({k for c in claims for k in c.kinds}),
        assignee=claims[0].assignee if len({c.assignee_id for c in claims}) == 1 else None,
        status=Status.ASSIGNED if len({c.assignee_id for c in claims}) == 1 and claims[0].assignee_id else Status.UNASSIGNED,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="claims_merged",
        claim=merged,
        message="Merged claims " + ", ".join(f"#{c.pk}" for c in claims) + ".",
        after=claim_snapshot(merged),
    )
    _next_positions(article)
    return merged


@transaction.atomic
def claim_split(*, actor, claim: Claim | int, at: int, expected_version: int | None) -> tuple[Claim, Claim]:
    """Split a claim into two at `at` characters into its original sentence span."""
    require_editor(actor, "split claims")
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="claim_split", expected_version=expected_version)
    original = write.claim
    if original.status not in TRIAGE_STATUSES:
        raise InvalidInput("Only claims that are not yet being researched can be split.")
    cut = original.start + int(at)
    body = original.article.body
    if not (original.start < cut < original.end):
        raise InvalidInput("Choose a split point inside the claim's text.")
    first = _trimmed_or_none(body, original.start, cut)
    second = _trimmed_or_none(body, cut, original.end)
    if first is None or second is None:
        raise InvalidInput("Both parts of a split must contain text.")
    original.start, original.end = first
    original.text = body[first[0]:first[1]]
    write.save(message="Split into two claims.", fields=["start", "end", "text"])
    new = Claim.objects.create(
        article=original.article,
        text=body[second[0]:second[1]],
        start=second[0],
        end=second[1],
        score=original.score,
        kinds=list(original.kinds),
        status=original.status,
        assignee=original.assignee,
        due_date=original.due_date,
        created_by=actor,
    )
    record_event(actor=actor, action="claim_split_off", claim=new, message=f"Split off claim #{original.pk}.", after=claim_snapshot(new))
    _next_positions(original.article)
    return original, new


def _trimmed_or_none(body: str, start: int, end: int) -> tuple[int, int] | None:
    try:
        return _trimmed_span(body, start, end)
    except InvalidInput:
        return None


# --------------------------------------------------------------------------- assignment


def _reviewer(user_or_id) -> object:
    if user_or_id is None or user_or_id == "":
        raise InvalidInput("Choose a reviewer.")
    if isinstance(user_or_id, User):
        user = user_or_id
    else:
        user = User.objects.filter(pk=_as_int(user_or_id, "Choose a reviewer from the list.")).first()
    if user is None or not user.is_active:
        raise InvalidInput("That reviewer does not exist or is inactive.")
    if not (user.groups.filter(name=REVIEWERS_GROUP).exists() or is_editor(user)):
        raise InvalidInput(f"{user.get_username()} is not a reviewer.")
    return user


@transaction.atomic
def claim_assign(*, actor, claim: Claim | int, assignee, expected_version: int | None = None) -> Claim:
    reviewer = _reviewer(assignee)
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="assign", expected_version=expected_version)
    target = check_transition(write.claim, "assign")
    if write.claim.assignee_id == reviewer.pk and write.claim.status != Status.UNASSIGNED:
        return write.claim  # already theirs: nothing to write
    write.claim.status = target
    write.claim.assignee = reviewer
    write.action = "claim_assigned"
    write.save(message=f"Assigned to {reviewer.get_username()}.", fields=["status", "assignee"])
    notify(recipient=reviewer, claim=write.claim, message=f"You were assigned a claim: {write.claim.text[:140]}")
    return write.claim


@transaction.atomic
def claim_unassign(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="unassign", expected_version=expected_version)
    write.claim.status = check_transition(write.claim, "unassign")
    write.claim.assignee = None
    write.action = "claim_unassigned"
    return write.save(message="Unassigned.", fields=["status", "assignee"])


@transaction.atomic
def claims_assign(*, actor, claim_ids: Sequence[int], assignee) -> list[Claim]:
    require_editor(actor, "assign claims")
    reviewer = _reviewer(assignee)
    assigned = []
    for pk in _distinct(claim_ids):
        try:
            assigned.append(claim_assign(actor=actor, claim=pk, assignee=reviewer))
        except (InvalidTransition, InvalidInput) as exc:
            # All or nothing: the whole selection rolls back, naming the claim at fault.
            raise type(exc)(f"Claim #{pk}: {exc.message} Nothing was assigned.") from exc
    return assigned


def reviewer_loads(reviewers: Iterable | None = None) -> dict[int, int]:
    """Open claims (assigned, researching, in review) per reviewer id."""
    if reviewers is None:
        reviewers = User.objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
    ids = [r.pk for r in reviewers]
    loads = dict.fromkeys(ids, 0)
    rows = (
        Claim.objects.filter(
            assignee_id__in=ids,
            status__in=[Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW],
        )
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        loads[row["assignee_id"]] = row["n"]
    return loads


@transaction.atomic
def claims_auto_assign(*, actor, claim_ids: Sequence[int], reviewers: Iterable | None = None) -> list[Claim]:
    """Spread the unassigned claims of the selection over reviewers, each to whoever has
    the fewest open claims. Claims someone already has are left with them."""
    require_editor(actor, "assign claims")
    pool = list(reviewers) if reviewers is not None else list(
        User.objects.filter(groups__name=REVIEWERS_GROUP, is_active=True).order_by("username")
    )
    if not pool:
        raise InvalidInput("There are no active reviewers to assign to.")
    loads = reviewer_loads(pool)
    by_id = {r.pk: r for r in pool}
    assigned = []
    statuses = dict(Claim.objects.filter(pk__in=_distinct(claim_ids)).values_list("pk", "status"))
    for pk in _distinct(claim_ids):
        if statuses.get(pk) != Status.UNASSIGNED:
            continue
        reviewer_id = min(loads, key=lambda rid: (loads[rid], by_id[rid].get_username()))
        assigned.append(claim_assign(actor=actor, claim=pk, assignee=by_id[reviewer_id]))
        loads[reviewer_id] += 1
    return assigned


def _distinct(ids: Iterable) -> list[int]:
    seen: dict[int, None] = {}
    for value in ids:
        seen[int(value)] = None
    return list(seen)


@transaction.atomic
def claim_set_due_date(*, actor, claim: Claim | int, due_date: dt.date | None, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="set_due_date", expected_version=expected_version)
    if not write.claim.is_open:
        raise InvalidTransition(
            f"A claim that is {Status(write.claim.status).label} has no due date: only open claims do."
        )
    write.claim.due_date = due_date
    write.action = "due_date_set"
    return write.save(
        message=f"Due date set to {due_date:%d %b %Y}." if due_date else "Due date cleared.",
        fields=["due_date"],
    )


# --------------------------------------------------------------------------- research


@transaction.atomic
def claim_start_research(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="start_research", expected_version=expected_version)
    write.claim.status = check_transition(write.claim, "start_research")
    write.action = "research_started"
    return write.save(message="Started research.", fields=["status"])


def sentence_count(text: str) -> int:
    from claims.extraction.segmentation import split_sentences

    return len(split_sentences(text))


def validate_conclusion(conclusion: str) -> str:
    conclusion = " ".join((conclusion or "").split())
    if len(conclusion) > 600:
        raise InvalidInput("The conclusion must be one sentence of at most 600 characters.")
    if conclusion and sentence_count(conclusion) > 1:
        raise InvalidInput("The conclusion must be a single sentence.")
    return conclusion


@transaction.atomic
def claim_set_verdict(
    *, actor, claim: Claim | int, rating: Rating | int | None, conclusion: str, expected_version: int | None
) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="set_verdict", expected_version=expected_version)
    if write.claim.status not in {Status.ASSIGNED, Status.RESEARCHING, Status.IN_REVIEW} and not (
        write.claim.status == Status.UNASSIGNED and is_editor(actor)
    ):
        # An approved verdict is what the approver signed off: changing it needs a send back.
        hint = {
            Status.PUBLISHED: ": use “Correct” to change a published verdict.",
            Status.CORRECTED: ": use “Correct” to change a published verdict.",
            Status.APPROVED: ": send it back first, so the new verdict is approved again.",
        }.get(write.claim.status, ".")
        raise InvalidTransition(
            f"The verdict of a claim that is {Status(write.claim.status).label} cannot be changed here{hint}"
        )
    if not is_editor(actor) and write.claim.status not in {Status.ASSIGNED, Status.RESEARCHING}:
        raise NotAllowed("The verdict is with the editor now; ask them to send it back to change it.")
    if rating not in (None, ""):
        rating_obj = rating if isinstance(rating, Rating) else Rating.objects.filter(
            pk=_as_int(rating, "Choose a verdict from the scale."), is_active=True
        ).first()
        if rating_obj is None:
            raise InvalidInput("Choose a verdict from the scale.")
    else:
        rating_obj = None
    write.claim.rating = rating_obj
    write.claim.conclusion = validate_conclusion(conclusion)
    write.claim.proposed_by = actor
    write.action = "verdict_set"
    return write.save(
        message=f"Verdict: {rating_obj or 'none'}.",
        fields=["rating", "conclusion", "proposed_by"],
    )


def _touch(claim: Claim) -> None:
    """Sources and comments show on cards: mark the claim as changed without a new
    version, so open verdict forms on the same claim stay valid."""
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now())


def _source_fields(
    *, url: str, title: str, publisher: str, accessed_on, archived_url: str, excerpt: str, stance: str
) -> dict:
    url = _validate_http_url(url, label="The source URL")
    if not url:
        raise InvalidInput("The source URL is required.")
    if stance not in Source.Stance.values:
        raise InvalidInput("Choose whether the source supports, refutes or gives context.")
    return {
        "url": url,
        "title": (title or "").strip()[:300],
        "publisher": (publisher or "").strip()[:200],
        "accessed_on": accessed_on or timezone.localdate(),
        "archived_url": _validate_http_url(archived_url, label="The archived URL"),
        "excerpt": (excerpt or "").strip(),
        "stance": stance,
    }


def _source_snapshot(source: Source) -> dict:
    return {"url": source.url, "title": source.title, "publisher": source.publisher, "stance": source.stance}


@transaction.atomic
def source_add(
    *,
    actor,
    claim: Claim | int,
    url: str,
    title: str = "",
    publisher: str = "",
    accessed_on: dt.date | None = None,
    archived_url: str = "",
    excerpt: str = "",
    stance: str = Source.Stance.CONTEXT,
) -> Source:
    locked = _lock_claim(_claim_id(claim))
    check_permission(actor=actor, claim=locked, action="add_source")
    _check_research_open(locked, actor)
    data = _source_fields(
        url=url, title=title, publisher=publisher, accessed_on=accessed_on, archived_url=archived_url, excerpt=excerpt, stance=stance
    )
    if locked.sources.filter(url__iexact=data["url"]).exists():
        raise InvalidInput("This source is already listed for this claim.")
    try:
        with transaction.atomic():
            source = Source.objects.create(claim=locked, added_by=actor, **data)
    except IntegrityError:
        raise InvalidInput("This source is already listed for this claim.") from None
    _touch(locked)
    record_event(actor=actor, action="source_added", claim=locked, message=f"Added source {data['url']}.", after=_source_snapshot(source))
    return source


def _check_research_open(claim: Claim, actor=None) -> None:
    if claim.status in {Status.PUBLISHED, Status.CORRECTED, Status.DISMISSED}:
        raise InvalidTransition(f"Sources of a claim that is {Status(claim.status).label} can no longer be changed.")
    if actor is not None and not is_editor(actor) and claim.status not in {Status.ASSIGNED, Status.RESEARCHING}:
        raise NotAllowed("The sources are with the editor now; ask them to send the claim back to change them.")


@transaction.atomic
def source_edit(
    *,
    actor,
    source: Source | int,
    url: str,
    title: str = "",
    publisher: str = "",
    accessed_on: dt.date | None = None,
    archived_url: str = "",
    excerpt: str = "",
    stance: str = Source.Stance.CONTEXT,
) -> Source:
    source_id = source.pk if isinstance(source, Source) else _as_int(source, "That source no longer exists.")
    claim_id = Source.objects.filter(pk=source_id).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise InvalidInput("That source no longer exists.")
    locked = _lock_claim(claim_id)
    check_permission(actor=actor, claim=locked, action="edit_source")
    _check_research_open(locked, actor)
    source = Source.objects.get(pk=source_id)
    before = _source_snapshot(source)
    data = _source_fields(
        url=url, title=title, publisher=publisher, accessed_on=accessed_on, archived_url=archived_url, excerpt=excerpt, stance=stance
    )
    if locked.sources.filter(url__iexact=data["url"]).exclude(pk=source.pk).exists():
        raise InvalidInput("This source is already listed for this claim.")
    for name, value in data.items():
        setattr(source, name, value)
    source.save()
    _touch(locked)
    record_event(actor=actor, action="source_edited", claim=locked, message=f"Edited source {source.url}.", before=before, after=_source_snapshot(source))
    return source


@transaction.atomic
def source_remove(*, actor, source: Source | int) -> None:
    source_id = source.pk if isinstance(source, Source) else _as_int(source, "That source no longer exists.")
    claim_id = Source.objects.filter(pk=source_id).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise InvalidInput("That source no longer exists.")
    locked = _lock_claim(claim_id)
    check_permission(actor=actor, claim=locked, action="remove_source")
    _check_research_open(locked, actor)
    source = Source.objects.get(pk=source_id)
    before = _source_snapshot(source)
    source.delete()
    _touch(locked)
    record_event(actor=actor, action="source_removed", claim=locked, message=f"Removed source {before['url']}.", before=before)


@transaction.atomic
def claim_submit(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="submit", expected_version=expected_version)
    target = check_transition(write.claim, "submit")
    claim = write.claim
    missing = []
    if claim.rating_id is None:
        missing.append("a verdict")
    if not claim.conclusion.strip():
        missing.append("a one-sentence conclusion")
    else:
        validate_conclusion(claim.conclusion)
    needed = settings.FACTCHECK_MIN_SOURCES
    have = claim.sources.count()
    if have < needed:
        missing.append(f"at least {needed} sources (it has {have})")
    if missing:
        raise InvalidInput("Before submitting, add " + _join(missing) + ".")
    claim.status = target
    if claim.proposed_by_id is None:
        claim.proposed_by = actor
    write.action = "submitted"
    return write.save(message="Submitted for review.", fields=["status", "proposed_by"])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- editing decisions


@transaction.atomic
def claim_approve(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="approve", expected_version=expected_version)
    claim = write.claim
    claim.status = check_transition(claim, "approve")
    if claim.proposed_by_id == actor.pk:
        raise NotAllowed("You proposed this verdict, so someone else must approve it.")
    claim.approved_by = actor
    write.action = "approved"
    write.save(message="Approved the verdict.", fields=["status", "approved_by"])
    notify(recipient=claim.assignee, claim=claim, message=f"Your verdict was approved: {claim.text[:140]}")
    return claim


@transaction.atomic
def claim_send_back(*, actor, claim: Claim | int, reason: str, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="send_back", expected_version=expected_version)
    claim = write.claim
    claim.status = check_transition(claim, "send_back")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why you are sending it back: a reason is required.")
    claim.approved_by = None
    write.action = "sent_back"
    write.save(message=f"Sent back: {reason}", fields=["status", "approved_by"])
    Comment.objects.create(claim=claim, author=actor, body=f"Sent back: {reason}")
    notify(recipient=claim.assignee, claim=claim, message=f"A claim was sent back to you: {reason[:200]}")
    return claim


@transaction.atomic
def claim_publish(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="publish", expected_version=expected_version)
    claim = write.claim
    claim.status = check_transition(claim, "publish")
    claim.published_at = timezone.now()
    write.action = "published"
    write.save(message="Published.", fields=["status", "published_at"])
    notify(recipient=claim.assignee, claim=claim, message=f"A claim you checked was published: {claim.text[:140]}")
    return claim


@transaction.atomic
def claim_correct(
    *,
    actor,
    claim: Claim | int,
    note: str,
    rating: Rating | int | None = None,
    conclusion: str | None = None,
    expected_version: int | None = None,
) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="correct", expected_version=expected_version)
    claim = write.claim
    target = check_transition(claim, "correct")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("A correction needs a public note explaining what changed.")
    previous_rating, previous_conclusion = claim.rating, claim.conclusion
    if rating not in (None, ""):
        new_rating = rating if isinstance(rating, Rating) else Rating.objects.filter(
            pk=_as_int(rating, "Choose a verdict from the scale.")
        ).first()
        if new_rating is None:
            raise InvalidInput("Choose a verdict from the scale.")
        claim.rating = new_rating
    if conclusion is not None:
        claim.conclusion = validate_conclusion(conclusion) or claim.conclusion
    claim.status = target
    Correction.objects.create(
        claim=claim,
        previous_rating=previous_rating,
        new_rating=claim.rating,
        previous_conclusion=previous_conclusion,
        new_conclusion=claim.conclusion,
        note=note,
        corrected_by=actor,
    )
    write.action = "corrected"
    return write.save(message=f"Correction: {note}", fields=["status", "rating", "conclusion"])


@transaction.atomic
def claim_dismiss(*, actor, claim: Claim | int, reason: str, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="dismiss", expected_version=expected_version)
    claim = write.claim
    claim.status = check_transition(claim, "dismiss")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Say why this is not checkable (for example: opinion, prediction): a reason is required.")
    claim.dismissed_reason = reason
    write.action = "dismissed"
    return write.save(message=f"Dismissed: {reason}", fields=["status", "dismissed_reason"])


@transaction.atomic
def claim_restore(*, actor, claim: Claim | int, expected_version: int | None = None) -> Claim:
    write = _begin(claim_id=_claim_id(claim), actor=actor, action="restore", expected_version=expected_version)
    claim = write.claim
    claim.status = check_transition(claim, "restore")
    if _live_claims(claim.article).filter(start=claim.start, end=claim.end).exists():
        raise InvalidInput("Another live claim already covers this text.")
    claim.assignee = None
    claim.dismissed_reason = ""
    write.action = "restored"
    return write.save(message="Restored from dismissed.", fields=["status", "assignee", "dismissed_reason"])


# --------------------------------------------------------------------------- moves from the board


def claim_move(*, actor, claim: Claim | int, to_status: str, expected_version: int | None, reason: str = "", assignee=None) -> Claim:
    """Move a card to another column: the board's status select and drag-and-drop."""
    row = Claim.objects.filter(pk=_claim_id(claim)).values_list("status", "assignee_id").first()
    if row is None:
        raise InvalidInput("That claim no longer exists.")
    current, assignee_id = row
    if not is_editor(actor) and not (is_reviewer(actor) and assignee_id == actor.pk):
        raise NotAllowed("You can only work on claims assigned to you.")
    if to_status == current:
        return Claim.objects.get(pk=_claim_id(claim))
    if to_status not in Status.values:
        raise InvalidInput("Choose a status from the list.")
    kwargs = {"actor": actor, "claim": _claim_id(claim), "expected_version": expected_version}
    match to_status:
        case Status.ASSIGNED if assignee or current == Status.UNASSIGNED:
            return claim_assign(**kwargs, assignee=assignee)
        case Status.UNASSIGNED if current == Status.DISMISSED:
            return claim_restore(**kwargs)
        case Status.UNASSIGNED:
            return claim_unassign(**kwargs)
        case Status.RESEARCHING if current in {Status.IN_REVIEW, Status.APPROVED}:
            return claim_send_back(**kwargs, reason=reason)
        case Status.RESEARCHING:
            return claim_start_research(**kwargs)
        case Status.IN_REVIEW:
            return claim_submit(**kwargs)
        case Status.APPROVED:
            return claim_approve(**kwargs)
        case Status.PUBLISHED:
            return claim_publish(**kwargs)
        case Status.DISMISSED:
            return claim_dismiss(**kwargs, reason=reason)
        case Status.CORRECTED:
            raise InvalidInput("Open the claim to correct a published verdict: a public note is required.")
    label_from, label_to = Status(current).label, Status(to_status).label
    allowed = ", ".join(ACTION_LABELS[a] for a in allowed_actions(current)) or "nothing"
    raise InvalidTransition(f"A claim cannot move from {label_from} to {label_to}. From {label_from} you can: {allowed}.")


# --------------------------------------------------------------------------- discussion


@transaction.atomic
def comment_add(*, actor, claim: Claim | int, body: str) -> Comment:
    locked = _lock_claim(_claim_id(claim))
    check_permission(actor=actor, claim=locked, action="comment")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The comment is empty.")
    if len(body) > 5000:
        raise InvalidInput("The comment is too long (5,000 characters at most).")
    comment = Comment.objects.create(claim=locked, author=actor, body=body)
    _touch(locked)
    record_event(actor=actor, action="commented", claim=locked, message=body[:200])
    return comment


@transaction.atomic
def notifications_mark_read(*, actor, ids: Sequence[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --------------------------------------------------------------------------- report export


@transaction.atomic
def export_job_create(
    *,
    actor,
    format: str,
    internal: bool,
    article: Article | None = None,
    filters: dict | None = None,
    claim_count: int = 0,
):
    """Queue a large report export as a Job (kind "export") for claims.tasks.export_report."""
    from claims.models import Job
    from claims.reports import FORMATS

    if format not in FORMATS:
        raise InvalidInput("Choose a report format from the list.")
    if internal:
        require_editor(actor, "export internal reports")
    job = Job.objects.create(
        kind=Job.Kind.EXPORT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        total=claim_count + 1,
        params={
            "format": format,
            "internal": bool(internal),
            "article_id": article.pk if article is not None else None,
            "filters": filters or {},
        },
    )
    record_event(
        actor=actor,
        action="report_export_queued",
        article=article,
        message=f"Queued a {FORMATS[format].label} export of {claim_count:,} claims.",
        after={"job": job.pk, "format": format, "internal": bool(internal)},
    )
    return job
