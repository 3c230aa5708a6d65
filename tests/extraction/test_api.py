import dataclasses
import json
from pathlib import Path

import pytest

from claims.extraction import (
    MAX_TEXT_CHARS,
    Candidate,
    ExtractionError,
    checkworthy_cut,
    extract_claims,
    is_blank,
    score_sentences,
)

SEED = Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_seed_article_candidates(seed_text):
    cands = extract_claims(seed_text)
    assert len(cands) == 17
    assert [c.position for c in cands] == list(range(17))
    for c in cands:
        assert isinstance(c, Candidate)
        assert seed_text[c.start : c.end] == c.text
        assert 0.0 <= c.score <= 1.0
        assert c.checkworthy == (c.score >= checkworthy_cut())
        assert c.kinds
    assert cands[0].text.startswith("The United States is pressing")
    # The sentence with numbers and sourcing is a claim; the quote is attributed.
    assert "quantity" in cands[0].kinds
    assert "quote_attribution" in cands[15].kinds
    assert any(c.checkworthy for c in cands)


def test_candidate_is_frozen_and_serialisable(seed_text):
    c = extract_claims(seed_text)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.score = 0.0  # type: ignore[misc]
    d = c.to_dict()
    assert set(d) == {"text", "start", "end", "score", "checkworthy", "kinds", "position"}
    assert json.loads(json.dumps(d)) == d


@pytest.mark.parametrize("text", ["", " ", "\n\n\t\r\n"])
def test_empty_input_returns_empty_list(text):
    assert is_blank(text)
    assert extract_claims(text) == []


def test_too_long_raises_clear_message():
    with pytest.raises(ExtractionError) as exc:
        extract_claims("a" * 2_500_000)
    assert str(exc.value) == "Article is too long: 2,500,000 characters; the limit is 2,000,000."
    assert MAX_TEXT_CHARS == 2_000_000


def test_custom_limit():
    with pytest.raises(ExtractionError, match="limit is 10"):
        extract_claims("Prices rose by 3%.", max_chars=10)
    assert len(extract_claims("Prices rose by 3%.", max_chars=100)) == 1


def test_score_sentences_ranks_claims_above_chatter():
    claim = "Unemployment fell from 10 percent in 2009 to 4.7 percent in 2016."
    chatter = "Thank you very much, it is great to be here tonight."
    scores = score_sentences([chatter, claim])
    assert len(scores) == 2
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[1] > scores[0]
    assert score_sentences([claim])[0] >= checkworthy_cut()
    assert score_sentences([chatter])[0] < checkworthy_cut()


def test_score_sentences_empty_and_odd_input():
    assert score_sentences([]) == []
    scores = score_sentences(["", "   ", "\u2014", "12345", "?" * 50])
    assert len(scores) == 5 and all(0.0 <= s <= 1.0 for s in scores)


def test_scores_are_deterministic(seed_text):
    a = [c.score for c in extract_claims(seed_text)]
    b = [c.score for c in extract_claims(seed_text)]
    assert a == b
