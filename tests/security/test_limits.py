"""Over-size bodies and over-long forms get a clear 413/400 page, never a 500."""

from __future__ import annotations

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http.multipartparser import MultiPartParserError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_body_over_the_limit_is_413_with_a_clear_page(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = editor_client.post(
        reverse("claims:article-create"), {"title": "Big", "body": "word " * 5_000}
    )
    assert response.status_code == 413
    assert b"The text sent is too large" in response.content
    assert b"the limit is 9.8\xc2\xa0KB" in response.content
    assert "Content-Security-Policy" in response.headers


def test_default_limit_is_enforced(editor_client, settings):
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = editor_client.post(reverse("claims:article-create"), {"title": "Huge", "body": body})
    assert response.status_code == 413


def test_upload_over_the_upload_limit_is_413(editor_client, settings, tmp_path):
    settings.FACTCHECK_MAX_UPLOAD_BYTES = 50_000
    big = tmp_path / "article.txt"
    big.write_bytes(b"A sentence about 42 things. " * 4_000)
    with big.open("rb") as upload:
        response = editor_client.post(reverse("claims:article-import"), {"files": upload})
    assert response.status_code == 413
    assert b"The upload is too large" in response.content


def test_upload_under_the_limit_is_not_refused_by_the_body_limit(editor_client, settings, tmp_path):
    # Files do not count against DATA_UPLOAD_MAX_MEMORY_SIZE, only against the upload limit.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    small = tmp_path / "article.txt"
    small.write_bytes(b"The city spent $4.2 million on roads in 2023. " * 500)
    with small.open("rb") as upload:
        response = editor_client.post(reverse("claims:article-import"), {"files": upload})
    assert response.status_code < 400


def test_too_many_fields_is_400_with_a_clear_page(editor_client, settings):
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)}
    response = editor_client.post(reverse("claims:article-create"), fields)
    assert response.status_code == 400
    assert b"The form sent too many fields" in response.content


def test_too_many_fields_caught_by_csrf_check_is_400_not_500(editor, settings):
    # With CSRF enforced, Django's CSRF middleware is what first reads the form.
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get(reverse("claims:article-create"))  # sets the CSRF cookie
    fields = {f"field{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)}
    response = client.post(reverse("claims:article-create"), fields)
    assert response.status_code == 400
    assert b"The request could not be read" in response.content


@pytest.mark.parametrize(
    "exception,status,text",
    [
        (RequestDataTooBig("big"), 413, b"The text sent is too large"),
        (TooManyFieldsSent("fields"), 400, b"too many fields"),
        (TooManyFilesSent("files"), 400, b"too many files"),
        (MultiPartParserError("bad"), 400, b"could not be read"),
    ],
)
def test_limit_errors_raised_inside_a_view_become_clear_pages(editor, exception, status, text):
    from django.test import RequestFactory

    from claims.middleware import RequestLimitsMiddleware

    request = RequestFactory().post("/articles/new/", {"title": "t"})
    request.user = editor
    response = RequestLimitsMiddleware(lambda r: None).process_exception(request, exception)
    assert response.status_code == status
    assert text in response.content


def test_other_exceptions_are_left_to_django(editor):
    from django.test import RequestFactory

    from claims.middleware import RequestLimitsMiddleware

    request = RequestFactory().get("/")
    assert RequestLimitsMiddleware(lambda r: None).process_exception(request, ValueError()) is None


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_nonsense_content_length_is_400(editor_client, length):
    response = editor_client.post(
        reverse("claims:article-create"), {"title": "t"}, CONTENT_LENGTH=length
    )
    assert response.status_code == 400


def test_article_text_over_the_character_limit_is_refused_inline(editor_client, settings):
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 1_000
    response = editor_client.post(
        reverse("claims:article-create"), {"title": "Long", "body": "Words. " * 500}
    )
    assert response.status_code in (200, 400, 422)
    assert b"too long" in response.content


@pytest.mark.django_db
def test_nul_characters_are_refused_clearly_not_500(client, editor, claim):
    # PostgreSQL cannot store NUL; a search or a raw field with one must not crash.
    client.force_login(editor)
    response = client.get("/board/", {"q": "road\x00repairs"})
    assert response.status_code == 400
    assert b"NUL character" in response.content
    response = client.post(
        f"/claims/{claim.pk}/move/", {"status": "assigned", "version": "1", "reason": "a\x00b"}
    )
    assert response.status_code == 400
