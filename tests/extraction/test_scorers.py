"""The two scorers behind the public API: the encoder stack when it can run,
the fast numpy scorer for long texts and when the encoder cannot load."""

import logging
from pathlib import Path

import numpy as np
import pytest

from claims.extraction import (
    ENCODER_MAX_SENTENCES,
    checkworthy_cut,
    extract_claims,
    preselect_levels,
    score_sentences,
    scoring,
    split_sentences,
)
from claims.extraction.attribution import strip_all

SEED = Path(__file__).resolve().parents[2] / "claims" / "fixtures" / "seed-article.txt"


@pytest.fixture(scope="module")
def seed_sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    return [text[s:e] for s, e in split_sentences(text)]


def fast(sentences):
    """The fast scorer's scores, read as every scorer reads text (no attribution)."""
    return scoring.fast_scores(scoring.get_model().encode(strip_all(sentences)))


def test_levels_are_ordered_and_normal_is_the_default_cut():
    levels = preselect_levels()
    assert levels["strict"] >= levels["normal"] >= levels["broad"]
    assert levels["normal"] == checkworthy_cut()
    assert 0.0 < checkworthy_cut() < 1.0


def test_score_sentences_uses_the_encoder_stack(seed_sentences):
    assert scoring.encoder_available()
    best = np.array(score_sentences(seed_sentences))
    assert best.shape == (17,)
    assert ((best >= 0) & (best <= 1)).all()
    assert not np.allclose(best, fast(seed_sentences), atol=1e-3)


def test_opinion_without_checkable_content_scores_below_the_cut():
    # Our own labelled set (tests/extraction/data): analysis and opinion
    # sentences with nothing to check, each scored on its own.
    lines = (
        (Path(__file__).parent / "data" / "claim_kinds.tsv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    opinion = [line.split("\t")[2] for line in lines[1:] if line.startswith("other\t0\t")]
    assert len(opinion) >= 20
    scores = [score_sentences([s])[0] for s in opinion]
    assert max(scores) < checkworthy_cut()


def test_an_encoder_that_cannot_load_falls_back_with_a_log_line(
    broken_encoder, seed_sentences, caplog
):
    with caplog.at_level(logging.WARNING, logger="claims.extraction.scoring"):
        got = score_sentences(seed_sentences)
    assert not scoring.encoder_available()
    np.testing.assert_allclose(got, fast(seed_sentences))
    assert "could not load" in caplog.text
    assert "using the fast scorer" in caplog.text
    text = SEED.read_text(encoding="utf-8")
    candidates = extract_claims(text)
    assert [c.score for c in candidates] == pytest.approx(got)
    cut = scoring.fast_checkworthy_cut()
    assert [c.checkworthy for c in candidates] == [s >= cut for s in got]


def test_long_texts_take_the_fast_scorer_in_extract_claims():
    n = ENCODER_MAX_SENTENCES + 1
    text = " ".join(
        f"Unemployment fell to {i % 90 + 2} percent in the county last year." for i in range(n)
    )
    candidates = extract_claims(text)
    assert len(candidates) == n
    head = [c.text for c in candidates[:40]]
    # The first 40 of a long text score as the fast scorer scores the whole text.
    np.testing.assert_allclose(
        [c.score for c in candidates[:40]], fast([c.text for c in candidates])[:40]
    )
    # Fast scores are judged by the fast scorer's own cut (the same precision).
    assert all(c.checkworthy == (c.score >= scoring.fast_checkworthy_cut()) for c in candidates)
    assert scoring.fast_checkworthy_cut() != checkworthy_cut()
    # A short text of the same sentences goes through the encoder stack instead.
    short = extract_claims(" ".join(head))
    assert not np.allclose([c.score for c in short], fast(head), atol=1e-3)
