"""An article whose claims sit at every stage, built through the real services,
with hostile text in a claim, a conclusion and a source title."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from claims import services
from claims.models import Article, Claim, Rating

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {JS_URL} </script><!--"

BODY = (
    "Riverton – The city spent $4.2 million on road repairs in 2023, up 12% from 2022. "
    "The mayor said crime fell by half since the new policing law took effect. "
    "Unemployment stands at 3.9%, the lowest in a decade. "
    "Bus ridership doubled in five years, the council said. "
    "Officials predict rents will fall next year. "
    "The new park cost more than the old stadium."
)

SENTENCES = [
    "The city spent $4.2 million on road repairs in 2023, up 12% from 2022.",
    "The mayor said crime fell by half since the new policing law took effect.",
    "Unemployment stands at 3.9%, the lowest in a decade.",
    "Bus ridership doubled in five years, the council said.",
    "Officials predict rents will fall next year.",
    "The new park cost more than the old stadium.",
]


@dataclass
class Scenario:
    article: Article
    published: Claim  # ordinal verdict, hostile text/conclusion/source title
    corrected: Claim  # published, then corrected to a non-ordinal verdict
    approved: Claim
    in_review: Claim
    unassigned: Claim
    dismissed: Claim

    @property
    def public(self) -> list[Claim]:
        """Public means published: approved claims wait for publication."""
        return [self.published, self.corrected]

    @property
    def everything(self) -> list[Claim]:
        return [
            self.published,
            self.corrected,
            self.approved,
            self.in_review,
            self.unassigned,
            self.dismissed,
        ]


def _claim(editor, article, sentence) -> Claim:
    start = article.body.index(sentence)
    return services.claim_add_from_selection(
        actor=editor, article=article, start=start, end=start + len(sentence)
    )


def _to_review(
    editor, reviewer, claim, *, rating, conclusion, source_title="Official table"
) -> Claim:
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    services.claim_start_research(actor=reviewer, claim=claim)
    services.source_add(
        actor=reviewer,
        claim=claim,
        url=f"https://stats.example/{claim.pk}/a",
        title=source_title,
        publisher="Statistics Office",
        archived_url=f"https://archive.example/{claim.pk}/a",
        stance="refutes",
    )
    services.source_add(
        actor=reviewer, claim=claim, url=f"https://stats.example/{claim.pk}/b", title="Second table"
    )
    services.claim_set_verdict(
        actor=reviewer, claim=claim, rating=rating, conclusion=conclusion, expected_version=None
    )
    return services.claim_submit(actor=reviewer, claim=claim)


@pytest.fixture
def scenario(editor, editor2, reviewer) -> Scenario:
    article = services.article_create(
        actor=editor,
        title="Riverton budget story",
        body=BODY,
        outlet="Riverton Times",
        author="Jo Reporter",
        url="https://news.example/riverton",
        published_on=__import__("datetime").date(2024, 5, 1),
    )
    claims = [_claim(editor, article, s) for s in SENTENCES]
    false, true_, misleading = (Rating.objects.get(name=n) for n in ("False", "True", "Misleading"))

    published = claims[0]
    services.claim_edit_text(
        actor=editor, claim=published, text=f"{SENTENCES[0]} {PAYLOAD}", expected_version=None
    )
    _to_review(
        editor,
        reviewer,
        published,
        rating=false,
        conclusion=f"It was {SCRIPT} {IMG} not 4.2 million",
        source_title=PAYLOAD,
    )
    services.claim_approve(actor=editor, claim=published)
    services.claim_publish(actor=editor, claim=published)

    corrected = claims[1]
    _to_review(editor, reviewer, corrected, rating=true_, conclusion="Crime fell by about half.")
    services.claim_approve(actor=editor, claim=corrected)
    services.claim_publish(actor=editor, claim=corrected)
    services.claim_correct(
        actor=editor2, claim=corrected, note=f"New police data {SCRIPT}", rating=misleading
    )

    approved = claims[2]
    _to_review(editor, reviewer, approved, rating=true_, conclusion="The official rate is 3.9%.")
    services.claim_approve(actor=editor, claim=approved)

    in_review = _to_review(
        editor, reviewer, claims[3], rating=false, conclusion="Ridership rose by a third."
    )
    services.claim_dismiss(actor=editor, claim=claims[4], reason="Prediction.")
    return Scenario(
        article=article,
        published=Claim.objects.get(pk=published.pk),
        corrected=Claim.objects.get(pk=corrected.pk),
        approved=Claim.objects.get(pk=approved.pk),
        in_review=Claim.objects.get(pk=in_review.pk),
        unassigned=Claim.objects.get(pk=claims[5].pk),
        dismissed=Claim.objects.get(pk=claims[4].pk),
    )


def build(scenario: Scenario, *, internal: bool) -> dict:
    from claims import selectors
    from claims.reports.data import build_report

    return build_report(
        claims=selectors.report_article_claims(article=scenario.article),
        internal=internal,
        article=scenario.article,
    )


@pytest.fixture
def public_report(scenario) -> dict:
    return build(scenario, internal=False)


@pytest.fixture
def internal_report(scenario) -> dict:
    return build(scenario, internal=True)


@pytest.fixture
def to_review():
    """Walk a claim from unassigned to in review, with two sources."""
    return _to_review
