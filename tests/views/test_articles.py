"""Article screens: list, new article, import, job page, the article page and triage writes."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from claims import services
from claims.models import Article, Claim, Job

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client


@pytest.fixture
def extracted(article, editor) -> Article:
    return services.article_extract(actor=editor, article=article)


def url(name, *args):
    return reverse(f"claims:{name}", args=args)


def live_spans(article):
    return sorted(
        Claim.objects.filter(article=article)
        .exclude(status="dismissed")
        .values_list("start", "end")
    )


# ---------------------------------------------------------------- list


def test_list_shows_articles_with_progress_and_new_button(editor_client, claim):
    response = editor_client.get(url("article-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "City budget story" in html and "New article" in html
    assert '<rect class="bar-unassigned"' in html and 'width="100.0"' in html
    assert "style=" not in html


def test_list_for_reviewer_has_no_new_button(reviewer_client, article):
    html = reviewer_client.get(url("article-list")).content.decode()
    assert "City budget story" in html and "New article" not in html


def _articles_with_claims(editor, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        article = Article.objects.create(
            title=f"Story {n}", body="One. Two. Three.", added_by=editor
        )
        Claim.objects.bulk_create(
            [
                Claim(article=article, text=t, start=i, end=i + len(t), status=s)
                for t, i, s in (
                    ("One.", 0, "unassigned"),
                    ("Two.", 5, "assigned"),
                    ("Three.", 10, "dismissed"),
                )
            ]
        )


def test_list_query_count_is_constant(editor_client, editor, django_assert_num_queries):
    """The same queries at 3 and at 60 articles (more than a page): counts are read
    for the page shown, in one grouped query."""
    _articles_with_claims(editor, 3)
    editor_client.get(url("article-list"))  # sessions and the like settle first
    with django_assert_num_queries(7) as small:
        assert editor_client.get(url("article-list")).status_code == 200
    _articles_with_claims(editor, 57, start=3)
    with django_assert_num_queries(len(small.captured_queries)):
        html = editor_client.get(
            url("article-list"), {"q": "story", "sort": "title"}
        ).content.decode()
    assert html.count('class="article-row card"') == 50
    assert (
        html.count('<rect class="bar-unassigned"') == 50
        and html.count('<rect class="bar-dismissed"') == 50
    )


def test_outsider_cannot_see_articles(client, outsider, article):
    client.force_login(outsider)
    assert client.get(url("article-list")).status_code == 403
    assert client.get(url("article-detail", article.pk)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(url("article-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------- create


def test_create_form_renders(editor_client):
    html = editor_client.get(url("article-create")).content.decode()
    for label in ["Title", "Text", "File", "Outlet", "Author", "URL", "Published date"]:
        assert f">{label}" in html
    assert 'enctype="multipart/form-data"' in html


def test_create_by_paste_normalises_crlf_and_redirects(editor_client, editor):
    response = editor_client.post(
        url("article-create"),
        {
            "title": "",
            "body": "Headline\r\nThe city spent $4.2 million.",
            "outlet": "Gazette",
            "url": "https://g.example/1",
            "published_on": "2024-05-01",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.body == "Headline\nThe city spent $4.2 million." and article.title == "Headline"
    assert (
        article.outlet == "Gazette"
        and str(article.published_on) == "2024-05-01"
        and article.added_by == editor
    )


def test_a_long_first_line_makes_a_title_cut_at_a_word(editor_client):
    """An article pasted without a headline used to get its first 120 characters
    as the title, cut mid-word."""
    lead = (
        "Washington – The United States is pressing Israel to allow between 100 and 200 "
        "Hamas operatives to safely exit Rafah, the sources said on Tuesday."
    )
    editor_client.post(url("article-create"), {"title": "", "body": lead})
    title = Article.objects.get().title
    assert title == (
        "Washington – The United States is pressing Israel to allow between 100 and 200 "
        "Hamas operatives to safely exit Rafah…"
    )
    assert len(title) <= 120


def test_create_by_upload_docx(editor_client):
    import docx

    document = docx.Document()
    document.add_paragraph("Docx headline")
    document.add_paragraph("Unemployment stands at 3.9%.")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("story.docx", buffer.getvalue())
    response = editor_client.post(url("article-create"), {"file": upload})
    assert response.status_code == 302
    assert Article.objects.get().body == "Docx headline\n\nUnemployment stands at 3.9%."


def test_create_htmx_redirects_client_side(editor_client):
    response = editor_client.post(url("article-create"), {"body": "Some text."}, **HX)
    assert (
        response.status_code == 200
        and response["HX-Redirect"] == Article.objects.get().get_absolute_url()
    )


@pytest.mark.parametrize("htmx", [False, True])
def test_create_bad_input_keeps_pasted_text(editor_client, htmx):
    pasted = "My <precious> pasted text. It must survive."
    response = editor_client.post(
        url("article-create"),
        {"body": pasted, "url": "javascript:alert(1)"},
        **(HX if htmx else {}),
    )
    assert response.status_code == 422 and not Article.objects.exists()
    html = response.content.decode()
    assert "must start with http:// or https://" in html
    assert "My &lt;precious&gt; pasted text. It must survive." in html
    assert ("<html" in html) is not htmx


def test_create_refuses_empty_both_bad_file_and_too_long(editor_client, settings):
    assert (
        "has no text"
        in editor_client.post(url("article-create"), {"body": "  \r\n "}).content.decode()
    )
    both = editor_client.post(
        url("article-create"), {"body": "x", "file": SimpleUploadedFile("a.txt", b"y")}
    )
    assert "not both" in both.content.decode()
    bad = editor_client.post(url("article-create"), {"file": SimpleUploadedFile("a.pdf", b"%PDF")})
    assert "a.pdf: “.pdf” files are not supported" in bad.content.decode()
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 10
    long = editor_client.post(url("article-create"), {"body": "A sentence that is too long."})
    assert "The article is too long: 28 characters; the limit is 10." in long.content.decode()
    assert "A sentence that is too long." in long.content.decode()
    assert not Article.objects.exists()


def test_create_is_for_editors_only(reviewer_client):
    assert reviewer_client.get(url("article-create")).status_code == 403
    assert reviewer_client.post(url("article-create"), {"body": "x"}).status_code == 403
    assert not Article.objects.exists()


# ---------------------------------------------------------------- import and jobs


def test_import_several_files_reports_bad_one_by_name(editor_client):
    files = [
        SimpleUploadedFile("good.txt", b"Good headline\nThe city spent $4.2 million."),
        SimpleUploadedFile("bad.docx", b"nope"),
        SimpleUploadedFile("page.html", b"<p>Crime fell by half.</p>"),
    ]
    response = editor_client.post(url("article-import"), {"files": files, "extract": ""})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == url("job-detail", job.pk)
    assert (job.state, job.done, job.total) == ("done", 3, 3)
    html = editor_client.get(url("job-detail", job.pk)).content.decode()
    assert "bad.docx: this is not a readable Word (.docx) document." in html
    assert "2 imported" in html and "1 failed" in html
    assert 'hx-trigger="every 1s"' not in html  # finished: no more polling
    assert Article.objects.count() == 2


def test_import_form_and_htmx_paths(editor_client):
    assert "multiple" in editor_client.get(url("article-import")).content.decode()
    empty = editor_client.post(url("article-import"), {}, **HX)
    assert empty.status_code == 422 and "Choose one or more files" in empty.content.decode()
    ok = editor_client.post(
        url("article-import"), {"files": [SimpleUploadedFile("a.txt", b"Text.")]}, **HX
    )
    assert ok["HX-Redirect"] == url("job-detail", Job.objects.get().pk)


def test_running_job_polls_and_htmx_gets_partial(editor_client, editor):
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        created_by=editor,
        state=Job.State.RUNNING,
        total=4,
        done=1,
        results=[{"name": "a.txt", "ok": True, "message": "Added.", "article_id": None}],
    )
    html = editor_client.get(url("job-detail", job.pk)).content.decode()
    assert 'hx-trigger="every 1s"' in html and "<progress" in html and 'value="1"' in html
    partial = editor_client.get(url("job-detail", job.pk), **HX).content.decode()
    assert partial.lstrip().startswith('<section id="job-status"') and "<html" not in partial


def test_job_is_private_to_its_creator_and_editors(client, reviewer, reviewer2, editor):
    job = Job.objects.create(kind=Job.Kind.IMPORT, created_by=reviewer)
    client.force_login(reviewer2)
    assert client.get(url("job-detail", job.pk)).status_code == 404
    client.force_login(editor)
    assert client.get(url("job-detail", job.pk)).status_code == 200


def test_import_is_for_editors_only(reviewer_client):
    assert reviewer_client.get(url("article-import")).status_code == 403
    assert (
        reviewer_client.post(
            url("article-import"), {"files": [SimpleUploadedFile("a.txt", b"x")]}
        ).status_code
        == 403
    )


# ---------------------------------------------------------------- article page


def test_detail_before_extraction(editor_client, article):
    html = editor_client.get(url("article-detail", article.pk)).content.decode()
    assert "Extract claims" in html and "No extraction yet" in html
    assert url("article-report", article.pk) in html and "Export report" in html


def _meta_line(response) -> str:
    html = response.content.decode()
    start = html.index('class="muted article-meta')
    inner = html[html.index(">", start) + 1 : html.index("</p>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


def test_detail_meta_line_separates_only_the_parts_it_has(editor_client, editor):
    """With no outlet the line used to open with a stray "·" separator; the
    separators are drawn by CSS between the parts present."""
    bare = services.article_create(actor=editor, title="Bare", body="Rates rose 3% in May.")
    assert _meta_line(editor_client.get(bare.get_absolute_url())) == "21 characters"
    full = services.article_create(
        actor=editor, title="Full", body="Rates rose.", outlet="Courier", author="Jo Lee"
    )
    assert _meta_line(editor_client.get(full.get_absolute_url())) == (
        "Courier by Jo Lee 11 characters"
    )
    assert "·" not in _meta_line(editor_client.get(full.get_absolute_url()))


def test_detail_segments_cover_the_body_exactly(editor_client, extracted, claim):
    import re
    from html import unescape

    html = editor_client.get(url("article-detail", extracted.pk)).content.decode()
    body_html = re.search(r'<div id="article-body"[^>]*>(.*?)</div>', html, re.DOTALL).group(1)
    spans = re.findall(
        r'<span data-start="(\d+)" data-end="(\d+)" class="([^"]*)">(.*?)</span>',
        body_html,
        re.DOTALL,
    )
    assert "".join(unescape(t) for *_, t in spans) == extracted.body
    for start, end, _, text in spans:
        assert extracted.body[int(start) : int(end)] == unescape(text)
    assert any("score-" in cls for *_, cls, _ in spans)
    assert any("is-claim" in cls for *_, cls, _ in spans)
    assert "style=" not in html


def test_reviewer_sees_article_without_write_controls(reviewer_client, extracted):
    html = reviewer_client.get(url("article-detail", extracted.pk)).content.decode()
    assert (
        "Keep selected" not in html
        and "Extract claims" not in html
        and "Add claim from selection" not in html
    )


def test_detail_htmx_gets_workspace_partial(editor_client, article):
    response = editor_client.get(url("article-detail", article.pk), **HX)
    assert response.content.decode().lstrip().startswith('<div id="workspace"')


# ---------------------------------------------------------------- extract and keep


def test_extract_shows_triage_with_checkworthy_preselected(editor_client, article):
    response = editor_client.post(url("article-extract", article.pk), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    article.refresh_from_db()
    assert len(article.candidates) >= 4 and "Keep selected" in html
    for candidate in article.candidates:
        checkbox = f'value="{candidate["start"]}-{candidate["end"]}" id="span-{candidate["start"]}"'
        assert checkbox + (" checked" if candidate["checkworthy"] else ">") in html


def test_extract_plain_post_redirects_with_message(editor_client, article):
    response = editor_client.post(url("article-extract", article.pk), follow=True)
    assert response.redirect_chain[-1][0] == article.get_absolute_url()
    assert "sentences" in response.content.decode()


def test_extract_error_is_shown_inline(editor_client, editor, settings):
    article = services.article_create(actor=editor, title="T", body="Some words here.")
    settings.FACTCHECK_MAX_ARTICLE_CHARS = 5
    response = editor_client.post(url("article-extract", article.pk))
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()


def test_keep_then_reextract_never_duplicates_or_drops(editor_client, extracted, editor):
    spans = [f"{c['start']}-{c['end']}" for c in extracted.candidates[:3]]
    response = editor_client.post(url("claims-keep", extracted.pk), {"span": spans})
    assert response.status_code == 302
    kept = live_spans(extracted)
    assert len(kept) == 3
    claim = Claim.objects.filter(article=extracted).first()
    services.claim_edit_text(
        actor=editor, claim=claim, text="Edited wording.", expected_version=claim.version
    )
    editor_client.post(url("article-extract", extracted.pk))
    editor_client.post(url("article-extract", extracted.pk))
    extracted.refresh_from_db()
    again = editor_client.post(
        url("claims-keep", extracted.pk),
        {"span": [f"{c['start']}-{c['end']}" for c in extracted.candidates]},
        **HX,
    )
    assert "already kept" in again.content.decode()
    assert set(kept) <= set(live_spans(extracted))
    assert len(live_spans(extracted)) == len(extracted.candidates)
    assert Claim.objects.get(pk=claim.pk).text == "Edited wording."


@pytest.mark.parametrize("data", [{}, {"span": ["abc"]}, {"span": ["5-2"]}, {"span": ["0-99999"]}])
def test_keep_bad_spans_give_a_message_not_a_500(editor_client, extracted, data):
    response = editor_client.post(url("claims-keep", extracted.pk), data)
    assert response.status_code == 422 and 'role="alert"' in response.content.decode()
    assert not Claim.objects.exists()


# ---------------------------------------------------------------- add from selection


def test_add_claim_from_offsets(editor_client, article):
    start = article.body.index("Unemployment")
    response = editor_client.post(
        url("claim-add", article.pk), {"start": start, "end": start + 25, "text": "ignored"}, **HX
    )
    assert response.status_code == 200
    assert Claim.objects.get().text == article.body[start : start + 25]


def test_add_claim_by_text_uses_first_unclaimed_occurrence(editor_client, editor):
    article = services.article_create(
        actor=editor, title="T", body="Prices rose. Prices rose. Prices rose."
    )
    for _ in range(2):
        editor_client.post(url("claim-add", article.pk), {"text": " Prices rose. "})
    assert live_spans(article) == [(0, 12), (13, 25)]


def test_add_claim_text_not_found_keeps_the_text(editor_client, article):
    response = editor_client.post(url("claim-add", article.pk), {"text": "Not in <the> article"})
    html = response.content.decode()
    assert (
        response.status_code == 422
        and "not in the article" in html
        and "Not in &lt;the&gt; article" in html
    )


def test_add_claim_empty_and_out_of_range(editor_client, article):
    assert (
        "Select some text" in editor_client.post(url("claim-add", article.pk), {}).content.decode()
    )
    out = editor_client.post(url("claim-add", article.pk), {"start": 0, "end": 10**6})
    assert out.status_code == 422 and "outside the article" in out.content.decode()


# ---------------------------------------------------------------- merge, dismiss, edit, split


def test_merge_neighbours(editor_client, extracted):
    first, second = extracted.candidates[0], extracted.candidates[1]
    claims = services.claims_keep(
        actor=extracted.added_by,
        article=extracted,
        spans=[(first["start"], first["end"]), (second["start"], second["end"])],
    )
    response = editor_client.post(
        url("claims-merge", extracted.pk), {"claim": [c.pk for c in claims]}, **HX
    )
    assert response.status_code == 200 and "Merged 2 claims" in response.content.decode()
    assert live_spans(extracted) == [(first["start"], second["end"])]


def test_merge_needs_two_and_same_article(editor_client, claim, editor):
    assert (
        "at least two"
        in editor_client.post(
            url("claims-merge", claim.article.pk), {"claim": [claim.pk]}
        ).content.decode()
    )
    other = services.article_create(actor=editor, title="Other", body="Another text.")
    html = editor_client.post(
        url("claims-merge", other.pk), {"claim": [claim.pk, claim.pk + 1]}
    ).content.decode()
    assert "Only claims of this article" in html


def test_dismiss_with_reason(editor_client, claim):
    assert (
        "reason is required"
        in editor_client.post(
            url("claim-dismiss", claim.pk), {"version": claim.version, "reason": ""}
        ).content.decode()
    )
    response = editor_client.post(
        url("claim-dismiss", claim.pk), {"version": claim.version, "reason": "Opinion"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.dismissed_reason) == ("dismissed", "Opinion")


def test_dismiss_stale_version_is_409_for_htmx(editor_client, claim, editor):
    services.claim_edit_text(
        actor=editor, claim=claim, text="Changed.", expected_version=claim.version
    )
    response = editor_client.post(
        url("claim-dismiss", claim.pk), {"version": 1, "reason": "Opinion"}, **HX
    )
    assert response.status_code == 409 and "changed by" in response.content.decode()


def test_edit_wording_keeps_offsets(editor_client, claim):
    page = editor_client.get(url("claim-edit", claim.pk))
    assert page.status_code == 200 and "Original sentence" in page.content.decode()
    assert "<html" not in editor_client.get(url("claim-edit", claim.pk), **HX).content.decode()
    response = editor_client.post(
        url("claim-edit", claim.pk),
        {"text": "The city spent $4.2m on roads.", "version": claim.version},
    )
    assert response.status_code == 302
    edited = Claim.objects.get(pk=claim.pk)
    assert edited.text == "The city spent $4.2m on roads." and (edited.start, edited.end) == (
        claim.start,
        claim.end,
    )


def test_edit_stale_version_shows_both_and_keeps_mine(editor_client, claim, editor2):
    services.claim_edit_text(
        actor=editor2, claim=claim, text="Their wording.", expected_version=claim.version
    )
    full = editor_client.post(url("claim-edit", claim.pk), {"text": "My wording.", "version": 1})
    html = full.content.decode()
    assert (
        full.status_code == 409
        and "eddie_editor" in html
        and "Their wording." in html
        and "My wording." in html
    )
    assert (
        editor_client.post(
            url("claim-edit", claim.pk), {"text": "My wording.", "version": 1}, **HX
        ).status_code
        == 409
    )
    assert (
        editor_client.post(url("claim-edit", claim.pk), {"text": "  ", "version": 2}).status_code
        == 422
    )


def test_split_by_choice_and_by_text(editor_client, claim):
    page = editor_client.get(url("claim-split", claim.pk)).content.decode()
    at = claim.text.index("up 12%")
    assert f'value="{at}"' in page and "in 2023, | up 12% from…" in page
    response = editor_client.post(
        url("claim-split", claim.pk), {"at": at, "version": claim.version}, **HX
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "#workspace"
    first = Claim.objects.get(pk=claim.pk)
    # The comma left at the cut is trimmed.
    assert first.text == "The city spent $4.2 million on road repairs in 2023"
    assert claim.article.body[first.start : first.end] == first.text
    second = Claim.objects.exclude(pk=claim.pk).get()
    assert second.text == "up 12% from 2022."
    response = editor_client.post(
        url("claim-split", first.pk), {"second": "on road repairs", "version": first.version}
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=first.pk).text == "The city spent $4.2 million"


def test_split_form_shows_each_word_as_a_split_point(editor_client, claim):
    page = editor_client.get(url("claim-split", claim.pk), **HX).content.decode()
    at = claim.text.index("up 12%")
    assert f'<span class="split-word split-point" data-at="{at}">up </span>' in page
    assert '<span class="split-word">The </span>' in page  # no split before the first word
    assert 'name="at"' in page and 'name="second"' in page  # the fallback form stays


def test_split_trims_stray_punctuation_on_both_sides(editor_client, editor):
    article = services.article_create(
        actor=editor, title="T", body="Prices rose — sharply, and wages fell."
    )
    claim = services.claim_add_from_selection(
        actor=editor, article=article, start=0, end=len(article.body)
    )
    at = article.body.index(", and")  # a careless cut right before the comma
    first, second = services.claim_split(
        actor=editor, claim=claim, at=at, expected_version=claim.version
    )
    assert (first.text, second.text) == ("Prices rose — sharply", "and wages fell.")
    at = first.text.index("sharply")
    first, third = services.claim_split(
        actor=editor, claim=first, at=at, expected_version=first.version
    )
    assert (first.text, third.text) == ("Prices rose", "sharply")


def test_split_refuses_a_part_of_punctuation_only(editor_client, editor):
    article = services.article_create(actor=editor, title="T", body="Prices rose — fast.")
    claim = services.claim_add_from_selection(
        actor=editor, article=article, start=0, end=len(article.body)
    )
    with pytest.raises(services.InvalidInput, match="Both parts"):
        services.claim_split(
            actor=editor, claim=claim, at=len("Prices rose — fast"), expected_version=claim.version
        )


def test_split_bad_input(editor_client, claim):
    assert (
        "Choose where"
        in editor_client.post(
            url("claim-split", claim.pk), {"version": claim.version}
        ).content.decode()
    )
    html = editor_client.post(
        url("claim-split", claim.pk), {"second": "nowhere", "version": claim.version}
    ).content.decode()
    assert "not in the claim" in html
    assert (
        editor_client.post(
            url("claim-split", claim.pk), {"at": "abc", "version": claim.version}
        ).status_code
        == 422
    )


# ---------------------------------------------------------------- methods and permissions


@pytest.mark.parametrize("name", ["article-extract", "claims-keep", "claim-add", "claims-merge"])
def test_post_only_article_views_refuse_get(editor_client, article, name):
    assert editor_client.get(url(name, article.pk)).status_code == 405


def test_dismiss_refuses_get(editor_client, claim):
    assert editor_client.get(url("claim-dismiss", claim.pk)).status_code == 405


@pytest.mark.parametrize("name", ["article-extract", "claims-keep", "claim-add", "claims-merge"])
def test_reviewers_cannot_write_articles(reviewer_client, article, name):
    assert (
        reviewer_client.post(url(name, article.pk), {"span": ["0-5"], "text": "The"}).status_code
        == 403
    )


@pytest.mark.parametrize("name", ["claim-edit", "claim-split", "claim-dismiss"])
def test_reviewers_cannot_edit_claims(reviewer_client, assigned_claim, name):
    assert (
        reviewer_client.post(
            url(name, assigned_claim.pk), {"text": "x", "at": 3, "reason": "x", "version": 2}
        ).status_code
        == 403
    )


def test_missing_objects_are_404(editor_client):
    assert editor_client.get(url("article-detail", 999)).status_code == 404
    assert editor_client.post(url("claims-keep", 999)).status_code == 404
    assert editor_client.get(url("claim-edit", 999)).status_code == 404
    assert editor_client.get(url("job-detail", 999)).status_code == 404


# ---------------------------------------------------------------- triage decisions stick


def test_keep_after_dismiss_reticks_nothing_and_reports_the_dismissal(
    editor_client, extracted, editor
):
    worthy = [c for c in extracted.candidates if c["checkworthy"]]
    spans = [f"{c['start']}-{c['end']}" for c in worthy[:2]]
    editor_client.post(url("claims-keep", extracted.pk), {"span": spans})
    dismissed = Claim.objects.get(article=extracted, start=worthy[0]["start"])
    services.claim_dismiss(actor=editor, claim=dismissed, reason="Opinion")

    # A stale form still ticks the dismissed sentence: it stays dismissed.
    response = editor_client.post(url("claims-keep", extracted.pk), {"span": spans}, **HX)
    html = response.content.decode()
    assert "Kept 0 claims. 1 already kept. 1 dismissed, left out" in html
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    for c in extracted.candidates:
        box = f'value="{c["start"]}-{c["end"]}" id="span-{c["start"]}"'
        if c is worthy[0]:
            assert box + " disabled>" in html
        elif c is worthy[1]:
            assert box + " checked disabled>" in html
        else:
            assert box + ">" in html
    assert f'form="restore-{dismissed.pk}">Restore</button>' in html


def test_restore_from_the_article_page(editor_client, claim, editor):
    services.claim_dismiss(actor=editor, claim=claim, reason="Opinion")
    claim.refresh_from_db()
    response = editor_client.post(url("claim-restore", claim.pk), {"version": claim.version}, **HX)
    assert response.status_code == 200 and "Restored" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == "unassigned"
    again = editor_client.post(url("claim-restore", claim.pk), {"version": claim.version}, **HX)
    assert again.status_code == 422 and "Cannot restore" in again.content.decode()


def test_reviewer_cannot_restore(client, reviewer, claim, editor):
    services.claim_dismiss(actor=editor, claim=claim, reason="Opinion")
    client.force_login(reviewer)
    assert client.post(url("claim-restore", claim.pk)).status_code == 403


def test_article_page_says_merged_into_not_dismissed(editor_client, extracted, editor):
    spans = [(c["start"], c["end"]) for c in extracted.candidates]
    claims = services.claims_keep(actor=editor, article=extracted, spans=spans)
    merged = services.claims_merge(actor=editor, claim_ids=[claims[0].pk, claims[1].pk])
    services.claim_dismiss(actor=editor, claim=claims[2], reason="Opinion")
    html = editor_client.get(url("article-detail", extracted.pk)).content.decode()
    live = len(claims) - 2
    assert f"{live} live claims, 1 dismissed." in html
    assert "Dismissed (1)" in html and "Merged (2)" in html
    assert html.count(f'merged into <a href="#claim-{merged.pk}">#{merged.pk}</a>') == 2
    detail = editor_client.get(url("claim-detail", claims[0].pk)).content.decode()
    assert f'Merged into <a href="{url("claim-detail", merged.pk)}">#{merged.pk}</a>' in detail


# ---------------------------------------------------------------- list search, sort, close and reopen


def test_list_keeps_search_and_sort_in_the_url_and_pager(editor_client, editor):
    for n in range(52):
        services.article_create(
            actor=editor, title=f"Budget story {n:02d}", body="Some text.", outlet="Gazette"
        )
    services.article_create(actor=editor, title="Weather", body="Rain.")
    html = editor_client.get(url("article-list"), {"q": "budget", "sort": "title"}).content.decode()
    assert "Budget story 00" in html and "Weather" not in html
    assert html.index("Budget story 00") < html.index("Budget story 01")
    assert 'href="?q=budget&amp;sort=title&amp;page=2"' in html
    assert 'value="budget"' in html and '<option value="title" selected>' in html
    second = editor_client.get(
        url("article-list"), {"q": "budget", "sort": "title", "page": 2}
    ).content.decode()
    assert "Budget story 51" in second and "Budget story 00" not in second


def test_list_shows_outlet_and_date(editor_client, editor):
    import datetime as dt

    services.article_create(
        actor=editor, title="Same", body="A.", outlet="Daily Post", published_on=dt.date(2026, 3, 3)
    )
    html = editor_client.get(url("article-list")).content.decode()
    assert (
        "Daily Post" in html and 'published <time datetime="2026-03-03">3 Mar 2026</time>' in html
    )


def test_close_and_reopen_from_the_article_page(editor_client, claim):
    article = claim.article
    page = editor_client.get(url("article-detail", article.pk)).content.decode()
    assert f'action="{url("article-close", article.pk)}"' in page and ">Close</button>" in page
    response = editor_client.post(url("article-close", article.pk), follow=True)
    html = response.content.decode()
    assert "Closed: it has left the lists and the board." in html and ">Reopen</button>" in html
    assert "City budget story" not in editor_client.get(url("article-list")).content.decode()
    assert (
        "City budget story"
        in editor_client.get(url("article-list"), {"closed": "1"}).content.decode()
    )
    assert editor_client.get(url("article-report", article.pk)).status_code == 200
    again = editor_client.post(url("article-close", article.pk))
    assert again.status_code == 422 and "already closed" in again.content.decode()
    editor_client.post(url("article-reopen", article.pk))
    assert "City budget story" in editor_client.get(url("article-list")).content.decode()


def test_reviewer_cannot_close(reviewer_client, article):
    assert reviewer_client.post(url("article-close", article.pk)).status_code == 403
    article.refresh_from_db()
    assert article.closed_at is None


# ---------------------------------------------------------------- assign where the claims are


def test_keep_offers_to_assign_the_kept_claims_there(editor_client, extracted, editor, reviewer):
    old = services.claim_add_from_selection(actor=editor, article=extracted, start=0, end=10)
    spans = [f"{c['start']}-{c['end']}" for c in extracted.candidates[1:3]]
    html = editor_client.post(
        url("claims-keep", extracted.pk), {"span": spans}, **HX
    ).content.decode()
    kept = list(Claim.objects.filter(article=extracted).exclude(pk=old.pk).order_by("pk"))
    assert "Assign the 2 claims you kept" in html and "Auto-assign" in html
    assert all(f'type="hidden" name="claim" value="{c.pk}"' in html for c in kept)
    assert f'type="hidden" name="claim" value="{old.pk}"' not in html
    assert f'<option value="{reviewer.pk}">' in html

    # Without JavaScript, the redirect carries the kept claims.
    response = editor_client.post(
        url("claims-keep", extracted.pk),
        {"span": [f"{c['start']}-{c['end']}" for c in extracted.candidates[3:4]]},
    )
    assert "?kept=" in response.url
    page = editor_client.get(response.url).content.decode()
    assert "Assign the 1 claim you kept" in page

    done = editor_client.post(
        url("article-assign", extracted.pk),
        {"claim": [c.pk for c in kept], "reviewer": reviewer.pk, "mode": "assign"},
        **HX,
    )
    assert (
        done.status_code == 200 and "Assigned 2 claims to ravi_reviewer." in done.content.decode()
    )
    assert {c.assignee_id for c in Claim.objects.filter(pk__in=[c.pk for c in kept])} == {
        reviewer.pk
    }


def test_auto_assign_from_the_article_page_spreads_by_load(
    editor_client, extracted, editor, reviewer, reviewer2
):
    claims = services.claims_keep(
        actor=editor,
        article=extracted,
        spans=[(c["start"], c["end"]) for c in extracted.candidates[:4]],
    )
    response = editor_client.post(
        url("article-assign", extracted.pk), {"claim": [c.pk for c in claims], "mode": "auto"}, **HX
    )
    assert (
        "Auto-assigned 4 claims: ravi_reviewer (2), rosa_reviewer (2)." in response.content.decode()
    )


def test_assign_here_refuses_bad_input_with_a_message(editor_client, extracted, editor):
    claims = services.claims_keep(
        actor=editor,
        article=extracted,
        spans=[(c["start"], c["end"]) for c in extracted.candidates[:1]],
    )
    no_reviewer = editor_client.post(
        url("article-assign", extracted.pk), {"claim": [claims[0].pk], "mode": "assign"}, **HX
    )
    assert no_reviewer.status_code == 422 and "Choose a reviewer." in no_reviewer.content.decode()
    other = services.article_create(actor=editor, title="Other", body="Another text.")
    foreign = editor_client.post(
        url("article-assign", other.pk), {"claim": [claims[0].pk], "mode": "auto"}, **HX
    )
    assert foreign.status_code == 422 and "Only claims of this article" in foreign.content.decode()
    assert Claim.objects.get(pk=claims[0].pk).assignee is None
