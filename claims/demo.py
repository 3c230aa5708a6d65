"""Demo and benchmark data: users, the sample article and synthetic articles.

Synthetic claims are bulk-inserted (10,000 in seconds) rather than walked through
the services one step at a time; each still gets a "seeded" audit event.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from claims import services, workflow
from claims.models import EDITORS_GROUP, REVIEWERS_GROUP, Article, Claim, Event, Rating, Source

DEMO_PASSWORD = "factcheck"  # noqa: S105 (demo accounts only; the README says so)
SAMPLE_ARTICLE = Path(__file__).resolve().parent / "fixtures" / "seed-article.txt"
SAMPLE_TITLE = "US Urges Israel to Permit Safe Passage for hamas Operatives in Rafah"
SYNTHETIC_PREFIX = "Demo article"

User = get_user_model()

_PLACES = [
    "Riverton",
    "Lakeside",
    "Northfield",
    "Port Alder",
    "Eastbrook",
    "Millbrook",
    "Carver County",
]
_TOPICS = [
    "unemployment",
    "violent crime",
    "school funding",
    "the housing deficit",
    "bus ridership",
    "hospital waiting times",
]
_TEMPLATES = [
    "{topic} in {place} rose by {n}% between {y1} and {y2}, according to the mayor.",
    "The council says {place} spent ${m} million on {topic} last year, twice the national average.",
    "Since the new law took effect in {y1}, {topic} in {place} has fallen to its lowest level in {n} years.",
    "{place} now has {k} more police officers than it did in {y1}, the governor said on Tuesday.",
    "Critics argue that cutting {topic} budgets by {n}% caused the rise in complaints in {place}.",
    "Officials predict that {topic} in {place} will double by {y2} if nothing changes.",
]


@dataclass
class SeedResult:
    users: int = 0
    articles: int = 0
    claims: int = 0


def ensure_users() -> dict[str, object]:
    editors, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS_GROUP)
    people = {}
    for username, group, first, last in [
        ("editor", editors, "Erin", "Editor"),
        ("reviewer1", reviewers, "Ravi", "Reviewer"),
        ("reviewer2", reviewers, "Rosa", "Reviewer"),
        ("reviewer3", reviewers, "Remi", "Reviewer"),
    ]:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.com"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(group)
        people[username] = user
    return people


def ensure_sample_article(editor) -> Article:
    article = Article.objects.filter(title=SAMPLE_TITLE).first()
    if article is None:
        body = SAMPLE_ARTICLE.read_text(encoding="utf-8")
        article = services.article_create(
            actor=editor,
            title=SAMPLE_TITLE,
            body=body,
            outlet="Wire service",
            author="Staff reporter",
            url="https://news.example/us-urges-israel-rafah",
            published_on=dt.date(2024, 5, 1),
        )
        services.article_extract(actor=editor, article=article)
    return article


def _synthetic_sentences(rng: random.Random, count: int) -> list[str]:
    sentences = []
    for _ in range(count):
        template = rng.choice(_TEMPLATES)
        y1 = rng.randint(1995, 2018)
        text = template.format(
            topic=rng.choice(_TOPICS),
            place=rng.choice(_PLACES),
            n=rng.randint(2, 60),
            m=rng.randint(3, 900),
            k=rng.randint(10, 400),
            y1=y1,
            y2=y1 + rng.randint(2, 8),
        )
        sentences.append(text[0].upper() + text[1:])
    return sentences


# Every status gets claims; later statuses get verdicts and sources.
_STATUS_CYCLE = [
    Claim.Status.UNASSIGNED,
    Claim.Status.ASSIGNED,
    Claim.Status.RESEARCHING,
    Claim.Status.IN_REVIEW,
    Claim.Status.APPROVED,
    Claim.Status.PUBLISHED,
    Claim.Status.CORRECTED,
    Claim.Status.DISMISSED,
]
# "Checked before" is looked up for this many open claims (the first articles'):
# enough for the demo, while the 10,000-claim benchmark data stays quick to load
# (matching runs inline in development, at about 100 claims a second).
DEMO_MATCHED_CLAIMS = 200
_WITH_VERDICT = {
    Claim.Status.IN_REVIEW,
    Claim.Status.APPROVED,
    Claim.Status.PUBLISHED,
    Claim.Status.CORRECTED,
}


@transaction.atomic
def seed_synthetic(
    *,
    editor,
    reviewers: list,
    articles: int,
    claims_per_article: int,
    seed: int = 7,
    archive: bool = True,
) -> SeedResult:
    """Create `articles` synthetic articles of `claims_per_article` claims; skip ones that exist.

    With `archive`, published claims enter the archive and the first open ones
    are matched against it (benchmarks of other pages can skip that work)."""
    result = SeedResult()
    rng = random.Random(seed)  # noqa: S311 (repeatable demo data, not secrets)
    ratings = list(Rating.objects.order_by("position"))
    existing = set(
        Article.objects.filter(title__startswith=SYNTHETIC_PREFIX).values_list("title", flat=True)
    )
    today = timezone.localdate()
    to_match: list[Claim] = []
    for index in range(1, articles + 1):
        title = f"{SYNTHETIC_PREFIX} {index:05d}: {rng.choice(_TOPICS)} in {rng.choice(_PLACES)}"
        sentences = _synthetic_sentences(rng, claims_per_article)
        if any(t.startswith(f"{SYNTHETIC_PREFIX} {index:05d}:") for t in existing):
            continue
        body, spans = "", []
        for sentence in sentences:
            start = len(body)
            body += sentence + " "
            spans.append((start, start + len(sentence)))
        article = Article.objects.create(
            title=title,
            body=body.rstrip(),
            outlet="Demo Gazette",
            author="Demo reporter",
            url=f"https://news.example/demo/{index}",
            published_on=today - dt.timedelta(days=index % 30),
            added_by=editor,
        )
        claims = []
        for position, (sentence, (start, end)) in enumerate(zip(sentences, spans, strict=True)):
            status = _STATUS_CYCLE[(index + position) % len(_STATUS_CYCLE)]
            assignee = (
                None
                if status in {Claim.Status.UNASSIGNED, Claim.Status.DISMISSED}
                else reviewers[(index + position) % len(reviewers)]
            )
            rating = (
                ratings[(index * 3 + position) % len(ratings)] if status in _WITH_VERDICT else None
            )
            claims.append(
                Claim(
                    article=article,
                    text=sentence,
                    start=start,
                    end=end,
                    position=position,
                    score=round(rng.uniform(0.4, 0.99), 3),
                    kinds=["quantity"],
                    status=status,
                    assignee=assignee,
                    due_date=today + dt.timedelta(days=rng.randint(-5, 14)) if assignee else None,
                    rating=rating,
                    conclusion=f"The figure is rated {rating.name.lower()} on the available evidence."
                    if rating
                    else "",
                    proposed_by=assignee if rating else None,
                    approved_by=editor
                    if status
                    in {Claim.Status.APPROVED, Claim.Status.PUBLISHED, Claim.Status.CORRECTED}
                    else None,
                    published_at=timezone.now()
                    if status in {Claim.Status.PUBLISHED, Claim.Status.CORRECTED}
                    else None,
                    dismissed_reason="Opinion, not a checkable claim."
                    if status == Claim.Status.DISMISSED
                    else "",
                    created_by=editor,
                )
            )
        Claim.objects.bulk_create(claims, batch_size=500)
        sources = [
            Source(
                claim=claim,
                url=f"https://data.example/{article.pk}/{claim.position}/{n}",
                title=f"Official statistics table {n}",
                publisher="Statistics Office",
                stance=Source.Stance.REFUTES if n else Source.Stance.CONTEXT,
                added_by=claim.assignee,
            )
            for claim in claims
            if claim.rating_id
            for n in range(2)
        ]
        Source.objects.bulk_create(sources, batch_size=1000)
        Event.objects.bulk_create(
            [
                Event(
                    article=article,
                    claim=claim,
                    actor=editor,
                    action="seeded",
                    claim_version=1,
                    message="Demo data.",
                )
                for claim in claims
            ],
            batch_size=1000,
        )
        # Published work enters the archive as it would through the publish
        # service, so the demo's archive and "Checked before" are not empty.
        if archive:
            for claim in claims:
                if claim.status in workflow.PUBLIC:
                    services.archive_entry_for_claim(claim)
            to_match.extend(c for c in claims if c.status in workflow.OPEN)
        result.articles += 1
        result.claims += len(claims)
    if archive and result.articles:
        services.archive_changed()  # encodes the new entries (in the background in production)
        services.matching_request(to_match[:DEMO_MATCHED_CLAIMS])
    return result
