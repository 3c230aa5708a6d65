"""Hypothesis throws random, odd and huge values at every form of the app, as an
editor and as a reviewer, through the Django test client: no answer is a 500.

FUZZ_EXAMPLES sets the examples per URL (default 50). The long run recorded in
docs/performance.md is `FUZZ_EXAMPLES=350 pytest tests/security/test_fuzz_forms.py`
(31 URLs x 350 > 10,000 requests) plus the extraction fuzz at FUZZ_EXAMPLES * 30.
"""

from __future__ import annotations

import inspect
import os

import pytest
from django import forms as django_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims import forms as app_forms
from claims.extraction import ExtractionError, extract_claims

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def field_names() -> list[str]:
    """Every field of every form in claims.forms, plus the raw names some views read."""
    names = {"csrfmiddlewaretoken", "ids", "claim_ids", "span", "spans", "to_status", "next", "page", "expected_version"}
    for _, cls in inspect.getmembers(app_forms, inspect.isclass):
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == app_forms.__name__:
            names.update(cls.base_fields)
    return sorted(names)


FIELDS = field_names()

odd_strings = st.sampled_from([
    "", " ", "0", "-1", "1", "2", "99999999999999999999999", "-9223372036854775809", "1e309", "NaN", "inf",
    "3.5", "2024-02-30", "0000-00-00", "9999-12-31", "2024-13-01", "true", "None", "null", "[]", "{}",
    "\x00", "a\x00b", "\ud7ff", "\u202e", "\ufeff", "💥" * 3, "../../etc/passwd", "javascript:alert(1)",
    "http://", "https://", "https://[::1", "ftp://x.example/", "https://ok.example/path",
    "<script>alert(1)</script>", "' OR 1=1 --", "%00", "\r\n", "approve", "published", "in_review",
    "unassigned", "dismissed", "10:20", "5-3", "1,2,3",
])
values = st.one_of(
    odd_strings,
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.builds(lambda ch, n: ch * n, st.characters(codec="utf-8"), st.integers(1, 120_000)),
)
form_data = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(min_size=1, max_size=20),
    st.one_of(values, st.lists(values, min_size=2, max_size=4)),
    max_size=10,
)


def _post(client, url: str, data: dict, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url, data, headers=headers)


def test_fuzz_every_post_view(client, world, url_of, url_name):
    url = url_of(url_name)
    users = {"editor": world.editor, "reviewer": world.reviewer}

    @FUZZ
    @given(data=form_data, who=st.sampled_from(sorted(users)), htmx=st.booleans(), real_ids=st.booleans())
    def run(data, who, htmx, real_ids):
        if real_ids:
            # Real ids reach deeper than random numbers do.
            data = {**data, "version": str(world.claim.version), "claim_ids": [str(world.claim.pk)],
                    "ids": [str(world.claim.pk)], "assignee": str(world.reviewer.pk), "rating": str(world.rating.pk)}
        client.force_login(users[who])
        response = _post(client, url, data, htmx)
        assert response.status_code < 500, (url, who, data)

    run()


@FUZZ
@given(action=st.text(max_size=40), status=st.text(max_size=40))
def test_fuzz_url_slugs(client, world, action, status):
    from django.urls import NoReverseMatch, reverse

    client.force_login(world.editor)
    for name, kwargs, method in (
        ("claims:claim-step", {"pk": world.claim.pk, "action": action}, "post"),
        ("claims:board-column", {"status": status}, "get"),
    ):
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue  # not a URL at all: the resolver answers 404 before any view
        assert getattr(client, method)(url).status_code < 500


@settings(FUZZ, max_examples=max(10, EXAMPLES // 5))  # each example fetches every page
@given(params=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_fuzz_query_strings_on_get_pages(client, world, every_url, params):
    client.force_login(world.editor)
    for name, url in every_url:
        response = client.get(url, params)
        assert response.status_code < 500, (name, url, params)


@settings(
    max_examples=EXAMPLES * 30,
    deadline=None,
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=st.one_of(st.text(max_size=3000), st.lists(odd_strings | st.text(max_size=80), max_size=60).map(" ".join)))
def test_fuzz_extraction_api(text):
    try:
        candidates = extract_claims(text)
    except ExtractionError:
        return
    for c in candidates:
        assert text[c.start : c.end] == c.text
        assert 0.0 <= c.score <= 1.0


def test_fuzz_article_create_and_extract_service(world):
    """The whole path an editor's paste takes, with hostile text."""
    from claims import services

    @FUZZ
    @given(body=st.text(min_size=1, max_size=2000), title=st.text(max_size=400))
    def run(body, title):
        try:
            article = services.article_create(actor=world.editor, title=title, body=body)
            services.article_extract(actor=world.editor, article=article)
        except services.ServiceError:
            pass

    run()


NEXT_VALUES = [":", "0", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", " /board/"]


def test_next_parameter_never_errors_or_leaves_the_site(client, world, url_of, url_name):
    """Every POST view given a hostile `next`: no 500, and no redirect off the site."""
    url = url_of(url_name)
    client.force_login(world.editor)
    for target in NEXT_VALUES:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(url, {"next": target, "version": str(world.claim.version)}, headers=headers)
            assert response.status_code < 500, (url, target, headers)
            location = response.headers.get("Location", "") + response.headers.get("HX-Redirect", "")
            assert "evil.example" not in location and not location.startswith("javascript:"), (url, target, location)
    client.force_login(world.reviewer)
    for target in NEXT_VALUES:
        assert client.post(url, {"next": target}).status_code < 500, (url, target)
