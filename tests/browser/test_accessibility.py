"""axe-core on every screen and state (issue 13): no serious or critical violation.

Each test reaches its states through the real services and views, runs axe on the
page as a person would see it, and fails listing every serious or critical finding.
Moderate and minor findings are listed as AxeModerate warnings in the test output;
docs/accessibility.md says why any that remain are false positives.

A new screen joins this file in the same change that adds it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims import services
from claims.demo import seed_synthetic
from claims.models import Claim, Rating

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SEED_TEXT = (
    Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"
).read_text(encoding="utf-8")


class Audit:
    """Runs axe on page after page and keeps every blocking finding and page problem."""

    def __init__(self, axe, watch):
        self.axe = axe
        self.watch = watch
        self.findings: list[str] = []
        self.states: list[str] = []

    def page(self, page) -> list[str]:
        return self.watch(page)

    def check(self, page, state: str, problems: list[str] | None = None) -> None:
        self.states.append(state)
        self.findings += self.axe(page, state)
        if problems:
            self.findings += [f"[{state}] {p}" for p in problems]
            problems.clear()

    def assert_clean(self) -> None:
        assert self.findings == [], "\n".join(self.findings)


def open_all_disclosures(page) -> None:
    """Open every <details>, so axe sees the forms they hold."""
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


@pytest.fixture
def audit(axe, page_problems) -> Audit:
    return Audit(axe, page_problems)


def test_sign_in(new_page, live_server, audit, editor):
    page = new_page()
    problems = audit.page(page)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    audit.check(page, "sign-in", problems)
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check(page, "sign-in with an error", problems)
    audit.assert_clean()


def test_board_empty_full_filtered_and_with_the_panel(
    new_page, live_server, audit, editor, reviewer, reviewer2
):
    page = new_page(editor, width=1400)
    problems = audit.page(page)
    page.goto(f"{live_server.url}/board/")
    expect(page.get_by_role("heading", name="Review board")).to_be_visible()
    audit.check(page, "board, empty", problems)

    seed_synthetic(
        editor=editor, reviewers=[reviewer, reviewer2], articles=3, claims_per_article=12
    )
    statuses = set(Claim.objects.values_list("status", flat=True))
    assert len(statuses) >= 5, statuses  # the full board shows most columns filled
    overdue = Claim.objects.filter(status=Claim.Status.ASSIGNED).first()
    services.claim_set_due_date(
        actor=editor, claim=overdue, due_date=dt.date(2020, 1, 1), allow_overdue=True
    )
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".board-card").first).to_be_visible()
    audit.check(page, "board, full (editor)", problems)

    page.locator(f"#card-{overdue.pk} summary").click()
    expect(page.locator(f"#card-{overdue.pk} form.card-move")).to_be_visible()
    audit.check(page, "board, a card's Move or assign open", problems)

    page.get_by_role("searchbox", name="Search").fill("the")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(lambda url: "q=the" in url)
    audit.check(page, "board, filtered", problems)

    page.goto(f"{live_server.url}/board/")
    page.locator(f"#card-{overdue.pk} a.card-text").click()
    expect(page.locator("#claim-panel .claim-panel")).to_be_visible()
    audit.check(page, "board with the side panel open", problems)

    reviewer_page = new_page(reviewer, width=1400)
    reviewer_problems = audit.page(reviewer_page)
    reviewer_page.goto(f"{live_server.url}/board/")
    expect(reviewer_page.locator(".board-card").first).to_be_visible()
    audit.check(reviewer_page, "board, full (reviewer)", reviewer_problems)
    reviewer_page.goto(f"{live_server.url}/my/")
    audit.check(reviewer_page, "my claims", reviewer_problems)
    audit.assert_clean()


def test_error_pages(new_page, live_server, audit, outsider):
    page = new_page(outsider)
    problems = audit.page(page)
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    audit.check(page, "404 page", problems)
    response = page.goto(f"{live_server.url}/articles/new/")
    assert response.status == 403
    audit.check(page, "403 page", problems)
    audit.assert_clean()


def test_board_list_view(new_page, live_server, audit, editor, reviewer, reviewer2):
    seed_synthetic(editor=editor, reviewers=[reviewer, reviewer2], articles=2, claims_per_article=8)
    page = new_page(editor, width=1400)
    problems = audit.page(page)
    page.goto(f"{live_server.url}/board/?view=list&sort=due")
    expect(page.locator("table.board-list")).to_be_visible()
    audit.check(page, "board, list view", problems)
    page.goto(f"{live_server.url}/board/?view=list&sort=-status&overdue=on")
    audit.check(page, "board, list view sorted and filtered", problems)
    narrow = new_page(editor, width=320)
    narrow_problems = audit.page(narrow)
    narrow.goto(f"{live_server.url}/board/?view=list")
    audit.check(narrow, "board, list view at 320 px", narrow_problems)
    audit.assert_clean()


def test_fact_check_archive_and_its_import(new_page, live_server, audit, editor, tmp_path):
    page = new_page(editor)
    problems = audit.page(page)
    page.goto(f"{live_server.url}/archive/")
    expect(page.get_by_role("heading", name="Fact-check archive")).to_be_visible()
    audit.check(page, "archive, empty", problems)
    page.get_by_role("link", name="Import fact-checks").click()
    audit.check(page, "import fact-checks", problems)
    page.get_by_role("button", name="Import").click()
    audit.check(page, "import fact-checks with a form error", problems)
    rows = "claim,rating,url,publisher,date\n" + "".join(
        f"Claim number {n} about the city budget,False,https://checks.example/{n},Checks Daily,2024-03-0{n}\n"
        for n in range(1, 6)
    )
    path = tmp_path / "checks.csv"
    path.write_text(rows)
    page.get_by_label("Files").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#job-status")).to_contain_text("5 added")
    audit.check(page, "archive import job", problems)
    page.goto(f"{live_server.url}/archive/?q=budget")
    expect(page.get_by_text("Claim number 1 about the city budget")).to_be_visible()
    audit.check(page, "archive, searched", problems)
    audit.assert_clean()


def _claims_in_every_status(editor, reviewer, article, make_claim) -> dict[str, Claim]:
    mostly_false = Rating.objects.get(name="Mostly false")

    def worked(text: str) -> Claim:
        claim = services.claim_assign(actor=editor, claim=make_claim(text), assignee=reviewer)
        services.claim_start_research(actor=reviewer, claim=claim)
        for n in (1, 2):
            services.source_add(
                actor=reviewer,
                claim=claim,
                url=f"https://stats.example/{claim.pk}/{n}",
                title=f"Table {n}",
                publisher="Statistics office",
                excerpt="A quoted line.",
                stance=("refutes", "context")[n - 1],
            )
        services.claim_set_verdict(
            actor=reviewer,
            claim=claim,
            rating=mostly_false,
            conclusion="The figure was smaller than claimed.",
            expected_version=None,
        )
        services.comment_add(actor=reviewer, claim=claim, body="The table is on page 4.")
        return services.claim_submit(actor=reviewer, claim=claim)

    sentences = [m.group(0).strip() for m in re.finditer(r"[^.\n]{25,}", article.body)]
    claims = {"unassigned": make_claim(sentences[0])}
    claims["assigned"] = services.claim_assign(
        actor=editor, claim=make_claim(sentences[1]), assignee=reviewer
    )
    claims["researching"] = services.claim_start_research(
        actor=reviewer,
        claim=services.claim_assign(
            actor=editor, claim=make_claim(sentences[2]), assignee=reviewer
        ),
    )
    claims["in_review"] = worked(sentences[3])
    claims["approved"] = services.claim_approve(actor=editor, claim=worked(sentences[4]))
    claims["published"] = services.claim_publish(
        actor=editor, claim=services.claim_approve(actor=editor, claim=worked(sentences[5]))
    )
    corrected = services.claim_publish(
        actor=editor, claim=services.claim_approve(actor=editor, claim=worked(sentences[6]))
    )
    claims["corrected"] = services.claim_correct(
        actor=editor,
        claim=corrected,
        note="A newer table changed the figure.",
        rating=Rating.objects.get(name="False"),
    )
    claims["dismissed"] = services.claim_dismiss(
        actor=editor, claim=make_claim(sentences[7]), reason="An opinion."
    )
    for status, claim in claims.items():
        assert claim.status == status
    return claims


@pytest.fixture
def long_article(editor):
    return services.article_create(
        actor=editor,
        title="Rafah talks",
        body=SEED_TEXT,
        url="https://news.example/rafah",
        outlet="Wire",
        author="A. Reporter",
    )


@pytest.fixture
def every_status(editor, reviewer, long_article) -> dict[str, Claim]:
    def make_claim(text: str) -> Claim:
        start = long_article.body.index(text)
        return Claim.objects.create(
            article=long_article, text=text, start=start, end=start + len(text)
        )

    return _claims_in_every_status(editor, reviewer, long_article, make_claim)


def test_claim_panel_in_each_status(new_page, live_server, audit, editor, reviewer, every_status):
    page = new_page(editor)
    problems = audit.page(page)
    for status, claim in every_status.items():
        page.goto(f"{live_server.url}{claim.get_absolute_url()}")
        expect(page.locator(".claim-panel")).to_be_visible()
        audit.check(page, f"claim page, {status} (editor)", problems)
        open_all_disclosures(page)
        audit.check(page, f"claim page, {status} (editor), every form open", problems)
    page = new_page(reviewer)
    problems = audit.page(page)
    for status in ("assigned", "researching", "in_review"):
        page.goto(f"{live_server.url}{every_status[status].get_absolute_url()}")
        expect(page.locator(".claim-panel")).to_be_visible()
        audit.check(page, f"claim page, {status} (reviewer)", problems)
    audit.assert_clean()


def test_claim_panel_with_form_errors(
    new_page, live_server, audit, reviewer, editor, researching_claim
):
    page = new_page(reviewer)
    problems = audit.page(page)
    page.goto(f"{live_server.url}{researching_claim.get_absolute_url()}")
    form = page.locator("form[action$='/sources/new/']")
    form.locator("input[name=url]").fill("ftp://not-a-web-link")
    form.get_by_role("button", name="Add source").click()
    expect(page.locator(".cp-sources .error, .cp-sources .errorlist").first).to_be_visible()
    audit.check(page, "claim page, source form error", problems)

    page.get_by_label("Conclusion").fill("One. Two sentences are too many.")
    page.get_by_role("button", name="Save verdict").click()
    expect(page.locator(".cp-verdict .error, .cp-verdict .errorlist").first).to_be_visible()
    audit.check(page, "claim page, verdict form error", problems)
    audit.assert_clean()


def test_triage_after_extraction_and_the_articles_screens(new_page, live_server, audit, editor):
    page = new_page(editor)
    problems = audit.page(page)
    page.goto(f"{live_server.url}/articles/")
    audit.check(page, "articles, empty", problems)
    page.get_by_role("link", name="New article").click()
    audit.check(page, "new article form", problems)
    page.get_by_role("button", name="Save article").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    audit.check(page, "new article form with errors", problems)
    page.get_by_label("Title").fill("Rafah talks")
    page.get_by_label("Text", exact=True).fill(SEED_TEXT)
    page.get_by_role("button", name="Save article").click()
    expect(page.get_by_role("button", name="Extract claims")).to_be_visible()
    audit.check(page, "article, before extraction", problems)
    page.get_by_role("button", name="Extract claims").click()
    expect(page.get_by_role("button", name="Keep selected")).to_be_visible()
    audit.check(page, "triage after extraction", problems)
    page.get_by_role("button", name="Keep selected").click()
    expect(page.get_by_role("button", name="Merge selected")).to_be_visible()
    audit.check(page, "article with kept claims", problems)
    page.get_by_role("link", name="Edit").first.click()
    expect(page.locator(".claim-inline form").first).to_be_visible()
    audit.check(page, "article, a claim's inline edit form", problems)
    page.goto(f"{live_server.url}/articles/")
    audit.check(page, "articles, one extracted", problems)
    page.goto(f"{live_server.url}/articles/import/")
    audit.check(page, "import files", problems)
    page.get_by_label("Files").set_input_files(
        [
            {"name": "budget.txt", "mimeType": "text/plain", "buffer": SEED_TEXT.encode()},
            {"name": "broken.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf"},
        ]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".job-results")).to_be_visible(timeout=30_000)
    audit.check(page, "import job, one file failed", problems)
    audit.assert_clean()


def test_reports(new_page, live_server, audit, editor, every_status, long_article, settings):
    settings.FACTCHECK_EXPORT_BACKGROUND_PDF_CLAIMS = (
        1  # so the PDF runs as an export job, with its page
    )
    page = new_page(editor)
    problems = audit.page(page)
    page.goto(f"{live_server.url}/articles/{long_article.pk}/report/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page, "article report, public", problems)
    page.goto(f"{live_server.url}/articles/{long_article.pk}/report/?internal=1")
    audit.check(page, "article report, internal", problems)
    page.goto(f"{live_server.url}/board/export/")
    audit.check(page, "board report", problems)
    page.get_by_label("Format").select_option(label="PDF")
    page.get_by_role("button", name="Export").click()
    expect(page.get_by_role("heading", name="Report export")).to_be_visible()
    expect(page.get_by_role("link", name="Download")).to_be_visible(timeout=30_000)
    audit.check(page, "report export job, done", problems)
    response = page.goto(f"{live_server.url}/board/export/?format=nonsense")
    expect(page.get_by_role("heading", name="Export report")).to_be_visible()
    assert response.status == 400
    audit.check(page, "report options with an error", problems)
    audit.assert_clean()
