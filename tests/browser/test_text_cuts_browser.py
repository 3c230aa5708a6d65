"""Long claim text on the board and on "My claims" is cut after a whole word."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from claims import services
from claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = (
    "The move reflects a change in the council's budget priorities after two years of "
    "rising repair costs, officials said on Tuesday, adding that the reserve fund stood at "
    "its lowest level since records began."
)


def assert_word_cut(shown: str) -> None:
    assert shown.endswith("…"), shown
    kept = shown.removesuffix("…")
    assert LONG.startswith(kept) and LONG[len(kept)] == " ", shown


def test_board_and_my_claims_cut_at_word_boundaries(new_page, live_server, editor, reviewer):
    article = services.article_create(actor=editor, title="Budget", body=LONG)
    claim = Claim.objects.create(article=article, text=LONG, start=0, end=len(LONG))
    services.claim_assign(actor=editor, claim=claim, assignee=reviewer)

    page = new_page(editor)
    page.goto(f"{live_server.url}/board/")
    card_text = page.locator(f"#card-{claim.pk} .card-text")
    expect(card_text).to_be_visible()
    assert_word_cut(card_text.inner_text().strip())

    page = new_page(reviewer)
    page.goto(f"{live_server.url}/my/")
    link = page.locator(".my-item a").first
    assert_word_cut(link.inner_text().strip())
