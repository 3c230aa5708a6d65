"""Articles and triage: adding an article, extracting its sentences, and the
editor's claim edits there (keep, add from a selection, edit wording, merge, split)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput
from claims.extraction import ExtractionError, extract_claims, rescore_pending
from claims.ids import parse_ids
from claims.models import Article, Claim
from claims.permissions import require_editor
from claims.services.matching import matching_request
from claims.services.rescoring import rescore_job_create
from claims.services.write import (
    ClaimWrite,
    actor_or_none,
    begin,
    claim_id_of,
    claim_snapshot,
    lock_claims,
    record_event,
)
from claims.validation import validate_article_body, validate_http_url

Status = Claim.Status


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
    body = validate_article_body(body)
    title = (title or "").strip() or _title_from_body(body)
    article = Article.objects.create(
        title=title[:300],
        body=body,
        outlet=outlet.strip()[:200],
        author=author.strip()[:200],
        url=validate_http_url(url, label="The article URL"),
        published_on=published_on,
        added_by=actor_or_none(actor),
    )
    record_event(
        actor=actor,
        action="article_created",
        article=article,
        message=f"Added article “{article.title}”.",
        after={"title": article.title, "characters": len(body)},
    )
    return article


@transaction.atomic
def article_close(*, actor, article: Article) -> Article:
    """Close an article: it leaves the lists, filters and board; its claims,
    history and exports stay."""
    return _set_closed(actor=actor, article=article, action="close_article")


@transaction.atomic
def article_reopen(*, actor, article: Article) -> Article:
    return _set_closed(actor=actor, article=article, action="reopen_article")


def _set_closed(*, actor, article: Article, action: str) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    workflow.can_article(actor, article, action).raise_if_denied()
    closing = action == "close_article"
    before = {"closed_at": article.closed_at.isoformat() if article.closed_at else None}
    article.closed_at = timezone.now() if closing else None
    article.save(update_fields=["closed_at", "updated_at"])
    record_event(
        actor=actor,
        action="article_closed" if closing else "article_reopened",
        article=article,
        message=f"Closed “{article.title}”." if closing else f"Reopened “{article.title}”.",
        before=before,
        after={"closed_at": article.closed_at.isoformat() if article.closed_at else None},
    )
    return article


TITLE_FROM_BODY_CHARS = 120


def _title_from_body(body: str) -> str:
    """The first line, or as many of its words as fit, marked as cut with "…"."""
    first_line = next((line.strip() for line in body.splitlines() if line.strip()), "Untitled")
    if len(first_line) <= TITLE_FROM_BODY_CHARS:
        return first_line
    cut = first_line[: TITLE_FROM_BODY_CHARS - 1]
    if " " in cut and not first_line[TITLE_FROM_BODY_CHARS - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–—-") + "…"


@transaction.atomic
def article_extract(*, actor, article: Article) -> Article:
    """Run the extraction engine and store its candidates; kept claims are untouched."""
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
    rescore = rescore_pending(len(candidates))
    record_event(
        actor=actor,
        action="claims_extracted",
        article=article,
        message=(
            f"Extracted {len(candidates)} sentences, "
            f"{sum(c.checkworthy for c in candidates)} check-worthy"
            + ("; the full model re-scores them in the background" if rescore else "")
        ),
        after={"sentences": len(candidates)},
    )
    if rescore:
        rescore_job_create(actor=actor, article=article)
    return article


def _candidate_for(article: Article, start: int, end: int) -> dict | None:
    for candidate in article.candidates:
        if candidate["start"] == start and candidate["end"] == end:
            return candidate
    return None


def trimmed_span(body: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end; refused when empty or outside."""
    if not (0 <= start < end <= len(body)):
        raise InvalidInput("That selection is outside the article's text.")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start >= end:
        raise InvalidInput("The selection holds no text.")
    return start, end


def live_claims(article: Article):
    return Claim.objects.filter(article=article).exclude(status=Status.DISMISSED)


def _renumber(article: Article) -> None:
    """Keep `position` equal to reading order among the article's claims."""
    claims = list(Claim.objects.filter(article=article).order_by("start", "end", "id"))
    changed = []
    for index, claim in enumerate(claims):
        if claim.position != index:
            claim.position = index
            changed.append(claim)
    if changed:
        Claim.objects.bulk_update(changed, ["position"])


def _create_claim(
    *, actor, article: Article, start: int, end: int, event: str, message: str
) -> Claim:
    candidate = _candidate_for(article, start, end) or {}
    claim = Claim.objects.create(
        article=article,
        text=article.body[start:end],
        start=start,
        end=end,
        score=float(candidate.get("score", 0.0)),
        kinds=list(candidate.get("kinds", [])),
        created_by=actor_or_none(actor),
    )
    record_event(
        actor=actor, action=event, claim=claim, message=message, after=claim_snapshot(claim)
    )
    matching_request([claim])
    return claim


@transaction.atomic
def claims_keep(*, actor, article: Article, spans: Sequence[tuple[int, int]]) -> list[Claim]:
    """Keep the chosen sentences as claims. Spans already kept are skipped, so
    repeating it (or re-running extraction) never duplicates a claim; spans of
    dismissed claims are skipped too: a dismissal sticks until "Restore"."""
    require_editor(actor, "keep claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    live = set(live_claims(article).values_list("start", "end"))
    dismissed = set(
        Claim.objects.filter(article=article, status=Status.DISMISSED).values_list("start", "end")
    )
    created = []
    for start, end in sorted(set(spans)):
        start, end = trimmed_span(article.body, int(start), int(end))
        if (start, end) in live or (start, end) in dismissed:
            continue
        created.append(
            _create_claim(
                actor=actor,
                article=article,
                start=start,
                end=end,
                event="claim_kept",
                message="Kept as a claim.",
            )
        )
        live.add((start, end))
    _renumber(article)
    return created


@transaction.atomic
def claim_add_from_selection(*, actor, article: Article, start: int, end: int) -> Claim:
    require_editor(actor, "add claims")
    article = Article.objects.select_for_update().get(pk=article.pk)
    start, end = trimmed_span(article.body, int(start), int(end))
    if live_claims(article).filter(start=start, end=end).exists():
        raise InvalidInput("That text is already a claim.")
    claim = _create_claim(
        actor=actor,
        article=article,
        start=start,
        end=end,
        event="claim_added",
        message="Added from selected text.",
    )
    _renumber(article)
    return claim


@transaction.atomic
def claim_edit_text(*, actor, claim: Claim | int, text: str, expected_version: int | None) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="edit_text",
        event="claim_edited",
        expected_version=expected_version,
    )
    text = (text or "").strip()
    if not text:
        raise InvalidInput("The claim's wording cannot be empty.")
    if len(text) > 5000:
        raise InvalidInput("The claim's wording is too long (5,000 characters at most).")
    write.claim.text = text
    matching_request([write.claim])
    return write.save(message="Edited the wording.", fields=["text"])


@transaction.atomic
def claims_merge(*, actor, claim_ids: Sequence[int | str], article: Article | None = None) -> Claim:
    """Merge neighbouring claims of one article into one claim covering them all.
    With `article`, every claim must belong to it."""
    require_editor(actor, "merge claims")
    ids = sorted(set(parse_ids(claim_ids, message="Some of the selected claims no longer exist.")))
    if len(ids) < 2:
        raise InvalidInput("Select at least two neighbouring claims to merge.")
    locked = lock_claims(ids)
    if article is not None and any(c.article_id != article.pk for c in locked.values()):
        raise InvalidInput("Only claims of this article can be merged here.")
    if len(locked) != len(ids):
        raise InvalidInput("Some of the selected claims no longer exist.")
    claims = sorted(locked.values(), key=lambda c: (c.start, c.pk))
    owner = claims[0].article
    if any(c.article_id != owner.pk for c in claims):
        raise InvalidInput("Only claims from the same article can be merged.")
    for claim in claims:
        workflow.require(actor, claim, "merge")
    start, end = claims[0].start, max(c.end for c in claims)
    between = live_claims(owner).filter(start__lt=end, end__gt=start).exclude(pk__in=ids)
    if between.exists():
        raise InvalidInput(
            "Only neighbouring claims can be merged: another claim lies between them."
        )
    befores = {c.pk: claim_snapshot(c) for c in claims}
    # Out of the live set first, so the merged claim's span is free even when one
    # of them already covers it.
    Claim.objects.filter(pk__in=ids).update(status=Status.DISMISSED)
    assignees = {c.assignee_id for c in claims}
    shared_assignee = claims[0].assignee if len(assignees) == 1 else None
    edited = any(c.text != owner.body[c.start : c.end] for c in claims)
    merged = Claim.objects.create(
        article=owner,
        text=" ".join(c.text.strip() for c in claims) if edited else owner.body[start:end],
        start=start,
        end=end,
        score=max(c.score for c in claims),
        kinds=sorted({k for c in claims for k in c.kinds}),
        assignee=shared_assignee,
        status=Status.ASSIGNED if shared_assignee else Status.UNASSIGNED,
        created_by=actor_or_none(actor),
    )
    record_event(
        actor=actor,
        action="claims_merged",
        claim=merged,
        message="Merged claims " + ", ".join(f"#{c.pk}" for c in claims) + ".",
        after=claim_snapshot(merged),
    )
    # A merge is recorded as a link, not a dismissal: counts and reports leave
    # merged-away claims out (the status only keeps them out of the live set).
    for claim in claims:
        write = ClaimWrite(
            claim=claim, actor=actor, event="claim_merged_away", before=befores[claim.pk]
        )
        claim.status = Status.DISMISSED
        claim.merged_into = merged
        claim.dismissed_reason = ""
        write.save(
            message=f"Merged into claim #{merged.pk}.",
            fields=["status", "merged_into", "dismissed_reason"],
        )
    matching_request([merged])
    _renumber(owner)
    return merged


@transaction.atomic
def claim_split(
    *, actor, claim: Claim | int, at: int, expected_version: int | None
) -> tuple[Claim, Claim]:
    """Split a claim into two at `at` characters into its original sentence span."""
    write = begin(
        claim=claim_id_of(claim),
        actor=actor,
        permission="split",
        event="claim_split",
        expected_version=expected_version,
    )
    original = write.claim
    cut = original.start + int(at)
    body = original.article.body
    if not (original.start < cut < original.end):
        raise InvalidInput("Choose a split point inside the claim's text.")
    first = _trimmed_or_none(body, original.start, cut, tail=CUT_STRAY_BEFORE)
    second = _trimmed_or_none(body, cut, original.end, head=CUT_STRAY_AFTER)
    if first is None or second is None:
        raise InvalidInput("Both parts of a split must contain text.")
    original.start, original.end = first
    original.text = body[first[0] : first[1]]
    write.save(message="Split into two claims.", fields=["start", "end", "text"])
    new = Claim.objects.create(
        article=original.article,
        text=body[second[0] : second[1]],
        start=second[0],
        end=second[1],
        score=original.score,
        kinds=list(original.kinds),
        status=original.status,
        assignee=original.assignee,
        due_date=original.due_date,
        created_by=actor_or_none(actor),
    )
    record_event(
        actor=actor,
        action="claim_split_off",
        claim=new,
        message=f"Split off claim #{original.pk}.",
        after=claim_snapshot(new),
    )
    matching_request([original, new])
    _renumber(original.article)
    return original, new


# Stray characters left at a split: "rose, | and fell" -> "rose" and "and fell".
# A sentence's own end (". ! ?" and closing quotes) stays with the first part.
CUT_STRAY_BEFORE = ",;:–—-/([{“‘\"'"
CUT_STRAY_AFTER = ",;:–—-/.!?)]}”’\"'"


def _trimmed_or_none(
    body: str, start: int, end: int, *, head: str = "", tail: str = ""
) -> tuple[int, int] | None:
    """The span without spaces at either end, nor `head` characters at its start or
    `tail` characters at its end (the stray punctuation at a cut)."""
    while start < end and (body[start].isspace() or body[start] in head):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in tail):
        end -= 1
    if start >= end or not any(ch.isalnum() for ch in body[start:end]):
        return None
    return start, end
