"""Shared fixtures: named test users in their roles, an article and claims at each stage."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from claims import services
from claims.encoder import Encoder
from claims.extraction import scoring
from claims.models import EDITORS_GROUP, REVIEWERS_GROUP, Article, Claim, Rating

SAMPLE_BODY = (
    "Washington – The city spent $4.2 million on road repairs in 2023, up 12% from 2022. "
    "The mayor said crime fell by half since the new policing law took effect.\n\n"
    "Residents hope the park will reopen soon. Unemployment stands at 3.9%, the lowest in a decade."
)


def make_user(django_user_model, username: str, group: str | None = None, **extra):
    user = django_user_model.objects.create_user(
        username=username, password="factcheck", email=f"{username}@example.com", **extra
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "erin_editor", EDITORS_GROUP)


@pytest.fixture
def editor2(django_user_model):
    return make_user(django_user_model, "eddie_editor", EDITORS_GROUP)


@pytest.fixture
def reviewer(django_user_model):
    return make_user(django_user_model, "ravi_reviewer", REVIEWERS_GROUP)


@pytest.fixture
def reviewer2(django_user_model):
    return make_user(django_user_model, "rosa_reviewer", REVIEWERS_GROUP)


@pytest.fixture
def outsider(django_user_model):
    """Signed in, but neither editor nor reviewer."""
    return make_user(django_user_model, "olga_outsider")


@pytest.fixture
def article(editor) -> Article:
    return services.article_create(
        actor=editor, title="City budget story", body=SAMPLE_BODY, url="https://news.example/a"
    )


def _claim_at(article: Article, text: str, **fields) -> Claim:
    start = article.body.index(text)
    return Claim.objects.create(
        article=article, text=text, start=start, end=start + len(text), **fields
    )


@pytest.fixture
def claim(article) -> Claim:
    """An unassigned claim: the first sentence after the dateline."""
    return _claim_at(
        article, "The city spent $4.2 million on road repairs in 2023, up 12% from 2022."
    )


@pytest.fixture
def assigned_claim(claim, editor, reviewer) -> Claim:
    return services.claim_assign(actor=editor, claim=claim, assignee=reviewer)


@pytest.fixture
def researching_claim(assigned_claim, reviewer) -> Claim:
    return services.claim_start_research(actor=reviewer, claim=assigned_claim)


@pytest.fixture
def mostly_false() -> Rating:
    return Rating.objects.get(name="Mostly false")


@pytest.fixture
def in_review_claim(researching_claim, reviewer, mostly_false) -> Claim:
    for n in (1, 2):
        services.source_add(
            actor=reviewer,
            claim=researching_claim,
            url=f"https://stats.example/{n}",
            title=f"Table {n}",
        )
    services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="The city spent $3.1 million, not $4.2 million.",
        expected_version=None,
    )
    return services.claim_submit(actor=reviewer, claim=researching_claim)


@pytest.fixture
def approved_claim(in_review_claim, editor) -> Claim:
    return services.claim_approve(actor=editor, claim=in_review_claim)


@pytest.fixture
def published_claim(approved_claim, editor) -> Claim:
    return services.claim_publish(actor=editor, claim=approved_claim)


@pytest.fixture
def broken_encoder(tmp_path, monkeypatch):
    """The real encoder, pointed at a folder without its model files."""
    (tmp_path / "manifest.json").write_text(
        '{"version": "x", "max_tokens": 128, "file": "model.onnx"}'
    )
    monkeypatch.setattr(scoring, "encoder_factory", lambda: Encoder(model_dir=tmp_path, threads=1))
    scoring.reset_caches()
    yield
    monkeypatch.undo()
    scoring.reset_caches()
