"""The matching service with the real engine on small hand-made fixtures:
"Checked before", "Already being checked", stored vectors, "Same claim", "Reuse verdict"."""

from __future__ import annotations

import json

import pytest

from claims import services
from claims.errors import NotAllowed
from claims.matching import MODEL_VERSION
from claims.models import ArchiveEntry, ClaimMatch, Event, MatchRun, Source
from claims.selectors.archive import checked_before
from claims.tasks import import_fact_checks

from .conftest import BRIDGE, WATER, claim_review

pytestmark = pytest.mark.django_db

REPEAT = "A viral post says that drinking hot water every 15 minutes will kill the coronavirus."
UNRELATED = "The ceasefire talks in Cairo ended on Tuesday without an agreement."


on_commit = None


def import_reviews(editor):
    reviews = [
        claim_review(
            "https://checks.example/water",
            WATER,
            "False",
            headline="Hot water does not kill the virus",
        ),
        claim_review(
            "https://checks.example/bridge", BRIDGE, "Mostly true", publisher="Bridge Watch"
        ),
    ]
    job = services.archive_import_job_create(
        actor=editor, files=[("r.json", json.dumps(reviews).encode())]
    )
    import_fact_checks.enqueue(job.pk)


@pytest.fixture(autouse=True)
def after_commit(django_capture_on_commit_callbacks):
    """Runs the after-commit callbacks (enqueueing the matching task) as a real commit would."""
    global on_commit
    on_commit = django_capture_on_commit_callbacks


def keep_all(editor, title: str, sentences: list[str]):
    body = " ".join(sentences)
    article = services.article_create(actor=editor, title=title, body=body)
    spans = [(body.index(s), body.index(s) + len(s)) for s in sentences]
    with on_commit(execute=True):
        return services.claims_keep(actor=editor, article=article, spans=spans)


def test_kept_claim_gets_the_close_archive_entry_only(editor, django_capture_on_commit_callbacks):
    import_reviews(editor)
    body = f"{REPEAT} {UNRELATED}"
    article = services.article_create(actor=editor, title="Story", body=body)
    spans = [(body.index(s), body.index(s) + len(s)) for s in (REPEAT, UNRELATED)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        repeat, other = services.claims_keep(actor=editor, article=article, spans=spans)
    # Before the background task runs, the claims are "pending".
    assert checked_before([repeat])[repeat.pk].looking
    for callback in callbacks:
        callback()
    boxes = checked_before([repeat, other])
    assert boxes[repeat.pk].state == MatchRun.State.DONE
    assert [e.url for e, _ in boxes[repeat.pk].entries] == ["https://checks.example/water"]
    assert boxes[repeat.pk].entries[0][1] >= services.matching.match_cut()
    assert boxes[other.pk].entries == []  # nothing close: nothing shown


def test_vectors_are_stored_and_reencoded_only_for_another_model(editor):
    import_reviews(editor)
    [claim] = keep_all(editor, "Story", [REPEAT])
    entries = ArchiveEntry.objects.order_by("pk")
    assert all(e.vector and e.vector_version == MODEL_VERSION for e in entries)
    run = MatchRun.objects.get(claim=claim)
    stored = bytes(run.vector)
    assert services.archive_encode_missing() == 0  # nothing to do: vectors are kept
    services.claims_match(claim_ids=[claim.pk])
    run.refresh_from_db()
    assert bytes(run.vector) == stored
    ArchiveEntry.objects.filter(url="https://checks.example/bridge").update(
        vector_version="older-model"
    )
    assert services.archive_encode_missing() == 1


def test_index_cache_follows_the_archive(editor):
    import_reviews(editor)
    services.archive_encode_missing()
    first = services.archive_index()
    assert services.archive_index() is first  # cached while nothing changed
    ArchiveEntry.objects.filter(url="https://checks.example/bridge").delete()
    assert len(services.archive_index().entry_ids) == 1


def test_already_being_checked_in_another_article(editor, reviewer):
    [first] = keep_all(editor, "Monday story", [REPEAT])
    services.claim_assign(actor=editor, claim=first, assignee=reviewer)
    [second] = keep_all(
        editor,
        "Tuesday story",
        ["Drinking hot water every 15 minutes will kill the coronavirus, a post says."],
    )
    boxes = checked_before([first, second])
    assert [c.pk for c, _ in boxes[second.pk].open_claims] == [first.pk]
    assert boxes[second.pk].open_claims[0][0].assignee == reviewer
    assert [c.pk for c, _ in boxes[first.pk].open_claims] == [second.pk]


def test_same_claim_link_is_in_both_histories(editor):
    [first] = keep_all(editor, "Monday story", [REPEAT])
    [second] = keep_all(editor, "Tuesday story", [REPEAT])
    services.claim_link_same(actor=editor, claim=second, other_claim=first.pk)
    for claim, other in ((first, second), (second, first)):
        event = Event.objects.filter(claim=claim, action="same_claim_linked").get()
        assert f"#{other.pk}" in event.message
    with pytest.raises(services.InvalidInput):
        services.claim_link_same(actor=editor, claim=second, other_claim=first.pk)
    # ... and in the (internal) report of either claim.
    from claims.models import Claim
    from claims.reports.data import build_report

    report = build_report(claims=Claim.objects.filter(pk__in=[first.pk, second.pk]), internal=True)
    same = {c["id"]: c["same_claim"] for c in report["claims"]}
    assert same[first.pk] == [f"claim #{second.pk}: “{second.text}”"]
    assert same[second.pk] == [f"claim #{first.pk}: “{first.text}”"]


def test_same_claim_is_for_editors(editor, reviewer, assigned_claim):
    import_reviews(editor)
    entry = ArchiveEntry.objects.first()
    with pytest.raises(NotAllowed):
        services.claim_link_same(actor=reviewer, claim=assigned_claim, entry=entry.pk)


def test_reuse_verdict_from_an_imported_fact_check(editor, reviewer, researching_claim):
    import_reviews(editor)
    entry = ArchiveEntry.objects.get(url="https://checks.example/water")
    claim = services.claim_reuse_verdict(actor=reviewer, claim=researching_claim, entry=entry.pk)
    assert claim.rating.name == "False"
    assert claim.conclusion == "Hot water does not kill the virus"
    assert claim.proposed_by == reviewer
    assert claim.status == "researching"  # a proposal: review and approval still to come
    assert Source.objects.filter(claim=claim, url=entry.url).exists()
    event = Event.objects.filter(claim=claim, action="verdict_reused").get()
    assert "https://checks.example/water" in event.message and "approval" in event.message


def test_reuse_verdict_is_refused_to_another_reviewer(editor, reviewer2, researching_claim):
    import_reviews(editor)
    with pytest.raises(NotAllowed):
        services.claim_reuse_verdict(
            actor=reviewer2, claim=researching_claim, entry=ArchiveEntry.objects.first().pk
        )


def test_published_claims_enter_the_archive(editor, published_claim):
    entry = ArchiveEntry.objects.get(claim=published_claim)
    assert entry.origin == ArchiveEntry.Origin.NEWSROOM
    assert entry.rating == published_claim.rating.name
    assert entry.sources_count == published_claim.sources.count()
    assert entry.url.startswith("http") and entry.url.endswith(f"#claim-{published_claim.pk}")
    with on_commit(execute=True):
        services.claim_correct(
            actor=editor, claim=published_claim, note="Typo fixed.", conclusion="A new conclusion."
        )
    entry.refresh_from_db()
    assert entry.conclusion == "A new conclusion." and ArchiveEntry.objects.count() == 1
    assert entry.vector_version == MODEL_VERSION  # encoded by the after-commit task


def test_reuse_verdict_from_our_own_published_claim_copies_sources(
    editor, published_claim, article
):
    body = article.body
    other = keep_all(editor, "Copy", [published_claim.text])[0]
    entry = ArchiveEntry.objects.get(claim=published_claim)
    assert ClaimMatch.objects.filter(claim=other, entry=entry).exists()
    services.claim_reuse_verdict(actor=editor, claim=other, entry=entry.pk)
    other.refresh_from_db()
    assert other.rating == published_claim.rating
    assert set(other.sources.values_list("url", flat=True)) == set(
        published_claim.sources.values_list("url", flat=True)
    )
    assert body  # the original article is untouched


def test_two_close_claims_matched_in_one_run_are_stored_once_each_way(editor):
    """A run over both claims finds the pair from each side: each direction is
    still one row (the panel would otherwise list the other claim twice)."""
    [first] = keep_all(editor, "Monday story", [REPEAT])
    [second] = keep_all(
        editor,
        "Tuesday story",
        ["Drinking hot water every 15 minutes will kill the coronavirus, a post says."],
    )
    services.claims_match(claim_ids=[first.pk, second.pk])
    pairs = list(ClaimMatch.objects.values_list("claim_id", "other_claim_id"))
    assert sorted(pairs) == sorted([(first.pk, second.pk), (second.pk, first.pk)])
    boxes = checked_before([first, second])
    assert [c.pk for c, _ in boxes[first.pk].open_claims] == [second.pk]


def _heading_levels(html: str, title: str) -> list[str]:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "html.parser")
    return [h.name for h in page.find_all(["h2", "h3", "h4"]) if h.get_text(strip=True) == title]


def test_checked_before_headings_follow_the_page_outline(client, editor):
    """They were h4 everywhere: under the claim page's h1 (sections h2), the side
    panel's h2 and the article page's "Claims" h2, a level was skipped."""
    import_reviews(editor)
    first = keep_all(editor, "First", [REPEAT])[0]
    keep_all(editor, "Second", [REPEAT])
    client.force_login(editor)
    page = client.get(first.get_absolute_url()).content.decode()
    assert _heading_levels(page, "Checked before") == ["h2"]
    assert _heading_levels(page, "Already being checked") == ["h2"]
    beside_board = client.get(
        first.get_absolute_url(), headers={"HX-Request": "true", "HX-Current-URL": "/board/"}
    ).content.decode()
    assert _heading_levels(beside_board, "Checked before") == ["h3"]
    article = client.get(first.article.get_absolute_url()).content.decode()
    assert _heading_levels(article, "Checked before") == ["h3"]
    assert _heading_levels(article, "Already being checked") == ["h3"]
