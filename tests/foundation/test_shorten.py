"""Shortened text is cut at a word boundary with an ellipsis, never mid-word."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from claims.selectors.claim_panel import claim_article_window
from claims.text import shorten

SENTENCE = "The move reflects a change in the council's budget priorities, officials said."


def test_cuts_after_a_whole_word_with_an_ellipsis():
    assert shorten(SENTENCE, 14) == "The move…"
    assert shorten(SENTENCE, 20) == "The move reflects a…"


def test_drops_punctuation_left_at_the_cut():
    assert shorten("Prices rose, sharply, in May", 14) == "Prices rose…"


def test_short_text_is_unchanged():
    assert shorten("Short.", 10) == "Short."


def test_one_long_word_is_cut_inside_as_nothing_else_fits():
    assert shorten("Supercalifragilistic words", 8) == "Superca…"


@given(
    st.text(alphabet=st.sampled_from("ab cd,.\n"), max_size=200),
    st.integers(min_value=2, max_value=120),
)
def test_never_longer_than_the_limit_and_never_mid_word(text, limit):
    out = shorten(text, limit)
    assert len(out) <= limit
    if out != text:
        kept = out.removesuffix("…")
        assert out.endswith("…") and text.startswith(kept)
        mid_word = bool(kept) and kept[-1].isalnum() and text[len(kept)].isalnum()
        if mid_word:  # allowed only when no word boundary was in reach
            assert not any(ch.isspace() for ch in text[: limit - 1][(limit - 1) // 2 :])


def test_template_filter():
    html = Template("{% load claim_text %}{{ text|shorten:14 }}").render(
        Context({"text": SENTENCE})
    )
    assert html == "The move…"


@pytest.mark.parametrize("margin", [3, 10, 25, 33])
def test_claim_window_cuts_its_margins_at_word_boundaries(margin):
    body = "Residents said prices as planned rose. The claim is here. Officials reflected on budgets later."
    start = body.index("The claim")
    end = start + len("The claim is here.")
    window = claim_article_window(body=body, start=start, end=end, margin=margin)
    assert (
        window.before == ""
        or window.before[0] != " "
        and body[start - len(window.before) - 1] == " "
    )
    assert window.after == "" or body[end + len(window.after)] == " "
