"""Reflow, motion and colour (issue 13, WCAG 1.4.10, 2.3.3, 1.4.1).

At 320 CSS px (a phone, or 400% zoom of a 1280 px window) and at 640 CSS px (200%
zoom), no screen scrolls sideways and nothing sticks out past the right edge; only
the board's columns scroll sideways, inside their own region. With reduced motion
asked for, nothing animates. Verdict badges carry their words, not colour alone.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims import services
from claims.demo import seed_synthetic
from claims.models import Rating

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Everything that overflows the viewport, or scrolls sideways inside it, except the
# board's columns (their region scrolls sideways by design) and visually hidden text.
MEASURE = """() => {
    const doc = document.scrollingElement;
    const out = [];
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (typeof el.className === "string" && el.className
            ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest(".board-columns, .visually-hidden, .skip-link")) continue;
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > doc.clientWidth + 1 || box.left < -1)) {
            out.push(`${name(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}`);
        }
        const style = getComputedStyle(el);
        if (["auto", "scroll"].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
            out.push(`${name(el)} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
        }
    }
    if (doc.scrollWidth > doc.clientWidth) {
        out.unshift(`page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
    }
    return out.slice(0, 12);
}"""


# htmx's request indicator, the one element that transitions (opacity, .2s).
ADD_INDICATOR = """() => {
    const s = document.createElement("span");
    s.className = "htmx-indicator";
    document.body.append(s);
}"""


@pytest.fixture
def busy_newsroom(editor, reviewer, reviewer2, published_claim):
    seed_synthetic(
        editor=editor, reviewers=[reviewer, reviewer2], articles=2, claims_per_article=10
    )
    services.article_extract(actor=editor, article=published_claim.article)
    return published_claim


def open_everything(page) -> None:
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")


@pytest.mark.parametrize("width", [320, 640])
def test_no_screen_scrolls_sideways(new_page, live_server, editor, busy_newsroom, width):
    claim = busy_newsroom
    screens = {
        "board": "/board/",
        "board, filtered": "/board/?q=the&overdue=on",
        "my claims": "/my/",
        "articles": "/articles/",
        "article after extraction": claim.article.get_absolute_url(),
        "new article": "/articles/new/",
        "import": "/articles/import/",
        "claim page": claim.get_absolute_url(),
        "report": f"/articles/{claim.article.pk}/report/?internal=1",
        "board report": "/board/export/",
    }
    problems = {}
    signed_out = new_page(width=width, height=700)
    signed_out.goto(f"{live_server.url}/accounts/login/")
    problems["sign-in"] = signed_out.evaluate(MEASURE)
    page = new_page(editor, width=width, height=700)
    for screen, path in screens.items():
        page.goto(live_server.url + path)
        open_everything(page)
        problems[screen] = page.evaluate(MEASURE)
    problems = {screen: found for screen, found in problems.items() if found}
    assert problems == {}


def test_the_board_columns_scroll_inside_their_own_region(
    new_page, live_server, editor, busy_newsroom
):
    page = new_page(editor, width=320, height=700)
    page.goto(f"{live_server.url}/board/")
    columns = page.locator(".board-columns")
    sizes = columns.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert sizes[0] > sizes[1]  # the columns region scrolls sideways...
    assert page.evaluate(
        "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )
    # ...and a keyboard can reach it to scroll it with the arrow keys.
    assert columns.get_attribute("tabindex") == "0"
    assert columns.get_attribute("aria-label")


def test_reduced_motion_turns_off_animation(new_page, live_server, editor, claim):
    durations = (
        "() => getComputedStyle(document.querySelector('.htmx-indicator')).transitionDuration"
    )
    moving = new_page(editor)
    moving.goto(f"{live_server.url}/board/")
    moving.evaluate(ADD_INDICATOR)
    assert moving.evaluate(durations) == "0.2s"
    still = new_page(editor, reduced_motion="reduce")
    still.goto(f"{live_server.url}/board/")
    still.evaluate(ADD_INDICATOR)
    assert float(still.evaluate(durations).rstrip("s")) < 0.001
    # SortableJS animates a dropped card in JavaScript: that obeys the setting too.
    animation = (
        "() => Sortable.get(document.getElementById('cards-unassigned')).option('animation')"
    )
    assert moving.evaluate(animation) == 150
    assert still.evaluate(animation) == 0


def test_verdict_badges_carry_their_words(new_page, live_server, editor, reviewer, busy_newsroom):
    names = set(Rating.objects.values_list("name", flat=True))
    page = new_page(editor)
    for path in (
        "/board/",
        busy_newsroom.get_absolute_url(),
        f"/articles/{busy_newsroom.article.pk}/report/",
    ):
        page.goto(live_server.url + path)
        badges = page.locator(".verdict")
        expect(badges.first).to_be_visible()
        words = set(badges.all_inner_texts())
        # Every badge names its verdict (or says there is none), so colour is never the only signal.
        assert words and words <= names | {"No verdict yet"}, (path, words - names)
