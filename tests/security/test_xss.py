"""XSS payloads in every text a person can enter render inert on every page.

Payloads go in through the services (and the article, comment and source forms),
then every page, htmx partial and report of the app is fetched as an editor and
as a reviewer. A page passes when no payload survives as markup: no inline
script, no event-handler attribute, no javascript: link, and the raw payload
text never appears unescaped.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse

from claims import services
from claims.models import REVIEWERS_GROUP, Job, Rating

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert('x1')</script>",
    '"><img src=x onerror=alert("x2")>',
    "'><svg onload=alert('x3')>",
    "</textarea><script>alert('x4')</script>",
    "</script><script>alert('x5')</script>",
    '" onmouseover="alert(\'x6\')" data-x="',
    "<a href=\"javascript:alert('x7')\">link</a>",
    "<iframe src=\"javascript:alert('x8')\"></iframe>",
    "<style>body{display:none}</style>",
    "<body onload=alert('x9')>",
]
# Marker text that only exists unescaped if a payload broke out.
RAW = [p for p in PAYLOADS if "<" in p]


def _sentence(payload: str) -> str:
    return f"Officials said {payload} costs rose 12% in 2023"


@pytest.fixture
def hostile(world, django_user_model, tmp_path):
    """Every free-text field of the app holds a payload."""
    editor, reviewer = world.editor, world.reviewer
    editor.first_name, editor.last_name = PAYLOADS[1], PAYLOADS[2]
    editor.save()
    mallory = django_user_model.objects.create_user(
        username="mallory", first_name=PAYLOADS[0], last_name=PAYLOADS[5], password="factcheck"
    )
    mallory.groups.add(Group.objects.get(name=REVIEWERS_GROUP))
    Rating.objects.create(name=PAYLOADS[3][:60], description=PAYLOADS[4], position=99)

    body = "\n\n".join(_sentence(p) + "." for p in PAYLOADS)
    article = services.article_create(
        actor=editor,
        title=PAYLOADS[0],
        body=body,
        outlet=PAYLOADS[1],
        author=PAYLOADS[2],
        url="https://news.example/?q=%3Cscript%3E",
    )
    spans = []
    for p in PAYLOADS:
        start = article.body.index(_sentence(p))
        spans.append((start, start + len(_sentence(p)) + 1))
    claims = services.claims_keep(actor=editor, article=article, spans=spans)
    first, second, third = claims[0], claims[1], claims[2]
    services.claim_edit_text(actor=editor, claim=first, text=PAYLOADS[6], expected_version=None)
    services.claim_assign(actor=editor, claim=first, assignee=reviewer)
    services.claim_start_research(actor=reviewer, claim=first)
    for n, p in enumerate(PAYLOADS[:3]):
        services.source_add(
            actor=reviewer,
            claim=first,
            url=f"https://src.example/{n}?x=<script>",
            title=p,
            publisher=PAYLOADS[n + 3],
            excerpt=PAYLOADS[n + 6],
        )
    services.claim_set_verdict(
        actor=reviewer,
        claim=first,
        rating=world.rating,
        conclusion=PAYLOADS[7],
        expected_version=None,
    )
    for p in PAYLOADS:
        services.comment_add(actor=reviewer, claim=first, body=p)
    services.claim_submit(actor=reviewer, claim=first)
    services.claim_send_back(actor=editor, claim=first, reason=PAYLOADS[8])
    services.claim_submit(actor=reviewer, claim=first)
    services.claim_approve(actor=editor, claim=first)
    services.claim_publish(actor=editor, claim=first)
    services.claim_correct(
        actor=editor, claim=first, note=PAYLOADS[9], conclusion=PAYLOADS[4][:200]
    )
    services.claim_dismiss(actor=editor, claim=second, reason=PAYLOADS[5])
    services.claim_assign(actor=editor, claim=third, assignee=mallory)
    Job.objects.create(
        kind=Job.Kind.IMPORT,
        created_by=editor,
        total=2,
        done=2,
        state=Job.State.DONE,
        results=[
            {"name": PAYLOADS[0], "ok": False, "message": PAYLOADS[1]},
            {"name": PAYLOADS[2], "ok": True, "message": "ok", "article_id": article.pk},
        ],
    )
    return article


def assert_inert(response, where: str) -> None:
    content_type = response["Content-Type"]
    if not content_type.startswith("text/html"):
        return
    html = response.content.decode()
    for payload in RAW:
        assert payload not in html, f"unescaped payload {payload!r} on {where}"
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            assert "</script" not in script.text.lower(), where
            continue
        assert script.get("src"), f"inline script on {where}: {str(script)[:100]}"
    for tag in soup.find_all(True):
        events = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not events, f"event handler on {where}: {str(tag)[:120]}"
        for attr in ("href", "src", "action", "formaction"):
            assert not str(tag.get(attr, "")).strip().lower().startswith("javascript:"), (
                f"javascript: URL on {where}"
            )
    assert not soup.find_all(["iframe", "style"]), f"iframe or style element on {where}"


def _pages(world, hostile, every_url) -> list[str]:
    urls = [url for _, url in every_url]
    claim_ids = list(hostile.claims.values_list("pk", flat=True))
    urls += [
        reverse("claims:article-detail", args=[hostile.pk]),
        reverse("claims:article-report", args=[hostile.pk]),
    ]
    urls += [reverse("claims:claim-detail", args=[pk]) for pk in claim_ids]
    urls += [reverse("claims:claim-edit", args=[pk]) for pk in claim_ids[:3]]
    urls += [
        reverse("claims:article-list"),
        reverse("claims:board") + "?q=%3Cscript%3E",
        reverse("claims:my-claims"),
    ]
    urls += [reverse("claims:job-detail", args=[j.pk]) for j in Job.objects.all()]
    return urls


def test_payloads_render_inert_everywhere(client, world, hostile, every_url, django_user_model):
    mallory = django_user_model.objects.get(username="mallory")
    pages = _pages(world, hostile, every_url)
    fetched = 0
    for user in (world.editor, world.reviewer, mallory):
        client.force_login(user)
        for url in pages:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, headers=headers)
                assert response.status_code < 500, url
                assert_inert(response, f"{url} as {user.username} {headers}")
                fetched += response.status_code == 200
    assert fetched > 30


def test_report_formats_keep_payloads_as_data(client, world, hostile):
    client.force_login(world.editor)
    base = reverse("claims:article-report", args=[hostile.pk])
    for fmt in ("html", "json", "claimreview"):
        response = client.get(base, {"format": fmt})
        if response.status_code != 200:
            continue
        assert response.headers.get("X-Content-Type-Options") == "nosniff"
        if response["Content-Type"].startswith("application/"):
            # JSON is served as JSON, never sniffed into HTML.
            assert "html" not in response["Content-Type"]
        else:
            assert_inert(response, f"{base}?format={fmt}")


def test_payloads_posted_through_forms_render_inert(client, world):
    client.force_login(world.editor)
    response = client.post(
        reverse("claims:article-create"),
        {"title": PAYLOADS[0], "body": _sentence(PAYLOADS[1]) + ".", "outlet": PAYLOADS[2]},
    )
    assert response.status_code in (200, 302)
    client.force_login(world.reviewer)
    client.post(reverse("claims:comment-add", args=[world.claim.pk]), {"body": PAYLOADS[3]})
    for url in (
        reverse("claims:article-list"),
        reverse("claims:claim-detail", args=[world.claim.pk]),
        reverse("claims:board"),
    ):
        assert_inert(client.get(url), url)


def test_pasted_html_is_cleaned(world):
    """Uploaded HTML becomes plain text: scripts, styles and handlers are gone."""
    from claims import importing

    page = (
        b"<html><head><style>p{}</style><script>alert('x')</script></head><body>"
        b"<h1 onclick=\"alert('y')\">Budget</h1><p>The city spent $4.2m.</p>"
        b'<iframe src="javascript:alert(1)"></iframe></body></html>'
    )
    text = importing.read_upload("story.html", page)
    body = getattr(text, "text", text)
    assert "The city spent $4.2m." in body
    assert "alert" not in body and "<" not in body
