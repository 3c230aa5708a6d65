"""Unpublished verdicts (proposed, in review, approved) are seen by editors and the
claim's assignee only: not on the board's cards, not through a verdict filter, not
in any board export, not on the article page, not in the claim panel.

The people: `reviewer` is the assignee of the unpublished claims, `reviewer2` is
another reviewer, `outsider` has no role. Published verdicts are everyone's.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from claims import reports, services, workflow
from claims.models import Claim, Notification, Rating

pytestmark = pytest.mark.django_db

APPROVED_CONCLUSION = (
    "The city spent $3.1 million, not $4.2 million."  # from conftest's in_review_claim
)
IN_REVIEW_CONCLUSION = "Crime fell by a tenth, the police figures show."
PUBLISHED_CONCLUSION = "The statistics office reports 3.9 percent."
HIDDEN = (APPROVED_CONCLUSION, IN_REVIEW_CONCLUSION)


def _claim(editor, article, sentence: str) -> Claim:
    start = article.body.index(sentence)
    return services.claim_add_from_selection(
        actor=editor, article=article, start=start, end=start + len(sentence)
    )


def _to_review(editor, reviewer, claim, *, rating: str, conclusion: str) -> Claim:
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)
    services.claim_start_research(actor=reviewer, claim=claim)
    for n in (1, 2):
        services.source_add(
            actor=reviewer, claim=claim, url=f"https://stats.example/{claim.pk}/{n}", title=f"T{n}"
        )
    services.claim_set_verdict(
        actor=reviewer,
        claim=claim,
        rating=Rating.objects.get(name=rating),
        conclusion=conclusion,
        expected_version=None,
    )
    return services.claim_submit(actor=reviewer, claim=claim)


@pytest.fixture
def claims(editor, reviewer, reviewer2, approved_claim) -> dict[str, Claim]:
    article = approved_claim.article
    in_review = _to_review(
        editor,
        reviewer,
        _claim(
            editor,
            article,
            "The mayor said crime fell by half since the new policing law took effect.",
        ),
        rating="False",
        conclusion=IN_REVIEW_CONCLUSION,
    )
    published = _to_review(
        editor,
        reviewer2,
        _claim(editor, article, "Unemployment stands at 3.9%, the lowest in a decade."),
        rating="True",
        conclusion=PUBLISHED_CONCLUSION,
    )
    services.claim_approve(actor=editor, claim=published)
    services.claim_publish(actor=editor, claim=published)
    return {
        "approved": Claim.objects.get(pk=approved_claim.pk),
        "in_review": Claim.objects.get(pk=in_review.pk),
        "published": Claim.objects.get(pk=published.pk),
    }


@pytest.fixture
def people(editor, reviewer, reviewer2, outsider) -> dict:
    return {
        "editor": editor,
        "assignee": reviewer,
        "other reviewer": reviewer2,
        "role-less": outsider,
    }


SEES_UNPUBLISHED = {"editor": True, "assignee": True, "other reviewer": False, "role-less": False}


def _card(html: str, pk: int) -> str | None:
    """One card's markup from a board page, or None when the card is not there."""
    match = re.search(rf'<li class="board-card[^"]*" id="card-{pk}".*?</ul>', html, re.S)
    return match.group(0) if match else None


def _badge(card: str) -> str | None:
    match = re.search(r'<span class="verdict [^"]*">([^<]*)</span>', card)
    return match.group(1) if match else None


# ---------------------------------------------------------------- the rule


def test_the_rule_and_its_queryset_filter_agree(claims, people, editor):
    """can_see_verdict for one claim and verdict_visible_q for querysets give the
    same answer for every person and every claim (unassigned included)."""
    _claim(editor, claims["approved"].article, "Residents hope the park will reopen soon.")
    every_claim = list(Claim.objects.all())
    assert {c.status for c in every_claim} >= {"unassigned", "in_review", "approved", "published"}
    for who, user in people.items():
        expected = {c.pk for c in every_claim if workflow.can_see_verdict(user, c)}
        q = workflow.verdict_visible_q(viewer_id=user.pk, every=workflow.sees_every_verdict(user))
        assert set(Claim.objects.filter(q).values_list("pk", flat=True)) == expected, who
        for name, c in claims.items():
            assert workflow.can_see_verdict(user, c) == (
                name == "published" or SEES_UNPUBLISHED[who]
            ), (who, name)
            decision = workflow.can(user, c, "see_verdict")
            assert bool(decision) == workflow.can_see_verdict(user, c)
            if not decision:
                assert decision.reason == workflow.Refusal.VERDICT_UNPUBLISHED


# ---------------------------------------------------------------- screens


def test_board_cards_show_unpublished_verdicts_only_to_editors_and_the_assignee(
    client, claims, people
):
    for who, user in people.items():
        client.force_login(user)
        html = client.get(reverse("claims:board")).content.decode()
        assert _badge(_card(html, claims["published"].pk)) == "True", who
        for name in ("approved", "in_review"):
            card = _card(html, claims[name].pk)
            assert card is not None, (who, name)  # the claim is on the board, its verdict is not
            expected = claims[name].rating.name if SEES_UNPUBLISHED[who] else None
            assert _badge(card) == expected, (who, name)
        for text in HIDDEN:
            assert text not in html


def test_a_verdict_filter_does_not_reveal_unpublished_verdicts(client, claims, people):
    mostly_false = claims["approved"].rating
    for who, user in people.items():
        client.force_login(user)
        by_rating = client.get(
            reverse("claims:board"), {"verdict": mostly_false.pk}
        ).content.decode()
        assert (_card(by_rating, claims["approved"].pk) is not None) == SEES_UNPUBLISHED[who], who
        # For those who may not see it, the claim has no verdict: "no verdict yet" lists it.
        no_verdict = client.get(reverse("claims:board"), {"verdict": "none"}).content.decode()
        assert (_card(no_verdict, claims["approved"].pk) is not None) != SEES_UNPUBLISHED[who], who
        assert _card(no_verdict, claims["published"].pk) is None
        # Counts and column views follow the same rule.
        counts = client.get(reverse("claims:board-stamp"), {"verdict": mostly_false.pk}).json()[
            "counts"
        ]
        assert counts["approved"] == (1 if SEES_UNPUBLISHED[who] else 0), who
        column = client.get(
            reverse("claims:board-column", args=["approved"]),
            {"verdict": mostly_false.pk, "refresh": "1"},
            headers={"HX-Request": "true"},
        ).content.decode()
        assert (_card(column, claims["approved"].pk) is not None) == SEES_UNPUBLISHED[who], who


@pytest.mark.parametrize("fmt", sorted(reports.FORMATS))
def test_board_export_holds_no_unpublished_verdict_for_reviewers_and_role_less(
    client, claims, people, fmt
):
    for who in ("other reviewer", "role-less", "assignee"):
        client.force_login(people[who])
        for query in ({}, {"verdict": claims["approved"].rating_id}, {"verdict": "none"}):
            response = client.get(reverse("claims:board-export"), {"format": fmt, **query})
            assert response.status_code == 200, (who, fmt, query)
            body = response.content.decode("utf-8", errors="replace")
            for text in (*HIDDEN, claims["approved"].text, claims["in_review"].text):
                assert text not in body, (who, fmt, query, text)
            if fmt == "json":
                report = json.loads(body)
                assert {c["id"] for c in report["claims"]} <= {claims["published"].pk}
            if fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
                assert all(row["text"] == claims["published"].text for row in rows), rows
        internal = client.get(reverse("claims:board-export"), {"format": fmt, "internal": "1"})
        assert internal.status_code == 403, (who, fmt)


def test_editors_internal_export_keeps_every_verdict(client, claims, editor):
    client.force_login(editor)
    report = client.get(reverse("claims:board-export"), {"format": "json", "internal": "1"}).json()
    conclusions = {c["id"]: c["conclusion"] for c in report["claims"]}
    assert conclusions[claims["approved"].pk] == APPROVED_CONCLUSION
    assert conclusions[claims["in_review"].pk] == IN_REVIEW_CONCLUSION
    filtered = client.get(
        reverse("claims:board-export"),
        {"format": "json", "internal": "1", "verdict": claims["approved"].rating_id},
    ).json()
    assert [c["id"] for c in filtered["claims"]] == [claims["approved"].pk]
    assert filtered["scope"]["filters"] == {
        "verdict": claims["approved"].rating_id
    }  # only what was chosen


def test_background_board_export_filters_verdicts_as_its_creator_sees_them(
    client, claims, editor, settings
):
    """An export too big for the request runs as a job: its verdict filter is the
    creator's view (every verdict for an editor), rebuilt from the person, not the job."""
    settings.FACTCHECK_EXPORT_BACKGROUND_CLAIMS = 0
    client.force_login(editor)
    response = client.get(
        reverse("claims:board-export"),
        {"format": "json", "internal": "1", "verdict": claims["approved"].rating_id},
    )
    assert response.status_code == 302
    download = client.get(response["Location"] + "?download=1")
    assert [c["id"] for c in json.loads(download.content)["claims"]] == [claims["approved"].pk]


def test_claim_panel_refuses_unpublished_verdicts_to_others(client, claims, people):
    for who, user in people.items():
        client.force_login(user)
        for name in ("approved", "in_review"):
            response = client.get(reverse("claims:claim-detail", args=[claims[name].pk]))
            assert response.status_code == (200 if SEES_UNPUBLISHED[who] else 403), (who, name)
            if response.status_code == 403:
                assert claims[name].conclusion.encode() not in response.content


def test_article_page_names_only_the_verdicts_the_reviewer_may_see(client, claims, people):
    article = claims["approved"].article
    url = reverse("claims:article-detail", args=[article.pk])
    client.force_login(people["other reviewer"])
    html = client.get(url).content.decode()
    item = re.search(rf'<li id="claim-{claims["approved"].pk}".*?</p>', html, re.S).group(0)
    assert 'class="verdict' not in item
    published = re.search(rf'<li id="claim-{claims["published"].pk}".*?</p>', html, re.S).group(0)
    assert ">True</span>" in published
    # The "by verdict" bar counts the two unpublished verdicts without naming them.
    assert "Verdict not published yet: 2" in html
    assert "Mostly false: " not in html and "False: " not in html
    client.force_login(people["assignee"])
    html = client.get(url).content.decode()
    assert "Mostly false: 1" in html and "Verdict not published yet" not in html
    client.force_login(people["role-less"])
    assert client.get(url).status_code == 403


def test_notifications_go_only_to_people_who_may_see_the_verdict(
    claims, editor, reviewer, reviewer2
):
    """Every notification the workflow sent (assign, approve, send back, publish, and
    a reassignment) names no conclusion and reaches someone who sees the verdict."""
    services.claim_send_back(actor=editor, claim=claims["approved"], reason="Add the 2022 figure.")
    services.claim_assign(actor=editor, claim=claims["approved"], assignee=reviewer2)
    notes = list(Notification.objects.select_related("claim"))
    assert len(notes) >= 6
    assert {note.recipient_id for note in notes} == {
        reviewer.pk,
        reviewer2.pk,
    }  # never an editor or outsider
    rating_names = list(Rating.objects.values_list("name", flat=True))
    for note in notes:
        for text in (
            APPROVED_CONCLUSION,
            IN_REVIEW_CONCLUSION,
            PUBLISHED_CONCLUSION,
            *rating_names,
        ):
            assert text not in note.message, note.message
    # Each was sent to the claim's assignee of the moment: reviewer2 heard only of
    # the claims they held (the published one, and the approved one once reassigned).
    heard_by_reviewer2 = {note.claim_id for note in notes if note.recipient_id == reviewer2.pk}
    assert heard_by_reviewer2 == {claims["published"].pk, claims["approved"].pk}
    assert Notification.objects.filter(recipient=reviewer2, claim=claims["approved"]).count() == 1
    # reviewer2 now has the claim: its verdict comes with it, reviewer's goes.
    refreshed = Claim.objects.get(pk=claims["approved"].pk)
    assert workflow.can_see_verdict(reviewer2, refreshed) and not workflow.can_see_verdict(
        reviewer, refreshed
    )


def test_the_query_string_cannot_widen_whose_verdicts_a_filter_matches(outsider, editor):
    from django.http import QueryDict

    from claims.selectors import board_filters_from

    forged = QueryDict("verdict=3&every_verdict=1&verdict_viewer=1")
    assert board_filters_from(forged, viewer=outsider).every_verdict is False
    assert board_filters_from(forged, viewer=outsider).verdict_viewer == outsider.pk
    assert board_filters_from(forged).every_verdict is False  # no viewer: published verdicts only
    assert board_filters_from(forged, viewer=editor).every_verdict is True
    assert board_filters_from(forged, viewer=editor).chosen() == {"verdict": 3}
