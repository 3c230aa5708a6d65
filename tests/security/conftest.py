"""A small newsroom with one object of each kind, and every URL of the app filled in
with those objects, so security tests cover new views without being edited."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from claims import services
from claims.models import Article, Claim, Comment, Job, Rating, Source


@dataclass
class World:
    editor: object
    reviewer: object
    article: Article
    claim: Claim  # in review, with sources, a verdict and a comment
    source: Source
    comment: Comment
    job: Job
    rating: Rating

    def object_for(self, route: str):
        """Which sample object a URL's <pk> means, from the route's first segment."""
        first = route.split("/", 1)[0]
        return {
            "articles": self.article,
            "claims": self.claim,
            "sources": self.source,
            "jobs": self.job,
            "exports": self.job,
        }.get(first, self.claim)


@pytest.fixture
def world(editor, reviewer, article, in_review_claim, mostly_false) -> World:
    comment = services.comment_add(
        actor=reviewer, claim=in_review_claim, body="Checked the city budget tables."
    )
    job = Job.objects.create(
        kind=Job.Kind.EXPORT, created_by=editor, total=1, done=1, state=Job.State.DONE
    )
    return World(
        editor=editor,
        reviewer=reviewer,
        article=article,
        claim=in_review_claim,
        source=in_review_claim.sources.first(),
        comment=comment,
        job=job,
        rating=mostly_false,
    )


# A value for each non-pk URL parameter, by parameter name.
SAMPLE_PARAMS = {"status": "in_review", "action": "approve"}


def app_patterns() -> list[tuple[str, URLPattern]]:
    """(name, pattern) for every named URL of the claims app."""
    found = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "claims":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name:
                    found.append((f"claims:{pattern.name}", pattern))
    return found


def url_for(world: World, name: str, pattern: URLPattern) -> str:
    route = str(pattern.pattern)
    kwargs = {}
    for param, converter in pattern.pattern.converters.items():
        if converter.__class__.__name__ == "IntConverter":
            kwargs[param] = world.object_for(route).pk
        else:
            kwargs[param] = SAMPLE_PARAMS.get(param, "x")
    return reverse(name, kwargs=kwargs)


def all_urls(world: World) -> list[tuple[str, str]]:
    return [(name, url_for(world, name, pattern)) for name, pattern in app_patterns()]


def pytest_generate_tests(metafunc):
    # Tests asking for `url_name` run once per URL of the app; new views join automatically.
    if "url_name" in metafunc.fixturenames:
        metafunc.parametrize("url_name", [name for name, _ in app_patterns()])


@pytest.fixture
def url_of(world):
    """url_of("claims:claim-detail") -> that URL filled in with the world's objects."""
    patterns = dict(app_patterns())
    return lambda name: url_for(world, name, patterns[name])


@pytest.fixture
def every_url(world) -> list[tuple[str, str]]:
    return all_urls(world)
