import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.demo import SAMPLE_TITLE
from claims.models import ArchiveEntry, Article, Claim, ClaimMatch, Event, Source

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_users_sample_and_synthetic(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--articles", "4", "--claims-per-article", "10")
    users = get_user_model().objects
    assert users.get(username="editor").groups.filter(name="Editors").exists()
    for n in (1, 2, 3):
        reviewer = users.get(username=f"reviewer{n}")
        assert reviewer.groups.filter(name="Reviewers").exists()
        assert reviewer.check_password("factcheck")
    sample = Article.objects.get(title=SAMPLE_TITLE)
    assert len(sample.candidates) == 17
    synthetic = Claim.objects.exclude(article=sample)
    assert synthetic.count() == 40
    assert set(synthetic.values_list("status", flat=True)) == set(Claim.Status.values)
    assert synthetic.filter(rating__isnull=False).values("rating").distinct().count() == 8
    assert synthetic.filter(assignee__isnull=False).values("assignee").distinct().count() == 3
    for claim in synthetic.select_related("article")[:40]:
        assert claim.article.body[claim.start : claim.end] == claim.text
    assert Source.objects.exists()
    assert Event.objects.filter(action="seeded").count() == 40


def test_seed_demo_archives_its_published_claims_and_matches_the_open_ones(
    settings, django_capture_on_commit_callbacks
):
    """The demo's board showed published claims while its archive said it was
    empty, so "Checked before" never appeared in the demo."""
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # encoding and matching tasks
        call_command("seed_demo", "--articles", "4", "--claims-per-article", "10")
    published = Claim.objects.filter(status__in=[Claim.Status.PUBLISHED, Claim.Status.CORRECTED])
    entries = ArchiveEntry.objects.filter(origin=ArchiveEntry.Origin.NEWSROOM)
    assert published.exists()
    assert set(entries.values_list("claim_id", flat=True)) == set(
        published.values_list("pk", flat=True)
    )
    assert not entries.filter(vector__isnull=True).exists()  # encoded for matching
    open_claims = Claim.objects.filter(status=Claim.Status.UNASSIGNED).exclude(
        article__title=SAMPLE_TITLE
    )
    matched = ClaimMatch.objects.filter(claim__in=open_claims, entry__isnull=False)
    assert matched.exists()


def test_seed_demo_twice_duplicates_nothing(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--articles", "3", "--claims-per-article", "5")
    counts = (
        get_user_model().objects.count(),
        Article.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
    )
    call_command("seed_demo", "--articles", "3", "--claims-per-article", "5")
    assert counts == (
        get_user_model().objects.count(),
        Article.objects.count(),
        Claim.objects.count(),
        Source.objects.count(),
    )


def test_seed_demo_refused_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="editor").exists()
    call_command("seed_demo", "--force")
    assert get_user_model().objects.filter(username="editor").exists()
