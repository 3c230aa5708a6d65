"""The claim panel: full page, htmx partials, every step, refusals and conflicts."""

import json

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, Comment, Event, Source

pytestmark = pytest.mark.django_db
Status = Claim.Status
HX = {"HTTP_HX_REQUEST": "true"}


def detail(claim):
    return reverse("claims:claim-detail", args=[claim.pk])


def step(claim, action):
    return reverse("claims:claim-step", args=[claim.pk, action])


def test_full_page_shows_claim_in_article_escaped(client, editor, claim):
    claim.article.body = claim.article.body.replace(
        "Washington", "<b>Wsh</b>"
    )  # same length: offsets hold
    claim.article.save()
    client.force_login(editor)
    page = client.get(detail(claim))
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        "<mark>The city spent $4.2 million on road repairs in 2023, up 12% from 2022.</mark>"
        in html
    )
    assert "&lt;b&gt;Wsh&lt;/b&gt;" in html and "<b>Wsh</b>" not in html
    assert "Residents hope" not in html  # only the claim's paragraph
    for label in (
        "Assignee",
        "Due date",
        "Verdict",
        "Conclusion",
        "Comment",
        "URL",
        "Title",
        "Publisher",
        "Excerpt",
        "Stance",
        "Archived URL",
        "Accessed on",
    ):
        assert f">{label}</label>" in html or f">{label}:</label>" in html, label
    for button in (
        "Assign",
        "Set due date",
        "Save verdict",
        "Add source",
        "Add comment",
        "Dismiss",
    ):
        assert f">{button}</button>" in html, button
    assert "<html" in html and 'src="/static/js/claim_panel.js"' in html


def test_htmx_gets_the_panel_partial(client, editor, claim):
    client.force_login(editor)
    page = client.get(detail(claim), **HX)
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<article class="claim-panel"')


@pytest.mark.parametrize(
    "fixture,buttons,absent",
    [
        (
            "assigned_claim",
            ["Start research", "Add comment", "Save verdict"],
            ["Submit for review", "Approve", "Assign", "Dismiss"],
        ),
        ("researching_claim", ["Submit for review", "Add source"], ["Start research", "Publish"]),
        (
            "in_review_claim",
            ["Add comment"],
            ["Save verdict", "Add source", "Submit for review", "Approve"],
        ),
    ],
)
def test_reviewer_sees_only_their_steps(client, reviewer, request, fixture, buttons, absent):
    claim = request.getfixturevalue(fixture)
    client.force_login(reviewer)
    html = client.get(detail(claim)).content.decode()
    for b in buttons:
        assert f">{b}</button>" in html, b
    for b in absent:
        assert f">{b}</button>" not in html, b


@pytest.mark.parametrize(
    "fixture,buttons,absent",
    [
        ("claim", ["Assign", "Dismiss", "Set due date"], ["Unassign", "Approve", "Restore"]),
        ("in_review_claim", ["Approve", "Send back", "Dismiss"], ["Publish", "Correct"]),
        ("approved_claim", ["Publish", "Send back"], ["Approve", "Save verdict"]),
        ("published_claim", ["Correct"], ["Publish", "Dismiss", "Add source", "Set due date"]),
    ],
)
def test_editor_sees_steps_for_status(client, editor, request, fixture, buttons, absent):
    claim = request.getfixturevalue(fixture)
    client.force_login(editor)
    html = client.get(detail(claim)).content.decode()
    for b in buttons:
        assert f">{b}</button>" in html, b
    for b in absent:
        assert f">{b}</button>" not in html, b


def test_no_approve_button_for_the_proposer(client, editor, in_review_claim):
    Claim.objects.filter(pk=in_review_claim.pk).update(proposed_by=editor)
    client.force_login(editor)
    assert ">Approve</button>" not in client.get(detail(in_review_claim)).content.decode()


def test_others_get_403_without_data(client, reviewer2, outsider, assigned_claim):
    for who in (reviewer2, outsider):
        client.force_login(who)
        page = client.get(detail(assigned_claim))
        assert page.status_code == 403 and assigned_claim.text.encode() not in page.content
        page = client.post(
            step(assigned_claim, "start-research"), {"version": assigned_claim.version}, **HX
        )
        assert page.status_code == 403 and assigned_claim.text.encode() not in page.content
    assigned_claim.refresh_from_db()
    assert assigned_claim.status == Status.ASSIGNED


def test_missing_claim_and_unknown_step_404(client, editor, claim):
    client.force_login(editor)
    assert client.get(reverse("claims:claim-detail", args=[99999])).status_code == 404
    assert client.post(step(claim, "teleport"), {"version": 1}).status_code == 404


@pytest.mark.parametrize(
    "name", ["claim-assign", "claim-due", "claim-verdict", "source-add", "comment-add"]
)
def test_post_only_views_refuse_get(client, editor, claim, name):
    client.force_login(editor)
    assert client.get(reverse(f"claims:{name}", args=[claim.pk])).status_code == 405


def test_full_reviewer_journey_with_htmx(client, editor, reviewer, assigned_claim, mostly_false):
    client.force_login(reviewer)
    page = client.post(step(assigned_claim, "start-research"), {"version": 2}, **HX)
    assert page.status_code == 200 and "Research started." in page.content.decode()
    assert json.loads(page.headers["HX-Trigger"]) == {
        "board-changed": {"statuses": ["assigned", "researching"]}
    }
    for n in (1, 2):
        page = client.post(
            reverse("claims:source-add", args=[assigned_claim.pk]),
            {"url": f"https://stats.example/{n}", "title": f"Table {n}", "stance": "refutes"},
            **HX,
        )
        assert page.status_code == 200
    html = page.content.decode()
    assert 'href="https://stats.example/1" rel="noopener noreferrer" target="_blank"' in html
    page = client.post(
        reverse("claims:claim-verdict", args=[assigned_claim.pk]),
        {"version": 3, "rating": mostly_false.pk, "conclusion": "It was $3.1 million."},
        **HX,
    )
    assert "Verdict saved." in page.content.decode()
    page = client.post(step(assigned_claim, "submit"), {"version": 4}, **HX)
    assert "Submitted for review." in page.content.decode()
    page = client.post(
        reverse("claims:comment-add", args=[assigned_claim.pk]), {"body": "Ready <b>now</b>"}, **HX
    )
    assert "Ready &lt;b&gt;now&lt;/b&gt;" in page.content.decode()
    client.force_login(editor)
    client.post(step(assigned_claim, "approve"), {"version": 5})
    page = client.post(step(assigned_claim, "publish"), {"version": 6}, follow=True)
    assert (
        page.redirect_chain[-1][0] == detail(assigned_claim)
        and "Published." in page.content.decode()
    )
    assigned_claim.refresh_from_db()
    assert assigned_claim.status == Status.PUBLISHED


def test_full_page_post_redirects_with_message(client, editor, reviewer, claim):
    client.force_login(editor)
    page = client.post(
        reverse("claims:claim-assign", args=[claim.pk]), {"version": 1, "assignee": reviewer.pk}
    )
    assert page.status_code == 302 and page.url == detail(claim)
    page = client.get(page.url)
    assert f"Assigned to {reviewer.username}." in page.content.decode()


def test_refusal_inline_for_htmx_and_message_for_full_page(client, editor, in_review_claim):
    client.force_login(editor)
    page = client.post(
        step(in_review_claim, "send-back"), {"version": in_review_claim.version, "reason": ""}, **HX
    )
    html = page.content.decode()
    assert (
        page.status_code == 422
        and "a reason is required" in html
        and '<details class="cp-step" open>' in html
    )
    page = client.post(step(in_review_claim, "publish"), {"version": in_review_claim.version})
    assert page.status_code == 422
    assert (
        "Cannot publish a claim that is In review. From In review you can: approve, send back, dismiss."
        in page.content.decode()
    )


def test_bad_source_url_shown_inline_input_kept(client, reviewer, researching_claim):
    client.force_login(reviewer)
    page = client.post(
        reverse("claims:source-add", args=[researching_claim.pk]),
        {"url": "javascript:alert(1)", "title": "Kept title", "stance": "context"},
        **HX,
    )
    html = page.content.decode()
    assert page.status_code == 422 and "The source URL must start with http:// or https://" in html
    assert 'value="Kept title"' in html and not Source.objects.exists()
    assert 'href="javascript:' not in html


def test_invalid_form_rerenders_with_422(client, editor, claim):
    client.force_login(editor)
    page = client.post(
        reverse("claims:claim-due", args=[claim.pk]), {"version": 1, "due_date": "not a date"}
    )
    assert page.status_code == 422 and "Enter a valid date." in page.content.decode()
    page = client.post(reverse("claims:claim-verdict", args=[claim.pk]), {"version": "x"}, **HX)
    assert page.status_code == 422


def test_stale_verdict_gives_409_with_changes_for_htmx(
    client, editor, editor2, researching_claim, mostly_false
):
    seen = researching_claim.version
    services.claim_set_verdict(
        actor=editor2,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="Theirs.",
        expected_version=seen,
    )
    client.force_login(editor)
    page = client.post(
        reverse("claims:claim-verdict", args=[researching_claim.pk]),
        {"version": seen, "rating": "", "conclusion": "Mine."},
        **HX,
    )
    html = page.content.decode()
    assert page.status_code == 409
    assert (
        f"This claim was changed by {editor2.username}" in html
        and "Someone else changed this claim" in html
    )
    assert "Conclusion: — → Theirs." in html  # what changed
    assert (
        "Mine.</textarea>" in html and f'name="version" value="{seen + 1}"' in html
    )  # their input kept
    researching_claim.refresh_from_db()
    assert researching_claim.conclusion == "Theirs."


def test_stale_step_on_full_page_is_409_with_message(client, editor, editor2, in_review_claim):
    seen = in_review_claim.version
    services.claim_send_back(actor=editor2, claim=in_review_claim, reason="More sources.")
    client.force_login(editor)
    page = client.post(
        step(in_review_claim, "dismiss"), {"version": seen, "reason": "Opinion piece."}
    )
    html = page.content.decode()
    assert page.status_code == 409 and "<html" in html and editor2.username in html
    assert "Opinion piece.</textarea>" in html
    in_review_claim.refresh_from_db()
    assert in_review_claim.status == Status.RESEARCHING


def test_source_edit_and_delete(client, reviewer, researching_claim):
    source = services.source_add(
        actor=reviewer, claim=researching_claim, url="https://a.example/1", title="Old"
    )
    client.force_login(reviewer)
    page = client.get(reverse("claims:source-edit", args=[source.pk]), **HX)
    assert (
        page.status_code == 200
        and 'value="Old"' in page.content.decode()
        and ">Save source</button>" in page.content.decode()
    )
    page = client.post(
        reverse("claims:source-edit", args=[source.pk]),
        {"url": "https://a.example/2", "title": "New", "stance": "supports"},
        **HX,
    )
    assert page.status_code == 200 and "Source updated." in page.content.decode()
    page = client.post(
        reverse("claims:source-edit", args=[source.pk]),
        {"url": "data:x", "stance": "supports"},
        **HX,
    )
    assert "The source URL must start with http" in page.content.decode()
    page = client.post(reverse("claims:source-delete", args=[source.pk]))
    assert page.status_code == 302 and not Source.objects.exists()
    assert client.post(reverse("claims:source-delete", args=[source.pk])).status_code == 404
    assert client.get(reverse("claims:source-delete", args=[source.pk])).status_code == 405


def test_other_reviewer_cannot_touch_sources(client, reviewer, reviewer2, researching_claim):
    source = services.source_add(actor=reviewer, claim=researching_claim, url="https://a.example/1")
    client.force_login(reviewer2)
    assert client.get(reverse("claims:source-edit", args=[source.pk])).status_code == 403
    assert client.post(reverse("claims:source-delete", args=[source.pk])).status_code == 403
    assert Source.objects.count() == 1


def test_correct_and_restore_steps(client, editor, published_claim):
    from tests.conftest import _claim_at

    claim = _claim_at(published_claim.article, "Residents hope the park will reopen soon.")
    client.force_login(editor)
    page = client.post(
        step(published_claim, "correct"), {"version": published_claim.version, "note": ""}, **HX
    )
    assert "A correction needs a public note" in page.content.decode()
    page = client.post(
        step(published_claim, "correct"),
        {"version": published_claim.version, "note": "Audit revised."},
        **HX,
    )
    assert "Correction published." in page.content.decode()
    client.post(step(published_claim, "dismiss"), {"version": 1})  # refused: published
    dismissed = services.claim_dismiss(actor=editor, claim=claim, reason="Opinion.")
    page = client.post(step(claim, "restore"), {"version": dismissed.version}, **HX)
    assert "Restored." in page.content.decode()


def test_history_shows_who_when_what(client, editor, reviewer, assigned_claim):
    client.force_login(editor)
    html = client.get(detail(assigned_claim)).content.decode()
    assert f"Assigned to {reviewer.username}." in html
    assert (
        f'Assignee: <span class="before">—</span> → <span class="after">{reviewer.username}</span>'
        in html
    )
    assert (
        'Status: <span class="before">Unassigned</span> → <span class="after">Assigned</span>'
        in html
    )


def test_comment_and_events_counted(client, reviewer, assigned_claim):
    client.force_login(reviewer)
    client.post(reverse("claims:comment-add", args=[assigned_claim.pk]), {"body": "Hi"})
    client.post(reverse("claims:comment-add", args=[assigned_claim.pk]), {"body": ""})
    assert Comment.objects.count() == 1 and Event.objects.filter(action="commented").count() == 1


def test_panel_query_count_is_bounded(
    client, editor, in_review_claim, django_assert_max_num_queries
):
    client.force_login(editor)
    client.get(detail(in_review_claim))
    with django_assert_max_num_queries(20):
        client.get(detail(in_review_claim), **HX)


def test_panel_step_names_the_columns_the_board_must_refresh(client, editor, in_review_claim):
    """The board beside the panel refreshes the card's old and new columns at once."""
    client.force_login(editor)
    page = client.post(step(in_review_claim, "approve"), {"version": in_review_claim.version}, **HX)
    assert page.status_code == 200
    assert json.loads(page.headers["HX-Trigger"]) == {
        "board-changed": {"statuses": ["approved", "in_review"]}
    }
    page = client.post(
        reverse("claims:comment-add", args=[in_review_claim.pk]), {"body": "Looks right."}, **HX
    )
    assert json.loads(page.headers["HX-Trigger"]) == {"board-changed": {"statuses": ["approved"]}}


def _section_order(html) -> list[str]:
    from bs4 import BeautifulSoup

    panel = BeautifulSoup(html, "html.parser").select_one("article.claim-panel")
    return [s["class"][1] for s in panel.select(":scope > section.cp-section")]


def test_panel_puts_the_work_before_the_steps(client, reviewer, researching_claim):
    client.force_login(reviewer)
    order = _section_order(client.get(detail(researching_claim)).content)
    assert order[:3] == ["cp-sources", "cp-verdict", "cp-steps"]


def test_checklist_says_what_still_blocks_submit(client, reviewer, researching_claim, mostly_false):
    from bs4 import BeautifulSoup

    client.force_login(reviewer)
    page = BeautifulSoup(client.get(detail(researching_claim)).content, "html.parser")
    checklist = page.select_one(".cp-checklist")
    assert [li.get_text(" ", strip=True) for li in checklist.select("li")] == [
        "✗ Missing: 0 of 2 sources",
        "✗ Missing: no verdict yet",
        "✗ Missing: no conclusion yet",
    ]
    assert checklist.select_one(".cp-blockers").get_text(strip=True) == (
        "To submit, add a verdict, a one-sentence conclusion and at least 2 sources (it has 0)."
    )
    submit = page.find("button", string="Submit for review")
    assert submit["aria-describedby"] == checklist["id"]
    for n in (1, 2):
        services.source_add(
            actor=reviewer, claim=researching_claim, url=f"https://stats.example/{n}", title=f"T{n}"
        )
    services.claim_set_verdict(
        actor=reviewer,
        claim=researching_claim,
        rating=mostly_false,
        conclusion="It was $3.1 million.",
        expected_version=None,
    )
    page = BeautifulSoup(client.get(detail(researching_claim)).content, "html.parser")
    checklist = page.select_one(".cp-checklist")
    assert [li.get_text(" ", strip=True) for li in checklist.select("li")] == [
        "✓ Done: 2 of 2 sources",
        "✓ Done: verdict chosen",
        "✓ Done: conclusion written",
    ]
    assert "Ready to submit" in checklist.get_text()


def test_send_back_reason_is_a_banner_at_the_top_for_the_assignee(
    client, editor, reviewer, in_review_claim
):
    from bs4 import BeautifulSoup

    editor.first_name, editor.last_name = "Erin", "Editor"
    editor.save()
    services.claim_send_back(
        actor=editor, claim=in_review_claim, reason="Source 2 is a blog; find the table."
    )
    client.force_login(reviewer)
    panel = BeautifulSoup(client.get(detail(in_review_claim)).content, "html.parser").select_one(
        "article.claim-panel"
    )
    banner = panel.select_one(".cp-sent-back")
    assert banner.get_text(" ", strip=True).startswith("Sent back by Erin Editor")
    assert "Source 2 is a blog; find the table." in banner.get_text()
    # At the top: right after the header, before the article context and the work.
    assert banner.find_previous_sibling().name == "header"
    # Once resubmitted, the banner goes.
    services.claim_submit(actor=reviewer, claim=in_review_claim)
    page = client.get(detail(in_review_claim)).content.decode()
    assert "cp-sent-back" not in page


def test_a_past_due_date_is_refused_with_a_message_and_nothing_lost(client, editor, claim):
    import datetime as dt

    from django.utils import timezone

    client.force_login(editor)
    past = timezone.localdate() - dt.timedelta(days=3)
    url = reverse("claims:claim-due", args=[claim.pk])
    page = client.post(url, {"version": claim.version, "due_date": past.isoformat()}, **HX)
    html = page.content.decode()
    assert page.status_code == 422 and "is in the past" in html
    assert f'value="{past.isoformat()}"' in html and "It is already overdue" in html
    claim.refresh_from_db()
    assert claim.due_date is None
    page = client.post(
        url, {"version": claim.version, "due_date": past.isoformat(), "confirm_overdue": "on"}, **HX
    )
    assert page.status_code == 200
    claim.refresh_from_db()
    assert claim.due_date == past
