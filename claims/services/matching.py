""" "Checked before": matching claims against the fact-check archive and against
open claims in other articles, and what an editor does with a match.

Matching never runs in a request: services call `matching_request`, which marks
the claims "pending" (the panel says "Looking for earlier checks…") and, once the
transaction commits, enqueues claims.tasks.match_claims. The task stores each
claim's matches (`claims_match`).

Vectors live in the database (ArchiveEntry.vector, MatchRun.vector) with the
engine's MODEL_VERSION; rows encoded by another version are encoded again. The
archive's index is cached per process (claims.selectors.archive.archive_index).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims import workflow
from claims.errors import InvalidInput
from claims.extraction.segmentation import split_sentences
from claims.matching import (
    MODEL_VERSION,
    MatchIndex,
    encode_texts,
    vectors_from_bytes,
    vectors_to_bytes,
)
from claims.models import ArchiveEntry, Claim, ClaimLink, ClaimMatch, MatchRun, Rating, Source
from claims.selectors.archive import archive_index
from claims.services.research import CONCLUSION_MAX_CHARS
from claims.services.write import begin, lock_claims, record_event

# Chosen on the dev queries by scripts/choose_match_cut.py (docs/matching.md; the
# head was trained on the train queries, which flatters their scores): the lowest
# fused score at which at most 1 in 5 claims whose earlier check is missing from
# the archive would still be shown an unrelated one.
DEFAULT_MATCH_CUT = 0.45
ARCHIVE_MATCHES = 5
OPEN_MATCHES = 5
ENCODE_BATCH = 64


def match_cut() -> float:
    return float(getattr(settings, "FACTCHECK_MATCH_CUT", DEFAULT_MATCH_CUT))


# ---------------------------------------------------------------- asking for matches


def matching_request(claims: Iterable[Claim]) -> None:
    """Mark the claims "pending" and match them in the background once this
    transaction commits. Call inside the service's transaction."""
    ids = sorted({c.pk for c in claims})
    if not ids:
        return
    now = timezone.now()
    existing = set(MatchRun.objects.filter(claim_id__in=ids).values_list("claim_id", flat=True))
    MatchRun.objects.filter(claim_id__in=existing).update(
        state=MatchRun.State.PENDING, requested_at=now
    )
    MatchRun.objects.bulk_create(
        [
            MatchRun(claim_id=pk, state=MatchRun.State.PENDING, requested_at=now)
            for pk in ids
            if pk not in existing
        ]
    )
    transaction.on_commit(lambda: _enqueue_matching(ids))


def _enqueue_matching(ids: list[int]) -> None:
    from claims.tasks import match_claims  # tasks import services: enqueue lazily

    match_claims.enqueue(ids)


def archive_changed() -> None:
    """After the archive gained or changed entries: encode them in the background
    once the transaction commits."""
    transaction.on_commit(_enqueue_encoding)


def _enqueue_encoding() -> None:
    from claims.tasks import encode_archive

    encode_archive.enqueue()


# ---------------------------------------------------------------- stored vectors


def archive_encode_missing(*, batch: int = ENCODE_BATCH) -> int:
    """Encode archive entries that have no vector or one from another model version."""
    done = 0
    stale = ArchiveEntry.objects.filter(Q(vector__isnull=True) | ~Q(vector_version=MODEL_VERSION))
    while True:
        rows = list(stale.order_by("pk").only("pk", "claim_text", "conclusion")[:batch])
        if not rows:
            return done
        blobs = vectors_to_bytes(encode_texts([e.match_text for e in rows]))
        for entry, blob in zip(rows, blobs, strict=True):
            # A plain update: an entry edited meanwhile keeps its reset (vector=None).
            ArchiveEntry.objects.filter(
                pk=entry.pk, claim_text=entry.claim_text, conclusion=entry.conclusion
            ).update(vector=blob, vector_version=MODEL_VERSION, updated_at=timezone.now())
        done += len(rows)


def _claim_vectors(claims: Sequence[Claim]) -> dict[int, bytes]:
    """Each claim's vector, encoded again only when its wording or the model changed."""
    runs = {r.claim_id: r for r in MatchRun.objects.filter(claim__in=claims)}
    todo = [c for c in claims if not _run_current(runs.get(c.pk), c.text)]
    if todo:
        for claim, blob in zip(
            todo, vectors_to_bytes(encode_texts([c.text for c in todo])), strict=True
        ):
            run = runs.get(claim.pk) or MatchRun(claim=claim)
            run.text, run.vector, run.vector_version = claim.text, blob, MODEL_VERSION
            run.save()
            runs[claim.pk] = run
    return {pk: bytes(run.vector) for pk, run in runs.items()}


def _run_current(run: MatchRun | None, text: str) -> bool:
    return (
        run is not None
        and run.vector is not None
        and run.vector_version == MODEL_VERSION
        and run.text == text
    )


# ---------------------------------------------------------------- computing matches


def claims_match(*, claim_ids: Sequence[int]) -> int:
    """Find and store the matches of these claims: archive entries and open claims
    in other articles scoring at least the cut. Returns how many were stored.
    Runs in the background task, never in a request."""
    archive_encode_missing()
    claims = list(Claim.objects.filter(pk__in=claim_ids).exclude(status=Claim.Status.DISMISSED))
    if not claims:
        MatchRun.objects.filter(claim_id__in=claim_ids).update(
            state=MatchRun.State.DONE, computed_at=timezone.now()
        )
        return 0
    vectors = _claim_vectors(claims)
    archive = archive_index()
    own_entries = dict(ArchiveEntry.objects.filter(claim__in=claims).values_list("pk", "claim_id"))
    open_runs = list(
        MatchRun.objects.filter(
            claim__status__in=workflow.OPEN, vector__isnull=False, vector_version=MODEL_VERSION
        ).values_list("claim_id", "claim__article_id", "text", "vector")
    )
    open_index = MatchIndex.from_vectors(
        [text for _, _, text, _ in open_runs], vectors_from_bytes([bytes(v) for *_, v in open_runs])
    )
    cut, now = match_cut(), timezone.now()
    rows: list[ClaimMatch] = []
    for claim in claims:
        vector = vectors_from_bytes([vectors[claim.pk]])[0]
        for hit in archive.index.search_vector(
            claim.text, vector, k=ARCHIVE_MATCHES + 1, min_score=cut
        ):
            entry_id = archive.entry_ids[hit.position]
            if own_entries.get(entry_id) != claim.pk:
                rows.append(
                    ClaimMatch(claim=claim, entry_id=entry_id, score=hit.score, computed_at=now)
                )
        found = 0
        for hit in open_index.search_vector(claim.text, vector, k=len(open_runs), min_score=cut):
            other_id, other_article, *_ = open_runs[hit.position]
            if other_article == claim.article_id or found >= OPEN_MATCHES:
                continue
            found += 1
            rows.append(
                ClaimMatch(claim=claim, other_claim_id=other_id, score=hit.score, computed_at=now)
            )
            # The other claim learns of this one too: both are being checked.
            rows.append(
                ClaimMatch(claim_id=other_id, other_claim=claim, score=hit.score, computed_at=now)
            )
    rows = _one_row_per_pair(rows)
    with transaction.atomic():
        ids = [c.pk for c in claims]
        ClaimMatch.objects.filter(Q(claim_id__in=ids) | Q(other_claim_id__in=ids)).delete()
        # A run for an overlapping set of claims may have stored a pair since
        # the delete (another worker): its row stands, the unique constraints hold.
        ClaimMatch.objects.bulk_create(rows, ignore_conflicts=True)
        MatchRun.objects.filter(claim_id__in=ids).update(state=MatchRun.State.DONE, computed_at=now)
    return len(rows)


def _one_row_per_pair(rows: list[ClaimMatch]) -> list[ClaimMatch]:
    """Two claims of one run find each other from both sides: keep one row per
    (claim, target), the highest score (the same pair scores alike either way)."""
    best: dict[tuple[int, int | None, int | None], ClaimMatch] = {}
    for row in rows:
        key = (row.claim_id, row.entry_id, row.other_claim_id)
        if key not in best or row.score > best[key].score:
            best[key] = row
    return list(best.values())


# ---------------------------------------------------------------- acting on a match


def _target(*, entry: ArchiveEntry | int | None, other_claim: Claim | int | None):
    if (entry is None) == (other_claim is None):
        raise InvalidInput("Choose one earlier check: an archive entry or another claim.")
    if entry is not None:
        pk = entry.pk if isinstance(entry, ArchiveEntry) else entry
        found = ArchiveEntry.objects.select_related("claim__rating").filter(pk=pk).first()
        if found is None:
            raise InvalidInput("That earlier check is no longer in the archive.")
        return found, None
    pk = other_claim.pk if isinstance(other_claim, Claim) else other_claim
    return None, pk


def _refuse_role_first(actor, claim_id, action: str) -> None:
    """A person without the role hears so before anything about their input."""
    current = Claim.objects.filter(pk=claim_id).first()
    if current is None:
        raise InvalidInput("That claim no longer exists.")
    workflow.role_allows(actor, current, action).raise_if_denied()


def _describe(entry: ArchiveEntry | None, other: Claim | None) -> str:
    if entry is not None:
        who = entry.publisher or "the archive"
        return (
            f"{who}'s fact-check {entry.url}".strip()
            if entry.url
            else f"{who}'s fact-check #{entry.pk}"
        )
    return f"claim #{other.pk} (“{other.text[:80]}”)"


@transaction.atomic
def claim_link_same(
    *,
    actor,
    claim: Claim | int,
    entry: ArchiveEntry | int | None = None,
    other_claim: Claim | int | None = None,
) -> ClaimLink:
    """ "Same claim": link this claim with an earlier check. Both claims' histories
    record it (for an archive entry of this newsroom, its claim's history too)."""
    claim_id = claim.pk if isinstance(claim, Claim) else claim
    _refuse_role_first(actor, claim_id, "link_same")
    found_entry, other_id = _target(entry=entry, other_claim=other_claim)
    other_id = other_id or (found_entry.claim_id if found_entry is not None else None)
    if other_id == claim_id:
        raise InvalidInput("A claim cannot be the same claim as itself.")
    locked = lock_claims([claim_id, *([other_id] if other_id else [])])
    mine = locked.get(claim_id)
    if mine is None or (other_id and other_id not in locked):
        raise InvalidInput("That claim no longer exists.")
    workflow.require(actor, mine, "link_same")
    other = locked.get(other_id) if other_id else None
    link, created = ClaimLink.objects.get_or_create(
        claim=mine,
        kind=ClaimLink.Kind.SAME_CLAIM,
        entry=found_entry if other is None else None,
        other_claim=other,
        defaults={"created_by": actor},
    )
    if not created:
        raise InvalidInput("These are already linked as the same claim.")
    record_event(
        actor=actor,
        action="same_claim_linked",
        claim=mine,
        message=f"Same claim as {_describe(found_entry if other is None else None, other)}.",
        after={
            "same_claim": other.pk if other else None,
            "archive_entry": found_entry.pk if found_entry else None,
        },
    )
    if other is not None:
        record_event(
            actor=actor,
            action="same_claim_linked",
            claim=other,
            message=f"Same claim as claim #{mine.pk} (“{mine.text[:80]}”).",
            after={"same_claim": mine.pk},
        )
    return link


def first_sentence(text: str) -> str:
    """A one-sentence conclusion from a headline or a longer published conclusion."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    spans = split_sentences(text)
    first = text[spans[0][0] : spans[0][1]] if spans else text
    return first[:CONCLUSION_MAX_CHARS].strip()


@transaction.atomic
def claim_reuse_verdict(
    *,
    actor,
    claim: Claim | int,
    entry: ArchiveEntry | int | None = None,
    other_claim: Claim | int | None = None,
    expected_version: int | None = None,
) -> Claim:
    """ "Reuse verdict": copy an earlier verdict, conclusion and sources into this
    claim as a proposal. It still goes through review and an editor's approval;
    its history says where the proposal came from."""
    _refuse_role_first(actor, claim.pk if isinstance(claim, Claim) else claim, "reuse_verdict")
    found_entry, other_id = _target(entry=entry, other_claim=other_claim)
    if found_entry is not None and found_entry.claim_id:
        other_id, found_entry = (
            found_entry.claim_id,
            None,
        )  # our own published work: copy from the claim
    write = begin(
        claim=claim,
        actor=actor,
        permission="reuse_verdict",
        event="verdict_reused",
        expected_version=expected_version,
    )
    mine = write.claim
    if other_id == mine.pk:
        raise InvalidInput("A claim cannot reuse its own verdict.")
    if other_id is not None:
        other = Claim.objects.select_related("rating").filter(pk=other_id).first()
        if other is None or other.rating_id is None:
            raise InvalidInput("That claim has no verdict to reuse yet.")
        if other.status not in workflow.PUBLIC and not workflow.can(actor, other, "view"):
            raise InvalidInput("That claim's verdict is not published, so it cannot be reused.")
        rating, conclusion = other.rating, other.conclusion
        sources = [
            {
                "url": s.url,
                "title": s.title,
                "publisher": s.publisher,
                "excerpt": s.excerpt,
                "stance": s.stance,
                "archived_url": s.archived_url,
            }
            for s in other.sources.all()
        ]
        origin = _describe(None, other)
    else:
        rating = Rating.objects.filter(name__iexact=found_entry.rating, is_active=True).first()
        conclusion = first_sentence(found_entry.conclusion)
        sources = [
            {
                "url": found_entry.url,
                "title": found_entry.conclusion[:300],
                "publisher": found_entry.publisher,
                "excerpt": f"Rated “{found_entry.rating}”.",
                "stance": Source.Stance.CONTEXT,
                "archived_url": "",
            }
        ]
        origin = _describe(found_entry, None)
    have = {u.lower() for u in mine.sources.values_list("url", flat=True)}
    added = 0
    for data in sources:
        if data["url"] and data["url"].lower() not in have:
            Source.objects.create(
                claim=mine, added_by=actor, accessed_on=timezone.localdate(), **data
            )
            have.add(data["url"].lower())
            added += 1
    if rating is not None:
        mine.rating = rating
    mine.conclusion = conclusion or mine.conclusion
    mine.proposed_by = actor
    ClaimLink.objects.get_or_create(
        claim=mine,
        kind=ClaimLink.Kind.REUSED_VERDICT,
        entry=found_entry,
        other_claim_id=other_id,
        defaults={"created_by": actor},
    )
    unmapped = (
        ""
        if rating is not None or found_entry is None
        else (
            f" The published rating “{found_entry.rating}” is not on this newsroom's scale: choose the verdict."
        )
    )
    return write.save(
        message=f"Proposed verdict reused from {origin}; {added} source{'s' if added != 1 else ''} copied. "
        "It still needs an editor's approval." + unmapped,
        fields=["rating", "conclusion", "proposed_by"],
    )
