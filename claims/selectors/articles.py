"""The article pages' reads: the list with progress bars, the article's claims,
the triage rows and the body cut into segments for highlighting."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Lower
from django.utils import timezone

from claims import workflow
from claims.models import Article, Claim, Job
from claims.permissions import is_editor
from claims.text import shorten

Status = Claim.Status

SCORE_BINS = 5
SCORE_BIN_LABELS = ["under 0.2", "0.2–0.4", "0.4–0.6", "0.6–0.8", "0.8 and over"]


def score_bin(score: float) -> int:
    return max(0, min(SCORE_BINS - 1, int(float(score) * SCORE_BINS)))


@dataclass(frozen=True)
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
    return _bar([(value, label, counts.get(value, 0)) for value, label in Status.choices])


# The Articles list's sort choices: URL value -> (label, ordering).
ARTICLE_SORTS: dict[str, tuple[str, tuple]] = {
    "newest": ("Newest added", (F("created_at").desc(), F("id").desc())),
    "oldest": ("Oldest added", (F("created_at").asc(), F("id").asc())),
    "published": ("Publication date", (F("published_on").desc(nulls_last=True), F("id").desc())),
    "title": ("Title", (Lower("title").asc(), F("id").asc())),
    "outlet": ("Outlet", (Lower("outlet").asc(), Lower("title").asc(), F("id").asc())),
}
DEFAULT_ARTICLE_SORT = "newest"


def articles_for_list(*, q: str = "", sort: str = DEFAULT_ARTICLE_SORT, closed: bool = False):
    """Open articles (or, with `closed`, only closed ones), searched by title,
    outlet or author, in the chosen order. Lean rows: the body and extracted
    sentences are not read, and claim counts come from `with_status_counts` for
    the page shown only (counting every article's claims grew with the database)."""
    qs = Article.objects.filter(closed_at__isnull=not closed)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(outlet__icontains=q) | Q(author__icontains=q))
    ordering = ARTICLE_SORTS.get(sort, ARTICLE_SORTS[DEFAULT_ARTICLE_SORT])[1]
    return qs.select_related("added_by").defer("body", "candidates").order_by(*ordering)


def with_status_counts(articles) -> list:
    """The articles, each with `n_<status>` claim counts: one grouped query for all
    of them. Merged-away claims live on inside the claim they went into: not counted."""
    articles = list(articles)
    counts: dict[tuple[int, str], int] = {}
    rows = (
        Claim.objects.filter(article_id__in=[a.pk for a in articles], merged_into__isnull=True)
        .order_by()
        .values_list("article_id", "status")
        .annotate(n=Count("id"))
    )
    for article_id, status, n in rows:
        counts[(article_id, status)] = n
    for article in articles:
        for value in Status.values:
            setattr(article, f"n_{value}", counts.get((article.pk, value), 0))
    return articles


def article_label(*, title: str, outlet: str = "", published_on=None, created_at=None) -> str:
    """A title that tells same-named articles apart: "Title — Outlet, 3 Mar 2026"
    (the publication date, else the date it was added)."""
    day = published_on or (timezone.localdate(created_at) if created_at else None)
    details = ", ".join(part for part in (outlet, f"{day.day} {day:%b %Y}" if day else "") if part)
    title = shorten(title, 70)
    return f"{title} — {details}" if details else title


def article_row_bar(article) -> list[BarPart]:
    return status_bar({value: getattr(article, f"n_{value}", 0) for value in Status.values})


def article_claims(article) -> list[Claim]:
    return list(
        Claim.objects.filter(article=article)
        .select_related("assignee", "rating")
        .order_by("start", "end", "id")
    )


def _is_live(claim) -> bool:
    return claim.status != Status.DISMISSED


HIDDEN_VERDICT = ("verdict-none", "Verdict not published yet")


def is_merged_away(claim) -> bool:
    return claim.merged_into_id is not None


def article_progress(claims, *, viewer) -> dict:
    """Claims by status and by verdict (live claims only) as bars. Verdicts the
    viewer may not see yet (workflow.can_see_verdict) are counted, not named;
    merged-away claims are in neither (the claim they went into counts for them)."""
    claims = [c for c in claims if not is_merged_away(c)]
    by_status = Counter(c.status for c in claims)
    live = [c for c in claims if _is_live(c)]
    verdicts: Counter = Counter()
    names: dict[str, tuple[str, int]] = {}
    for c in live:
        if c.rating_id and not workflow.can_see_verdict(viewer, c):
            key, label = HIDDEN_VERDICT
            verdicts[(key, label)] += 1
            names[label] = (key, -1)
            continue
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


@dataclass(frozen=True)
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
    sentences = sorted((c["start"], c["end"], c["score"]) for c in article.candidates or [])
    live = [c for c in claims if _is_live(c)]
    cuts = {0, len(body)}
    for start, end, _ in sentences:
        cuts.update((start, end))
    for claim in live:
        cuts.update((claim.start, claim.end))
    cuts = sorted(c for c in cuts if 0 <= c <= len(body))
    segments, s_index = [], 0
    for lo, hi in zip(cuts, cuts[1:], strict=False):
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


@dataclass(frozen=True)
class TriageRow:
    start: int
    end: int
    text: str
    score: float
    score_bin: int
    checkworthy: bool
    kinds: list
    kept: bool
    # The dismissed claim on this sentence: the editor rejected it, so it stays
    # unticked until an explicit "Restore".
    dismissed: Claim | None = None
    # Ticked when the page opens: only check-worthy sentences, and only before
    # the editor has made any triage decision on this extraction.
    preselected: bool = False

    @property
    def span(self) -> str:
        return f"{self.start}-{self.end}"


def kind_labels(kinds) -> list[tuple[str, str]]:
    """(value, label) pairs for claim kinds; unknown kinds keep their raw name."""
    labels = dict(Claim.Kind.choices)
    return [(k, labels.get(k, str(k).replace("_", " "))) for k in kinds or []]


def _covered(span: tuple[int, int], live_spans: list[tuple[int, int]]) -> bool:
    """A sentence inside a live claim (e.g. a merged one) is already kept."""
    return any(start <= span[0] and span[1] <= end for start, end in live_spans)


def dismissed_by_span(claims) -> dict[tuple[int, int], Claim]:
    """Dismissed claims by their sentence span; a keep never revives them."""
    return {
        (c.start, c.end): c
        for c in claims
        if c.status == Status.DISMISSED and not is_merged_away(c)
    }


def triage_rows(article, claims) -> list[TriageRow]:
    """The extracted sentences with their triage state. Check-worthy sentences are
    pre-ticked only until the first decision (a keep or a dismissal of one of
    them): after that a sentence the editor left unticked stays unticked."""
    candidates = article.candidates or []
    live_spans = [(c.start, c.end) for c in claims if _is_live(c)]
    dismissed = dismissed_by_span(claims)
    decided = {(c.start, c.end) for c in claims}
    first_pass = not any((c["start"], c["end"]) in decided for c in candidates)
    rows = []
    for c in candidates:
        span = (c["start"], c["end"])
        kept = _covered(span, live_spans)
        rejected = None if kept else dismissed.get(span)
        rows.append(
            TriageRow(
                start=c["start"],
                end=c["end"],
                text=article.body[c["start"] : c["end"]],
                score=c["score"],
                score_bin=score_bin(c["score"]),
                checkworthy=c["checkworthy"],
                kinds=kind_labels(c.get("kinds", [])),
                kept=kept,
                dismissed=rejected,
                preselected=first_pass and c["checkworthy"] and not kept and rejected is None,
            )
        )
    return rows


def find_unclaimed_text(*, article, text: str, claims) -> tuple[int, int] | None:
    """The first occurrence of `text` in the body that is not already a live claim."""
    needle = text.strip()
    if not needle:
        return None
    live = {(c.start, c.end) for c in claims if _is_live(c)}
    index = article.body.find(needle)
    while index >= 0:
        span = (index, index + len(needle))
        if span not in live:
            return span
        index = article.body.find(needle, index + 1)
    return None


def article_rescore_job(article: Article) -> Job | None:
    """The background re-score of the article's current extraction, if any
    (claims.services.rescoring)."""
    if article.extracted_at is None:
        return None
    return (
        Job.objects.filter(
            kind=Job.Kind.RESCORE,
            params__article_id=article.pk,
            params__extracted_at=article.extracted_at.isoformat(),
        )
        .order_by("-pk")
        .first()
    )


def job_can_view(*, user, job) -> bool:
    return is_editor(user) or job.created_by_id == user.pk
