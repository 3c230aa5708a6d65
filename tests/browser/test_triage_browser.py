"""The editor's triage in a real browser: paste the sample article, extract,
keep the pre-selected sentences, merge two, add a claim from a text selection;
and the same path without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.models import Article, Claim

SEED = Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def watch_csp(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def add_sample_article(page, base_url: str) -> Article:
    page.goto(f"{base_url}/articles/")
    page.get_by_role("link", name="New article").click()
    page.get_by_label("Title").fill("Rafah talks")
    page.get_by_label("Text", exact=True).fill(SEED_TEXT)
    page.get_by_role("button", name="Save article").click()
    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    article = Article.objects.get(title="Rafah talks")
    assert article.body == SEED_TEXT.replace("\r\n", "\n")
    return article


def select_text(page, phrase: str) -> None:
    """Select `phrase` in the article body as a user dragging over it would."""
    found = page.evaluate(
        """(phrase) => {
            const body = document.getElementById("article-body");
            const text = body.textContent;
            const at = text.indexOf(phrase);
            if (at < 0) return false;
            const point = (offset) => {
                for (const span of body.querySelectorAll("span[data-start]")) {
                    const s = Number(span.dataset.start), e = Number(span.dataset.end);
                    if (offset >= s && offset <= e) return [span.firstChild, offset - s];
                }
            };
            const range = document.createRange();
            range.setStart(...point(at));
            range.setEnd(...point(at + phrase.length));
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            return true;
        }""",
        phrase,
    )
    assert found, phrase


def test_editor_triage_with_javascript(new_page, live_server, editor):
    page = new_page(editor)
    problems = watch_csp(page)
    article = add_sample_article(page, live_server.url)

    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    article.refresh_from_db()
    assert len(article.candidates) == 17
    for candidate in article.candidates:
        box = page.locator(f"#span-{candidate['start']}")
        expect(box).to_be_checked(checked=candidate["checkworthy"])
    worthy = [c for c in article.candidates if c["checkworthy"]]
    expect(page.locator(".seg.score-4, .seg.score-3").first).to_be_visible()

    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_role("heading", name=f"Claims ({len(worthy)})")).to_be_visible()
    claims = list(Claim.objects.filter(article=article).order_by("start"))
    assert [(c.start, c.end) for c in claims] == [(c["start"], c["end"]) for c in worthy]

    # Merge the first two kept claims.
    page.locator(f"#merge-{claims[0].pk}").check()
    page.locator(f"#merge-{claims[1].pk}").check()
    page.get_by_role("button", name="Merge selected").click()
    expect(page.get_by_text("Merged 2 claims into one")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Claims ({len(worthy) - 1})")).to_be_visible()
    merged = (
        Claim.objects.filter(article=article).exclude(status="dismissed").order_by("start").first()
    )
    assert (merged.start, merged.end) == (claims[0].start, claims[1].end)
    # Merged-away claims are not dismissals: the page says where they went.
    expect(page.locator(".article-progress")).to_contain_text(f"{len(worthy) - 1} live claims.")
    expect(page.locator(".article-progress")).not_to_contain_text("dismissed")
    page.get_by_text("Merged (2)").click()
    expect(page.locator(".merged-claims").get_by_role("link", name=f"#{merged.pk}")).to_have_count(
        2
    )

    # Add a claim from a text selection that crosses a segment boundary (a kept claim's end).
    sentence = next(c for c in article.candidates if not c["checkworthy"])
    phrase = article.body[sentence["start"] : sentence["end"]]
    select_text(page, phrase)
    expect(page.get_by_label("Text to add as a claim")).to_have_value(phrase)
    page.get_by_role("button", name="Add claim from selection").click()
    expect(page.get_by_text("Added a claim")).to_be_visible()
    added = Claim.objects.get(article=article, start=sentence["start"])
    assert added.end == sentence["end"] and added.text == phrase

    # A part of a sentence, selected inside one shaded span.
    part = "over a million Palestinians are sheltering"
    select_text(page, part)
    expect(page.get_by_label("Text to add as a claim")).to_have_value(part)
    page.get_by_role("button", name="Add claim from selection").click()
    expect(page.get_by_text(f"Added a claim: “{part}”")).to_be_visible()
    start = article.body.index(part)
    assert Claim.objects.filter(article=article, start=start, end=start + len(part)).exists()
    expect(page.locator(f'.seg.is-claim[data-start="{start}"]')).to_have_text(part)

    # Extracting again keeps every claim.
    before = set(Claim.objects.filter(article=article).values_list("pk", "start", "end", "status"))
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_text("Found 17 sentences")).to_be_visible()
    assert (
        set(Claim.objects.filter(article=article).values_list("pk", "start", "end", "status"))
        == before
    )
    assert problems == []


def test_editor_triage_without_javascript(new_page, live_server, editor):
    page = new_page(editor, javascript=False)
    article = add_sample_article(page, live_server.url)
    page.get_by_role("button", name="Extract claims").click()
    page.wait_for_url(re.compile(rf"/articles/{article.pk}/$"))
    expect(page.get_by_text("Found 17 sentences")).to_be_visible()
    article.refresh_from_db()
    worthy = [c for c in article.candidates if c["checkworthy"]]
    first_other = next(c for c in article.candidates if not c["checkworthy"])
    expect(page.locator(f"#span-{worthy[0]['start']}")).to_be_checked()
    expect(page.locator(f"#span-{first_other['start']}")).not_to_be_checked()

    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_text(f"Kept {len(worthy)} claims.")).to_be_visible()
    assert Claim.objects.filter(article=article).count() == len(worthy)

    # Without JavaScript the editor types the exact text to add.
    page.get_by_label("Text to add as a claim").fill("the densely populated city")
    page.get_by_role("button", name="Add claim from selection").click()
    expect(page.get_by_text("Added a claim: “the densely populated city”")).to_be_visible()
    start = article.body.index("the densely populated city")
    assert Claim.objects.filter(article=article, start=start).exists()


def test_dismissal_sticks_through_later_keeps_until_restore(new_page, live_server, editor):
    page = new_page(editor)
    problems = watch_csp(page)
    article = add_sample_article(page, live_server.url)
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    article.refresh_from_db()
    worthy = [c for c in article.candidates if c["checkworthy"]]
    assert len(worthy) >= 5

    # Keep three, leaving the other check-worthy sentences unticked.
    for c in worthy[3:]:
        page.locator(f"#span-{c['start']}").uncheck()
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_text("Kept 3 claims.")).to_be_visible()
    for c in worthy[3:]:
        expect(page.locator(f"#span-{c['start']}")).not_to_be_checked()

    # Dismiss one of them.
    dismissed = Claim.objects.get(article=article, start=worthy[0]["start"])
    item = page.locator(f"#claim-{dismissed.pk}")
    item.get_by_text("Dismiss", exact=True).click()
    item.get_by_label("Reason").fill("Opinion")
    item.get_by_role("button", name="Dismiss claim").click()
    expect(page.get_by_text("Dismissed: “")).to_be_visible()
    row = page.locator(f"#span-{worthy[0]['start']}")
    expect(row).not_to_be_checked()
    expect(row).to_be_disabled()

    # Tick one more and keep: only that one is kept, the dismissal sticks.
    page.locator(f"#span-{worthy[3]['start']}").check()
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_text("Kept 1 claim.")).to_be_visible()
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    assert Claim.objects.filter(article=article).exclude(status="dismissed").count() == 3
    for c in worthy[4:]:
        expect(page.locator(f"#span-{c['start']}")).not_to_be_checked()
    expect(page.locator(f"#span-{worthy[0]['start']}")).not_to_be_checked()

    # Extracting again re-ticks nothing either.
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_text("Found 17 sentences")).to_be_visible()
    for c in [worthy[0], *worthy[4:]]:
        expect(page.locator(f"#span-{c['start']}")).not_to_be_checked()

    # Only "Restore" brings it back.
    page.locator(".triage-row.is-dismissed").get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Restored: “")).to_be_visible()
    dismissed.refresh_from_db()
    assert dismissed.status == "unassigned"
    expect(page.locator(f"#span-{worthy[0]['start']}")).to_be_checked()
    assert problems == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_assign_the_kept_claims_on_the_article_page(
    new_page, live_server, editor, reviewer, reviewer2, javascript
):
    page = new_page(editor, javascript=javascript)
    problems = watch_csp(page)
    article = add_sample_article(page, live_server.url)
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    article.refresh_from_db()
    worthy = [c for c in article.candidates if c["checkworthy"]]
    for c in worthy[4:]:
        page.locator(f"#span-{c['start']}").uncheck()
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_role("heading", name="Assign the 4 claims you kept")).to_be_visible()

    page.get_by_label("Reviewer").select_option(label=reviewer.get_username())
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text(f"Assigned 4 claims to {reviewer.get_username()}.")).to_be_visible()
    assert set(Claim.objects.filter(article=article).values_list("assignee", flat=True)) == {
        reviewer.pk
    }

    # Keep more, then spread them with Auto-assign.
    for c in worthy[4:6]:
        page.locator(f"#span-{c['start']}").check()
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_role("heading", name="Assign the 2 claims you kept")).to_be_visible()
    page.get_by_role("button", name="Auto-assign").click()
    expect(page.get_by_text("Auto-assigned 2 claims")).to_be_visible()
    newest = Claim.objects.filter(article=article, start__in=[c["start"] for c in worthy[4:6]])
    assert set(newest.values_list("assignee", flat=True)) == {reviewer2.pk}
    expect(page.get_by_role("heading", name=re.compile("^Assign the"))).to_have_count(0)
    assert problems == []


def test_split_by_clicking_a_word_and_without_javascript(new_page, live_server, editor):
    body = "Prices rose 4% in May, and wages fell by 2% over the year."
    article = Article.objects.create(title="Prices", body=body, added_by=editor)
    claim = Claim.objects.create(article=article, text=body, start=0, end=len(body))

    page = new_page(editor)
    problems = watch_csp(page)
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.locator(f"#claim-{claim.pk}").get_by_role("link", name="Split").click()
    word = page.locator(".split-sentence .split-point", has_text="and")
    word.click()
    expect(word).to_have_class(re.compile("is-split-here"))
    expect(page.locator(".split-form select[name=at]")).to_have_value(str(body.index("and")))
    expect(page.locator(".split-preview")).to_have_text(
        "First part: “Prices rose 4% in May,” · Second part: “and wages fell by 2% over the year.”"
    )
    page.get_by_role("button", name="Split claim").click()
    expect(
        page.get_by_text(
            "Split into “Prices rose 4% in May” and “and wages fell by 2% over the year.”"
        )
    ).to_be_visible()
    first, second = Claim.objects.filter(article=article).order_by("start")
    assert (first.text, second.text) == (
        "Prices rose 4% in May",
        "and wages fell by 2% over the year.",
    )
    assert problems == []

    # Without JavaScript the select does it, on the claim's own split page.
    plain = new_page(editor, javascript=False)
    plain.goto(f"{live_server.url}/claims/{second.pk}/split/")
    plain.get_by_label("Split before").select_option(label="…and wages fell | by 2% over…")
    plain.get_by_role("button", name="Split claim").click()
    expect(
        plain.get_by_text("Split into “and wages fell” and “by 2% over the year.”")
    ).to_be_visible()
