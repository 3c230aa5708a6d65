"""The whole journey with the keyboard only, in Chromium (issue 13, WCAG 2.1.1, 2.1.2, 2.4.7).

No mouse: Tab, Shift+Tab, Enter, Space, arrow keys and typing. Every element that
takes focus on the way shows a visible focus indicator, and Tab always moves on: a
walk through a whole page reaches every tabbable element and comes back round.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Rating

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SAMPLE = (
    Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"
).read_text(encoding="utf-8")
MAX_PRESSES = 250

# The focused element, and whether its focus shows: an outline of 2px or more, or a ring
# drawn with box-shadow.
FOCUS_STATE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const ring = style.boxShadow && style.boxShadow !== "none";
    if (!el.dataset.kbKey) el.dataset.kbKey = String(Math.random()).slice(2);
    return {key: el.dataset.kbKey, visible: outline || ring,
            what: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " "
                  + (el.innerText || el.value || "").slice(0, 40)};
}"""

TABBABLE = """() => Array.from(document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]"
)).filter((el) => {
    if (el.disabled || el.tabIndex < 0 || (el.type === "hidden")) return false;
    // Inside a closed <details> only its own <summary> can take focus.
    const closed = el.closest("details:not([open])");
    if (closed && !(el.tagName === "SUMMARY" && el.parentElement === closed)) return false;
    const outer = closed && closed.parentElement.closest("details:not([open])");
    if (el.tagName === "SUMMARY" && outer) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const shown = box.width > 0 || box.height > 0 || el.classList.contains("skip-link");
    return shown && style.visibility !== "hidden";
}).map((el) => {
    if (!el.dataset.kbKey) el.dataset.kbKey = String(Math.random()).slice(2);
    return el.dataset.kbKey;
})"""


class Keyboard:
    """Moves through a page with Tab and Shift+Tab, checking every stop on the way."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def _state(self):
        state = self.page.evaluate(FOCUS_STATE)
        if state is not None:
            assert state["visible"], f"no visible focus indicator on {state['what']}"
        return state

    def to(self, locator, *, back: bool = False):
        """Tab (or Shift+Tab) until `locator` has focus; fail if it is never reached."""
        order: list[str] = []
        for _ in range(MAX_PRESSES):
            if locator.evaluate("(el) => el === document.activeElement"):
                return
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            self.stops += 1
            state = self._state()
            if state is None:
                continue  # focus left the page for a moment (past the last element)
            if order and state["key"] == order[0] and len(set(order)) > 1:
                raise AssertionError(
                    f"Tab went round {len(set(order))} stops without reaching {locator}"
                )
            order.append(state["key"])
            # A date field takes a few Tabs (day, month, year); many more on one element is a trap.
            if len(order) >= 6 and len(set(order[-6:])) == 1:
                raise AssertionError(f"focus is trapped on {state['what']}")
        raise AssertionError(f"{locator} not reached in {MAX_PRESSES} presses")

    def press(self, locator, key: str = "Enter", *, back: bool = False):
        self.to(locator, back=back)
        self.page.keyboard.press(key)

    def type_into(self, locator, text: str, *, back: bool = False):
        self.to(locator, back=back)
        self.page.keyboard.type(text)

    def choose(self, select, label: str, *, back: bool = False):
        """Pick an option of a focused <select> with the arrow keys."""
        self.to(select, back=back)
        self.page.keyboard.press("Home")
        for _ in range(40):
            if select.evaluate("(el) => el.options[el.selectedIndex].text") == label:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {label!r}")

    def walk_whole_page(self) -> None:
        """Tab through the whole page: every tabbable element is reached, none traps focus."""
        expected = self.page.evaluate(TABBABLE)
        # Tab to the end of the page first, so the walk starts from the top whatever had focus.
        for _ in range(len(expected) * 3 + 5):
            self.page.keyboard.press("Tab")
            if self._state() is None:
                break
        order: list[str] = []
        for _ in range(len(expected) * 3 + 5):
            self.page.keyboard.press("Tab")
            state = self._state()
            if state is None:
                break  # past the last element: focus left the page, so nothing trapped it
            if order and state["key"] == order[-1]:
                continue  # the next part of the same field (a date's day, month, year)
            if state["key"] in order:
                break
            order.append(state["key"])
        missed = [self._describe(key) for key in expected if key not in order]
        extra = [self._describe(key) for key in order if key not in expected]
        assert (missed, extra) == ([], []), "Tab missed the first list, and stopped on the second"

    def _describe(self, key: str) -> str:
        return self.page.evaluate(
            """(key) => { const el = document.querySelector(`[data-kb-key="${key}"]`);
                return el ? el.outerHTML.slice(0, 100) : key; }""",
            key,
        )


def sign_in_by_keyboard(page, base: str, username: str) -> Keyboard:
    page.goto(f"{base}/accounts/login/")
    keys = Keyboard(page)
    keys.type_into(page.get_by_label("Username"), username)
    keys.type_into(page.get_by_label("Password"), "factcheck")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return keys


def test_keyboard_only_journey(new_page, live_server, editor, reviewer):
    base = live_server.url

    # The editor signs in, adds the article, extracts, keeps the check-worthy sentences.
    ed = new_page()
    keys = sign_in_by_keyboard(ed, base, editor.username)
    keys.press(ed.get_by_role("navigation", name="Main").get_by_role("link", name="Articles"))
    ed.wait_for_url(lambda url: url.endswith("/articles/"))
    keys.press(ed.get_by_role("link", name="New article"))
    ed.wait_for_url(lambda url: url.endswith("/articles/new/"))
    keys.type_into(ed.get_by_label("Title"), "Rafah talks")
    keys.to(ed.get_by_label("Text", exact=True))
    ed.keyboard.insert_text(SAMPLE)  # a paste, as an editor would
    keys.press(ed.get_by_role("button", name="Save article"))
    ed.wait_for_url(lambda url: "/articles/new/" not in url)
    keys.press(ed.get_by_role("button", name="Extract claims"))
    expect(ed.get_by_role("heading", name="Sentences")).to_be_focused()
    keys.press(ed.get_by_role("button", name="Keep selected"))
    expect(ed.get_by_role("button", name="Merge selected")).to_be_visible()
    target = Claim.objects.filter(article__title="Rafah talks").order_by("position").first()
    assert target is not None

    # ...and assigns the first kept claim to the reviewer from its card on the board.
    ed.goto(f"{base}/board/")
    card = ed.locator(f"#card-{target.pk}")
    keys.press(card.locator("summary"))
    keys.choose(card.get_by_label("Assignee"), reviewer.username)
    keys.press(card.get_by_role("button", name="Assign"))
    expect(ed.locator(f"#cards-assigned #card-{target.pk}")).to_be_visible()

    # The reviewer: start research, add two sources, set a verdict, submit.
    rv = new_page()
    keys = sign_in_by_keyboard(rv, base, reviewer.username)
    keys.press(rv.get_by_role("navigation", name="Main").get_by_role("link", name="My claims"))
    rv.wait_for_url(lambda url: url.endswith("/my/"))
    keys.press(rv.locator(f"a[href='{target.get_absolute_url()}']").first)
    rv.wait_for_url(lambda url: url.endswith(target.get_absolute_url()))
    keys.press(rv.get_by_role("button", name="Start research"))
    expect(rv.get_by_role("heading", name="Next steps")).to_be_focused()
    for n, (url, title) in enumerate(
        [
            ("https://stats.example/rafah", "Crossings data"),
            ("https://news.example/talks", "Talks report"),
        ],
        start=1,
    ):
        form = rv.locator("form[action$='/sources/new/']")
        if not form.is_visible():
            keys.press(rv.locator("summary", has_text="Add source"))
        keys.type_into(form.locator("input[name=url]"), url)
        keys.type_into(form.locator("input[name=title]"), title)
        keys.press(form.get_by_role("button", name="Add source"))
        expect(rv.get_by_role("heading", name=f"Sources ({n})")).to_be_focused()
    keys.choose(rv.get_by_label("Verdict"), "Mostly false", back=True)
    keys.type_into(rv.get_by_label("Conclusion"), "The figures given vary between the sources.")
    keys.press(rv.get_by_role("button", name="Save verdict"))
    expect(rv.get_by_text(f"Proposed by {reviewer.username}")).to_be_visible()
    # Focus returns to the Verdict heading after the swap; wait for it before tabbing on,
    # or the first presses start from wherever the browser put focus meanwhile.
    expect(rv.get_by_role("heading", name="Verdict", exact=True)).to_be_focused()
    keys.press(rv.get_by_role("button", name="Submit for review"))
    expect(rv.locator(".cp-meta .status")).to_have_text("In review")

    # The editor approves and publishes, from the claim's page.
    ed.goto(f"{base}{target.get_absolute_url()}")
    keys = Keyboard(ed)
    keys.press(ed.get_by_role("button", name="Approve"))
    expect(ed.get_by_role("button", name="Publish")).to_be_visible()
    keys.press(ed.get_by_role("button", name="Publish"))
    expect(ed.locator(".cp-meta .status")).to_have_text("Published")

    target.refresh_from_db()
    assert target.status == Claim.Status.PUBLISHED
    assert target.rating == Rating.objects.get(name="Mostly false")
    assert target.sources.count() == 2


def test_tab_reaches_everything_and_traps_nothing(
    new_page, live_server, editor, reviewer, researching_claim
):
    page = new_page(reviewer, width=1400)
    keys = Keyboard(page)
    page.goto(f"{live_server.url}{researching_claim.get_absolute_url()}")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    keys.walk_whole_page()

    board = new_page(editor, width=1400)
    keys = Keyboard(board)
    board.goto(f"{live_server.url}/board/")
    keys.press(board.locator(f"#card-{researching_claim.pk} a.card-text"))
    expect(board.locator("#claim-panel h2")).to_be_focused()
    keys.walk_whole_page()  # the side panel and the board together

    board.goto(f"{live_server.url}{researching_claim.article.get_absolute_url()}")
    keys.walk_whole_page()
