"""Reads for the fact-check archive page and the "Checked before" boxes, in a
fixed number of queries however many entries or claims there are."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet

from claims import workflow
from claims.matching import MODEL_VERSION, MatchIndex, vectors_from_bytes
from claims.models import ArchiveEntry, Claim, ClaimLink, ClaimMatch, MatchRun

# Meaning search shows at most this many entries, best first, above this score.
MEANING_RESULTS = 100
MEANING_MIN_SCORE = 0.3


@dataclass(frozen=True)
class ArchiveFilters:
    q: str = ""
    mode: str = "words"  # "words" (keyword search) or "meaning" (the matching engine)
    publisher: str = ""
    rating: str = ""
    language: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.publisher, self.rating, self.language, self.date_from, self.date_to)
        )


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def archive_filters(params: Mapping[str, str]) -> ArchiveFilters:
    """Filters from a query string; anything unreadable is ignored, never an error."""

    def text(name: str, limit: int = 200) -> str:
        return " ".join((params.get(name) or "").replace("\x00", "").split())[:limit]

    return ArchiveFilters(
        q=text("q", 500),
        mode="meaning" if params.get("mode") == "meaning" else "words",
        publisher=text("publisher"),
        rating=text("rating"),
        language=text("language", 20),
        date_from=_date(params.get("from", "")),
        date_to=_date(params.get("to", "")),
    )


def archive_entries(filters: ArchiveFilters) -> QuerySet[ArchiveEntry]:
    """Entries matching the filters and, in "words" mode, every word of the search."""
    entries = ArchiveEntry.objects.defer("vector")
    if filters.publisher:
        entries = entries.filter(publisher=filters.publisher)
    if filters.rating:
        entries = entries.filter(rating__iexact=filters.rating)
    if filters.language:
        entries = entries.filter(language__iexact=filters.language)
    if filters.date_from:
        entries = entries.filter(published_on__gte=filters.date_from)
    if filters.date_to:
        entries = entries.filter(published_on__lte=filters.date_to)
    if filters.q and filters.mode == "words":
        for word in filters.q.split()[:10]:
            entries = entries.filter(
                Q(claim_text__icontains=word)
                | Q(conclusion__icontains=word)
                | Q(publisher__icontains=word)
            )
    return entries.order_by("-published_on", "-id")


def archive_meaning_results(filters: ArchiveFilters) -> list[tuple[ArchiveEntry, float]]:
    """Entries closest in meaning to the search (the matching engine), best first,
    within the other filters. Entries not yet encoded are left out until the
    background task has encoded them."""
    archive = archive_index()
    hits = archive.index.search(filters.q, k=MEANING_RESULTS, min_score=MEANING_MIN_SCORE)
    scores = {archive.entry_ids[h.position]: h.score for h in hits}
    found = archive_entries(ArchiveFilters(**{**vars(filters), "q": ""})).filter(
        pk__in=list(scores)
    )
    return sorted(((e, scores[e.pk]) for e in found), key=lambda pair: -pair[1])


@dataclass(frozen=True)
class ArchiveFacets:
    publishers: list[str]
    ratings: list[str]
    languages: list[str]


def archive_facets() -> ArchiveFacets:
    """The values the filters offer (three queries)."""

    def distinct(name: str) -> list[str]:
        values = (
            ArchiveEntry.objects.exclude(**{name: ""})
            .order_by(name)
            .values_list(name, flat=True)
            .distinct()
        )
        return list(values[:500])

    return ArchiveFacets(
        publishers=distinct("publisher"), ratings=distinct("rating"), languages=distinct("language")
    )


# ---------------------------------------------------------------- the index, cached per process


@dataclass(frozen=True)
class ArchiveIndex:
    stamp: tuple
    index: MatchIndex
    entry_ids: list[int]


_cache: dict[str, ArchiveIndex] = {}
_cache_lock = threading.Lock()


def encoded_entries():
    return ArchiveEntry.objects.filter(vector__isnull=False, vector_version=MODEL_VERSION)


def archive_stamp() -> tuple:
    """Changes whenever an encoded entry is added, changed or removed."""
    agg = encoded_entries().aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return (MODEL_VERSION, agg["n"], agg["last"], agg["top"])


def archive_index() -> ArchiveIndex:
    """The index over every encoded archive entry, cached per process by stamp."""
    stamp = archive_stamp()
    cached = _cache.get("archive")
    if cached is not None and cached.stamp == stamp:
        return cached
    with _cache_lock:
        cached = _cache.get("archive")
        if cached is not None and cached.stamp == stamp:
            return cached
        rows = list(
            encoded_entries().order_by("pk").values_list("pk", "claim_text", "conclusion", "vector")
        )
        texts = [f"{text} {conclusion}".strip() for _, text, conclusion, _ in rows]
        vectors = vectors_from_bytes([bytes(v) for *_, v in rows])
        built = ArchiveIndex(
            stamp=stamp,
            index=MatchIndex.from_vectors(texts, vectors),
            entry_ids=[r[0] for r in rows],
        )
        _cache["archive"] = built
        return built


# ---------------------------------------------------------------- "Checked before"


@dataclass
class CheckedBefore:
    """What the screens show for one claim."""

    state: str = ""  # "" never sent to matching, "pending", or "done"
    entries: list[tuple[ArchiveEntry, float]] = field(default_factory=list)
    open_claims: list[tuple[Claim, float]] = field(default_factory=list)
    same_entry_ids: set[int] = field(default_factory=set)
    same_claim_ids: set[int] = field(default_factory=set)
    reused_entry_ids: set[int] = field(default_factory=set)
    reused_claim_ids: set[int] = field(default_factory=set)

    @property
    def looking(self) -> bool:
        return self.state == MatchRun.State.PENDING


def checked_before(claims: Iterable[Claim]) -> dict[int, CheckedBefore]:
    """Stored matches and links of these claims, by claim id (three queries)."""
    ids = [c.pk for c in claims]
    result = {pk: CheckedBefore() for pk in ids}
    if not ids:
        return result
    for claim_id, state in MatchRun.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "state"
    ):
        result[claim_id].state = state
    matches = (
        ClaimMatch.objects.filter(claim_id__in=ids)
        .select_related("entry", "other_claim__assignee", "other_claim__article")
        .order_by("-score", "id")
    )
    for match in matches:
        box = result[match.claim_id]
        if match.entry_id:
            box.entries.append((match.entry, match.score))
        elif match.other_claim.status in workflow.OPEN:
            box.open_claims.append((match.other_claim, match.score))
    for link in ClaimLink.objects.filter(Q(claim_id__in=ids) | Q(other_claim_id__in=ids)):
        for mine, other in (
            (link.claim_id, link.other_claim_id),
            (link.other_claim_id, link.claim_id),
        ):
            if mine not in result:
                continue
            box = result[mine]
            if link.kind == ClaimLink.Kind.SAME_CLAIM:
                box.same_entry_ids.update(
                    [link.entry_id] if link.entry_id and mine == link.claim_id else []
                )
                box.same_claim_ids.update([other] if other else [])
            elif mine == link.claim_id:
                box.reused_entry_ids.update([link.entry_id] if link.entry_id else [])
                box.reused_claim_ids.update([other] if other else [])
    return result


def same_claim_links(claim_ids: Iterable[int]) -> dict[int, list[str]]:
    """For reports: each claim's "same claim" links, in words (one query)."""
    ids = list(claim_ids)
    out: dict[int, list[str]] = {}
    links = (
        ClaimLink.objects.filter(kind=ClaimLink.Kind.SAME_CLAIM)
        .filter(Q(claim_id__in=ids) | Q(other_claim_id__in=ids))
        .select_related("entry", "claim", "other_claim")
    )
    for link in links:
        if link.entry_id and link.claim_id in ids:
            where = link.entry.publisher or "an earlier fact-check"
            out.setdefault(link.claim_id, []).append(f"{where}: {link.entry.link}")
        if link.other_claim_id:
            for mine, other in ((link.claim, link.other_claim), (link.other_claim, link.claim)):
                if mine.pk in ids:
                    out.setdefault(mine.pk, []).append(f"claim #{other.pk}: “{other.text[:120]}”")
    return out
