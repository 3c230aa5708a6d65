"""Research: the reviewer's work on a claim — starting it, the verdict and its
one-sentence conclusion, and the sources behind it."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput
from claims.extraction.segmentation import split_sentences
from claims.ids import parse_id
from claims.models import Claim, Rating, Source
from claims.services.write import begin, claim_id_of, lock_claim, record_event, touch
from claims.validation import validate_http_url

CONCLUSION_MAX_CHARS = 600


@transaction.atomic
def claim_start_research(
    *, actor, claim: Claim | int, expected_version: int | None = None
) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="start_research",
        event="research_started",
        expected_version=expected_version,
    )
    write.claim.status = workflow.target_status("start_research")
    return write.save(message="Started research.", fields=["status"])


def validate_conclusion(conclusion: str) -> str:
    """One sentence of at most 600 characters, whitespace collapsed."""
    conclusion = " ".join((conclusion or "").split())
    if len(conclusion) > CONCLUSION_MAX_CHARS:
        raise InvalidInput("The conclusion must be one sentence of at most 600 characters.")
    if conclusion and len(split_sentences(conclusion)) > 1:
        raise InvalidInput("The conclusion must be a single sentence.")
    return conclusion


def active_rating(rating: Rating | int | str | None) -> Rating | None:
    """The rating chosen from the active scale; None for "no verdict"."""
    if rating in (None, ""):
        return None
    if isinstance(rating, Rating):
        rating = rating.pk
    found = Rating.objects.filter(
        pk=parse_id(rating, message="Choose a verdict from the scale."), is_active=True
    ).first()
    if found is None:
        raise InvalidInput("Choose a verdict from the scale.")
    return found


@transaction.atomic
def claim_set_verdict(
    *,
    actor,
    claim: Claim | int,
    rating: Rating | int | None,
    conclusion: str,
    expected_version: int | None,
) -> Claim:
    write = begin(
        claim=claim,
        actor=actor,
        permission="set_verdict",
        event="verdict_set",
        expected_version=expected_version,
    )
    rating_obj = active_rating(rating)
    write.claim.rating = rating_obj
    write.claim.conclusion = validate_conclusion(conclusion)
    write.claim.proposed_by = actor
    return write.save(
        message=f"Verdict: {rating_obj or 'none'}.", fields=["rating", "conclusion", "proposed_by"]
    )


# ---------------------------------------------------------------- sources


def _source_fields(
    *,
    url: str,
    title: str,
    publisher: str,
    accessed_on,
    archived_url: str,
    excerpt: str,
    stance: str,
) -> dict:
    url = validate_http_url(url, label="The source URL")
    if not url:
        raise InvalidInput("The source URL is required.")
    if stance not in Source.Stance.values:
        raise InvalidInput("Choose whether the source supports, refutes or gives context.")
    return {
        "url": url,
        "title": (title or "").strip()[:300],
        "publisher": (publisher or "").strip()[:200],
        "accessed_on": accessed_on or timezone.localdate(),
        "archived_url": validate_http_url(archived_url, label="The archived URL"),
        "excerpt": (excerpt or "").strip(),
        "stance": stance,
    }


def _source_snapshot(source: Source) -> dict:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "stance": source.stance,
    }


def _refuse_duplicate(claim: Claim, url: str, *, except_pk: int | None = None) -> None:
    if claim.sources.filter(url__iexact=url).exclude(pk=except_pk).exists():
        raise InvalidInput("This source is already listed for this claim.")


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
    locked = lock_claim(claim_id_of(claim))
    workflow.require(actor, locked, "add_source")
    data = _source_fields(
        url=url,
        title=title,
        publisher=publisher,
        accessed_on=accessed_on,
        archived_url=archived_url,
        excerpt=excerpt,
        stance=stance,
    )
    _refuse_duplicate(locked, data["url"])
    try:
        with transaction.atomic():
            source = Source.objects.create(claim=locked, added_by=actor, **data)
    except IntegrityError:
        raise InvalidInput("This source is already listed for this claim.") from None
    touch(locked)
    record_event(
        actor=actor,
        action="source_added",
        claim=locked,
        message=f"Added source {data['url']}.",
        after=_source_snapshot(source),
    )
    return source


def _lock_source(*, actor, source: Source | int, permission: str) -> tuple[Source, Claim]:
    """The source and its claim, locked, after the workflow allowed `permission`."""
    source_id = (
        source.pk
        if isinstance(source, Source)
        else parse_id(source, message="That source no longer exists.")
    )
    claim_id = Source.objects.filter(pk=source_id).values_list("claim_id", flat=True).first()
    if claim_id is None:
        raise InvalidInput("That source no longer exists.")
    locked = lock_claim(claim_id)
    workflow.require(actor, locked, permission)
    found = Source.objects.filter(pk=source_id).first()
    if found is None:
        raise InvalidInput("That source no longer exists.")
    return found, locked


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
    source, locked = _lock_source(actor=actor, source=source, permission="edit_source")
    before = _source_snapshot(source)
    data = _source_fields(
        url=url,
        title=title,
        publisher=publisher,
        accessed_on=accessed_on,
        archived_url=archived_url,
        excerpt=excerpt,
        stance=stance,
    )
    _refuse_duplicate(locked, data["url"], except_pk=source.pk)
    for name, value in data.items():
        setattr(source, name, value)
    source.save()
    touch(locked)
    record_event(
        actor=actor,
        action="source_edited",
        claim=locked,
        message=f"Edited source {source.url}.",
        before=before,
        after=_source_snapshot(source),
    )
    return source


@transaction.atomic
def source_remove(*, actor, source: Source | int) -> None:
    source, locked = _lock_source(actor=actor, source=source, permission="remove_source")
    before = _source_snapshot(source)
    source.delete()
    touch(locked)
    record_event(
        actor=actor,
        action="source_removed",
        claim=locked,
        message=f"Removed source {before['url']}.",
        before=before,
    )
