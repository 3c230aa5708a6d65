"""Clean-up of social posts and the TF-IDF half of the score."""

from __future__ import annotations

import math

import numpy as np
import pytest

from claims.matching import clean_text
from claims.matching.evaluation import average_precision, mean_average_precision
from claims.matching.lexical import LexicalIndex


def test_a_tweet_loses_links_marks_handle_and_date_but_keeps_the_name():
    tweet = (
        "The US drone attack on #Soleimani caught on camera.#IranUsapic.twitter.com/TvRkHvlgby "
        "see https://t.co/abc @CNN — Olaudah Equiano® (@RealOlaudah) January 6, 2020"
    )
    assert clean_text(tweet) == (
        "The US drone attack on Soleimani caught on camera.IranUsa see CNN Olaudah Equiano®"
    )


def test_plain_text_is_only_tidied():
    assert clean_text("  Crime fell   by half.\n") == "Crime fell by half."
    assert clean_text("Prices rose - a lot - in 2020.") == "Prices rose - a lot - in 2020."


def test_tfidf_cosine_is_one_for_the_same_words_and_zero_for_none_shared():
    lexical = LexicalIndex(["red apples grow here", "blue whales swim there", ""])
    scores = lexical.scores("Red apples grow here")
    assert scores[0] == pytest.approx(1.0, abs=1e-6)
    assert scores[1] == 0.0 and scores[2] == 0.0
    assert np.all(lexical.scores("unknown words only") == 0.0)


def test_tfidf_weights_rare_words_more():
    lexical = LexicalIndex(["the cat sat", "the dog sat", "the cow sat"])
    # "dog" is in one text, "the" in all three: matching on "dog" counts for more.
    scores = lexical.scores("the dog")
    assert scores[1] > scores[0] == pytest.approx(scores[2])
    idf_the = math.log(4 / 4) + 1
    idf_dog = math.log(4 / 2) + 1
    doc = np.array([idf_the, idf_dog, math.log(4 / 4) + 1])  # the, dog, sat
    query = np.array([idf_the, idf_dog, 0.0])
    expected = doc @ query / np.linalg.norm(doc) / np.linalg.norm(query)
    assert scores[1] == pytest.approx(expected, rel=1e-5)


def test_average_precision_at_5():
    assert average_precision([3, 1, 2], frozenset({3})) == 1.0
    assert average_precision([1, 3, 2], frozenset({3})) == 0.5
    assert average_precision([1, 2, 4, 5, 6, 3], frozenset({3})) == 0.0  # past the top 5
    assert average_precision([3, 1, 4], frozenset({3, 4})) == pytest.approx((1 + 2 / 3) / 2)
    assert mean_average_precision([[3], [1, 3]], [frozenset({3}), frozenset({3})]) == 0.75
