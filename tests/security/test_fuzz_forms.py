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
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def field_names() -> list[str]:
    """Every field of every form in claims.forms, plus the raw names some views read."""
    names = {
        "csrfmiddlewaretoken",
        "ids",
        "claim_ids",
        "claim",
        "span",
        "spans",
        "to_status",
        "next",
        "page",
        "limit",
        "refresh",
        "expected_version",
        "reviewer",
        "action",
        "download",
    }
    for _, cls in inspect.getmembers(app_forms, inspect.isclass):
        if issubclass(cls, django_forms.BaseForm) and cls.__module__ == app_forms.__name__:
            names.update(cls.base_fields)
    return sorted(names)


FIELDS = field_names()

odd_strings = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "1",
        "2",
        "99999999999999999999999",
        "-9223372036854775809",
        "1e309",
        "NaN",
        "inf",
        "3.5",
        "2024-02-30",
        "0000-00-00",
        "9999-12-31",
        "2024-13-01",
        "true",
        "None",
        "null",
        "[]",
        "{}",
        "\x00",
        "a\x00b",
        "\ud7ff",
        "\u202e",
        "\ufeff",
        "💥" * 3,
        "../../etc/passwd",
        "javascript:alert(1)",
        "http://",
        "https://",
        "https://[::1",
        "ftp://x.example/",
        "https://ok.example/path",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "\r\n",
        "approve",
        "published",
        "in_review",
        "unassigned",
        "dismissed",
        "10:20",
        "5-3",
        "1,2,3",
    ]
)
# Digits that are not ASCII: "²".isdigit() is True but int("²") fails; int("١٢") and
# int("１２") succeed. Ids must be ASCII digits, and none of these may reach a 500.
NON_ASCII_DIGITS = [
    "²",
    "¹²³",
    "١٢",
    "１２",
    "৪",
    "𝟙𝟚",
    "²-³",
    "١-٢",
    "１-２",
    "1-²",
    "２０２４-０１-３１",
]
non_ascii_numbers = st.one_of(
    st.sampled_from(NON_ASCII_DIGITS),
    st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=6),
    st.tuples(
        st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=3),
        st.text(alphabet=st.characters(categories=("Nd", "No")), min_size=1, max_size=3),
    ).map("-".join),
)
values = st.one_of(
    odd_strings,
    non_ascii_numbers,
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
    @given(
        data=form_data,
        who=st.sampled_from(sorted(users)),
        htmx=st.booleans(),
        real_ids=st.booleans(),
    )
    def run(data, who, htmx, real_ids):
        if real_ids:
            # Real ids reach deeper than random numbers do.
            data = {
                **data,
                "version": str(world.claim.version),
                "claim_ids": [str(world.claim.pk)],
                "ids": [str(world.claim.pk)],
                "assignee": str(world.reviewer.pk),
                "rating": str(world.rating.pk),
            }
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
@given(
    text=st.one_of(
        st.text(max_size=3000),
        st.lists(odd_strings | st.text(max_size=80), max_size=60).map(" ".join),
    )
)
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


NEXT_VALUES = [
    ":",
    "0",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\\evil.example",
    " /board/",
]


def test_next_parameter_never_errors_or_leaves_the_site(client, world, url_of, url_name):
    """Every POST view given a hostile `next`: no 500, and no redirect off the site."""
    url = url_of(url_name)
    client.force_login(world.editor)
    for target in NEXT_VALUES:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.post(
                url, {"next": target, "version": str(world.claim.version)}, headers=headers
            )
            assert response.status_code < 500, (url, target, headers)
            location = response.headers.get("Location", "") + response.headers.get(
                "HX-Redirect", ""
            )
            assert "evil.example" not in location and not location.startswith("javascript:"), (
                url,
                target,
                location,
            )
    client.force_login(world.reviewer)
    for target in NEXT_VALUES:
        assert client.post(url, {"next": target}).status_code < 500, (url, target)


# ---------------------------------------------------------------- non-ASCII digits, every field

# Query-string and form names that views parse as numbers (ids, offsets, pages, versions).
NUMERIC_NAMES = [
    "article",
    "assignee",
    "verdict",
    "reviewer",
    "rating",
    "ids",
    "claim_ids",
    "claim",
    "span",
    "at",
    "start",
    "end",
    "version",
    "expected_version",
    "page",
    "limit",
    "due_date",
    "accessed_on",
]
# One that int() refuses, one it accepts (and the ASCII-only parser must not), and spans.
DIGIT_PROBES = ["²", "１２", "١-٢", "²-³"]
SPAN_NAMES = {"span", "at"}


def _people(world, outsider) -> dict:
    return {"editor": world.editor, "reviewer": world.reviewer, "role-less": outsider}


def test_non_ascii_digits_in_the_query_string_of_every_page(client, world, outsider, every_url):
    """Every numeric parameter at once on every URL (GET), as an editor, a reviewer and
    a role-less account, htmx or not; on the board's URLs each parameter alone too."""
    board_urls = {
        "claims:board",
        "claims:board-stamp",
        "claims:board-export",
        "claims:board-column",
    }
    for who, user in _people(world, outsider).items():
        client.force_login(user)
        for name, url in every_url:
            for value in DIGIT_PROBES:
                queries = [dict.fromkeys(NUMERIC_NAMES, value)]
                if name in board_urls:
                    queries += [
                        {key: value} for key in ("article", "assignee", "verdict", "page", "limit")
                    ]
                for query in queries:
                    for extra, headers in (
                        ({}, {}),
                        ({"refresh": "1", "format": "json"}, {"HX-Request": "true"}),
                    ):
                        response = client.get(url, {**query, **extra}, headers=headers)
                        assert response.status_code < 500, (who, url, query, extra)


def test_non_ascii_digits_in_every_field_of_every_post_view(
    client, world, outsider, url_of, url_name
):
    """One numeric field at a time, the others real (so the request reaches deep), as an
    editor; then every field at once as each kind of person, htmx or not."""
    url = url_of(url_name)
    real = {
        "version": str(world.claim.version),
        "ids": [str(world.claim.pk)],
        "claim_ids": [str(world.claim.pk)],
        "claim": [str(world.claim.pk)],
        "assignee": str(world.reviewer.pk),
        "reviewer": str(world.reviewer.pk),
        "rating": str(world.rating.pk),
        "action": "assign",
        "span": f"{world.claim.start}-{world.claim.end}",
        "start": str(world.claim.start),
        "end": str(world.claim.end),
        "status": "assigned",
        "conclusion": "Checked.",
        "reason": "Not checkable.",
        "text": world.claim.text,
        "body": "A comment.",
    }
    client.force_login(world.editor)
    for key in NUMERIC_NAMES:
        for value in DIGIT_PROBES if key in SPAN_NAMES else DIGIT_PROBES[:2]:
            response = client.post(url, {**real, key: value})
            assert response.status_code < 500, (url, key, value)
    for who, user in _people(world, outsider).items():
        client.force_login(user)
        for value in DIGIT_PROBES:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.post(
                    url, {**real, **dict.fromkeys(NUMERIC_NAMES, value)}, headers=headers
                )
                assert response.status_code < 500, (who, url, value, headers)


@pytest.mark.parametrize("value", ["²", "١٢", "１２"])
def test_board_filters_ignore_non_ascii_ids(client, world, outsider, value):
    """The issue's GETs: any signed-in person, role-less included. The filter is
    ignored (every claim shows), as for any other value that is not an id."""
    for user in (world.editor, outsider):
        client.force_login(user)
        for key in ("article", "assignee", "verdict"):
            response = client.get("/board/", {key: value})
            assert response.status_code == 200, (key, value)
            assert f'data-claim="{world.claim.pk}"'.encode() in response.content or (
                world.claim.text[:40].encode() in response.content
            )
        assert client.get("/board/stamp/", {"article": value}).status_code == 200
        assert client.get("/board/export/", {"article": value, "format": "json"}).status_code == 200


@pytest.mark.parametrize("value", ["²", "١٢", "１２", "²-³"])
def test_bulk_keep_and_merge_refuse_non_ascii_ids_with_a_message(client, world, value):
    client.force_login(world.editor)
    bulk = client.post(
        "/board/bulk/", {"ids": value, "action": "assign", "reviewer": world.reviewer.pk}
    )
    assert bulk.status_code == 422 and b"Select at least one claim" in bulk.content
    for name, data in (
        ("claims-keep", {"span": value}),
        ("claims-merge", {"claim": [value, str(world.claim.pk)]}),
    ):
        response = client.post(url_of_article(world, name), data)
        assert response.status_code == 422, (name, value, response.status_code)


def url_of_article(world, name: str) -> str:
    from django.urls import reverse

    return reverse(f"claims:{name}", kwargs={"pk": world.article.pk})
